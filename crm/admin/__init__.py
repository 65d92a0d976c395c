"""Wagtail admin (staff UI) for the CRM, one module per area; crm/wagtail_hooks.py
imports them so their hooks register."""

"""Dashboard panels (Wagtail home): log a contact, my follow-ups, employers due for a
case-independent contact, recent contacts of my team."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.admin.ui.components import Component

from ..models import Employer, StaffProfile
from ..selectors import (
    dashboard_employers_due,
    dashboard_follow_ups,
    dashboard_team_contacts,
)
from .contact_forms import EmployerSearchForm


class DashboardPanel(Component):
    """Rendered with the request, so that forms get their CSRF token."""

    def render_html(self, parent_context: Any = None) -> str:
        return render_to_string(
            self.template_name,
            self.get_context_data(parent_context),
            request=parent_context["request"],
        )


class LogContactPanel(DashboardPanel):
    name = "crm_log_contact"
    template_name = "crm/dashboard/log_contact.html"
    order = 10

    def get_context_data(self, parent_context: Any = None) -> dict:
        user = parent_context["request"].user
        my_employers = Employer.objects.visible_to(user).filter(fixed_contact=user)
        return {
            "form": EmployerSearchForm(),
            "my_employers": list(my_employers.order_by("legal_name")[:8]),
        }


class FollowUpsPanel(DashboardPanel):
    name = "crm_follow_ups"
    template_name = "crm/dashboard/follow_ups.html"
    order = 20

    def get_context_data(self, parent_context: Any = None) -> dict:
        request = parent_context["request"]
        today = timezone.localdate()
        profile = StaffProfile.objects.filter(user=request.user).first()
        return {
            "today": today,
            "follow_ups": dashboard_follow_ups(request.user, today=today),
            "profile": profile,
            "next": request.get_full_path(),
        }


class EmployersDuePanel(DashboardPanel):
    name = "crm_employers_due"
    template_name = "crm/dashboard/employers_due.html"
    order = 30

    def get_context_data(self, parent_context: Any = None) -> dict:
        employers, total = dashboard_employers_due(parent_context["request"].user)
        return {"employers": employers, "total": total}


class TeamContactsPanel(DashboardPanel):
    name = "crm_team_contacts"
    template_name = "crm/dashboard/team_contacts.html"
    order = 40

    def get_context_data(self, parent_context: Any = None) -> dict:
        return {"contacts": dashboard_team_contacts(parent_context["request"].user)}

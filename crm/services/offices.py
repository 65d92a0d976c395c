"""An office's own rules, set by its head: decision limit, reaction-time targets,
duration rules and windows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..models import Office
from ..querysets import user_office_id
from .contacts import office_contact_dates_refresh

RULES_PERMISSION = "crm.change_office_rules"


def office_rules_editable_by(staff: AbstractBaseUser, office: Office) -> bool:
    """The office head of this office (or a superuser)."""
    if staff.is_superuser:
        return True
    return staff.has_perm(RULES_PERMISSION) and user_office_id(staff) == office.pk


@transaction.atomic
def office_rules_update(
    *, office: Office, staff: AbstractBaseUser, **rules: Any
) -> Office:
    """Sets the office's rule fields (`Office.RULE_FIELDS` only). New due/overdue
    months move the employers' contact dates at once. Raises PermissionDenied for
    anyone but the office's head, ValidationError (nothing saved) on bad values."""
    if not office_rules_editable_by(staff, office):
        raise PermissionDenied
    unknown = set(rules) - set(Office.RULE_FIELDS)
    if unknown:
        raise TypeError(f"Not office rules: {sorted(unknown)}")
    before = (office.contact_due_months, office.contact_overdue_months)
    for name, value in rules.items():
        setattr(office, name, value)
    office.full_clean()
    office.save(update_fields=list(rules))
    if (office.contact_due_months, office.contact_overdue_months) != before:
        office_contact_dates_refresh(office)
    return office

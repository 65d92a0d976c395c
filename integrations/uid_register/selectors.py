"""Reads for UID register suggestions: what differs, and what staff may see."""

from __future__ import annotations

from dataclasses import dataclass

from crm.models import Employer

from .models import UidRegisterSuggestion

# Employer field ← the suggestion's value, in the order staff compare them.
FIELD_SOURCES = {
    "legal_name": lambda s: s.legal_name,
    "street": lambda s: s.street_line,
    "postcode": lambda s: s.postcode,
    "municipality": lambda s: s.town,
    "canton": lambda s: s.canton,
    "legal_form": lambda s: s.legal_form,
    "noga_code": lambda s: s.noga_code,
    "register_status": lambda s: s.register_status,
}


def suggestion_values(suggestion: UidRegisterSuggestion) -> dict[str, str]:
    """The register's value per employer field, only where the register has one."""
    values = {field: source(suggestion) for field, source in FIELD_SOURCES.items()}
    return {field: value for field, value in values.items() if value}


def suggestion_changes(
    suggestion: UidRegisterSuggestion, employer: Employer
) -> dict[str, str]:
    """The fields whose register value differs from the employer's."""
    return {
        field: value
        for field, value in suggestion_values(suggestion).items()
        if (getattr(employer, field) or "") != value
    }


@dataclass
class ComparisonRow:
    field: str
    label: str
    current: str
    register: str
    differs: bool


def _display(field: str, value: str) -> str:
    model_field = Employer._meta.get_field(field)
    if not value:
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def suggestion_comparison(
    suggestion: UidRegisterSuggestion, employer: Employer
) -> list[ComparisonRow]:
    """Current value next to the register's, one row per field the register knows."""
    rows = []
    for field, value in suggestion_values(suggestion).items():
        current = getattr(employer, field) or ""
        rows.append(
            ComparisonRow(
                field=field,
                label=str(Employer._meta.get_field(field).verbose_name),
                current=_display(field, current),
                register=_display(field, value),
                differs=current != value,
            )
        )
    return rows


def suggestions_for(employer: Employer, limit: int = 10) -> list[UidRegisterSuggestion]:
    """The employer's latest lookups, newest first (the caller checked the scope)."""
    return list(
        employer.uid_register_suggestions.select_related(
            "requested_by", "decided_by"
        ).order_by("-fetched_at", "-pk")[:limit]
    )


def suggestion_pending(employer: Employer) -> UidRegisterSuggestion | None:
    return (
        employer.uid_register_suggestions.filter(
            status=UidRegisterSuggestion.Status.PENDING
        )
        .order_by("-fetched_at", "-pk")
        .first()
    )

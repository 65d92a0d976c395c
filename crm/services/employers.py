"""Writes for employers: create, update (with cooperation history), share, reassign."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import CooperationAssessment, Employer, Office


def _cooperation_changed(employer: Employer, original: Employer | None) -> bool:
    if original is None:
        return bool(employer.cooperation_type or employer.intensity)
    return (employer.cooperation_type, employer.intensity) != (
        original.cooperation_type,
        original.intensity,
    )


@transaction.atomic
def employer_save(
    *,
    employer: Employer,
    by: AbstractBaseUser | None,
    cooperation_reason: str = "",
    cooperation_valid_from: date | None = None,
) -> Employer:
    """Validates and saves an employer; a changed type or intensity is recorded
    in the cooperation history with its reason (required then)."""
    original = Employer.objects.filter(pk=employer.pk).first() if employer.pk else None
    changed = _cooperation_changed(employer, original)
    if changed and not cooperation_reason.strip():
        raise ValidationError(
            {
                "cooperation_reason": _(
                    "Say why the cooperation type or intensity changes."
                )
            },
            code="reason_required",
        )
    employer.full_clean()
    employer.save()
    status_changed = (
        original is None or original.relationship_status != employer.relationship_status
    )
    if status_changed:
        # Due dates exist only for portfolio employers: work them out again.
        from .contacts import employer_contact_stats_refresh

        employer_contact_stats_refresh(employer)
    if changed:
        CooperationAssessment.objects.create(
            employer=employer,
            valid_from=cooperation_valid_from or timezone.localdate(),
            cooperation_type=employer.cooperation_type,
            intensity=employer.intensity,
            reason=cooperation_reason.strip(),
            recorded_by=by,
        )
    if original is None:
        # --- UID register (issue 8): a new employer is looked up after the commit,
        # when the register is configured. Never blocks or fails this save.
        from integrations.uid_register.services import uid_register_lookup_on_commit

        uid_register_lookup_on_commit(employer)
    return employer


@transaction.atomic
def employer_share(
    *, employer: Employer, offices: Iterable[Office], by_office: Office | None
) -> None:
    """Only the lead office decides with whom an employer is shared."""
    if by_office is not None and employer.office_id != by_office.pk:
        raise ValidationError(
            _("Only the lead office can share this employer."), code="not_lead"
        )
    employer.shared_with.set([o for o in offices if o.pk != employer.office_id])


@transaction.atomic
def employer_reassign_fixed_contact(
    *,
    employers: Iterable[Employer],
    new_contact: AbstractBaseUser,
    new_deputy: AbstractBaseUser | None = None,
) -> int:
    """Gives the selected employers a new fixed contact (e.g. when someone leaves).

    A deputy equal to the new fixed contact is cleared rather than kept invalid.
    """
    count = 0
    for employer in employers:
        employer.fixed_contact = new_contact
        if new_deputy is not None:
            employer.deputy_contact = new_deputy
        if employer.deputy_contact_id == new_contact.pk:
            employer.deputy_contact = None
        employer.full_clean()
        employer.save(update_fields=["fixed_contact", "deputy_contact", "updated_at"])
        count += 1
    return count

"""Placements: a case placed with an employer, its retention follow-ups after 6 and
12 months, and the window of advice after placement."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import (
    CaseReference,
    Employer,
    FollowUp,
    JobOpportunity,
    Placement,
)
from .cases import case_employer_notice, check_same_office
from .contacts import add_months

#: Months after the start at which staff check the person is still in the job.
RETENTION_CHECK_MONTHS = (6, 12)


@transaction.atomic
def placement_record(
    *,
    case: CaseReference,
    staff: AbstractBaseUser,
    start_on: date,
    opportunity: JobOpportunity | None = None,
    employer: Employer | None = None,
    kind: str = "",
    end_on: date | None = None,
) -> Placement:
    """Places the case with the opportunity's employer (or `employer`), plans the
    retention follow-ups (6 and 12 months, for the case's integration specialist or
    the staff member) and sets the advice window from the office's rule."""
    check_same_office(staff, case.office_id)
    if opportunity is not None:
        check_same_office(staff, opportunity.office_id)
        employer = opportunity.employer
        kind = kind or opportunity.kind
    if employer is None:
        raise ValidationError(
            {"employer": _("Choose the job opportunity or the employer.")},
            code="placement_employer",
        )
    office = case.office
    placement = Placement(
        office=office,
        case=case,
        employer=employer,
        opportunity=opportunity,
        kind=kind or JobOpportunity.Kind.JOB,
        start_on=start_on,
        end_on=end_on,
        staff=staff,
        advice_until=add_months(
            end_on or start_on, office.advice_after_placement_months
        ),
    )
    placement.full_clean()
    placement.save()
    assignee = case.integration_specialist or staff
    FollowUp.objects.bulk_create(
        FollowUp(
            office=office,
            employer=employer,
            placement=placement,
            due_on=add_months(start_on, months),
            assignee=assignee,
            # No case number: follow-ups show to every role on the employer page.
            note=gettext("Retention check %(months)s months after a placement")
            % {"months": months},
        )
        for months in RETENTION_CHECK_MONTHS
    )
    if opportunity is not None and opportunity.status in (
        JobOpportunity.Status.OPEN,
        JobOpportunity.Status.PROPOSED,
    ):
        opportunity.status = JobOpportunity.Status.FILLED
        opportunity.save(update_fields=["status"])
    case_employer_notice(
        case=case,
        employer=employer,
        scope=CaseReference.ConsentScope.PLACEMENTS,
        what=str(placement.get_kind_display()),
    )
    return placement


@transaction.atomic
def placement_close(
    *, placement: Placement, staff: AbstractBaseUser, outcome: str, end_on: date
) -> Placement:
    """Records the outcome; the advice window runs from the end. Ended early, the
    retention follow-ups still due are dropped."""
    check_same_office(staff, placement.office_id)
    placement.outcome = outcome
    placement.end_on = end_on
    placement.advice_until = add_months(
        end_on, placement.office.advice_after_placement_months
    )
    placement.full_clean()
    placement.save()
    if outcome == Placement.Outcome.ENDED_EARLY:
        placement.follow_ups.filter(done_at__isnull=True, due_on__gt=end_on).delete()
    return placement

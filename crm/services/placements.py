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
from .measures import duration_error

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
    outcome: str = Placement.Outcome.PENDING,
) -> Placement:
    """Places the case with the opportunity's employer (or `employer`), plans the
    retention follow-ups (6 and 12 months, for the case's integration specialist or
    the staff member) and sets the advice window from the office's rule. A placement
    recorded after the fact with its `outcome` is closed (`placement_close`)."""
    check_same_office(staff, case.office_id)
    check_outcome_end(outcome, end_on)
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
    _check_duration(placement)
    placement.save()
    assignee = case.integration_specialist or staff
    FollowUp.objects.bulk_create(
        FollowUp(
            office=office,
            employer=employer,
            placement=placement,
            due_on=add_months(start_on, months),
            assignee=assignee,
            # No case number in the note; still, only roles that see case items
            # see these (selectors.follow_ups_visible_to).
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
    if outcome != Placement.Outcome.PENDING:
        placement_close(
            placement=placement, staff=staff, outcome=outcome, end_on=end_on
        )
    return placement


def placement_duration_error(placement: Placement) -> ValidationError | None:
    """A placement into a trial place keeps to the office's trial-placement rule
    (180 days by default, to verify against the law in force), like the trial
    placement measure that pays for it."""
    if placement.kind != JobOpportunity.Kind.TRIAL_PLACE:
        return None
    return duration_error(
        label=placement.get_kind_display(),
        start=placement.start_on,
        end=placement.end_on,
        max_days=placement.office.trial_placement_max_days,
    )


def placement_duration_warning(placement: Placement) -> str:
    """The rule as a warning for a trial placement closed after running longer
    than it allows; empty when it kept to it."""
    error = placement_duration_error(placement)
    return " ".join(error.messages) if error is not None else ""


def _check_duration(placement: Placement) -> None:
    error = placement_duration_error(placement)
    if error is not None:
        raise ValidationError({"end_on": [error]})


def check_outcome_end(outcome: str, end_on: date | None) -> None:
    """An outcome (contract signed, trial completed, ended early) needs its end."""
    if outcome != Placement.Outcome.PENDING and end_on is None:
        raise ValidationError(
            {"end_on": _("Enter the end date together with the outcome.")},
            code="placement_outcome_end",
        )


def _months_after(start: date, day: date) -> int:
    """Whole months from `start` to `day` (exact for dates made by add_months)."""
    return (day.year - start.year) * 12 + day.month - start.month


@transaction.atomic
def placement_update(
    *,
    placement: Placement,
    staff: AbstractBaseUser,
    case: CaseReference,
    start_on: date,
    opportunity: JobOpportunity | None = None,
    employer: Employer | None = None,
    kind: str = "",
    end_on: date | None = None,
    outcome: str = Placement.Outcome.PENDING,
) -> Placement:
    """Saves an edited placement (the admin edit form).

    A new start moves the open retention follow-ups (still 6 and 12 months after the
    start) and the advice window with it; an outcome closes the placement through
    `placement_close`. A recorded outcome cannot go back to "under way": ending early
    dropped follow-ups that would not come back. The trial-placement duration rule
    refuses new dates, but closing a placement whose start stays records what
    happened: then it only warns (`placement_duration_warning`)."""
    check_same_office(staff, placement.office_id)
    check_same_office(staff, case.office_id)
    if opportunity is not None:
        check_same_office(staff, opportunity.office_id)
        employer = opportunity.employer
    if employer is None:
        raise ValidationError(
            {"employer": _("Choose the job opportunity or the employer.")},
            code="placement_employer",
        )
    check_outcome_end(outcome, end_on)
    before = Placement.objects.select_for_update().get(pk=placement.pk)
    if outcome == Placement.Outcome.PENDING and before.outcome != outcome:
        raise ValidationError(
            {"outcome": _("A recorded outcome cannot be set back to “under way”.")},
            code="placement_reopen",
        )
    placement.case, placement.opportunity = case, opportunity
    placement.employer, placement.kind = employer, kind or placement.kind
    placement.start_on, placement.end_on = start_on, end_on
    placement.advice_until = add_months(
        end_on or start_on, placement.office.advice_after_placement_months
    )
    placement.full_clean()
    if outcome == Placement.Outcome.PENDING or start_on != before.start_on:
        _check_duration(placement)
    placement.save()
    open_follow_ups = list(placement.follow_ups.filter(done_at__isnull=True))
    for follow_up in open_follow_ups:
        months = _months_after(before.start_on, follow_up.due_on)
        follow_up.due_on = add_months(start_on, months)
        follow_up.employer = employer
    FollowUp.objects.bulk_update(open_follow_ups, ["due_on", "employer"])
    closing = (outcome, end_on, start_on) != (
        before.outcome,
        before.end_on,
        before.start_on,
    )
    if outcome != Placement.Outcome.PENDING and closing:
        placement_close(
            placement=placement, staff=staff, outcome=outcome, end_on=end_on
        )
    return placement


@transaction.atomic
def placement_close(
    *, placement: Placement, staff: AbstractBaseUser, outcome: str, end_on: date
) -> Placement:
    """Records the outcome; the advice window runs from the end. Ended early, the
    retention follow-ups still due are dropped. Never refused for running longer
    than the duration rule allows (`placement_duration_warning` says so)."""
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

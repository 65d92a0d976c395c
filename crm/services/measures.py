"""Measures: planning one, moving it along its status flow, approving it when it
was decided on site above the limit, and the office's duration rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import CaseReference, Employer, Measure, Office, StaffProfile
from .cases import case_employer_notice, check_same_office
from .contacts import add_months

Kind = Measure.Kind
Status = Measure.Status
APPROVE_PERMISSION = "crm.approve_measure"


def decision_limit(staff: AbstractBaseUser | None, office: Office) -> Decimal:
    """The staff member's own limit, else the office's (CHF 5,000 by default)."""
    profile = StaffProfile.objects.filter(user=staff).select_related("office").first()
    if profile is not None and profile.decision_limit_chf is not None:
        return profile.decision_limit_chf
    return office.onsite_decision_limit_chf


#: Statuses that record how a measure came to an end: an over-long duration is
#: then what happened, and the rule warns instead of refusing it.
CLOSING = (Status.ENDED, Status.CANCELLED)


def duration_error(
    *, label: str, start: date | None, end: date | None, max_days: int
) -> ValidationError | None:
    """The office's duration rule for one trial placement, onboarding subsidy or
    trial-place placement (to verify against the law in force)."""
    if start is None or end is None:
        return None
    days = (end - start).days + 1
    if days <= max_days:
        return None
    return ValidationError(
        _(
            "%(measure)s lasts at most %(max)s days under the office's "
            "rule (to verify against the law in force); this one "
            "lasts %(days)s."
        ),
        code="duration_exceeded",
        params={"measure": label, "max": max_days, "days": days},
    )


def _max_days(measure: Measure) -> int | None:
    return {
        Kind.TRIAL_PLACEMENT: measure.office.trial_placement_max_days,
        Kind.ONBOARDING_SUBSIDY: measure.office.onboarding_subsidy_max_days,
    }.get(measure.kind)


def measure_duration_error(measure: Measure) -> ValidationError | None:
    max_days = _max_days(measure)
    if max_days is None:
        return None
    return duration_error(
        label=measure.get_kind_display(),
        start=measure.start_on,
        end=measure.end_on,
        max_days=max_days,
    )


def measure_duration_warning(measure: Measure) -> str:
    """The duration rule as a warning, for a measure that ended (or was cancelled)
    after running longer than the rule allows; empty when it kept to it."""
    error = measure_duration_error(measure)
    return " ".join(error.messages) if error is not None else ""


def measure_duration_errors(measure: Measure) -> dict[str, list]:
    """The office's duration rules (defaults from the IVG, to verify against the law
    in force): trial placement and onboarding subsidy at most N days; contribution
    compensation only within N months of a placement of the same case that lasted
    over M months."""
    errors: dict[str, list] = {}
    error = measure_duration_error(measure)
    if error is not None:
        errors["end_on"] = [error]
    if measure.kind in Kind.compensation():
        error = _compensation_error(measure, measure.office)
        if error is not None:
            errors.setdefault("placement", []).append(error)
    return errors


def _compensation_error(measure: Measure, office: Office) -> ValidationError | None:
    placement = measure.placement
    if placement is None:
        return ValidationError(
            _("Contribution compensation follows a placement: choose it."),
            code="compensation_needs_placement",
        )
    if placement.case_id != measure.case_id:
        return None  # _placement_error names it
    lasted_until = placement.end_on or timezone.localdate()
    if lasted_until <= add_months(
        placement.start_on, office.compensation_min_job_months
    ):
        return ValidationError(
            _(
                "Contribution compensation needs a job that lasted more than "
                "%(months)s months (office rule, to verify against the law in force)."
            ),
            code="compensation_job_too_short",
            params={"months": office.compensation_min_job_months},
        )
    start = measure.start_on or timezone.localdate()
    if start > add_months(placement.start_on, office.compensation_window_months):
        return ValidationError(
            _(
                "Contribution compensation is possible only within %(months)s months "
                "of the placement (office rule, to verify against the law in force)."
            ),
            code="compensation_window_passed",
            params={"months": office.compensation_window_months},
        )
    return None


@transaction.atomic
def measure_plan(
    *,
    case: CaseReference,
    staff: AbstractBaseUser,
    kind: str,
    employer: Employer | None = None,
    start_on: date | None = None,
    end_on: date | None = None,
    amount_chf: Decimal | None = None,
    decided_on_site: bool = False,
    **fields,
) -> Measure:
    """A planned measure. Decided on site above the staff member's (or the office's)
    limit, it is flagged for approval and cannot be granted before it is approved.
    Raises ValidationError (nothing saved) when a duration rule is broken."""
    check_same_office(staff, case.office_id)
    measure = Measure(
        office=case.office,
        case=case,
        employer=employer or case.employer,
        kind=kind,
        start_on=start_on,
        end_on=end_on,
        amount_chf=amount_chf,
        decided_on_site=decided_on_site,
        decided_by=staff if decided_on_site else None,
        **fields,
    )
    measure.needs_approval = bool(
        decided_on_site
        and amount_chf is not None
        and amount_chf > decision_limit(staff, case.office)
    )
    _validate(measure)
    measure.save()
    return measure


def _placement_error(measure: Measure) -> ValidationError | None:
    if measure.placement is None or measure.placement.case_id == measure.case_id:
        return None
    return ValidationError(
        _("The placement belongs to another case: choose one of this case's."),
        code="placement_other_case",
    )


def _validate(measure: Measure, *, duration_warns: bool = False) -> None:
    """Model validation and the office's rules. With `duration_warns` (a measure
    ending or cancelled as it ran), breaking the duration rule is left to
    `measure_duration_warning`."""
    errors: dict[str, list] = {}
    try:
        measure.full_clean()
    except ValidationError as error:
        errors.update(error.error_dict)
    for field, messages in measure_duration_errors(measure).items():
        if duration_warns:
            messages = [m for m in messages if m.code != "duration_exceeded"]
        if messages:
            errors.setdefault(field, []).extend(messages)
    error = _placement_error(measure)
    if error is not None:
        errors.setdefault("placement", []).append(error)
    if errors:
        raise ValidationError(errors)


def measure_edit_check(
    *,
    measure: Measure,
    before: Measure,
    staff: AbstractBaseUser,
    new_status: str = "",
) -> None:
    """Checks an edited measure (admin edit form) before it is saved: the same
    office, the duration rules, and the decision limit again when the amount or
    the on-site decision changed. A higher amount than the one approved needs a
    new approval. Raises ValidationError; sets the flag on `measure`.

    A measure ending or cancelled (`new_status`), or already ended, whose start
    stays is recording what happened: the duration rule only warns then."""
    check_same_office(staff, measure.office_id)
    if (measure.amount_chf, measure.decided_on_site) != (
        before.amount_chf,
        before.decided_on_site,
    ):
        decider = (measure.decided_by or staff) if measure.decided_on_site else None
        measure.decided_by = decider
        measure.needs_approval = bool(
            decider is not None
            and measure.amount_chf is not None
            and measure.amount_chf > decision_limit(decider, measure.office)
        )
        raised = (measure.amount_chf or 0) > (before.amount_chf or 0)
        if not measure.needs_approval or raised:
            measure.approved_by = None
            measure.approved_at = None
    closing = new_status in CLOSING or before.status in CLOSING
    _validate(measure, duration_warns=closing and measure.start_on == before.start_on)


@transaction.atomic
def measure_approve(*, measure: Measure, staff: AbstractBaseUser) -> Measure:
    """A team lead or office head signs off a measure above the decision limit."""
    check_same_office(staff, measure.office_id)
    if not staff.has_perm(APPROVE_PERMISSION):
        raise ValidationError(
            _("Only a team lead or the office head approves measures."),
            code="approve_forbidden",
        )
    measure.approved_by = staff
    measure.approved_at = timezone.now()
    measure.save(update_fields=["approved_by", "approved_at"])
    return measure


@transaction.atomic
def measure_status_set(
    *, measure: Measure, staff: AbstractBaseUser, status: str, on: date | None = None
) -> Measure:
    """Moves a measure along planned → granted → running → ended (or cancelled).

    Granting records the day it counts from; a measure waiting for approval cannot
    be granted. Ending or cancelling is never refused for running longer than the
    duration rule allows (`measure_duration_warning` says so). Granting and
    starting tell the employer's fixed contact person, as far as the insured
    person's consent covers measures."""
    check_same_office(staff, measure.office_id)
    if status not in Measure.TRANSITIONS.get(measure.status, ()):
        raise ValidationError(
            {
                "status": _("A measure cannot go from %(old)s to %(new)s.")
                % {
                    "old": measure.get_status_display(),
                    "new": Status(status).label if status in Status.values else status,
                }
            },
            code="status_flow",
        )
    if status == Status.GRANTED and measure.awaiting_approval:
        raise ValidationError(
            {
                "status": _(
                    "Decided on site above the decision limit: it needs approval "
                    "before it is granted."
                )
            },
            code="needs_approval",
        )
    day = on or timezone.localdate()
    measure.status = status
    if status == Status.GRANTED:
        measure.granted_on = day
    elif status == Status.RUNNING and measure.start_on is None:
        measure.start_on = day
    elif status == Status.ENDED and measure.end_on is None:
        measure.end_on = day
    _validate(measure, duration_warns=status in CLOSING)
    measure.save()
    if status in (Status.GRANTED, Status.RUNNING) and measure.employer is not None:
        case_employer_notice(
            case=measure.case,
            employer=measure.employer,
            scope=CaseReference.ConsentScope.MEASURES,
            what=f"{measure.get_kind_display()} ({measure.get_status_display()})",
        )
    return measure

"""Logging contacts, completing follow-ups, and what is derived from them per employer.

`contact_log` is the one way a contact enters the system: the admin now, the portal,
events, the API and imports later. It checks everything first and saves nothing
unless all of it is valid.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    QUALITY_MARK_NAMES,
    CaseReference,
    Contact,
    ContactPerson,
    ContactQualityRating,
    Employer,
    EmployerRole,
    FollowUp,
    Office,
    RelationshipStatus,
)
from ..quality import quality_score
from ..querysets import user_office_id
from ..selectors import CASE_RELATED_PERMISSION

ErrorDict = dict[str, list[ValidationError]]


def add_months(day: date, months: int) -> date:
    """Same day `months` later; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


@transaction.atomic
def contact_log(
    *,
    employer: Employer,
    staff: AbstractBaseUser,
    occurred_on: date,
    channel: str,
    case_related: bool,
    initiated_by: str,
    starting_point: str = "",
    topics: Sequence[str] = (),
    participants: Sequence[ContactPerson] = (),
    staff_participants: Sequence[AbstractBaseUser] = (),
    outcome: str = "",
    notes: str = "",
    rating: Mapping[str, int | None] | None = None,
    follow_up_on: date | None = None,
    follow_up_assignee: AbstractBaseUser | None = None,
    follow_up_note: str = "",
    case: CaseReference | None = None,
) -> Contact:
    """Logs a contact of `staff` with `employer`, with its rating and follow-up.

    The contact belongs to the staff member's office (a superuser without an office
    logs for the employer's lead office). `rating` maps mark names to 1–5 or None;
    `follow_up_on` (the next appointment) creates a follow-up for
    `follow_up_assignee`, by default the staff member. Raises ValidationError with
    one entry per bad field; then nothing is saved. Updates the employer's derived
    fields (`employer_contact_stats_refresh`).
    """
    office = _staff_office(staff) or employer.office
    errors: ErrorDict = {}
    contact = Contact(
        office=office,
        employer=employer,
        staff=staff,
        occurred_on=occurred_on,
        channel=channel,
        case_related=case_related,
        initiated_by=initiated_by,
        starting_point=starting_point,
        topics=list(topics),
        outcome=outcome,
        notes=notes,
        case=case,
    )
    _collect(errors, contact.full_clean)
    _check_case(errors, contact)
    _check_employer_in_scope(errors, employer, office)
    _check_participants(errors, employer, participants)
    quality_rating = _rating_build(errors, contact, rating)
    follow_up = _follow_up_build(
        errors,
        contact=contact,
        due_on=follow_up_on,
        assignee=follow_up_assignee,
        note=follow_up_note,
    )
    if errors:
        raise ValidationError(errors)

    contact.save()
    contact.participants.set(participants)
    contact.staff_participants.set(staff_participants)
    if quality_rating is not None:
        quality_rating.contact = contact
        quality_rating.save()
    if follow_up is not None:
        follow_up.contact = contact
        follow_up.save()
    employer_contact_stats_refresh(employer)
    return contact


def _staff_office(user: AbstractBaseUser) -> Office | None:
    office_id = user_office_id(user)
    return Office.objects.get(pk=office_id) if office_id is not None else None


def _collect(errors: ErrorDict, check, *args, **kwargs) -> None:
    try:
        check(*args, **kwargs)
    except ValidationError as exc:
        for field, messages in exc.update_error_dict({}).items():
            errors.setdefault(field, []).extend(messages)


def _add(errors: ErrorDict, field: str, message, code: str, **params) -> None:
    errors.setdefault(field, []).append(
        ValidationError(message, code=code, params=params or None)
    )


def _check_employer_in_scope(errors: ErrorDict, employer: Employer, office) -> None:
    if employer.pk is None or office is None:
        return
    if not Employer.objects.for_office(office.pk).filter(pk=employer.pk).exists():
        _add(
            errors,
            "employer",
            _(
                "%(employer)s is neither led by nor shared with %(office)s, so "
                "%(office)s cannot log contacts with it."
            ),
            "employer_out_of_scope",
            employer=employer,
            office=office.code,
        )


def _check_case(errors: ErrorDict, contact: Contact) -> None:
    """A case-related contact may name its case: one of the office's cases, and
    only when the staff member's role may see cases."""
    case = contact.case
    if case is None:
        return
    if not contact.case_related:
        _add(errors, "case", _("Only a case-related contact has a case."), "case_kind")
    elif case.office_id != contact.office_id:
        _add(errors, "case", _("The case belongs to another office."), "case_office")
    elif not contact.staff.has_perm(CASE_RELATED_PERMISSION):
        _add(
            errors,
            "case",
            _("Your role does not see cases: log the contact without its case."),
            "case_role",
        )


def _check_participants(
    errors: ErrorDict, employer: Employer, participants: Sequence[ContactPerson]
) -> None:
    if not participants:
        return
    working_here = set(
        EmployerRole.objects.filter(
            employer=employer, person__in=[person.pk for person in participants]
        ).values_list("person_id", flat=True)
    )
    strangers = [person for person in participants if person.pk not in working_here]
    if strangers:
        _add(
            errors,
            "participants",
            _(
                "Participants must be contact persons of %(employer)s; "
                "%(names)s work(s) for another employer."
            ),
            "participant_other_employer",
            employer=employer,
            names=", ".join(str(person) for person in strangers),
        )


def _rating_build(
    errors: ErrorDict, contact: Contact, rating: Mapping[str, int | None] | None
) -> ContactQualityRating | None:
    """A rating with at least one mark, or None when no mark was given."""
    if not rating:
        return None
    unknown = sorted(set(rating) - set(QUALITY_MARK_NAMES))
    if unknown:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("Unknown quality mark(s): %(names)s."),
            "rating_unknown_mark",
            names=", ".join(unknown),
        )
        return None
    marks = {name: value for name, value in rating.items() if value not in (None, "")}
    if not marks:
        return None
    quality_rating = ContactQualityRating(contact=contact, **marks)
    _collect(errors, quality_rating.full_clean, exclude=["contact"])
    return quality_rating


def _follow_up_build(
    errors: ErrorDict,
    *,
    contact: Contact,
    due_on: date | None,
    assignee: AbstractBaseUser | None,
    note: str,
) -> FollowUp | None:
    """The next appointment as a follow-up, or None when no date was given."""
    if due_on is None:
        if assignee is not None or note:
            _add(
                errors,
                "follow_up_on",
                _("Give the date of the next appointment, or leave the follow-up out."),
                "follow_up_without_date",
            )
        return None
    assignee = assignee or contact.staff
    if due_on < timezone.localdate():
        _add(
            errors,
            "follow_up_on",
            _(
                "The next appointment (%(date)s) is in the past; choose today or a "
                "later date."
            ),
            "follow_up_in_past",
            date=due_on.isoformat(),
        )
    if (
        assignee.pk != contact.staff.pk
        and user_office_id(assignee) != contact.office.pk
    ):
        _add(
            errors,
            "follow_up_assignee",
            _(
                "%(name)s does not work for %(office)s; assign the follow-up to "
                "someone in your office."
            ),
            "follow_up_assignee_other_office",
            name=assignee.get_full_name() or assignee.get_username(),
            office=contact.office.code,
        )
    return FollowUp(
        office=contact.office,
        employer=contact.employer,
        due_on=due_on,
        assignee=assignee,
        note=note,
    )


def employer_contact_stats_refresh(
    employer: Employer, *, today: date | None = None
) -> Employer:
    """Recomputes the employer's derived contact fields from its contacts.

    Counts the contacts of every office: the dates and the score describe the IV's
    relationship with the employer. The due dates follow the lead office's rule
    and exist only for portfolio employers (new, active, reactivation). Written
    with an UPDATE, so derived values do not show up as edits in the history.
    """
    today = today or timezone.localdate()
    contacts = Contact.objects.filter(employer=employer)
    dates = contacts.aggregate(
        last=Max("occurred_on"),
        last_case_independent=Max("occurred_on", filter=Q(case_related=False)),
    )
    rows = ContactQualityRating.objects.filter(contact__employer=employer).values_list(
        "contact__occurred_on", *QUALITY_MARK_NAMES
    )
    ratings = [
        (row[0], dict(zip(QUALITY_MARK_NAMES, row[1:], strict=True))) for row in rows
    ]
    due_on, overdue_on = contact_due_dates(employer, dates["last_case_independent"])
    fields = {
        "last_contact_on": dates["last"],
        "last_case_independent_contact_on": dates["last_case_independent"],
        "quality_score": quality_score(ratings, today),
        "contact_due_on": due_on,
        "contact_overdue_on": overdue_on,
    }
    Employer.objects.filter(pk=employer.pk).update(**fields)
    for name, value in fields.items():
        setattr(employer, name, value)
    return employer


def contact_due_dates(
    employer: Employer, last_case_independent_on: date | None
) -> tuple[date | None, date | None]:
    """When the next case-independent contact is due and overdue (office rule).

    Without any case-independent contact on record, it is due from the day the
    employer was recorded.
    """
    if employer.relationship_status not in RelationshipStatus.portfolio():
        return None, None
    office = employer.office
    if last_case_independent_on is None:
        recorded_on = timezone.localdate(employer.created_at)
        return recorded_on, add_months(recorded_on, office.contact_overdue_months)
    return (
        add_months(last_case_independent_on, office.contact_due_months),
        add_months(last_case_independent_on, office.contact_overdue_months),
    )


def office_contact_dates_refresh(office: Office) -> int:
    """Re-applies the office's due/overdue rule to its employers (after the office's
    months or an employer's relationship status changed). Returns how many."""
    employers = Employer.objects.filter(office=office).select_related("office")
    changed = []
    for employer in employers.iterator(chunk_size=500):
        due_on, overdue_on = contact_due_dates(
            employer, employer.last_case_independent_contact_on
        )
        if (due_on, overdue_on) != (
            employer.contact_due_on,
            employer.contact_overdue_on,
        ):
            employer.contact_due_on, employer.contact_overdue_on = due_on, overdue_on
            changed.append(employer)
    Employer.objects.bulk_update(
        changed, ["contact_due_on", "contact_overdue_on"], batch_size=500
    )
    return len(changed)


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, done_by: AbstractBaseUser) -> FollowUp:
    """Marks a follow-up done. Idempotent: a follow-up already done stays as it was."""
    if follow_up.done_at is not None:
        return follow_up
    follow_up.done_at = timezone.now()
    follow_up.done_by = done_by
    follow_up.save(update_fields=["done_at", "done_by"])
    return follow_up

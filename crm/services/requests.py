"""Employer requests: receiving one (with its reaction-time clock) and answering it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    ContactPerson,
    Employer,
    EmployerRole,
    InitiatedBy,
    Office,
    Request,
    StartingPoint,
    Topic,
)
from ..querysets import user_office_id
from .contacts import contact_log


@lru_cache(maxsize=64)
def _canton_holidays(canton: str, year: int) -> frozenset[date]:
    return frozenset(holidays.Switzerland(subdiv=canton, years=year))


def is_business_day(day: date, canton: str) -> bool:
    return day.weekday() < 5 and day not in _canton_holidays(canton, day.year)


def reaction_due_on(received_on: date, *, days: int, canton: str) -> date:
    """The `days`-th business day after `received_on` in `canton` (Monday to Friday,
    without the canton's public holidays). A request received on Friday with a
    two-day target is due on Tuesday."""
    day = received_on
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day, canton):
            remaining -= 1
    return day


@transaction.atomic
def request_submit(
    *,
    employer: Employer,
    person: ContactPerson | None,
    kind: str,
    subject: str,
    message: str,
    callback_phone: str = "",
    callback_time: str = "",
    attachment: UploadedFile | None = None,
    channel: str = Request.Channel.PORTAL,
    recorded_by: AbstractBaseUser | None = None,
    received_at: datetime | None = None,
    office: Office | None = None,
) -> Request:
    """Records an employer's request and starts its clock against the reaction-time
    target of `office` (by default the employer's lead office), counted in that
    office's canton. Raises ValidationError (nothing saved) on bad input.

    Phone, e-mail and hotline requests are entered by staff (`request_record`)."""
    office = office or employer.office
    received_at = received_at or timezone.now()
    request = Request(
        office=office,
        employer=employer,
        person=person,
        kind=kind,
        channel=channel,
        recorded_by=recorded_by,
        subject=subject,
        message=message.strip(),
        callback_phone=callback_phone.strip(),
        callback_time=callback_time.strip(),
        received_at=received_at,
        due_on=reaction_due_on(
            timezone.localdate(received_at),
            days=office.reaction_time_target_days,
            canton=office.canton,
        ),
    )
    if attachment is not None:
        request.attachment = attachment
    if kind == Request.Kind.CALLBACK and not request.callback_phone:
        raise ValidationError(
            {"callback_phone": _("Give the number we should call you back on.")},
            code="callback_phone_required",
        )
    request.full_clean()
    request.save()
    return request


def request_record(
    *,
    staff: AbstractBaseUser,
    employer: Employer,
    channel: str,
    kind: str,
    subject: str,
    message: str,
    person: ContactPerson | None = None,
    callback_phone: str = "",
    callback_time: str = "",
    received_at: datetime | None = None,
) -> Request:
    """A request that came by phone, e-mail or the hotline, entered by staff; the
    same clock as a portal request, run by the staff member's office (the one that
    took the call, which may share the employer with its lead office).

    Refused (ValidationError, nothing saved): the portal channel, an employer the
    staff member's office does not see, a contact person who does not work for the
    employer, a receipt time in the future."""
    if channel == Request.Channel.PORTAL:
        raise ValidationError(
            {"channel": _("Portal requests come in through the portal.")},
            code="channel_portal",
        )
    if not Employer.objects.visible_to(staff).filter(pk=employer.pk).exists():
        raise ValidationError(
            {"employer": _("This employer is not one of your office's.")},
            code="employer_scope",
        )
    if (
        person is not None
        and not EmployerRole.objects.filter(employer=employer, person=person).exists()
    ):
        raise ValidationError(
            {"person": _("This person does not work for the employer.")},
            code="person_employer",
        )
    if received_at is not None and received_at > timezone.now():
        raise ValidationError(
            {"received_at": _("The receipt time cannot be in the future.")},
            code="received_future",
        )
    office_id = user_office_id(staff)
    return request_submit(
        employer=employer,
        person=person,
        kind=kind,
        subject=subject,
        message=message,
        callback_phone=callback_phone,
        callback_time=callback_time,
        channel=channel,
        recorded_by=staff,
        received_at=received_at,
        office=Office.objects.get(pk=office_id) if office_id else None,
    )


@transaction.atomic
def request_answer(
    *,
    request: Request,
    staff: AbstractBaseUser,
    answer: str,
    status: str = Request.Status.ANSWERED,
    internal_note: str | None = None,
) -> Request:
    """Answers a request. The answer is what the employer reads in the portal; the
    first answer also logs a case-independent contact (initiated by the employer)."""
    if status not in Request.Status.values:
        raise ValidationError({"status": _("Unknown status.")}, code="status")
    if (
        status in (Request.Status.ANSWERED, Request.Status.CLOSED)
        and not answer.strip()
    ):
        raise ValidationError(
            {"answer": _("Write the answer the employer will read.")},
            code="answer_required",
        )
    first_answer = request.answered_at is None and bool(answer.strip())
    request.answer = answer.strip()
    request.status = status
    if internal_note is not None:
        request.internal_note = internal_note
    if first_answer:
        request.answered_at = timezone.now()
        request.answered_by = staff
    request.full_clean()
    request.save()
    if first_answer:
        contact_log(
            employer=request.employer,
            staff=staff,
            occurred_on=timezone.localdate(),
            channel=request.channel,  # the same values as Channel
            case_related=False,
            initiated_by=InitiatedBy.EMPLOYER,
            starting_point=StartingPoint.ADVICE_REQUEST,
            topics=[Topic.INFORMATION],
            participants=[request.person] if request.person else [],
            notes=str(_("Portal request answered: %(subject)s"))
            % {"subject": request.get_subject_display()},
        )
    return request

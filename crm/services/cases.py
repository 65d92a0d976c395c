"""Case references, consent and early-detection reports; and what an employer may
be told about a case (the one place portal pages and employer e-mails ask)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from ..ahv import ahv_hash
from ..models import (
    CaseReference,
    EarlyDetectionReport,
    Employer,
    EmployerRole,
    Measure,
    Office,
    Placement,
)
from ..querysets import user_office_id
from .requests import reaction_due_on

Scope = CaseReference.ConsentScope


def staff_office(staff: AbstractBaseUser, fallback: Office | None = None) -> Office:
    """The staff member's office; a superuser without one acts for `fallback`."""
    office_id = user_office_id(staff)
    if office_id is not None:
        return Office.objects.get(pk=office_id)
    if staff.is_superuser and fallback is not None:
        return fallback
    raise ValidationError(_("Only staff of an office can do this."), code="no_office")


def check_same_office(staff: AbstractBaseUser, office_id: int) -> None:
    if staff.is_superuser:
        return
    if user_office_id(staff) != office_id:
        raise ValidationError(
            _("This case belongs to another office."), code="other_office"
        )


# Every local, also transaction.atomic's (its kwargs hold the clear number).
@sensitive_variables()
@transaction.atomic
def case_create(
    *,
    staff: AbstractBaseUser,
    case_number: str,
    aim: str,
    employer: Employer | None = None,
    phase: str = CaseReference.Phase.EARLY_DETECTION,
    ahv_number: str = "",
    **fields,
) -> CaseReference:
    """Records a case reference for the staff member's office.

    `ahv_number`, if given, is validated (EAN-13 check digit) and only its keyed hash
    is kept; the clear number is dropped here and never reaches the database, a log
    or an error message. Other `fields` are model fields (allocation, consent,
    matching profile).
    """
    office = staff_office(staff, fallback=employer.office if employer else None)
    case = CaseReference(
        office=office,
        case_number=case_number.strip(),
        aim=aim,
        employer=employer,
        phase=phase,
        **fields,
    )
    if ahv_number:
        case.ahv_hash = ahv_hash(ahv_number)
    case.full_clean()
    case.save()
    return case


@sensitive_variables("ahv_number")
def case_ahv_set(*, case: CaseReference, ahv_number: str) -> CaseReference:
    """Replaces the stored hash; the number itself is never shown again."""
    case.ahv_hash = ahv_hash(ahv_number)
    case.save(update_fields=["ahv_hash"])
    return case


@transaction.atomic
def case_consent_record(
    *, case: CaseReference, given_on: date, scope: str
) -> CaseReference:
    """The insured person consents to the employer being informed, within `scope`.
    Not in the future (`CaseReference.clean`)."""
    case.consent_given_on = given_on
    case.consent_scope = scope
    case.consent_withdrawn_on = None
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_consent_withdraw(*, case: CaseReference, on: date) -> CaseReference:
    """From `on`, the employer is told nothing more about the case."""
    case.consent_withdrawn_on = on
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def early_detection_report_record(
    *,
    case: CaseReference,
    reporter: str,
    received_on: date,
    first_contact_on: date | None = None,
) -> EarlyDetectionReport:
    """An early-detection report; the first contact is due after the office's target
    in business days without the canton's public holidays (the request clock)."""
    report = EarlyDetectionReport(office=case.office)
    return _report_save(report, case, reporter, received_on, first_contact_on)


@transaction.atomic
def early_detection_report_update(
    *,
    report: EarlyDetectionReport,
    staff: AbstractBaseUser,
    case: CaseReference,
    reporter: str,
    received_on: date,
    first_contact_on: date | None = None,
) -> EarlyDetectionReport:
    """An edited report: the due date (and so met / missed) follows the received
    date, on the same holiday-aware clock as a new report."""
    check_same_office(staff, report.office_id)
    check_same_office(staff, case.office_id)
    return _report_save(report, case, reporter, received_on, first_contact_on)


def _report_save(
    report: EarlyDetectionReport,
    case: CaseReference,
    reporter: str,
    received_on: date,
    first_contact_on: date | None,
) -> EarlyDetectionReport:
    office = report.office
    report.case = case
    report.reporter = reporter
    report.received_on = received_on
    report.first_contact_on = first_contact_on
    report.first_contact_due_on = reaction_due_on(
        received_on, days=office.early_detection_target_days, canton=office.canton
    )
    report.full_clean()
    report.save()
    return report


# --- What the employer may see ------------------------------------------------


@dataclass(frozen=True)
class EmployerCaseView:
    """A case as the employer may see it: only what the consent covers."""

    case_number: str
    phase: str
    measures: tuple[tuple[str, str, date | None, date | None], ...] = ()
    placements: tuple[tuple[str, str, date, date | None], ...] = ()


def case_employer_view(
    case: CaseReference, *, employer: Employer, day: date | None = None
) -> EmployerCaseView | None:
    """None without active consent. Measures and placements only at this employer,
    only as far as the consent's scope reaches, never amounts or notes."""
    if not case.consent_covers(Scope.PHASE, day):
        return None
    measures: tuple = ()
    placements: tuple = ()
    if case.consent_covers(Scope.MEASURES, day):
        measures = tuple(
            (m.get_kind_display(), m.get_status_display(), m.start_on, m.end_on)
            for m in case.measures.all()
            if m.employer_id == employer.pk and m.is_counted
        )
    if case.consent_covers(Scope.PLACEMENTS, day):
        placements = tuple(
            (p.get_kind_display(), p.get_outcome_display(), p.start_on, p.end_on)
            for p in case.placements.all()
            if p.employer_id == employer.pk
        )
    return EmployerCaseView(
        case_number=case.case_number,
        phase=case.get_phase_display(),
        measures=measures,
        placements=placements,
    )


def employer_case_views(
    employer: Employer, *, day: date | None = None
) -> list[EmployerCaseView]:
    """Cases the employer may see (portal): those with active consent, whether the
    employer is the case's employer or hosts one of its granted measures or its
    placements (the employer the notice mail goes to)."""
    hosted = Q(
        pk__in=Measure.objects.counted().filter(employer=employer).values("case_id")
    ) | Q(pk__in=Placement.objects.filter(employer=employer).values("case_id"))
    cases = (
        CaseReference.objects.filter(Q(employer=employer) | hosted)
        .filter(consent_given_on__isnull=False)
        .prefetch_related("measures", "placements")
        .order_by("case_number")
    )
    views = [case_employer_view(case, employer=employer, day=day) for case in cases]
    return [view for view in views if view is not None]


def case_employer_notice(
    *, case: CaseReference, employer: Employer, scope: str, what: str
) -> bool:
    """Mails the employer's fixed contact person that something changed in a case,
    if and only if the consent covers `scope`. Names the case number and `what`
    (a measure or placement kind), nothing else. Returns whether a mail went out."""
    if not case.consent_covers(scope):
        return False
    role = (
        EmployerRole.objects.filter(employer=employer, is_fixed_contact=True)
        .select_related("person")
        .first()
    )
    if role is None or not role.person.email or not role.person.is_active:
        return False
    language = next(
        (
            code
            for code in role.person.languages or []
            if code in dict(settings.LANGUAGES)
        ),
        settings.LANGUAGE_CODE,
    )
    context = {"employer": employer.legal_name, "case": case.case_number, "what": what}
    with translation.override(language):
        subject = render_to_string("crm/email/case_notice.subject.txt", context)
        body = render_to_string("crm/email/case_notice.txt", context)
    subject = " ".join(subject.split())
    transaction.on_commit(
        lambda: send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, [role.person.email]
        )
    )
    return True

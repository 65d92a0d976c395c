"""The partner network: IIZ handovers with the re-referral guard, and agreement
renewal reminders."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from ..ahv import ahv_hash
from ..models import Agreement, CaseReference, Handover, Measure, PartnerOrganisation
from .cases import staff_office
from .contacts import add_months

RE_REFERRAL_RULE = _(
    "IIZ agreement: when the IV stopped placement support without a job, the same "
    "partner does not refer the same person again within %(months)s months unless "
    "relevant measures were taken in between (motivation work, validated "
    "employability, further preparation or training). The person asks in writing, "
    "the former placement adviser is contacted first and a network meeting is held."
)


def handover_re_referral_warning(handover: Handover) -> str:
    """The warning staff see for a referral that breaks the re-referral rule, or "".

    The rule applies when `handover.partner` refers the same person (same case, or
    same AHV hash) to the IV within the office's window after a previous referral
    from that partner ended without a job, and no relevant new measure is recorded:
    none of the partner's measures on this handover, and no IV measure granted on
    the case since.
    """
    if handover.direction != Handover.Direction.FROM_PARTNER:
        return ""
    same_person = Q()
    if handover.case_id:
        same_person |= Q(case_id=handover.case_id)
    if handover.ahv_hash:
        same_person |= Q(ahv_hash=handover.ahv_hash)
    if not same_person:
        return ""
    months = handover.office.re_referral_window_months
    earlier = (
        Handover.objects.filter(same_person, partner_id=handover.partner_id)
        .filter(
            support_outcome=Handover.SupportOutcome.ENDED_WITHOUT_JOB,
            support_ended_on__isnull=False,
            support_ended_on__lte=handover.referred_on,
            support_ended_on__gt=add_months(handover.referred_on, -months),
        )
        .exclude(pk=handover.pk)
        .order_by("-support_ended_on")
        .first()
    )
    if earlier is None or handover.partner_measures:
        return ""
    case_ids = {cid for cid in (handover.case_id, earlier.case_id) if cid}
    if case_ids and (
        Measure.objects.counted()
        .filter(case_id__in=case_ids, granted_on__gt=earlier.support_ended_on)
        .exists()
    ):
        return ""
    return gettext(
        "Re-referral within %(months)s months: placement support for this person "
        "ended without a job on %(ended)s. %(rule)s"
    ) % {
        "months": months,
        "ended": date_format(earlier.support_ended_on, "SHORT_DATE_FORMAT"),
        "rule": RE_REFERRAL_RULE % {"months": months},
    }


# Every local, also transaction.atomic's (its kwargs hold the clear number).
@sensitive_variables()
@transaction.atomic
def handover_record(
    *,
    staff: AbstractBaseUser,
    partner: PartnerOrganisation,
    situation: str,
    direction: str,
    referred_on: date,
    case: CaseReference | None = None,
    ahv_number: str = "",
    **fields,
) -> tuple[Handover, str]:
    """Records an IIZ handover; returns it and the re-referral warning ("" if none).

    The warning does not stop the handover: staff decide, knowing the rule."""
    office = staff_office(staff, fallback=partner.office)
    handover = Handover(
        office=office,
        partner=partner,
        case=case,
        situation=situation,
        direction=direction,
        referred_on=referred_on,
        **fields,
    )
    if ahv_number:
        handover.ahv_hash = ahv_hash(ahv_number)
    handover.full_clean()
    handover.save()
    return handover, handover_re_referral_warning(handover)


@sensitive_variables("ahv_number")
def handover_ahv_set(*, handover: Handover, ahv_number: str) -> Handover:
    """Replaces the stored hash (to recognise the person again); the number itself
    is never kept, logged or shown again."""
    handover.ahv_hash = ahv_hash(ahv_number)
    handover.save(update_fields=["ahv_hash"])
    return handover


def agreements_due_for_renewal(today: date | None = None) -> list[Agreement]:
    """Agreements ending within their notice period that have not been reminded."""
    today = today or timezone.localdate()
    candidates = Agreement.objects.filter(
        valid_until__isnull=False,
        valid_until__gte=today,
        renewal_reminded_on__isnull=True,
    ).select_related("responsible")
    return [
        agreement
        for agreement in candidates
        if (agreement.valid_until - today).days <= agreement.renewal_notice_days
    ]


def agreement_renewal_remind(agreement: Agreement, *, today: date) -> bool:
    """Mails the responsible staff member once. Idempotent: a reminded agreement is
    skipped, so a retried task does not send twice."""
    updated = Agreement.objects.filter(
        pk=agreement.pk, renewal_reminded_on__isnull=True
    ).update(renewal_reminded_on=today)
    if not updated or not agreement.responsible.email:
        return False
    subject = gettext("Agreement ends on %(date)s: %(title)s") % {
        "date": date_format(agreement.valid_until, "SHORT_DATE_FORMAT"),
        "title": agreement.title,
    }
    body = gettext(
        "The agreement “%(title)s” ends on %(date)s. Decide whether to renew it."
    ) % {
        "title": agreement.title,
        "date": date_format(agreement.valid_until, "SHORT_DATE_FORMAT"),
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [agreement.responsible.email])
    return True


def agreement_renewal_reminders(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return sum(
        agreement_renewal_remind(agreement, today=today)
        for agreement in agreements_due_for_renewal(today)
    )


def partner_contact_changed() -> None:
    """The public contact directory lists public IIZ contact persons: refresh it."""
    from cms.cache import pages_cache_invalidate

    pages_cache_invalidate()

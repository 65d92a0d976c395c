"""The suppression list: who must not be mailed, and why. Every send checks it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import Delivery, MailingList, Subscription, Suppression, TrackingEvent


def email_normalise(email: str) -> str:
    return email.strip().lower()


def suppressed_emails(mailing_list: MailingList) -> set[str]:
    """Addresses suppressed on this list or on every list."""
    return set(
        Suppression.objects.filter(
            Q(mailing_list=mailing_list) | Q(mailing_list__isnull=True)
        ).values_list("email", flat=True)
    )


def is_suppressed(email: str, mailing_list: MailingList | None = None) -> bool:
    scope = Q(mailing_list__isnull=True)
    if mailing_list is not None:
        scope |= Q(mailing_list=mailing_list)
    return Suppression.objects.filter(scope, email=email_normalise(email)).exists()


@transaction.atomic
def suppression_add(
    *,
    email: str,
    reason: str,
    mailing_list: MailingList | None = None,
    office=None,
    detail: str = "",
) -> Suppression:
    """Adds the address (idempotent per address, list and reason)."""
    suppression, _created = Suppression.objects.get_or_create(
        email=email_normalise(email),
        mailing_list=mailing_list,
        reason=reason,
        defaults={
            "detail": detail[:2000],
            "office": office or (mailing_list.office if mailing_list else None),
        },
    )
    return suppression


@transaction.atomic
def unsubscribe(*, email: str, mailing_list: MailingList, detail: str = "") -> None:
    """Ends the subscription and keeps the address off this list from now on."""
    email = email_normalise(email)
    Subscription.objects.filter(mailing_list=mailing_list, email=email).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    suppression_add(
        email=email,
        reason=Suppression.Reason.UNSUBSCRIBED,
        mailing_list=mailing_list,
        detail=detail,
    )


PROVIDER_SUPPRESSING = {
    "bounced": Suppression.Reason.HARD_BOUNCE,
    "rejected": Suppression.Reason.HARD_BOUNCE,
    "complained": Suppression.Reason.COMPLAINT,
    "unsubscribed": Suppression.Reason.UNSUBSCRIBED,
}


def _event_delivery(email: str, delivery_id: object) -> Delivery | None:
    """The delivery a provider event is about: the one named by the metadata that
    sending attached (`delivery`), if it went to this address; without it, the
    latest delivery to the address."""
    if str(delivery_id or "").isdigit():
        delivery = Delivery.objects.filter(pk=int(delivery_id), email=email).first()
        if delivery is not None:
            return delivery
    latest = F("sent_at").desc(nulls_last=True)
    return Delivery.objects.filter(email=email).order_by(latest, "-pk").first()


@transaction.atomic
def provider_event_record(
    *,
    event_type: str,
    recipient: str,
    description: str = "",
    esp_name: str = "",
    delivery_id: object = None,
) -> None:
    """A provider's verified webhook event: bounces and complaints suppress the
    address everywhere and mark the delivery bounced; 'delivered' is kept on the
    delivery. The delivery is the one in the event's metadata (see
    `sending.delivery_email`), else the latest to the address."""
    email = email_normalise(recipient)
    if not email:
        return
    delivery = _event_delivery(email, delivery_id)
    reason = PROVIDER_SUPPRESSING.get(event_type)
    if reason is not None:
        office = delivery.newsletter.office if delivery else None
        suppression_add(
            email=email,
            reason=reason,
            office=office,
            detail=f"{esp_name}: {description}",
        )
        if delivery is not None and reason != Suppression.Reason.UNSUBSCRIBED:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.BOUNCED, last_error=description[:2000]
            )
            kind = (
                TrackingEvent.Kind.COMPLAINT
                if reason == Suppression.Reason.COMPLAINT
                else TrackingEvent.Kind.BOUNCE
            )
            TrackingEvent.objects.create(delivery=delivery, kind=kind)
    elif event_type == "delivered" and delivery is not None:
        TrackingEvent.objects.create(
            delivery=delivery, kind=TrackingEvent.Kind.DELIVERED
        )

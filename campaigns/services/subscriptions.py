"""Subscribing: double opt-in from the site and the portal, staff-added subscriptions
with their legal basis, and the preference centre."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from crm.models import ContactPerson

from ..mail import office_sender, templated_mail_send
from ..models import MailingList, Subscription, SubscriptionSource, Suppression
from ..tokens import (
    CONFIRM_MAX_AGE,
    TokenInvalid,
    timed_token_make,
    timed_token_read,
    token_make,
    token_read,
)
from .suppression import email_normalise, unsubscribe

logger = logging.getLogger(__name__)


def _person_for(mailing_list: MailingList, email: str) -> ContactPerson | None:
    return (
        ContactPerson.objects.filter(office=mailing_list.office, email__iexact=email)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def subscription_request(
    *,
    mailing_list: MailingList,
    email: str,
    language: str,
    source: str,
    first_name: str = "",
    last_name: str = "",
    person: ContactPerson | None = None,
    send_confirmation: bool = True,
) -> Subscription:
    """First step of the double opt-in: keeps the request and the consent text shown,
    and mails a confirmation link. An active subscription stays as it is."""
    email = email_normalise(email)
    subscription, _created = Subscription.objects.get_or_create(
        mailing_list=mailing_list,
        email=email,
        defaults={"language": language, "source": source},
    )
    if subscription.status == Subscription.Status.ACTIVE:
        return subscription
    subscription.status = Subscription.Status.PENDING
    subscription.person = (
        person or subscription.person or _person_for(mailing_list, email)
    )
    subscription.language = language
    subscription.source = source
    subscription.first_name = first_name or subscription.first_name
    subscription.last_name = last_name or subscription.last_name
    subscription.consent_text = mailing_list.consent_text
    subscription.consent_text_version = mailing_list.consent_text_version
    subscription.requested_at = timezone.now()
    subscription.confirmed_at = None
    subscription.full_clean()
    subscription.save()
    if send_confirmation:
        pk = subscription.pk
        transaction.on_commit(lambda: _confirmation_enqueue(pk))
    return subscription


def _confirmation_enqueue(subscription_id: int) -> None:
    """The confirmation mail goes out from a worker, never inside the request: a
    mail server outage must not turn a saved subscription into a 500. Should even
    the broker be down, the request stays pending and the person can sign up again.
    """
    from ..tasks import subscription_confirmation_send_task

    try:
        subscription_confirmation_send_task.delay(subscription_id=subscription_id)
    except Exception:
        logger.exception("Confirmation mail for subscription %s", subscription_id)


def subscription_confirmation_send(subscription: Subscription) -> None:
    token = timed_token_make("confirm", subscription.pk)
    office = subscription.mailing_list.office
    name, _address, postal = office_sender(office)
    with translation.override(subscription.language):
        templated_mail_send(
            template="campaigns/email/subscription_confirm",
            context={
                "subscription": subscription,
                "confirm_url": settings.SITE_URL
                + reverse("campaigns:confirm", args=[token]),
                "sender_name": name,
                "postal_address": postal,
            },
            to=subscription.email,
            office=office,
        )


def subscription_from_confirm_token(token: str) -> Subscription:
    try:
        (pk,) = timed_token_read("confirm", token, max_age=CONFIRM_MAX_AGE)
        return Subscription.objects.select_related("mailing_list").get(pk=int(pk))
    except (TokenInvalid, ValueError, Subscription.DoesNotExist) as exc:
        raise TokenInvalid(str(exc)) from exc


@transaction.atomic
def subscription_confirm(subscription: Subscription) -> Subscription:
    """Second step: the person clicked the link in their mailbox. An earlier
    unsubscribe from this list is lifted; bounces and complaints are not."""
    if subscription.status != Subscription.Status.ACTIVE:
        subscription.status = Subscription.Status.ACTIVE
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.save()
        Suppression.objects.filter(
            email=subscription.email,
            mailing_list=subscription.mailing_list,
            reason=Suppression.Reason.UNSUBSCRIBED,
        ).delete()
    return subscription


@transaction.atomic
def subscription_add_by_staff(
    *,
    mailing_list: MailingList,
    person: ContactPerson,
    language: str,
    legal_basis: str,
    staff: AbstractBaseUser,
) -> Subscription:
    """Staff add a contact person directly; the legal basis is required and kept.
    Someone who unsubscribed from the list is not put back by staff."""
    if not legal_basis:
        raise ValidationError({"legal_basis": _("Give the legal basis.")})
    if not person.email:
        raise ValidationError({"person": _("The contact person has no e-mail.")})
    email = email_normalise(person.email)
    if Suppression.objects.filter(
        email=email, mailing_list=mailing_list, reason=Suppression.Reason.UNSUBSCRIBED
    ).exists():
        raise ValidationError(
            _("This person unsubscribed from the list; only they can sign up again.")
        )
    subscription, _created = Subscription.objects.update_or_create(
        mailing_list=mailing_list,
        email=email,
        defaults={
            "person": person,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "language": language,
            "status": Subscription.Status.ACTIVE,
            "source": SubscriptionSource.STAFF,
            "legal_basis": legal_basis,
            "added_by": staff,
            "confirmed_at": timezone.now(),
        },
    )
    return subscription


# --- Preference centre -------------------------------------------------------------


def preferences_token_make(office_id: int, email: str) -> str:
    return token_make("preferences", office_id, email_normalise(email))


def preferences_token_read(token: str) -> tuple[int, str]:
    office_id, email = token_read("preferences", token, parts=2)
    if not office_id.isdigit():
        raise TokenInvalid("bad office")
    return int(office_id), email


def preferences_pending(office_id: int, email: str) -> set[int]:
    """The office's lists on which the address awaits confirmation."""
    return set(
        Subscription.objects.filter(
            mailing_list__office_id=office_id,
            email=email_normalise(email),
            status=Subscription.Status.PENDING,
        ).values_list("mailing_list_id", flat=True)
    )


def preferences_get(office_id: int, email: str) -> list[tuple[MailingList, bool]]:
    """The office's public lists, each with whether the address is subscribed."""
    active = set(
        Subscription.objects.filter(
            mailing_list__office_id=office_id,
            email=email_normalise(email),
            status=Subscription.Status.ACTIVE,
        ).values_list("mailing_list_id", flat=True)
    )
    lists = MailingList.objects.filter(office_id=office_id, is_public=True)
    return [(mailing_list, mailing_list.pk in active) for mailing_list in lists]


@transaction.atomic
def preferences_update(
    *, office_id: int, email: str, list_ids: set[int], language: str, source: str
) -> None:
    """Sets the address's subscriptions to exactly `list_ids`, behind the signed
    link without login: the link was mailed to this address, which proves the
    mailbox, so a new tick counts as confirmed. (The portal does not use this:
    see `portal_preferences_update`.)"""
    email = email_normalise(email)
    for mailing_list, subscribed in preferences_get(office_id, email):
        wanted = mailing_list.pk in list_ids
        if wanted and not subscribed:
            subscription = subscription_request(
                mailing_list=mailing_list,
                email=email,
                language=language,
                source=source,
                send_confirmation=False,
            )
            subscription_confirm(subscription)
        elif subscribed and not wanted:
            unsubscribe(email=email, mailing_list=mailing_list, detail=source)


@transaction.atomic
def portal_preferences_update(
    *, person: ContactPerson, list_ids: set[int], language: str
) -> list[MailingList]:
    """The portal's preference form, for the contact person's own address.

    A new tick is a sign-up like one on the site: pending, with a confirmation
    mail to the contact person's address; it counts from the click on the signed
    link (consent evidence: time, source "portal", consent text and version). The
    portal login does not prove this mailbox: staff can change the person's
    address after the invitation. A list that awaits confirmation is not mailed
    again on every save. Unticking unsubscribes at once.
    Returns the lists a confirmation mail was sent for."""
    email = email_normalise(person.email)
    if not email:
        return []
    pending = preferences_pending(person.office_id, email)
    requested = []
    for mailing_list, subscribed in preferences_get(person.office_id, email):
        wanted = mailing_list.pk in list_ids
        if wanted and not subscribed and mailing_list.pk not in pending:
            subscription_request(
                mailing_list=mailing_list,
                email=email,
                language=language,
                source=SubscriptionSource.PORTAL,
                first_name=person.first_name,
                last_name=person.last_name,
                person=person,
            )
            requested.append(mailing_list)
        elif subscribed and not wanted:
            unsubscribe(
                email=email, mailing_list=mailing_list, detail=SubscriptionSource.PORTAL
            )
        elif mailing_list.pk in pending and not wanted:
            # Withdrawn before confirming: the request goes, and with it the
            # link in the mail (it names this row). A suppression stays.
            Subscription.objects.filter(
                mailing_list=mailing_list,
                email=email,
                status=Subscription.Status.PENDING,
            ).delete()
    return requested

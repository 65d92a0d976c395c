"""The bounce mailbox over plain SMTP: bounces and mailed unsubscribes.

- Bounces: the envelope sender is `bounces+<delivery>@domain` (VERP), so a bounce
  message names the delivery it is about (`bounce_process`).
- Unsubscribes: `List-Unsubscribe` offers `mailto:bounces+unsubscribe@domain
  ?subject=unsubscribe <token>`; a mail program that uses it sends that subject,
  and the signed token names the delivery (`unsubscribe_mail_process`). A forged
  or altered token unsubscribes nobody.

A periodic task reads the mailbox (IMAP, BOUNCE_IMAP_URL, `bounces_fetch`) and
hands each unseen message to `mailbox_message_process`.
"""

from __future__ import annotations

import imaplib
import logging
import re
from email import message_from_bytes, policy
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.db import transaction

from ..models import Delivery, Suppression, TrackingEvent
from ..tokens import TokenInvalid, token_read
from .suppression import suppression_add, unsubscribe

logger = logging.getLogger(__name__)

VERP = re.compile(r"\+(\d+)@")
DSN_STATUS = re.compile(r"^Status:\s*([245])\.\d{1,3}\.\d{1,3}", re.MULTILINE | re.I)
ADDRESS_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To")
DSN_RECIPIENT = re.compile(
    r"^(?:Final|Original)-Recipient:\s*[^;\r\n]*;\s*<?([^\s<>]+@[^\s<>]+)>?",
    re.MULTILINE | re.I,
)
UNSUBSCRIBE_TOKEN = re.compile(r"unsubscribe\s+(\d+:[A-Za-z0-9_=-]{8,})", re.I)


def _delivery_id(message) -> int | None:
    for header in ADDRESS_HEADERS:
        for value in message.get_all(header) or []:
            match = VERP.search(str(value))
            if match:
                return int(match.group(1))
    return None


def _permanent(message) -> bool | None:
    """True for a 5.x.x DSN, False for 4.x.x, None when no DSN status is found."""
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            text = part.as_string()
            match = DSN_STATUS.search(text)
            if match:
                return match.group(1) == "5"
    return None


def _about(message, email: str) -> bool:
    """Whether the bounce is about this address: named as Final-Recipient or
    Original-Recipient of its delivery-status part or, in a bounce without one
    (some servers write prose), in its text."""
    email = email.lower()
    recipients: set[str] = set()
    texts: list[str] = []
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            found = DSN_RECIPIENT.findall(part.as_string())
            recipients.update(address.lower() for address in found)
        elif part.get_content_maintype() == "text":
            texts.append(part.get_content().lower())
    if recipients:
        return email in recipients
    return any(email in text for text in texts)


@transaction.atomic
def bounce_process(raw: bytes) -> int | None:
    """Marks the delivery named by a permanent bounce as bounced and suppresses its
    address. Returns the delivery id, or None when the message is not one.

    The VERP address names a delivery by its (guessable) id, so a bounce must also
    name that delivery's address as the failed recipient: a forged bounce to
    `bounces+<id>@` for someone else's delivery suppresses nobody."""
    message = message_from_bytes(raw, policy=policy.default)
    delivery_id = _delivery_id(message)
    if delivery_id is None or _permanent(message) is not True:
        return None
    delivery = Delivery.objects.select_related("newsletter").filter(pk=delivery_id)
    delivery = delivery.first()
    if delivery is None:
        return None
    if not _about(message, delivery.email):
        logger.warning(
            "Ignored a bounce for delivery %s: it does not name %s as the failed "
            "recipient.",
            delivery.pk,
            delivery.email,
        )
        return None
    suppression_add(
        email=delivery.email,
        reason=Suppression.Reason.HARD_BOUNCE,
        office=delivery.newsletter.office,
        detail=str(message.get("Subject", ""))[:500],
    )
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.BOUNCED)
    TrackingEvent.objects.create(delivery=delivery, kind=TrackingEvent.Kind.BOUNCE)
    return delivery.pk


def _unsubscribe_token(message) -> str | None:
    """The token from the subject (what `mailto:…?subject=` asks for), else from the
    first lines of the plain-text body (some programs put it there)."""
    match = UNSUBSCRIBE_TOKEN.search(str(message.get("Subject", "")))
    if match is None:
        body = message.get_body(("plain",))
        text = body.get_content()[:2000] if body is not None else ""
        match = UNSUBSCRIBE_TOKEN.search(text)
    return match.group(1) if match else None


@transaction.atomic
def unsubscribe_mail_process(raw: bytes) -> int | None:
    """Unsubscribes the recipient of the delivery a mailed unsubscribe names (by
    its signed token). Returns the delivery id, or None when the message carries
    no valid token."""
    message = message_from_bytes(raw, policy=policy.default)
    token = _unsubscribe_token(message)
    if token is None:
        return None
    try:
        (delivery_id,) = token_read("unsubscribe", token)
    except (TokenInvalid, ValueError):
        logger.warning("unsubscribe mail with an invalid token: %s", token)
        return None
    delivery = (
        Delivery.objects.select_related("newsletter__mailing_list")
        .filter(pk=int(delivery_id))
        .first()
    )
    if delivery is None:
        return None
    unsubscribe(
        email=delivery.email,
        mailing_list=delivery.newsletter.mailing_list,
        detail="mailto",
    )
    return delivery.pk


def mailbox_message_process(raw: bytes) -> str | None:
    """ "bounce", "unsubscribe", or None for a message that is neither."""
    if bounce_process(raw) is not None:
        return "bounce"
    if unsubscribe_mail_process(raw) is not None:
        return "unsubscribe"
    return None


def bounces_fetch() -> dict[str, int]:
    """Reads the unseen messages of the bounce mailbox (imaps://user:pw@host/INBOX).
    Bounces and unsubscribes are processed and deleted; anything else (a human
    reply, an auto-reply, a forged bounce) is left in the mailbox, marked seen. A
    message whose processing fails is logged, counted as "error" and left there
    too; the run goes on with the next. Off while BOUNCE_IMAP_URL is empty."""
    counts = {"bounce": 0, "unsubscribe": 0, "other": 0, "error": 0}
    url = getattr(settings, "BOUNCE_IMAP_URL", "")
    if not url:
        return counts
    parts = urlparse(url)
    secure = parts.scheme == "imaps"
    client_class = imaplib.IMAP4_SSL if secure else imaplib.IMAP4
    port = parts.port or (imaplib.IMAP4_SSL_PORT if secure else imaplib.IMAP4_PORT)
    with client_class(parts.hostname, port, timeout=60) as client:
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
        client.select(parts.path.strip("/") or "INBOX")
        _status, data = client.search(None, "UNSEEN")
        for number in data[0].split():
            _status, fetched = client.fetch(number, "(RFC822)")
            try:
                kind = mailbox_message_process(fetched[0][1])
            except Exception:
                logger.exception("Bounce mailbox: message %s not processed", number)
                kind = "error"
            counts[kind or "other"] += 1
            flag = "\\Deleted" if kind in ("bounce", "unsubscribe") else "\\Seen"
            client.store(number, "+FLAGS", flag)
        client.expunge()
    return counts

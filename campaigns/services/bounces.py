"""Bounces over plain SMTP: the envelope sender is `bounces+<delivery>@domain`
(VERP), so a bounce message names the delivery it is about. A periodic task reads
them from the bounce mailbox (IMAP, BOUNCE_IMAP_URL) and hands each to
`bounce_process`.
"""

from __future__ import annotations

import imaplib
import re
from email import message_from_bytes, policy
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.db import transaction

from ..models import Delivery, Suppression, TrackingEvent
from .suppression import suppression_add

VERP = re.compile(r"\+(\d+)@")
DSN_STATUS = re.compile(r"^Status:\s*([245])\.\d{1,3}\.\d{1,3}", re.MULTILINE | re.I)
ADDRESS_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To")


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


@transaction.atomic
def bounce_process(raw: bytes) -> int | None:
    """Marks the delivery named by a permanent bounce as bounced and suppresses its
    address. Returns the delivery id, or None when the message is not one."""
    message = message_from_bytes(raw, policy=policy.default)
    delivery_id = _delivery_id(message)
    if delivery_id is None or _permanent(message) is not True:
        return None
    delivery = Delivery.objects.select_related("newsletter").filter(pk=delivery_id)
    delivery = delivery.first()
    if delivery is None:
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


def bounces_fetch() -> int:
    """Reads unseen messages of the bounce mailbox (imaps://user:pw@host/INBOX),
    processes and deletes them. Off while BOUNCE_IMAP_URL is empty."""
    url = getattr(settings, "BOUNCE_IMAP_URL", "")
    if not url:
        return 0
    parts = urlparse(url)
    client_class = imaplib.IMAP4_SSL if parts.scheme == "imaps" else imaplib.IMAP4
    processed = 0
    with client_class(parts.hostname, parts.port or 0) as client:
        client.login(unquote(parts.username or ""), unquote(parts.password or ""))
        client.select(parts.path.strip("/") or "INBOX")
        _status, data = client.search(None, "UNSEEN")
        for number in data[0].split():
            _status, fetched = client.fetch(number, "(RFC822)")
            bounce_process(fetched[0][1])
            client.store(number, "+FLAGS", "\\Deleted")
            processed += 1
        client.expunge()
    return processed

"""Celery entry points of the CRM: thin, they take ids and call one service."""

from __future__ import annotations

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from .services.follow_up_digest import (
    follow_up_digest_recipients,
    follow_up_digest_send,
)


@shared_task
def follow_up_digest_task() -> int:
    """Daily (beat, 06:30 Europe/Zurich): one digest task per staff member with
    follow-ups due today or earlier. Returns how many were enqueued.

    Fanning out keeps a failing mailbox from holding up everyone else's digest, and
    lets a retry resend one mail instead of all of them.
    """
    today = timezone.localdate()
    recipients = follow_up_digest_recipients(today)
    for user_id in recipients:
        follow_up_digest_send_task.delay(user_id=user_id, day=today.isoformat())
    return len(recipients)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def follow_up_digest_send_task(self, *, user_id: int, day: str) -> bool:
    """Mails one staff member's digest for `day` (ISO date).

    At least once: a retry after a send that did go through mails the digest a
    second time, which for a reminder is harmless. Nothing is written.
    """
    return follow_up_digest_send(user_id=user_id, today=date.fromisoformat(day))


@shared_task(acks_late=True)
def agreement_renewal_reminders_task() -> int:
    """Daily (beat, 06:45): mails the responsible staff member of each agreement that
    ends within its notice period. Idempotent: each agreement is reminded once, so a
    retry only sends what did not go out."""
    from .services.partners import agreement_renewal_reminders

    return agreement_renewal_reminders()

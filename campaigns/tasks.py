"""Celery entry points of campaigns: take ids, call one service.

Every task runs with late acknowledgement (settings: CELERY_TASK_ACKS_LATE): a
worker killed mid-task leaves the message on the broker, another worker runs it
again, and the services make that safe (sent deliveries are skipped).
"""

from __future__ import annotations

import smtplib
import time

from celery import shared_task
from django.conf import settings

from .services import sending


def _again_later(task, **kwargs) -> str:
    """The batch is being sent by another task: try again shortly instead of
    sending it a second time (services/batch_lock.py). Eager (tests) ignores a
    countdown, so it is waited out here."""
    countdown = getattr(settings, "NEWSLETTER_BATCH_BUSY_RETRY_SECONDS", 5)
    if task.request.is_eager:
        time.sleep(countdown)
    task.apply_async(kwargs=kwargs, countdown=countdown)
    return sending.BUSY


@shared_task
def newsletter_dispatch_task(*, newsletter_id: int) -> int:
    """Enqueues the batches still to send. Idempotent: a batch task sends only
    queued deliveries, so enqueueing a batch twice sends nothing twice."""
    return sending.newsletter_dispatch(newsletter_id)


@shared_task(bind=True, acks_late=True)
def delivery_send_batch_task(self, *, newsletter_id: int, batch: int) -> dict | str:
    """Sends one batch. Idempotent: deliveries already sent are skipped, and while
    another task sends the same batch (a quick resume, a broker redelivery) this
    one re-enqueues itself with a short countdown instead. Temporary SMTP failures
    are not retried here but by `delivery_retry_batch_task`, enqueued with backoff
    for just the deferred deliveries."""
    counts = sending.delivery_send_batch(newsletter_id, batch)
    if counts == sending.BUSY:
        return _again_later(self, newsletter_id=newsletter_id, batch=batch)
    return counts


@shared_task(bind=True, acks_late=True)
def delivery_retry_batch_task(self, *, newsletter_id: int, batch: int) -> dict | str:
    """Puts the batch's deferred deliveries back in the queue and sends them (later
    again while another task sends the batch)."""
    counts = sending.delivery_retry_batch(newsletter_id, batch)
    if counts == sending.BUSY:
        return _again_later(self, newsletter_id=newsletter_id, batch=batch)
    return counts


@shared_task
def newsletters_due_start_task() -> int:
    """Starts scheduled newsletters whose time has come (beat, every minute)."""
    return sending.newsletters_due_start()


@shared_task
def bounces_fetch_task() -> dict:
    """Reads the bounce mailbox (VERP bounces and mailed unsubscribes, plain SMTP).
    Idempotent: a message processed twice suppresses the same address once;
    processed messages are deleted."""
    from .services.bounces import bounces_fetch

    return bounces_fetch()


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=10,
)
def subscription_confirmation_send_task(self, *, subscription_id: int) -> bool:
    """Mails the double opt-in link. Retried with backoff (30 s … 30 min) while the
    mail server is unreachable or answers 4xx. Not sent for a request that was
    confirmed or withdrawn meanwhile; a retry after a mail went out but before the
    task ended sends a second link, which is harmless."""
    from .models import Subscription
    from .services.subscriptions import subscription_confirmation_send

    subscription = (
        Subscription.objects.select_related("mailing_list__office")
        .filter(pk=subscription_id, status=Subscription.Status.PENDING)
        .first()
    )
    if subscription is None:
        return False
    subscription_confirmation_send(subscription)
    return True

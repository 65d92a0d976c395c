"""Celery entry points of campaigns: take ids, call one service.

Every task runs with late acknowledgement (settings: CELERY_TASK_ACKS_LATE): a
worker killed mid-task leaves the message on the broker, another worker runs it
again, and the services make that safe (sent deliveries are skipped).
"""

from __future__ import annotations

from celery import shared_task

from .services import sending


@shared_task
def newsletter_dispatch_task(*, newsletter_id: int) -> int:
    """Enqueues the batches still to send. Idempotent: a batch task sends only
    queued deliveries, so enqueueing a batch twice sends nothing twice."""
    return sending.newsletter_dispatch(newsletter_id)


@shared_task(acks_late=True)
def delivery_send_batch_task(*, newsletter_id: int, batch: int) -> dict:
    """Sends one batch. Idempotent: deliveries already sent are skipped. Temporary
    SMTP failures are not retried here but by `delivery_retry_batch_task`, enqueued
    with backoff for just the deferred deliveries."""
    return sending.delivery_send_batch(newsletter_id, batch)


@shared_task(acks_late=True)
def delivery_retry_batch_task(*, newsletter_id: int, batch: int) -> dict:
    """Puts the batch's deferred deliveries back in the queue and sends them."""
    return sending.delivery_retry_batch(newsletter_id, batch)


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

"""A batch has one runner: pause and a quick resume, a redelivered task, a cancel
in the middle of an unthrottled batch. Through the real SMTP sink."""

import threading
from collections import Counter
from unittest import mock

import pytest
from django.db import connection

from campaigns.models import Delivery, Newsletter
from campaigns.services import sending
from campaigns.services.sending import (
    newsletter_cancel,
    newsletter_pause,
    newsletter_resume,
    newsletter_send,
)

from .conftest import newsletter_make, subscriber


def _queued_newsletter(office, mailing_list, count):
    """A newsletter started (deliveries queued) whose dispatch has not run: with
    transaction=True, on_commit would run it at once, so it is left out here."""
    for n in range(count):
        subscriber(office, mailing_list, f"p{n}@muster.ch", "de")
    newsletter = newsletter_make(office, mailing_list, languages=("de",))
    with mock.patch.object(sending, "_dispatch_on_commit"):
        newsletter_send(newsletter)
    return newsletter


def _in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connection.close()  # this thread's own database connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_pause_and_immediate_resume_during_a_batch_sends_each_mail_once(
    smtp_sink, office, newsletter_list, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_BUSY_RETRY_SECONDS = 0.1
    smtp_sink.handler.delay = 0.02  # a batch that takes a while
    # given a 30-recipient batch being sent by a worker
    newsletter = _queued_newsletter(office, newsletter_list, 30)
    worker = _in_thread(lambda: sending.delivery_send_batch(newsletter.pk, 0))
    smtp_sink.wait_for(5)
    assert len(smtp_sink.received) < 30, "the batch ended before the pause"
    # when staff pause and resume at once (the resume enqueues the batch again,
    # run here, eagerly, while the first worker is still sending)
    newsletter_pause(newsletter)
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_resume(newsletter)
    worker.join(timeout=60)
    # then each recipient got exactly one mail, and the newsletter is sent
    received = Counter(r.recipients[0] for r in smtp_sink.received)
    assert len(received) == 30 and set(received.values()) == {1}
    assert Delivery.objects.filter(status="sent").count() == 30
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_batch_task_waits_for_the_running_one(
    smtp_sink, office, newsletter_list, settings, django_capture_on_commit_callbacks
):
    from campaigns.tasks import delivery_send_batch_task

    settings.NEWSLETTER_BATCH_BUSY_RETRY_SECONDS = 0.1
    smtp_sink.handler.delay = 0.02
    newsletter = _queued_newsletter(office, newsletter_list, 20)
    # given a batch being sent
    worker = _in_thread(lambda: sending.delivery_send_batch(newsletter.pk, 0))
    smtp_sink.wait_for(3)
    # when the broker hands the same task out again (visibility timeout)
    assert sending.delivery_send_batch(newsletter.pk, 0) == sending.BUSY
    delivery_send_batch_task.delay(newsletter_id=newsletter.pk, batch=0)
    worker.join(timeout=60)
    # then nothing went out twice
    received = Counter(r.recipients[0] for r in smtp_sink.received)
    assert len(received) == 20 and set(received.values()) == {1}


@pytest.mark.django_db
def test_cancel_in_an_unthrottled_batch_stops_within_the_documented_bound(
    smtp_sink, office, newsletter_list, monkeypatch, django_capture_on_commit_callbacks
):
    # given a slow server (0.1 s a message) and an unthrottled 40-recipient batch
    smtp_sink.handler.delay = 0.1
    newsletter = _queued_newsletter(office, newsletter_list, 40)
    real = sending._send_one
    cancelled_after = []

    def send_one(newsletter_, delivery, transport):
        outcome = real(newsletter_, delivery, transport)
        if len(smtp_sink.received) == 2 and not cancelled_after:
            newsletter_cancel(newsletter_)  # staff press Cancel after two mails
            cancelled_after.append(len(smtp_sink.received))
        return outcome

    monkeypatch.setattr(sending, "_send_one", send_one)
    # when the batch runs
    sending.delivery_send_batch(newsletter.pk, 0)
    # then at most CHECK_SECONDS' worth of messages, plus the one being sent,
    # went out after the cancel (not the rest of a group of CHECK_EVERY = 20)
    further = len(smtp_sink.received) - cancelled_after[0]
    bound = int(sending.CHECK_SECONDS / 0.1) + 1
    assert further <= bound, further
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses["sent"] == len(smtp_sink.received)
    assert statuses["cancelled"] == 40 - len(smtp_sink.received)

"""`manage.py bench send --backend anymail`: the provider path, measured in-process.

Every recipient's message is built as an EmailMultiAlternatives
(`sending.delivery_email`) and handed to django-anymail, whose test backend stands
in for the provider's HTTP API: it runs anymail's whole payload preparation (the
part that costs CPU here) and records the call instead of posting it. No network,
no worker: the figure is what one worker process can prepare per second, the
ceiling before the provider's own API latency and rate limits.
"""

from __future__ import annotations

import time

from anymail.backends.test import EmailBackend as AnymailTestBackend
from django.conf import settings
from django.core import mail
from django.utils import timezone

from .models import Delivery, Newsletter


class CountingAnymailBackend(AnymailTestBackend):
    """anymail's test backend without keeping every message in memory."""

    posted = 0

    def post_to_esp(self, payload, message):
        response = super().post_to_esp(payload, message)
        mail.outbox.clear()
        CountingAnymailBackend.posted += 1
        return response


def provider_send_measure(newsletter: Newsletter, recipients: int) -> dict:
    from .selectors import newsletter_recipients
    from .services import sending
    from .services.rendering import newsletter_compile

    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "campaigns.bench_provider.CountingAnymailBackend"
    CountingAnymailBackend.posted = 0
    try:
        started = time.perf_counter()
        newsletter_compile(newsletter)
        sending.deliveries_create(newsletter, newsletter_recipients(newsletter))
        Newsletter.objects.filter(pk=newsletter.pk).update(
            status=Newsletter.Status.SENDING, started_at=timezone.now()
        )
        enqueued = time.perf_counter() - started
        batches = (
            Delivery.objects.filter(newsletter=newsletter)
            .values_list("batch", flat=True)
            .distinct()
            .order_by("batch")
        )
        for batch in list(batches):
            sending.delivery_send_batch(newsletter.pk, batch)
        elapsed = time.perf_counter() - started
    finally:
        settings.EMAIL_BACKEND = previous
    sent = Delivery.objects.filter(newsletter=newsletter, status="sent").count()
    return {
        "backend": "anymail (test backend, no network)",
        "recipients": recipients,
        "sent": sent,
        "posted_to_provider": CountingAnymailBackend.posted,
        "prepare_s": round(enqueued, 2),
        "end_to_end_s": round(elapsed, 2),
        "end_to_end_msg_per_s": round(recipients / elapsed, 1),
        "per_message_ms": round((elapsed - enqueued) / max(sent, 1) * 1000, 2),
    }

"""Provider webhooks through django-anymail (mounted at /anymail/).

Anymail checks each provider's signature (e.g. Mailgun's HMAC with
ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY, or the shared basic-auth WEBHOOK_SECRET) before
this receiver is called: a forged request never reaches it. Bounces and complaints
go on the suppression list; deliveries are recorded on the delivery.
"""

from __future__ import annotations

from anymail.signals import AnymailTrackingEvent, tracking
from django.dispatch import receiver

from .services.suppression import provider_event_record


@receiver(tracking, dispatch_uid="campaigns.anymail_tracking")
def anymail_tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kw):
    provider_event_record(
        event_type=event.event_type,
        recipient=event.recipient or "",
        description=event.description or event.mta_response or "",
        esp_name=esp_name,
        delivery_id=(event.metadata or {}).get("delivery"),
    )

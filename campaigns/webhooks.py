"""Provider webhooks through django-anymail (mounted at /anymail/, see webhook_urls).

A provider's webhook is open only while a secret for it is configured
(`webhook_guard`); anymail then checks each request (Mailgun's HMAC with
MAILGUN_WEBHOOK_SIGNING_KEY, or HTTP basic auth with the shared ANYMAIL
WEBHOOK_SECRET) before this receiver is called: a forged request never reaches it.
Bounces and complaints go on the suppression list; deliveries are recorded on the
delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from anymail.signals import AnymailTrackingEvent, tracking
from anymail.utils import get_anymail_setting
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse

from .services.suppression import provider_event_record

logger = logging.getLogger(__name__)

# Provider settings with which anymail verifies a webhook's own signature
# (anymail.webhooks.<provider>); every other provider needs WEBHOOK_SECRET.
SIGNING_SETTINGS = {
    "Mailgun": ("webhook_signing_key", "api_key"),
    "Mandrill": ("webhook_key",),
    "MailerSend": ("signing_secret", "inbound_secret"),
    "Mailtrap": ("signing_secret",),
    "Postal": ("webhook_key",),
    "Resend": ("signing_secret", "inbound_secret"),
    "Unisender Go": ("api_key",),
}


def webhook_secured(esp_name: str) -> bool:
    """True when anymail can tell a genuine request of this provider from a forged
    one: a shared basic-auth secret, or the provider's signing key."""
    if get_anymail_setting("webhook_secret", default=None):
        return True
    return any(
        get_anymail_setting(name, esp_name=esp_name, default=None, allow_bare=True)
        for name in SIGNING_SETTINGS.get(esp_name, ())
    )


def webhook_guard(view: Callable) -> Callable:
    """Answers 404 (a problem document) instead of calling anymail's view while the
    provider's webhook has no secret. Read per request: settings can change."""
    esp_name = view.view_class.esp_name

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not webhook_secured(esp_name):
            logger.warning(
                "Refused a %s webhook: no ANYMAIL WEBHOOK_SECRET or signing key "
                "is configured for it.",
                esp_name,
            )
            return JsonResponse(
                {
                    "type": "about:blank",
                    "title": "Webhook not configured",
                    "status": 404,
                    "detail": f"No webhook secret is configured for {esp_name}.",
                },
                status=404,
                content_type="application/problem+json",
            )
        return view(request, *args, **kwargs)

    return guarded


@receiver(tracking, dispatch_uid="campaigns.anymail_tracking")
def anymail_tracking_received(sender, event: AnymailTrackingEvent, esp_name: str, **kw):
    provider_event_record(
        event_type=event.event_type,
        recipient=event.recipient or "",
        description=event.description or event.mta_response or "",
        esp_name=esp_name,
        delivery_id=(event.metadata or {}).get("delivery"),
    )

"""Provider webhooks (django-anymail, Mailgun's signed format) feed suppression."""

import hashlib
import hmac
import json
import time

import pytest

from campaigns.models import Suppression

pytestmark = pytest.mark.django_db

KEY = "key-webhook-test"


def _payload(event: dict, key: str = KEY) -> dict:
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(
        key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {
            "timestamp": time.time(),
            "id": "evt-1",
            "message": {"headers": {"message-id": "n1.d1@ivbe.example"}},
            **event,
        },
    }


@pytest.fixture
def signing_key(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def _post(client, payload):
    return client.post(
        "/anymail/mailgun/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
    )


def test_signed_bounce_and_complaint_go_on_the_suppression_list(client, signing_key):
    bounce = {"event": "failed", "severity": "permanent", "recipient": "x@muster.ch",
              "delivery-status": {"code": 550, "message": "No such user"}}  # fmt: skip
    complaint = {"event": "complained", "recipient": "y@muster.ch"}
    assert _post(client, _payload(bounce)).status_code == 200
    assert _post(client, _payload(complaint)).status_code == 200
    reasons = dict(Suppression.objects.values_list("email", "reason"))
    assert reasons == {"x@muster.ch": "hard_bounce", "y@muster.ch": "complaint"}


def test_a_forged_signature_is_refused_and_suppresses_nobody(client, signing_key):
    event = {"event": "complained", "recipient": "victim@muster.ch"}
    response = _post(client, _payload(event, key="not-the-key"))
    assert response.status_code == 400
    assert not Suppression.objects.exists()

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


@pytest.fixture
def two_newsletters_to_anna(
    smtp_sink, office, newsletter_list, django_capture_on_commit_callbacks
):
    """Two newsletters sent to the same address; their deliveries, oldest first."""
    from campaigns.models import Delivery
    from campaigns.services.sending import newsletter_send

    from .conftest import newsletter_make, subscriber

    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    for _n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            newsletter_send(newsletter_make(office, newsletter_list))
    assert len(smtp_sink.to("anna@muster.ch")) == 2
    return list(Delivery.objects.filter(email="anna@muster.ch").order_by("pk"))


def _metadata(delivery) -> dict:
    """The anymail metadata that sending attaches to this delivery's message."""
    from campaigns.services.sending import delivery_email

    return delivery_email(delivery.newsletter, delivery).metadata


def test_a_bounce_for_the_older_newsletter_marks_the_older_delivery(
    client, signing_key, two_newsletters_to_anna
):
    from campaigns.models import TrackingEvent

    older, newer = two_newsletters_to_anna
    assert _metadata(older)["delivery"] == str(older.pk)
    bounce = {"event": "failed", "severity": "permanent", "recipient": "anna@muster.ch",
              "user-variables": _metadata(older),
              "delivery-status": {"code": 550, "message": "Mailbox gone"}}  # fmt: skip
    assert _post(client, _payload(bounce)).status_code == 200
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.status == "bounced" and "Mailbox gone" in older.last_error
    assert newer.status == "sent"
    assert list(TrackingEvent.objects.values_list("delivery_id", "kind")) == [
        (older.pk, "bounce")
    ]
    assert Suppression.objects.get().reason == "hard_bounce"


def test_without_metadata_a_bounce_goes_to_the_latest_delivery(
    client, signing_key, two_newsletters_to_anna
):
    older, newer = two_newsletters_to_anna
    bounce = {"event": "failed", "severity": "permanent", "recipient": "anna@muster.ch",
              "delivery-status": {"code": 550, "message": "Mailbox gone"}}  # fmt: skip
    assert _post(client, _payload(bounce)).status_code == 200
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, newer.status) == ("sent", "bounced")


def test_delivered_event_is_kept_on_its_delivery_and_suppresses_nobody(
    client, signing_key, two_newsletters_to_anna
):
    from campaigns.models import TrackingEvent

    older, newer = two_newsletters_to_anna
    delivered = {"event": "delivered", "recipient": "anna@muster.ch",
                 "user-variables": _metadata(older),
                 "delivery-status": {"code": 250, "message": "OK"}}  # fmt: skip
    assert _post(client, _payload(delivered)).status_code == 200
    assert list(TrackingEvent.objects.values_list("delivery_id", "kind")) == [
        (older.pk, "delivered")
    ]
    older.refresh_from_db()
    assert older.status == "sent"
    assert not Suppression.objects.exists()


POSTMARK_BOUNCE = {
    "RecordType": "Bounce",
    "Type": "HardBounce",
    "TypeCode": 1,
    "ID": 42,
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Email": "victim@muster.ch",
    "Description": "The server was unable to deliver your message",
    "BouncedAt": "2026-12-07T10:00:00Z",
    "Metadata": {},
}


def _post_postmark(client, **headers):
    return client.post(
        "/anymail/postmark/tracking/",
        data=json.dumps(POSTMARK_BOUNCE),
        content_type="application/json",
        **headers,
    )


def _basic(credentials: str) -> dict:
    import base64

    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode())
            .decode()}  # fmt: skip


def test_with_no_webhook_secret_an_unsigned_webhook_is_refused(client, settings):
    # given the default: no ANYMAIL secret or signing key at all
    settings.ANYMAIL = {}
    # when anyone posts a "hard bounce" for an address
    response = _post_postmark(client)
    # then it is refused and nobody is suppressed
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert not Suppression.objects.exists()
    # Mailgun without its signing key too, even with a well-formed payload
    event = {"event": "complained", "recipient": "victim@muster.ch"}
    assert _post(client, _payload(event)).status_code == 404
    assert not Suppression.objects.exists()


def test_with_a_webhook_secret_only_requests_carrying_it_are_accepted(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "anymail:s3cret-webhook"}
    # without or with wrong credentials: refused, nobody suppressed
    assert _post_postmark(client).status_code == 400
    assert _post_postmark(client, **_basic("anymail:guess")).status_code == 400
    assert not Suppression.objects.exists()
    # with the configured credentials: the bounce suppresses the address
    assert _post_postmark(client, **_basic("anymail:s3cret-webhook")).status_code == 200
    assert Suppression.objects.get().email == "victim@muster.ch"

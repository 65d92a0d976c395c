"""Sending through a provider (django-anymail): one proper EmailMessage per recipient,
personalised, with the same headers as over SMTP. anymail's own test backend
stands in for the provider's API: it records what would have been posted."""

import re
from email import message_from_bytes, policy

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.message import AnymailRecipientStatus
from django.core import mail

from campaigns.models import Delivery, Newsletter, Suppression
from campaigns.services.sending import (
    max_attempts,
    message_id,
    newsletter_send,
    newsletter_test_send,
)

from .conftest import newsletter_make, subscriber

pytestmark = pytest.mark.django_db

ANYMAIL_TEST = "anymail.backends.test.EmailBackend"


class RefusingProvider(AnymailTestBackend):
    """The provider refuses addresses starting with 'refused' (e.g. on its own
    suppression list) and is down for addresses starting with 'down'."""

    def post_to_esp(self, payload, message):
        email = payload.recipient_emails[0]
        if email.startswith("refused"):
            status = AnymailRecipientStatus(message_id=None, status="rejected")
            message.anymail_test_response = {"recipient_status": {email: status}}
        elif email.startswith("down"):
            from anymail.exceptions import AnymailAPIError

            message.anymail_test_response = AnymailAPIError("503 unavailable")
        return super().post_to_esp(payload, message)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def _send(newsletter):
        with django_capture_on_commit_callbacks(execute=True):
            newsletter_send(newsletter)
        newsletter.refresh_from_db()
        return newsletter

    return _send


def test_provider_gets_one_personalised_message_per_recipient_with_list_headers(
    settings, office, newsletter_list, send
):
    # given the anymail backend and two subscribers in two languages
    settings.EMAIL_BACKEND = ANYMAIL_TEST
    mail.outbox = []
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    subscriber(office, newsletter_list, "marc@exemple.ch", "fr")
    newsletter = newsletter_make(office, newsletter_list, tracking=True)
    # when it is sent
    newsletter = send(newsletter)
    # then the provider was handed one message per recipient, each their own
    assert newsletter.status == Newsletter.Status.SENT
    by_to = {m.anymail_test_params["to"][0].addr_spec: m for m in mail.outbox}
    assert sorted(by_to) == ["anna@muster.ch", "marc@exemple.ch"]
    for email, subject in (("anna@muster.ch", "Neues von der IV"),
                           ("marc@exemple.ch", "Nouvelles de l'AI")):  # fmt: skip
        sent = by_to[email]
        params = sent.anymail_test_params
        delivery = Delivery.objects.get(email=email)
        assert delivery.status == Delivery.Status.SENT
        assert params["subject"] == subject
        assert params["from"].address == "IV-Stelle Bern <newsletter@ivbe.example>"
        # personalised text and HTML parts: greeting, own tracked links
        assert sent.alternatives[0][1] == "text/html"
        html = sent.alternatives[0][0]
        assert delivery.name and delivery.name in sent.body and delivery.name in html
        assert "[[" not in html and "[[" not in sent.body
        assert f"/t/c/{delivery.pk}.0:" in html
        assert f"/t/o/{delivery.pk}:" in html
        assert "Chutzenstrasse 10" in sent.body  # the sender's postal address
        headers = params["extra_headers"]
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["List-Id"].endswith("<arbeitgeber.be.ivbe.example>")
        assert headers["Message-ID"] == message_id(
            delivery.pk, newsletter.pk, "ivbe.example"
        )
        https, mailto = re.findall(r"<([^>]+)>", headers["List-Unsubscribe"])
        assert f"/newsletter/unsubscribe/{delivery.pk}:" in https
        assert mailto.startswith("mailto:bounces+unsubscribe@ivbe.example?subject=")
        assert params["metadata"] == {
            "delivery": str(delivery.pk),
            "newsletter": str(newsletter.pk),
        }
        assert params["track_clicks"] is False  # our own redirect does it
        # and the message renders as valid MIME with the same headers
        parsed = message_from_bytes(sent.message().as_bytes(), policy=policy.SMTP)
        assert parsed["Message-ID"] == headers["Message-ID"]
        assert parsed["To"].endswith(f"<{email}>")
        assert parsed.get_body(("html",)).get_content().count("/t/c/") >= 2


def test_the_unsubscribe_link_a_provider_mail_carries_works(
    settings, client, office, newsletter_list, send
):
    settings.EMAIL_BACKEND = ANYMAIL_TEST
    mail.outbox = []
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    send(newsletter_make(office, newsletter_list))
    (sent,) = mail.outbox
    https = re.findall(r"<([^>]+)>", sent.extra_headers["List-Unsubscribe"])[0]
    response = client.post(
        "/" + https.split("://", 1)[1].split("/", 1)[1],
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert Suppression.objects.filter(
        email="anna@muster.ch", reason=Suppression.Reason.UNSUBSCRIBED
    ).exists()


def test_provider_refusal_bounces_and_an_outage_is_retried_and_not_suppressed(
    settings, office, newsletter_list, send
):
    settings.EMAIL_BACKEND = "tests.campaigns.test_provider.RefusingProvider"
    mail.outbox = []
    subscriber(office, newsletter_list, "refused@muster.ch", "de")
    subscriber(office, newsletter_list, "down@muster.ch", "de")
    subscriber(office, newsletter_list, "ok@muster.ch", "de")
    send(newsletter_make(office, newsletter_list))
    status = dict(Delivery.objects.values_list("email", "status"))
    assert status == {
        "refused@muster.ch": Delivery.Status.BOUNCED,
        # retried with backoff (at once here: tasks run eagerly) until given up
        "down@muster.ch": Delivery.Status.FAILED,
        "ok@muster.ch": Delivery.Status.SENT,
    }
    assert Delivery.objects.get(email="down@muster.ch").attempts == max_attempts()
    assert list(Suppression.objects.values_list("email", "reason")) == [
        ("refused@muster.ch", Suppression.Reason.HARD_BOUNCE)
    ]


def test_test_send_through_the_provider_has_plain_links(
    settings, office, newsletter_list, staff
):
    settings.EMAIL_BACKEND = ANYMAIL_TEST
    mail.outbox = []
    staff.email = "me@ivbe.example"
    staff.save()
    newsletter = newsletter_make(office, newsletter_list, tracking=True)
    newsletter_test_send(newsletter, language="de", user=staff)
    (sent,) = mail.outbox
    assert sent.anymail_test_params["to"][0].addr_spec == "me@ivbe.example"
    html = sent.alternatives[0][0]
    assert "https://www.iv-be.ch/arbeit" in html and "/t/c/" not in html

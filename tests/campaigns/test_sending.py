"""Sending through a real SMTP sink: suppression, headers, unsubscribe, tracking,
retries, bounces, idempotence, throttling, pause and resume."""

import re
import time
from email.utils import parseaddr

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Delivery, MailSettings, Newsletter, Suppression
from campaigns.services.sending import (
    newsletter_dispatch,
    newsletter_pause,
    newsletter_resume,
    newsletter_send,
    retry_delay,
)
from campaigns.services.suppression import suppression_add, unsubscribe
from crm.selectors import employer_timeline

from .conftest import newsletter_make, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def _send(newsletter, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            newsletter_send(newsletter, **kw)
        newsletter.refresh_from_db()
        return newsletter

    return _send


def _html(received) -> str:
    return received.message.get_body(("html",)).get_content()


def _text(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_each_subscriber_gets_one_mail_in_their_language_and_suppressed_get_none(
    smtp_sink, office, newsletter_list, send
):
    # given two subscribers, one who unsubscribed and one whose address bounced
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    subscriber(office, newsletter_list, "marc@exemple.ch", "fr")
    subscriber(office, newsletter_list, "gone@muster.ch", "de")
    subscriber(office, newsletter_list, "bounced@muster.ch", "de")
    unsubscribe(email="gone@muster.ch", mailing_list=newsletter_list)
    suppression_add(email="bounced@muster.ch", reason=Suppression.Reason.HARD_BOUNCE)
    newsletter = newsletter_make(office, newsletter_list)
    # when it is sent
    newsletter = send(newsletter)
    # then exactly the two active, unsuppressed subscribers got it, in their language
    assert sorted(r.recipients[0] for r in smtp_sink.received) == [
        "anna@muster.ch",
        "marc@exemple.ch",
    ]
    (de,) = smtp_sink.to("anna@muster.ch")
    (fr,) = smtp_sink.to("marc@exemple.ch")
    assert de.message["Subject"] == "Neues von der IV"
    assert fr.message["Subject"] == "Nouvelles de l'AI"
    assert newsletter.status == Newsletter.Status.SENT
    assert Delivery.objects.get(email="bounced@muster.ch").status == "suppressed"
    assert not Delivery.objects.filter(email="gone@muster.ch").exclude(
        status="suppressed"
    )


def test_mail_carries_unsubscribe_headers_sender_and_a_text_part(
    smtp_sink, office, newsletter_list, send
):
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    newsletter = send(newsletter_make(office, newsletter_list))
    (received,) = smtp_sink.received
    message = received.message
    delivery = Delivery.objects.get()
    # RFC 8058 one-click, https and mailto
    unsubscribe_header = message["List-Unsubscribe"]
    assert re.search(
        r"<https?://[^>]+/newsletter/unsubscribe/[^>]+/>", unsubscribe_header
    )
    # the mailbox the bounce reader processes, token in the subject
    assert "<mailto:bounces+unsubscribe@ivbe.example?subject=unsubscribe%20" in (
        unsubscribe_header
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"].endswith("<arbeitgeber.be.ivbe.example>")
    # deterministic Message-ID: newsletter and delivery in it
    assert message["Message-ID"].startswith(f"<n{newsletter.pk}.d{delivery.pk}.")
    # the sender is named (UWG Art. 3 lit. o), with the postal address in the footer
    assert parseaddr(message["From"]) == ("IV-Stelle Bern", "newsletter@ivbe.example")
    text = _text(received)
    assert "Chutzenstrasse 10" in text and "Chutzenstrasse 10" in _html(received)
    assert "Hallo Anna" in text or "Anna" in text
    # VERP bounce address names the delivery
    assert received.envelope_from == f"bounces+{delivery.pk}@ivbe.example"
    # all links are absolute
    hrefs = re.findall(r'href="([^"]+)"', _html(received))
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)


def test_one_click_unsubscribe_with_a_valid_token_and_a_forged_one(
    client, smtp_sink, office, newsletter_list, send
):
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    send(newsletter_make(office, newsletter_list))
    header = smtp_sink.received[0].message["List-Unsubscribe"]
    url = re.search(r"<(https?://[^>]+/newsletter/unsubscribe/[^>]+/)>", header)[1]
    path = _path(url)
    # a forged token changes nothing
    forged = path.replace("/unsubscribe/", "/unsubscribe/x")
    response = client.post(forged, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert not Suppression.objects.exists()
    # GET shows a confirmation page and unsubscribes nobody
    assert client.get(path).status_code == 200
    assert not Suppression.objects.exists()
    # the mail program's POST, without cookies or CSRF token, unsubscribes
    client.cookies.clear()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Suppression.objects.get().reason == Suppression.Reason.UNSUBSCRIBED


def test_click_redirects_only_to_links_of_the_newsletter_and_opens_are_counted(
    client, smtp_sink, office, newsletter_list, send, staff
):
    person = subscriber(office, newsletter_list, "anna@muster.ch", "de")
    send(newsletter_make(office, newsletter_list))
    html = _html(smtp_sink.received[0])
    tracked = re.findall(r'href="(https?://[^"]+/t/c/[^"]+/)"', html)
    assert len(tracked) == 2
    response = client.get(_path(tracked[0]))
    assert response.status_code == 302
    assert response["Location"] == "https://www.iv-be.ch/arbeit"
    # an edited token (other link number, or another URL) is refused
    token = _path(tracked[0]).split("/")[3]
    value, _sep, signature = token.rpartition(":")
    assert client.get(f"/t/c/{value[:-1]}7:{signature}/").status_code == 404
    assert client.get(f"/t/c/{token}x/?url=https://evil.example/").status_code == 404
    # the open pixel counts an open
    pixel = re.search(r'src="(https?://[^"]+/t/o/[^"]+\.gif)"', html)[1]
    assert client.get(_path(pixel))["Content-Type"] == "image/gif"
    delivery = Delivery.objects.get()
    assert delivery.opens == 1 and delivery.clicks == 1
    # and the employer's timeline shows it
    employer = person.employers.get()
    timeline = employer_timeline(employer, user=staff)
    assert any(item.kind == "mailing" for item in timeline.items)


def test_temporary_failure_is_retried_and_permanent_one_suppresses(
    smtp_sink, office, newsletter_list, send, settings
):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0
    subscriber(office, newsletter_list, "later@muster.ch", "de")
    subscriber(office, newsletter_list, "nobody@muster.ch", "de")
    smtp_sink.handler.answers = {
        "later@muster.ch": ["451 4.3.0 Try again later"],
        "nobody@muster.ch": ["550 5.1.1 No such user"],
    }
    newsletter = send(newsletter_make(office, newsletter_list))
    later = Delivery.objects.get(email="later@muster.ch")
    nobody = Delivery.objects.get(email="nobody@muster.ch")
    assert later.status == "sent" and later.attempts == 1
    assert len(smtp_sink.to("later@muster.ch")) == 1
    assert nobody.status == "bounced" and "550" in nobody.last_error
    assert Suppression.objects.get(email="nobody@muster.ch").reason == "hard_bounce"
    assert newsletter.status == Newsletter.Status.SENT
    # and the next newsletter does not go to the bounced address
    send(newsletter_make(office, newsletter_list))
    assert len(smtp_sink.to("nobody@muster.ch")) == 0


def test_backoff_grows_exponentially(settings):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 60
    assert [retry_delay(n) for n in (1, 2, 3)] == [60, 120, 240]


def test_sending_again_sends_nothing_twice(smtp_sink, office, newsletter_list, send):
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    newsletter = send(newsletter_make(office, newsletter_list))
    with pytest.raises(ValidationError):
        newsletter_send(newsletter)
    # a redelivered dispatch (e.g. after a worker restart) finds nothing to send
    Newsletter.objects.filter(pk=newsletter.pk).update(status="sending")
    newsletter_dispatch(newsletter.pk)
    assert len(smtp_sink.received) == 1
    assert Delivery.objects.count() == 1


def test_throttle_paces_the_messages(smtp_sink, office, newsletter_list, send):
    MailSettings.objects.filter(office=office).update(messages_per_minute=120)
    for n in range(4):
        subscriber(office, newsletter_list, f"p{n}@muster.ch", "de")
    started = time.monotonic()
    send(newsletter_make(office, newsletter_list))
    assert len(smtp_sink.received) == 4
    arrivals = [r.at for r in smtp_sink.received]
    # 120 a minute: one every 0.5 s (the first also opens the connection)
    assert arrivals[-1] - arrivals[1] >= 0.95
    assert time.monotonic() - started >= 1.4


def test_paused_newsletter_sends_nothing_until_resumed(
    smtp_sink, office, newsletter_list, django_capture_on_commit_callbacks
):
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    newsletter = newsletter_make(office, newsletter_list)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        newsletter_send(newsletter)
    newsletter_pause(newsletter)
    for callback in callbacks:
        callback()
    assert smtp_sink.received == []
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_resume(newsletter)
    assert len(smtp_sink.received) == 1
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT


def test_mjml_is_compiled_once_per_language_not_per_recipient(
    smtp_sink, office, newsletter_list, send, monkeypatch
):
    from campaigns.services import rendering

    calls = []
    real = rendering.mjml2html
    monkeypatch.setattr(rendering, "mjml2html", lambda s: calls.append(1) or real(s))
    for n in range(6):
        subscriber(office, newsletter_list, f"p{n}@muster.ch", "de" if n % 2 else "fr")
    send(newsletter_make(office, newsletter_list))
    assert len(smtp_sink.received) == 6
    assert len(calls) == 2


DSN = """\
Delivered-To: bounces+{id}@ivbe.example
From: MAILER-DAEMON@mx.muster.ch
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

The mail could not be delivered.
--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.muster.ch

Final-Recipient: rfc822; anna@muster.ch
Action: failed
Status: {status}

--b--
"""


def test_verp_bounce_from_the_mailbox_suppresses_the_address(
    smtp_sink, office, newsletter_list, send
):
    from campaigns.services.bounces import bounce_process

    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    send(newsletter_make(office, newsletter_list))
    delivery = Delivery.objects.get()
    # the bounce address names the delivery
    assert smtp_sink.received[0].envelope_from == f"bounces+{delivery.pk}@ivbe.example"
    # a temporary DSN changes nothing, a permanent one suppresses
    assert bounce_process(DSN.format(id=delivery.pk, status="4.2.2").encode()) is None
    assert bounce_process(DSN.format(id=delivery.pk, status="5.1.1").encode())
    delivery.refresh_from_db()
    assert delivery.status == "bounced"
    assert Suppression.objects.get(email="anna@muster.ch").reason == "hard_bounce"


def test_scheduled_newsletter_waits_for_its_time(
    smtp_sink, office, newsletter_list, send, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.services.sending import newsletters_due_start

    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    at = timezone.now() + timedelta(hours=2)
    newsletter = send(newsletter_make(office, newsletter_list), at=at)
    assert newsletter.status == Newsletter.Status.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletters_due_start(now=timezone.now()) == 0
    assert smtp_sink.received == []
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletters_due_start(now=at + timedelta(minutes=1)) == 1
    assert len(smtp_sink.to("anna@muster.ch")) == 1

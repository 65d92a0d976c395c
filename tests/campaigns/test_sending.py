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


def test_with_tracking_off_the_mail_has_no_pixel_and_plain_links(
    client, smtp_sink, office, newsletter_list, send
):
    from campaigns.models import TrackingEvent
    from campaigns.tokens import token_make

    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    send(newsletter_make(office, newsletter_list, tracking=False))
    (received,) = smtp_sink.received
    html = _html(received)
    # no open pixel and no click redirect, in the mail that arrived
    assert "/t/o/" not in html and "/t/c/" not in html
    assert "/t/" not in _text(received)
    # the newsletter's own links are there as written, absolute
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert "https://www.iv-be.ch/arbeit" in hrefs
    assert "https://www.iv-be.ch/anlass" in hrefs
    # and a signed token made by hand counts nothing: no opens, no clicks
    delivery = Delivery.objects.get()
    client.get(f"/t/o/{token_make('open', delivery.pk)}.gif")
    assert client.get(f"/t/c/{token_make('click', delivery.pk, 0)}/").status_code == 404
    delivery.refresh_from_db()
    assert (delivery.opens, delivery.clicks) == (0, 0)
    assert not TrackingEvent.objects.exists()


def test_click_redirect_refuses_a_signed_link_number_not_in_that_newsletter(
    client, smtp_sink, office, newsletter_list, send
):
    from campaigns.models import TrackingEvent
    from campaigns.tokens import token_make

    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    # another newsletter with more links: its link number 3 exists, not in ours
    other = newsletter_make(office, newsletter_list, languages=("de",))
    other.versions.update(links=[f"https://evil.example/{n}" for n in range(5)])
    send(newsletter_make(office, newsletter_list))
    delivery = Delivery.objects.get()
    links = delivery.newsletter.versions.get(language="de").links
    assert len(links) == 2
    # a correctly signed token, with a link number the newsletter does not have
    for index in (2, 3, -1):
        token = token_make("click", delivery.pk, index)
        assert client.get(f"/t/c/{token}/").status_code == 404
    # the valid numbers redirect to the newsletter's own links only
    assert (
        client.get(f"/t/c/{token_make('click', delivery.pk, 1)}/")["Location"]
        == (links[1])
    )
    delivery.refresh_from_db()
    assert delivery.clicks == 1
    assert list(TrackingEvent.objects.values_list("url", flat=True)) == [links[1]]


def test_cancel_before_the_batch_runs_sends_nothing_and_the_page_says_cancelled(
    client,
    staff,
    smtp_sink,
    office,
    newsletter_list,
    django_capture_on_commit_callbacks,
):
    import json

    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    subscriber(office, newsletter_list, "marc@exemple.ch", "fr")
    newsletter = newsletter_make(office, newsletter_list)
    client.force_login(staff)
    base = f"/admin/campaigns/newsletters/{newsletter.pk}/"
    # given a send whose batches have not run yet
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"{base}send/")
    assert Delivery.objects.filter(status="queued").count() == 2
    # when staff cancel it
    response = client.post(f"{base}cancel/")
    assert response.status_code == 302
    # then the queued batches send nothing when the worker gets to them
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert smtp_sink.received == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"cancelled"}
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.CANCELLED
    assert newsletter.finished_at is not None
    # and the progress page and its live data say so
    progress = json.loads(client.get(f"{base}progress.json").content)
    assert progress["status"] == "cancelled" and progress["cancelled"] == 2
    assert progress["queued"] == 0 and progress["sent"] == 0
    page = client.get(base).content.decode()
    assert 'data-field="status_label">cancelled</strong>' in page
    assert 'data-field="cancelled">2<' in page
    # a cancelled newsletter cannot be sent again
    with pytest.raises(ValidationError):
        newsletter_send(newsletter)


def test_cancel_during_a_throttled_send_stops_the_rest(
    smtp_sink, office, newsletter_list, send, monkeypatch
):
    from campaigns.services import sending
    from campaigns.services.sending import newsletter_cancel

    MailSettings.objects.filter(office=office).update(messages_per_minute=600)
    for n in range(4):
        subscriber(office, newsletter_list, f"p{n}@muster.ch", "de")
    newsletter = newsletter_make(office, newsletter_list)
    real = sending._send_one

    def send_one_then_cancel(newsletter_, delivery, transport):
        outcome = real(newsletter_, delivery, transport)
        newsletter_cancel(newsletter_)  # staff press Cancel after the first mail
        return outcome

    monkeypatch.setattr(sending, "_send_one", send_one_then_cancel)
    newsletter = send(newsletter)
    assert len(smtp_sink.received) == 1
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["cancelled", "cancelled", "cancelled", "sent"]
    assert newsletter.status == Newsletter.Status.CANCELLED


def test_image_page_and_event_teasers_render_in_each_language_with_absolute_links(
    smtp_sink, office, newsletter_list, send, settings, tmp_path
):
    import html as html_lib

    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Page

    from campaigns.models import NewsletterVersion

    settings.MEDIA_ROOT = str(tmp_path)
    image = get_image_model().objects.create(
        title="Team", file=get_test_image_file(size=(320, 200))
    )
    homes = {"de": Page.objects.get(url_path="/home/"),
             "fr": Page.objects.get(url_path="/home-fr/")}  # fmt: skip
    slugs = {"de": "arbeitsversuch", "fr": "placement-a-lessai"}
    titles = {"de": "Arbeitsversuch", "fr": "Placement à l’essai"}
    alts = {"de": "Zwei Mitarbeitende an der Werkbank",
            "fr": "Deux collaborateurs à l’établi"}  # fmt: skip
    events = {
        "de": ("Arbeitgeber-Apéro", "Bern", "https://www.iv-be.ch/apero"),
        "fr": ("Apéro employeurs", "Bienne", "https://www.iv-be.ch/fr/apero"),
    }
    pages = {
        language: homes[language].add_child(
            instance=Page(title=titles[language], slug=slugs[language])
        )
        for language in ("de", "fr")
    }
    newsletter = Newsletter.objects.create(
        office=office, name="Teaser", mailing_list=newsletter_list, tracking=False
    )
    for language in ("de", "fr"):
        title, place, url = events[language]
        NewsletterVersion.objects.create(
            newsletter=newsletter,
            language=language,
            subject=f"Teaser {language}",
            body=[
                {"type": "image", "value": {"image": image.pk, "alt": alts[language],
                                            "link": ""}},
                {"type": "page_teaser", "value": {"page": pages[language].pk,
                                                  "text": f"Text {language}"}},
                {"type": "event_teaser", "value": {"title": title, "place": place,
                                                   "date": "2027-05-12", "url": url}},
            ],
        )  # fmt: skip
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    subscriber(office, newsletter_list, "marc@exemple.ch", "fr")
    send(newsletter)
    for language, email in (("de", "anna@muster.ch"), ("fr", "marc@exemple.ch")):
        (received,) = smtp_sink.to(email)
        html = html_lib.unescape(_html(received))
        text = _text(received)
        title, place, url = events[language]
        page_url = pages[language].full_url
        assert page_url.startswith(("http://", "https://"))
        assert f"/{slugs[language]}/" in page_url
        # the image: absolute src, with its alt text in this language
        (img,) = re.findall(r"<img [^>]*>", html)
        assert f'alt="{alts[language]}"' in img
        src = re.search(r'src="([^"]+)"', img)[1]
        assert src.startswith(("http://", "https://")) and "/media/" in src
        # the page teaser: title, text and the absolute link of that language's page
        assert titles[language] in html and f"Text {language}" in html
        assert f'href="{page_url}"' in html
        # the event teaser: title, place and registration link
        assert title in html and place in html and f'href="{url}"' in html
        # nothing of the other language
        other = "fr" if language == "de" else "de"
        assert alts[other] not in html and events[other][2] not in html
        # every link absolute, and the text part has the same content
        hrefs = re.findall(r'href="([^"]+)"', html)
        assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
        assert f"[{alts[language]}]" in text
        assert page_url in text and url in text and titles[language] in text


def test_list_id_with_a_non_ascii_list_name_is_encoded_and_the_id_is_ascii(
    smtp_sink, office, newsletter_list, send
):
    from email.header import decode_header, make_header

    newsletter_list.name = "Événements Zürich"
    newsletter_list.save()
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    send(newsletter_make(office, newsletter_list, languages=("de",)))
    (received,) = smtp_sink.received
    head = received.data.split(b"\r\n\r\n", 1)[0]
    # the header section as it arrived is 7-bit
    assert head.isascii()
    (line,) = [h for h in head.split(b"\r\n") if h.startswith(b"List-Id:")]
    assert b"=?utf-8?" in line and line.endswith(b"<arbeitgeber.be.ivbe.example>")
    # and a mail program reads the phrase back
    raw = line.decode().removeprefix("List-Id: ")
    assert str(make_header(decode_header(raw))).startswith("Événements Zürich")


def test_each_message_gets_its_own_date(smtp_sink, office, newsletter_list, send):
    from email.utils import parsedate_to_datetime

    from django.utils import timezone

    from campaigns.services.sending import delivery_message, skeleton_get

    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    newsletter = send(newsletter_make(office, newsletter_list, languages=("de",)))
    delivery = Delivery.objects.get()
    # given the worker's skeleton was built a while ago
    skeleton_get(newsletter, "de")
    time.sleep(1.1)
    # when it sends another message later
    later = delivery_message(newsletter, delivery)
    # then that message carries the time it was made, not the skeleton's
    (date,) = [
        h for h in later.split(b"\r\n\r\n")[0].split(b"\r\n") if h.startswith(b"Date:")
    ]
    sent_at = parsedate_to_datetime(date.decode()[6:])
    assert abs((timezone.now() - sent_at).total_seconds()) < 1
    first = parsedate_to_datetime(smtp_sink.received[0].message["Date"])
    assert sent_at > first


def test_a_scheduled_newsletter_that_cannot_start_does_not_block_the_others(
    client, staff, smtp_sink, office, newsletter_list, send,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from datetime import timedelta

    from django.utils import timezone, translation

    from campaigns.services.sending import newsletters_due_start

    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    at = timezone.now() + timedelta(hours=1)
    # given two scheduled newsletters, the first of which lost its content
    broken = send(newsletter_make(office, newsletter_list), at=at)
    broken.versions.all().delete()
    fine = send(newsletter_make(office, newsletter_list), at=at)
    # when their time comes (the beat, here in English)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert newsletters_due_start(now=at + timedelta(minutes=1)) == 1
    # then the other one went out, and the broken one is marked failed with why
    assert len(smtp_sink.to("anna@muster.ch")) == 1
    fine.refresh_from_db()
    broken.refresh_from_db()
    assert fine.status == Newsletter.Status.SENT
    assert broken.status == Newsletter.Status.FAILED
    assert "language version" in broken.failure_reason
    # the next minute does not try it again
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletters_due_start(now=at + timedelta(minutes=2)) == 0
    # and its page says why
    client.force_login(staff)
    page = client.get(f"/admin/campaigns/newsletters/{broken.pk}/").content.decode()
    assert "The scheduled start failed:" in page and "language version" in page


def test_a_newsletter_to_a_segment_reaches_only_its_subscribers(
    smtp_sink, office, newsletter_list, send
):
    from campaigns.models import Segment

    # given subscribers at a large and a small employer, and one who unsubscribed
    subscriber(office, newsletter_list, "gross@muster.ch", "de", size_class="large")
    subscriber(office, newsletter_list, "klein@muster.ch", "de", size_class="small")
    subscriber(office, newsletter_list, "weg@muster.ch", "fr", size_class="large")
    unsubscribe(email="weg@muster.ch", mailing_list=newsletter_list)
    segment = Segment.objects.create(
        office=office, name="Grosse", size_classes=["large"]
    )
    # when a newsletter goes to the segment "large employers"
    newsletter = send(newsletter_make(office, newsletter_list, segment=segment))
    # then only the large employer's subscribed contact got it, through SMTP
    assert [r.recipients for r in smtp_sink.received] == [["gross@muster.ch"]]
    assert smtp_sink.received[0].message["Subject"] == "Neues von der IV"
    assert newsletter.status == Newsletter.Status.SENT
    assert not Delivery.objects.filter(email="klein@muster.ch").exists()

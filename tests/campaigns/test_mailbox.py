"""The bounce mailbox, read over IMAP by the periodic task: VERP bounces and mailed
unsubscribes (List-Unsubscribe mailto) feed the suppression list; a forged token
and a human reply change nothing. A small IMAP server on loopback stands in for
the mail server; the reader runs Python's imaplib against it unchanged."""

import re
from urllib.parse import unquote

import pytest

from campaigns.models import Delivery, Subscription, Suppression
from campaigns.services.sending import newsletter_send
from campaigns.tasks import bounces_fetch_task

from .conftest import newsletter_make, subscriber
from .imap_server import ImapServer
from .test_sending import DSN

pytestmark = pytest.mark.django_db

MAIL = """\
From: {sender}
To: {to}
Subject: {subject}
Message-ID: <{n}@client.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""


@pytest.fixture
def imap(settings):
    server = ImapServer().start()
    settings.BOUNCE_IMAP_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def sent(smtp_sink, office, newsletter_list, django_capture_on_commit_callbacks):
    """A newsletter delivered to three subscribers; their mails as received."""
    for email in ("anna@muster.ch", "bruno@muster.ch", "carla@muster.ch"):
        subscriber(office, newsletter_list, email, "de")
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_send(newsletter_make(office, newsletter_list))
    return {r.recipients[0]: r.message for r in smtp_sink.received}


def _mailto(message) -> tuple[str, str]:
    """The address and subject a mail program uses for List-Unsubscribe mailto."""
    (mailto,) = re.findall(r"<mailto:([^>]+)>", message["List-Unsubscribe"])
    address, _q, query = mailto.partition("?")
    return address, unquote(query.removeprefix("subject="))


def test_mailbox_bounce_unsubscribe_forgery_and_reply(imap, sent, newsletter_list):
    # given: anna's address bounced permanently, bruno pressed "unsubscribe" in
    # his mail program, someone forged carla's token, and a person replied
    anna = Delivery.objects.get(email="anna@muster.ch")
    imap.deliver(DSN.format(id=anna.pk, status="5.1.1").encode())
    address, subject = _mailto(sent["bruno@muster.ch"])
    assert address == "bounces+unsubscribe@ivbe.example"
    assert subject.startswith("unsubscribe ")
    imap.deliver(MAIL.format(sender="bruno@muster.ch", to=address, subject=subject,
                             n=1, body="").encode())  # fmt: skip
    carla = Delivery.objects.get(email="carla@muster.ch")
    forged = f"unsubscribe {carla.pk}:AAAAAAAAAAAAAAAAAAAAAAAA"
    imap.deliver(MAIL.format(sender="x@evil.example", to=address, subject=forged,
                             n=2, body="").encode())  # fmt: skip
    imap.deliver(MAIL.format(sender="carla@muster.ch", to="bounces@ivbe.example",
                             subject="Re: Neues von der IV", n=3,
                             body="Danke, sehr interessant!").encode())  # fmt: skip
    # when the periodic task reads the mailbox
    counts = bounces_fetch_task.delay().get()
    # then anna is suppressed as a hard bounce, bruno as unsubscribed from the list
    assert counts == {"bounce": 1, "unsubscribe": 1, "other": 2, "error": 0}
    reasons = {
        s.email: (s.reason, s.mailing_list_id) for s in Suppression.objects.all()
    }
    assert reasons == {
        "anna@muster.ch": (Suppression.Reason.HARD_BOUNCE, None),
        "bruno@muster.ch": (Suppression.Reason.UNSUBSCRIBED, newsletter_list.pk),
    }
    status = dict(Subscription.objects.values_list("email", "status"))
    assert status["bruno@muster.ch"] == Subscription.Status.UNSUBSCRIBED
    assert status["carla@muster.ch"] == Subscription.Status.ACTIVE
    anna.refresh_from_db()
    assert anna.status == Delivery.Status.BOUNCED
    # processed messages are deleted; the forgery and the reply stay, marked seen
    left = [m.raw for m in imap.mailbox]
    assert len(left) == 2 and all("\\Seen" in m.flags for m in imap.mailbox)
    assert any(b"sehr interessant" in raw for raw in left)
    # and a second run finds nothing new
    assert bounces_fetch_task.delay().get() == {"bounce": 0, "unsubscribe": 0,
                                                "other": 0, "error": 0}  # fmt: skip


def test_token_in_the_body_also_unsubscribes(imap, sent):
    # some mail programs put the words in the body, with a subject of their own
    address, subject = _mailto(sent["carla@muster.ch"])
    mail = MAIL.format(
        sender="carla@muster.ch", to=address, subject="Abmelden", n=4, body=subject
    )
    imap.deliver(mail.encode())
    assert bounces_fetch_task.delay().get()["unsubscribe"] == 1
    assert Suppression.objects.get().email == "carla@muster.ch"


def test_a_forged_bounce_is_ignored_and_a_broken_message_does_not_stop_the_run(
    imap, sent, caplog
):
    anna = Delivery.objects.get(email="anna@muster.ch")
    bruno = Delivery.objects.get(email="bruno@muster.ch")
    carla = Delivery.objects.get(email="carla@muster.ch")
    # given: a message the reader cannot process (an auto-reply in a charset
    # Python does not know), a forged permanent bounce to bruno's VERP address
    # naming another recipient, a prose bounce without a delivery-status part
    # naming carla, and anna's genuine bounce last
    broken = MAIL.format(
        sender="auto@muster.ch", to="bounces@ivbe.example", subject="Abwesend",
        n=6, body="Ich bin abwesend.",
    ).replace("charset=utf-8", "charset=x-no-such-charset")  # fmt: skip
    imap.deliver(broken.encode())
    forged = DSN.format(id=bruno.pk, status="5.1.1")  # names anna@, not bruno@
    imap.deliver(forged.encode())
    prose = MAIL.format(
        sender="MAILER-DAEMON@mx.muster.ch",
        to=f"bounces+{carla.pk}@ivbe.example",
        subject="Undeliverable",
        n=5,
        body="Delivery to carla@muster.ch failed permanently.",
    ).replace("Subject:", f"Delivered-To: bounces+{carla.pk}@ivbe.example\nSubject:")
    imap.deliver(prose.encode())
    imap.deliver(DSN.format(id=anna.pk, status="5.1.1").encode())
    # when the periodic task reads the mailbox
    counts = bounces_fetch_task.delay().get()
    # then the broken message is logged and left, the forged one changes nothing,
    # and the run went on: only anna is suppressed
    assert counts == {"bounce": 1, "unsubscribe": 0, "other": 2, "error": 1}
    assert "not processed" in caplog.text and "Ignored a bounce" in caplog.text
    assert set(Suppression.objects.values_list("email", flat=True)) == {
        "anna@muster.ch"
    }
    bruno.refresh_from_db()
    assert bruno.status == Delivery.Status.SENT
    # the prose bounce without a delivery-status part has no status either: left
    assert len(imap.mailbox) == 3 and all("\\Seen" in m.flags for m in imap.mailbox)

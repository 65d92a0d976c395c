"""Sending a newsletter: the request only enqueues, Celery sends in batches.

- `newsletter_send` creates one Delivery per recipient (unique per newsletter and
  address: starting twice creates and sends nothing new), compiles the MJML once per
  language and enqueues the dispatch after commit.
- `delivery_send_batch` sends the still-queued deliveries of one batch over the
  worker's persistent SMTP connection and marks each as sent right after the server
  accepted it (in groups of NEWSLETTER_MARK_SENT_EVERY): a worker killed mid-batch
  re-sends at most the messages not yet recorded.
- 4xx answers defer the delivery and retry the batch with exponential backoff; 5xx
  answers bounce it and put the address on the suppression list.
- A throttle (messages per minute, the office's mail settings) paces one batch at a
  time; without one every batch is enqueued at once for all workers.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from datetime import datetime
from email.utils import formataddr, parseaddr
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..mail import office_sender
from ..mime import MessageSkeleton, header_encode
from ..models import Delivery, MailSettings, Newsletter, NewsletterVersion, Suppression
from ..selectors import Recipient, newsletter_recipients
from ..tokens import token_make
from ..transport import SendFailure, transport_get
from .batch_lock import BatchLock
from .rendering import newsletter_compile, version_compile
from .subscriptions import preferences_token_make
from .suppression import suppressed_emails, suppression_add

logger = logging.getLogger(__name__)

# A sending batch looks at pause, cancel and its deliveries' status again after at
# most this many messages or seconds, whichever comes first.
CHECK_EVERY = 20
CHECK_SECONDS = 0.2


def batch_size() -> int:
    return getattr(settings, "NEWSLETTER_BATCH_SIZE", 200)


def max_attempts() -> int:
    return getattr(settings, "NEWSLETTER_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> float:
    """Exponential backoff: base, 2×base, 4×base … (base 60 s by default)."""
    base = getattr(settings, "NEWSLETTER_RETRY_BASE_SECONDS", 60)
    return base * 2 ** max(0, attempts - 1)


def messages_per_minute(newsletter: Newsletter) -> int:
    mail_settings = MailSettings.objects.filter(office_id=newsletter.office_id).first()
    return mail_settings.messages_per_minute if mail_settings else 0


# --- Starting, pausing, resuming, cancelling --------------------------------------


@transaction.atomic
def newsletter_send(
    newsletter: Newsletter, *, user: AbstractBaseUser | None = None, at=None
) -> Newsletter:
    """Sends now, or schedules for `at` (the beat task starts it then)."""
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    startable = (
        Newsletter.Status.DRAFT,
        Newsletter.Status.SCHEDULED,
        Newsletter.Status.FAILED,
    )
    if newsletter.status not in startable:
        raise ValidationError(_("This newsletter has already been sent."))
    if not newsletter.versions.exists():
        raise ValidationError(_("Write at least one language version first."))
    sender_check(newsletter)
    newsletter.failure_reason = ""
    if at is not None and at > timezone.now():
        newsletter.status = Newsletter.Status.SCHEDULED
        newsletter.scheduled_at = at
        newsletter.save(update_fields=["status", "scheduled_at", "failure_reason"])
        return newsletter
    newsletter_compile(newsletter)
    deliveries_create(newsletter, newsletter_recipients(newsletter))
    newsletter.status = Newsletter.Status.SENDING
    newsletter.started_at = timezone.now()
    newsletter.save(update_fields=["status", "started_at", "failure_reason"])
    _dispatch_on_commit(newsletter.pk)
    return newsletter


def sender_check(newsletter: Newsletter) -> None:
    """Swiss law on mass advertising (UWG Art. 3 lit. o) wants the sender named
    correctly in every mailing: no send, not even a test, before the office has a
    sender name, sender address and postal address (Sender and throttle)."""
    mail_settings = MailSettings.objects.filter(office_id=newsletter.office_id).first()
    if mail_settings is None or not all(
        value.strip()
        for value in (
            mail_settings.sender_name,
            mail_settings.sender_email,
            mail_settings.postal_address,
        )
    ):
        raise ValidationError(
            _(
                "%(office)s has no complete sender yet: enter its sender name, "
                "sender e-mail and postal address under Campaigns → Sender and "
                "throttle. Swiss law (UWG Art. 3 lit. o) requires them in every "
                "newsletter."
            ),
            params={"office": newsletter.office},
            code="sender_missing",
        )


def deliveries_create(newsletter: Newsletter, recipients: list[Recipient]) -> int:
    """One Delivery per address (existing ones are left alone); suppressed
    addresses get a delivery marked suppressed, so the results show them."""
    suppressed = suppressed_emails(newsletter.mailing_list)
    size = batch_size()
    rows = []
    seen: set[str] = set()
    for recipient in recipients:
        if recipient.email in seen:
            continue
        seen.add(recipient.email)
        rows.append(
            Delivery(
                newsletter=newsletter,
                person_id=recipient.person_id,
                employer_id=recipient.employer_id,
                email=recipient.email,
                name=recipient.name,
                language=recipient.language,
                batch=len(rows) // size,
                status=(
                    Delivery.Status.SUPPRESSED
                    if recipient.email in suppressed
                    else Delivery.Status.QUEUED
                ),
            )
        )
    Delivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def _dispatch_on_commit(newsletter_id: int) -> None:
    from ..tasks import newsletter_dispatch_task

    transaction.on_commit(
        lambda: newsletter_dispatch_task.delay(newsletter_id=newsletter_id)
    )


def newsletter_pause(newsletter: Newsletter) -> None:
    Newsletter.objects.filter(
        pk=newsletter.pk, status=Newsletter.Status.SENDING
    ).update(status=Newsletter.Status.PAUSED)


@transaction.atomic
def newsletter_resume(newsletter: Newsletter) -> None:
    if Newsletter.objects.filter(
        pk=newsletter.pk, status=Newsletter.Status.PAUSED
    ).update(status=Newsletter.Status.SENDING):
        _dispatch_on_commit(newsletter.pk)


@transaction.atomic
def newsletter_cancel(newsletter: Newsletter) -> None:
    Newsletter.objects.filter(
        pk=newsletter.pk,
        status__in=[
            Newsletter.Status.SENDING,
            Newsletter.Status.PAUSED,
            Newsletter.Status.SCHEDULED,
        ],
    ).update(status=Newsletter.Status.CANCELLED, finished_at=timezone.now())
    newsletter.deliveries.filter(
        status__in=[Delivery.Status.QUEUED, Delivery.Status.DEFERRED]
    ).update(status=Delivery.Status.CANCELLED)


def newsletters_due_start(now: datetime | None = None) -> int:
    """Starts scheduled newsletters whose time has come (beat, every minute). One
    that cannot start is marked failed with the reason (shown on its page) and
    does not keep the others from starting."""
    now = now or timezone.now()
    started = 0
    for newsletter in Newsletter.objects.filter(
        status=Newsletter.Status.SCHEDULED, scheduled_at__lte=now
    ):
        try:
            newsletter_send(newsletter)
        except ValidationError as error:
            _start_failed(newsletter, " ".join(error.messages))
        except Exception as error:
            logger.exception("Scheduled newsletter %s did not start", newsletter.pk)
            _start_failed(
                newsletter,
                str(_("Unexpected error: %(error)s")) % {"error": error},
            )
        else:
            started += 1
    return started


def _start_failed(newsletter: Newsletter, reason: str) -> None:
    logger.warning("Scheduled newsletter %s did not start: %s", newsletter.pk, reason)
    Newsletter.objects.filter(
        pk=newsletter.pk, status=Newsletter.Status.SCHEDULED
    ).update(status=Newsletter.Status.FAILED, failure_reason=reason[:2000])


# --- The worker's side -----------------------------------------------------------


def newsletter_dispatch(newsletter_id: int) -> int:
    """Enqueues the batches that still have queued deliveries; with a throttle only
    the first (each batch enqueues the next). Returns how many were enqueued."""
    from ..tasks import delivery_send_batch_task

    newsletter = Newsletter.objects.get(pk=newsletter_id)
    if newsletter.status != Newsletter.Status.SENDING:
        return 0
    batches = list(
        newsletter.deliveries.filter(status=Delivery.Status.QUEUED)
        .values_list("batch", flat=True)
        .distinct()
        .order_by("batch")
    )
    if not batches:
        newsletter_finish_if_done(newsletter_id)
        return 0
    if messages_per_minute(newsletter):
        batches = batches[:1]
    for batch in batches:
        delivery_send_batch_task.delay(newsletter_id=newsletter_id, batch=batch)
    return len(batches)


def newsletter_finish_if_done(newsletter_id: int) -> None:
    pending = Delivery.objects.filter(
        newsletter_id=newsletter_id,
        status__in=[Delivery.Status.QUEUED, Delivery.Status.DEFERRED],
    )
    if not pending.exists():
        Newsletter.objects.filter(
            pk=newsletter_id, status=Newsletter.Status.SENDING
        ).update(status=Newsletter.Status.SENT, finished_at=timezone.now())


_skeletons: OrderedDict[tuple, tuple[MessageSkeleton, list]] = OrderedDict()


def skeleton_get(newsletter: Newsletter, language: str) -> tuple[MessageSkeleton, list]:
    """One skeleton per newsletter and language per worker process, built from the
    version compiled when the send started (never compiled again here)."""
    # started_at: a newsletter sent again (e.g. a test database reusing ids) never
    # meets an old skeleton.
    key = (newsletter.pk, language, newsletter.started_at)
    if key not in _skeletons:
        version = NewsletterVersion.objects.get(
            newsletter=newsletter, language=language
        )
        if not version.compiled_html:
            version_compile(version)
        _skeletons[key] = skeleton_build(newsletter, version)
        while len(_skeletons) > 16:
            _skeletons.popitem(last=False)
    return _skeletons[key]


def skeleton_build(
    newsletter: Newsletter, version: NewsletterVersion
) -> tuple[MessageSkeleton, list]:
    """The skeleton of a compiled version and its link list."""
    name, address, _postal = office_sender(newsletter.office)
    mail_settings = getattr(newsletter.office, "mail_settings", None)
    domain = address.rpartition("@")[2] or "localhost"
    return (
        MessageSkeleton(
            from_header=formataddr((name, address), charset="utf-8"),
            subject=version.subject,
            list_id=list_id_header(newsletter, domain),
            text=version.compiled_text,
            html=version.compiled_html,
            boundary=f"=_passerelle_{newsletter.pk}_{version.language}",
            reply_to=mail_settings.reply_to if mail_settings else "",
            sender_email=address,
            sender_name=name,
        ),
        list(version.links),
    )


def list_id_header(newsletter: Newsletter, domain: str) -> str:
    """`List-Id: <phrase> <id>` (RFC 2919): the list's name as the phrase, encoded
    per RFC 2047 when it is not ASCII (a raw "Événements Zürich" would be 8-bit
    bytes in a header); the id is always ASCII."""
    list_id = (
        f"{newsletter.mailing_list.slug}.{newsletter.office.code.lower()}.{domain}"
    )
    list_id = list_id.encode("ascii", "ignore").decode()
    return f"{header_encode(newsletter.mailing_list.name)} <{list_id}>"


def message_id(delivery_id: int, newsletter_id: int, domain: str) -> str:
    """Deterministic: a re-sent copy has the same id, so mailboxes can drop it."""
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:{newsletter_id}:{delivery_id}".encode()
    ).hexdigest()[:12]
    return f"<n{newsletter_id}.d{delivery_id}.{digest}@{domain}>"


@cache
def _url_prefix(name: str, site: str) -> str:
    """`https://site/newsletter/unsubscribe/` etc., resolved once per process."""
    path = reverse(name, args=["TOKEN"])
    return site + path[: path.index("TOKEN")]


def delivery_message(
    newsletter: Newsletter,
    delivery: Delivery,
    *,
    test: bool = False,
    built: tuple[MessageSkeleton, list] | None = None,
) -> bytes:
    """The finished message bytes for SMTP (the skeleton with this recipient's
    slots spliced in)."""
    skeleton, parts = _personalised(newsletter, delivery, test=test, built=built)
    return skeleton.render(**parts)


def delivery_email(
    newsletter: Newsletter,
    delivery: Delivery,
    *,
    test: bool = False,
    built: tuple[MessageSkeleton, list] | None = None,
) -> EmailMultiAlternatives:
    """The same message as an EmailMultiAlternatives, for Django mail backends
    other than SMTP: a provider through anymail, locmem, console. The delivery id
    goes along as anymail metadata, so the provider's events can name it."""
    skeleton, parts = _personalised(newsletter, delivery, test=test, built=built)
    message = skeleton.email(**parts)
    message.metadata = {"delivery": str(delivery.pk), "newsletter": str(newsletter.pk)}
    message.tags = ["newsletter"]
    message.track_clicks = False  # our own click redirect, when tracking is on
    message.track_opens = False
    return message


def _personalised(
    newsletter: Newsletter,
    delivery: Delivery,
    *,
    test: bool,
    built: tuple[MessageSkeleton, list] | None = None,
) -> tuple[MessageSkeleton, dict]:
    skeleton, links = built or skeleton_get(newsletter, delivery.language)
    site = settings.SITE_URL
    address = skeleton.sender_email
    domain = address.rpartition("@")[2] or "localhost"
    unsubscribe_token = token_make("unsubscribe", delivery.pk)
    unsubscribe_url = (
        f"{_url_prefix('campaigns:unsubscribe', site)}{unsubscribe_token}/"
    )
    preferences = preferences_token_make(newsletter.office_id, delivery.email)
    preferences_url = f"{_url_prefix('campaigns:preferences', site)}{preferences}/"
    values = {
        "greeting": _greeting(delivery),
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": preferences_url,
    }
    if test:
        values.update({f"link:{i}": url for i, url in enumerate(links)})
    elif newsletter.tracking:
        open_token = token_make("open", delivery.pk)
        values["open_pixel"] = (
            f'<img src="{_url_prefix("campaigns:open", site)}{open_token}.gif" '
            'width="1" height="1" alt="">'
        )
        click_url = _url_prefix("campaigns:click", site)
        for index in range(len(links)):
            values[f"link:{index}"] = (
                f"{click_url}{token_make('click', delivery.pk, index)}/"
            )
    mailto = unsubscribe_mailto(newsletter, unsubscribe_token)
    return skeleton, {
        "to_name": delivery.name,
        "to_email": delivery.email,
        "message_id": message_id(delivery.pk, newsletter.pk, domain),
        "list_unsubscribe": [unsubscribe_url, mailto],
        "values": values,
    }


def unsubscribe_mailto(newsletter: Newsletter, token: str) -> str:
    """`mailto:` for List-Unsubscribe: the bounce mailbox's `+unsubscribe` address
    (read by the same periodic task as bounces, services/bounces.py), or the
    sender's address without a bounce address; the signed token is the subject."""
    mail_settings = getattr(newsletter.office, "mail_settings", None)
    bounce = mail_settings.bounce_email if mail_settings else ""
    if bounce:
        local, _at, domain = bounce.partition("@")
        address = f"{local}+unsubscribe@{domain}"
    else:
        address = office_sender(newsletter.office)[1]
    return f"mailto:{address}?subject=unsubscribe%20{token}"


@cache
def _greeting_formats(language: str) -> tuple[str, str]:
    with translation.override(language):
        return str(_("Hello %(name)s,")), str(_("Hello,"))


def _greeting(delivery: Delivery) -> str:
    named, anonymous = _greeting_formats(delivery.language)
    return named % {"name": delivery.name} if delivery.name else anonymous


def envelope_from(newsletter: Newsletter, delivery_id: int) -> str:
    """VERP: the bounce address with the delivery id, so a bounce names it."""
    mail_settings = getattr(newsletter.office, "mail_settings", None)
    bounce = mail_settings.bounce_email if mail_settings else ""
    if not bounce:
        return office_sender(newsletter.office)[1]
    local, _at, domain = bounce.partition("@")
    return f"{local}+{delivery_id}@{domain}"


BUSY = "busy"  # delivery_send_batch's answer while another runner has the batch


def delivery_send_batch(newsletter_id: int, batch: int) -> dict[str, int] | str:
    """Sends the queued deliveries of one batch. Idempotent: sent ones are skipped.

    Single runner (services/batch_lock.py): while another task is sending this
    batch, returns BUSY and sends nothing; the task then tries again shortly."""
    newsletter = Newsletter.objects.select_related("office", "mailing_list").get(
        pk=newsletter_id
    )
    counts = {"sent": 0, "deferred": 0, "bounced": 0, "failed": 0, "suppressed": 0}
    if newsletter.status != Newsletter.Status.SENDING:
        return counts
    rate = messages_per_minute(newsletter)
    # The lease (SQLite only) outlives the longest pause between two renewals: one
    # SMTP timeout (30 s) or two throttle steps. A killed worker's batch comes back
    # after it, within the SIGKILL test's patience even on SQLite.
    lease = 45 + (120 / rate if rate else 0)
    lock = BatchLock(newsletter_id, batch, lease_seconds=lease)
    if not lock.acquire():
        return BUSY
    try:
        deliveries = list(
            Delivery.objects.filter(
                newsletter_id=newsletter_id, batch=batch, status=Delivery.Status.QUEUED
            ).order_by("pk")
        )
        stopped = _deliveries_send(newsletter, deliveries, counts, lock)
    finally:
        lock.release()
    # Follow-ups are enqueued after the lock is gone: an eager (test) retry of
    # this batch runs right here and must be able to take it.
    if not stopped:
        _batch_follow_up(newsletter, batch, counts, rate)
    return counts


def _batch_follow_up(
    newsletter: Newsletter, batch: int, counts: dict[str, int], rate: int
) -> None:
    """Retries the batch's deferred deliveries with backoff, lets a throttled send
    go on with the next batch, and finishes the newsletter when nothing is left."""
    from ..tasks import delivery_retry_batch_task, newsletter_dispatch_task

    if counts["deferred"]:
        attempts = (
            Delivery.objects.filter(
                newsletter_id=newsletter.pk,
                batch=batch,
                status=Delivery.Status.DEFERRED,
            )
            .order_by("attempts")
            .values_list("attempts", flat=True)
            .first()
        )
        delivery_retry_batch_task.apply_async(
            kwargs={"newsletter_id": newsletter.pk, "batch": batch},
            countdown=retry_delay(attempts or 1),
        )
    if rate:
        newsletter_dispatch_task.delay(newsletter_id=newsletter.pk)
    newsletter_finish_if_done(newsletter.pk)


class SentRecorder:
    """Marks deliveries sent in small groups (one UPDATE per group, not per message).

    A worker killed before a flush re-sends at most the unflushed messages: that is
    the bound on duplicates after a crash (NEWSLETTER_MARK_SENT_EVERY per worker).
    """

    def __init__(self) -> None:
        self.every = getattr(settings, "NEWSLETTER_MARK_SENT_EVERY", 10)
        self.pending: list[int] = []

    def add(self, delivery: Delivery) -> None:
        self.pending.append(delivery.pk)
        if len(self.pending) >= self.every:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            Delivery.objects.filter(pk__in=self.pending).update(
                status=Delivery.Status.SENT, sent_at=timezone.now()
            )
            self.pending = []


def _deliveries_send(
    newsletter: Newsletter,
    deliveries: list[Delivery],
    counts: dict[str, int],
    lock: BatchLock,
) -> bool:
    """Sends, paced by the throttle; True when paused or cancelled meanwhile.

    Before each group of CHECK_EVERY messages, and whenever CHECK_SECONDS have
    passed since the last look, the group's deliveries are read again: only those
    still queued, of a newsletter still sending, go out. So a cancel, a pause or a
    delivery sent meanwhile is seen after at most CHECK_EVERY messages or
    CHECK_SECONDS (plus the message being sent); with a throttle, before every
    message."""
    suppressed = _newly_suppressed(newsletter, [d.email for d in deliveries])
    rate = messages_per_minute(newsletter)
    interval = 60.0 / rate if rate else 0.0
    transport = transport_get()
    recorder = SentRecorder()
    next_at = time.monotonic()
    claimed: set[int] = set()
    claimed_until = 0
    checked_at = 0.0
    try:
        for index, delivery in enumerate(deliveries):
            if interval:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at = time.monotonic() + interval
            now = time.monotonic()
            # throttled: before every message (they are slow anyway)
            if interval or index >= claimed_until or now - checked_at >= CHECK_SECONDS:
                group = [d.pk for d in deliveries[index : index + CHECK_EVERY]]
                claimed = _still_queued(newsletter.pk, group)
                claimed_until, checked_at = index + len(group), now
                lock.renew()
                if not claimed and _stopped(newsletter.pk):
                    return True
            if delivery.pk not in claimed:
                continue  # cancelled, or sent by an earlier runner
            if delivery.email in suppressed:
                _mark(delivery, Delivery.Status.SUPPRESSED)
                counts["suppressed"] += 1
                continue
            outcome = _send_one(newsletter, delivery, transport)
            if outcome == "sent":
                recorder.add(delivery)
            counts[outcome] += 1
    finally:
        recorder.flush()
    return False


def _still_queued(newsletter_id: int, pks: list[int]) -> set[int]:
    """Of these deliveries, those still queued while the newsletter is sending."""
    return set(
        Delivery.objects.filter(
            pk__in=pks,
            status=Delivery.Status.QUEUED,
            newsletter__status=Newsletter.Status.SENDING,
        ).values_list("pk", flat=True)
    )


def _send_one(newsletter: Newsletter, delivery: Delivery, transport) -> str:
    try:
        if transport.takes_bytes:
            raw = delivery_message(newsletter, delivery)
            transport.send(envelope_from(newsletter, delivery.pk), delivery.email, raw)
        else:
            transport.send_email(delivery_email(newsletter, delivery))
    except SendFailure as failure:
        delivery.attempts += 1
        delivery.last_error = str(failure)[:2000]
        if failure.permanent:
            suppression_add(
                email=delivery.email,
                reason=Suppression.Reason.HARD_BOUNCE,
                office=newsletter.office,
                detail=str(failure),
            )
            _mark(delivery, Delivery.Status.BOUNCED)
            return "bounced"
        if delivery.attempts >= max_attempts():
            _mark(delivery, Delivery.Status.FAILED)
            return "failed"
        _mark(delivery, Delivery.Status.DEFERRED)
        return "deferred"
    return "sent"


def _mark(delivery: Delivery, status: str) -> None:
    delivery.status = status
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        attempts=delivery.attempts,
        last_error=delivery.last_error,
        sent_at=delivery.sent_at,
    )


def _stopped(newsletter_id: int) -> bool:
    status = (
        Newsletter.objects.filter(pk=newsletter_id)
        .values_list("status", flat=True)
        .first()
    )
    return status != Newsletter.Status.SENDING


def _newly_suppressed(newsletter: Newsletter, emails: list[str]) -> set[str]:
    """Suppressions added after the deliveries were created still count."""
    return suppressed_emails(newsletter.mailing_list) & set(emails)


def delivery_retry_batch(newsletter_id: int, batch: int) -> dict[str, int]:
    Delivery.objects.filter(
        newsletter_id=newsletter_id, batch=batch, status=Delivery.Status.DEFERRED
    ).update(status=Delivery.Status.QUEUED)
    return delivery_send_batch(newsletter_id, batch)


# --- Test send -------------------------------------------------------------------


def newsletter_test_send(
    newsletter: Newsletter, *, language: str, user: AbstractBaseUser
) -> None:
    """The newsletter in one language to the staff member's own address, as a
    recipient gets it (links work; opens and clicks are not counted).

    Compiled in memory and never saved: once sending started, the compiled
    version and its link list are what the click redirect follows, so a test send
    must not change them."""
    if not user.email:
        raise ValidationError(_("Your account has no e-mail address."))
    sender_check(newsletter)
    version = newsletter.versions.get(language=language)
    version_compile(version, save=False)
    built = skeleton_build(newsletter, version)
    delivery = Delivery(
        pk=0,
        newsletter=newsletter,
        email=user.email,
        name=user.get_full_name(),
        language=language,
    )
    transport = transport_get()
    if transport.takes_bytes:
        raw = delivery_message(newsletter, delivery, test=True, built=built)
        envelope = parseaddr(office_sender(newsletter.office)[1])[1]
        transport.send(envelope, user.email, raw)
    else:
        transport.send_email(
            delivery_email(newsletter, delivery, test=True, built=built)
        )

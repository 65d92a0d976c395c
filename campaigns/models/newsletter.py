"""A newsletter, its version per language, one delivery per recipient, and opens and
clicks. Writes go through campaigns.services.sending and .tracking."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField

from crm.models import ContactPerson, Employer, Language, Office

from ..blocks import NewsletterBlocks
from ..querysets import NewsletterScopedQuerySet, OfficeScopedQuerySet


class Newsletter(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        PAUSED = "paused", _("paused")
        SENT = "sent", _("sent")
        CANCELLED = "cancelled", _("cancelled")
        FAILED = "failed", _("failed to start")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("internal name"), max_length=200)
    mailing_list = models.ForeignKey(
        "campaigns.MailingList",
        verbose_name=_("list"),
        on_delete=models.PROTECT,
        related_name="newsletters",
        help_text=_("Only active subscribers of this list receive it."),
    )
    segment = models.ForeignKey(
        "campaigns.Segment",
        verbose_name=_("segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every subscriber of the list."),
    )
    tracking = models.BooleanField(_("count opens and clicks"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    failure_reason = models.TextField(
        _("why it did not start"), blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("office"),
        FieldPanel("mailing_list"),
        FieldPanel("segment"),
        FieldPanel("tracking"),
        InlinePanel("versions", label=_("language versions"), min_num=1),
    ]

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def content_frozen(self) -> bool:
        """Once sending started, the content and its link list stay as sent: the
        click redirect of every mail out there follows that list."""
        return self.status not in (
            self.Status.DRAFT,
            self.Status.SCHEDULED,
            self.Status.FAILED,
        )


class NewsletterVersion(models.Model):
    """The newsletter in one language, and its MJML compiled once for sending."""

    newsletter = ParentalKey(
        Newsletter, on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(
        _("preview text"), max_length=200, blank=True,
        help_text=_("Shown by mail programs after the subject."),
    )  # fmt: skip
    body = StreamField(NewsletterBlocks(), verbose_name=_("content"))
    # Filled by campaigns.services.rendering.version_compile; never edited.
    compiled_html = models.TextField(blank=True, editable=False)
    compiled_text = models.TextField(blank=True, editable=False)
    links = models.JSONField(default=list, blank=True, editable=False)

    panels = [
        FieldPanel("language"),
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "language"], name="newsletterversion_unique_lang"
            )
        ]

    def __str__(self) -> str:
        return f"{self.newsletter} ({self.language})"


class Delivery(models.Model):
    """One recipient's copy of a newsletter. Unique per newsletter and address, so
    starting a send twice creates nothing new and sends nothing twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        DEFERRED = "deferred", _("retrying")
        FAILED = "failed", _("failed")
        BOUNCED = "bounced", _("bounced")
        SUPPRESSED = "suppressed", _("suppressed")
        CANCELLED = "cancelled", _("cancelled")

    newsletter = models.ForeignKey(
        Newsletter,
        verbose_name=_("newsletter"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    person = models.ForeignKey(
        ContactPerson,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2)
    batch = models.PositiveIntegerField(_("batch"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("first clicked"), null=True, blank=True)
    opens = models.PositiveIntegerField(_("opens"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    objects = NewsletterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "email"], name="delivery_unique_email"
            )
        ]
        indexes = [
            models.Index(fields=["newsletter", "batch", "status"]),
            models.Index(fields=["newsletter", "status"]),
            models.Index(fields=["employer", "opened_at"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self) -> str:
        return f"{self.newsletter} → {self.email}"


class BatchLease(models.Model):
    """Who is sending a batch, until when: the single-runner lock of a batch where
    the database has no advisory locks (SQLite). Renewed while the batch runs; a
    worker that died leaves a lease that expires. See services/batch_lock.py."""

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="+"
    )
    batch = models.PositiveIntegerField()
    holder = models.CharField(max_length=32)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "batch"], name="batchlease_unique_batch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.newsletter_id}/{self.batch} until {self.expires_at}"


class TrackingEvent(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", _("opened")
        CLICK = "click", _("clicked")
        DELIVERED = "delivered", _("delivered (provider)")
        BOUNCE = "bounce", _("bounced")
        COMPLAINT = "complaint", _("complaint")

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        indexes = [models.Index(fields=["delivery", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

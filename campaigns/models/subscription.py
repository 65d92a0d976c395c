"""Lists, consent to them (subscriptions) and addresses never to be mailed.

Consent is evidence: a double opt-in keeps when it was asked and confirmed, from
where (site, portal, preference centre) and the exact text the person agreed to; a
subscription staff add keeps its legal basis and who added it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import ContactPerson, Language, Office

from ..querysets import ListScopedQuerySet, OfficeScopedQuerySet


class MailSettings(models.Model):
    """An office's sender identity and throttle (one row per office, optional).

    UWG Art. 3 lit. o: mass advertising must name its sender correctly and offer an
    easy opt-out; the sender name and postal address go into every newsletter.
    """

    office = models.OneToOneField(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="mail_settings",
    )
    sender_name = models.CharField(_("sender name"), max_length=200)
    sender_email = models.EmailField(_("sender e-mail"))
    postal_address = models.TextField(
        _("postal address"), help_text=_("Printed in every newsletter's footer.")
    )
    reply_to = models.EmailField(_("reply-to"), blank=True)
    bounce_email = models.EmailField(
        _("bounce address"),
        blank=True,
        help_text=_(
            "Envelope sender for plain SMTP; '+<delivery>' is added before the @ "
            "(VERP) so that a bounce names the delivery."
        ),
    )
    messages_per_minute = models.PositiveIntegerField(
        _("messages per minute"),
        default=600,
        help_text=_("Throttle of newsletter sending; 0 sends as fast as possible."),
    )

    class Meta:
        verbose_name = _("mail settings")
        verbose_name_plural = _("mail settings")

    def __str__(self) -> str:
        return f"{self.sender_name} <{self.sender_email}>"


class MailingList(models.Model):
    """A list people subscribe to (employer newsletter, events, integration award)."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    consent_text = models.TextField(
        _("consent text"),
        help_text=_(
            "What a person agrees to when subscribing; kept with each consent."
        ),
    )
    consent_text_version = models.CharField(
        _("consent text version"), max_length=20, default="1"
    )
    is_public = models.BooleanField(
        _("offered on the site and in the preference centre"), default=True
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")
        ordering = ["office__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "slug"], name="mailinglist_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SubscriptionSource(models.TextChoices):
    SITE = "site", _("sign-up on the site")
    PORTAL = "portal", _("portal")
    PREFERENCES = "preferences", _("preference centre")
    STAFF = "staff", _("added by staff")
    IMPORT = "import", _("import")


class LegalBasis(models.TextChoices):
    """Why staff may mail a person they add (UWG Art. 3 lit. o)."""

    CONSENT = "consent", _("consent given in person or in writing")
    CUSTOMER = "customer", _("existing relationship, similar services, opt-out offered")
    PUBLIC_TASK = "public_task", _("information within the office's legal mandate")


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        ACTIVE = "active", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("list"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    person = models.ForeignKey(
        ContactPerson,
        verbose_name=_("contact person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(
        _("source"), max_length=12, choices=SubscriptionSource.choices
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=12, choices=LegalBasis.choices, blank=True
    )
    consent_text = models.TextField(_("consent text agreed to"), blank=True)
    consent_text_version = models.CharField(
        _("consent text version"), max_length=20, blank=True
    )
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ListScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["mailing_list", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "email"], name="subscription_unique_email"
            )
        ]
        indexes = [
            models.Index(fields=["person", "mailing_list", "status"]),
            models.Index(fields=["mailing_list", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.mailing_list}"


class Suppression(models.Model):
    """An address that must not be mailed: on one list, or (no list) on any."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        HARD_BOUNCE = "hard_bounce", _("hard bounce")
        COMPLAINT = "complaint", _("complaint")
        MANUAL = "manual", _("manual")

    email = models.EmailField(_("e-mail"), db_index=True)
    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("list"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suppressions",
        help_text=_("Empty: the address gets no newsletter at all."),
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("suppression")
        verbose_name_plural = _("suppression list")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"

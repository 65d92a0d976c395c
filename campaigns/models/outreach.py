"""Acquisition and reactivation campaigns: a call/visit list assigned to staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Contact, ContactPerson, Employer, Office

from ..querysets import CampaignScopedQuerySet, OfficeScopedQuerySet


class OutreachCampaign(models.Model):
    class Kind(models.TextChoices):
        ACQUISITION = "acquisition", _("acquisition")
        REACTIVATION = "reactivation", _("reactivation")

    class Assignment(models.TextChoices):
        REGION = "region", _("by language region (staff languages)")
        FIXED_CONTACT = "fixed_contact", _("by the employer's fixed contact")
        EVENLY = "evenly", _("evenly")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    segment = models.ForeignKey(
        "campaigns.Segment",
        verbose_name=_("segment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignment = models.CharField(
        _("assignment"),
        max_length=14,
        choices=Assignment.choices,
        default=Assignment.EVENLY,
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), related_name="+"
    )
    channel = models.CharField(
        _("channel of the outcome contacts"),
        max_length=20,
        choices=Contact.Channel.choices,
        default=Contact.Channel.PHONE,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("outreach campaign")
        verbose_name_plural = _("outreach campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class OutreachTarget(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REACHED = "reached", _("reached")
        MEETING = "meeting", _("meeting agreed")
        NOT_INTERESTED = "not_interested", _("not interested")
        CONVERTED = "converted", _("converted")

    campaign = models.ForeignKey(
        OutreachCampaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        ContactPerson,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.OPEN
    )
    last_contact = models.ForeignKey(
        Contact,
        verbose_name=_("last contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CampaignScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("outreach target")
        verbose_name_plural = _("outreach targets")
        ordering = ["employer__legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "employer"], name="outreachtarget_unique_employer"
            )
        ]
        indexes = [models.Index(fields=["campaign", "assignee", "status"])]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.employer}"

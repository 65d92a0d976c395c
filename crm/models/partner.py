"""The partner network: organisations, their contact persons (with the IIZ contact
person of each institution), agreements, and inter-institutional handovers (IIZ).

The handover situations follow the IIZ agreement between an IV office and a social
service (seed 003): referred and co-supported in either direction, handed over
directly, or not handed over at all.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MultipleChoiceField

from ..querysets import OfficeScopedQuerySet, PartnerContactQuerySet
from .case import CaseReference
from .employer import Employer
from .office import Office


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("chamber of commerce")
        TRADE_ASSOCIATION = "trade_association", _("trade association")
        EMPLOYER_ASSOCIATION = "employer_association", _("employer association")
        SECTOR_ASSOCIATION = "sector_association", _("sector association")
        SERVICE_CLUB = "service_club", _("service club")
        RAV = "rav", _("regional employment centre (RAV)")
        SOCIAL_SERVICES = "social_services", _("social services")
        VOCATIONAL_GUIDANCE = "vocational_guidance", _("vocational guidance")
        RAD = "rad", _("regional medical service (RAD)")
        DOCTORS_NETWORK = "doctors_network", _("doctors' or psychiatry network")
        DAILY_SICKNESS_INSURER = "daily_sickness_insurer", _("daily-sickness insurer")
        PENSION_FUND = "pension_fund", _("pension fund")
        SUVA = "suva", _("Suva")
        PRIVATE_INSURER = "private_insurer", _("private insurer")
        AHV_OFFICE = "ahv_office", _("AHV compensation office")
        COACHING_PROVIDER = "coaching_provider", _("coaching provider")
        STAFFING_AGENCY = "staffing_agency", _("staffing agency")
        NETWORK_PROJECT = "network_project", _("network project")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    municipality = models.CharField(_("town"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["office", "kind"], name="partner_kind_idx")]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person at a partner organisation; one of them may be its IIZ contact."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_iiz_contact = models.BooleanField(_("IIZ contact person"), default=False)
    public = models.BooleanField(
        _("show in the public contact directory"),
        default=False,
        help_text=_("Only for IIZ contact persons."),
    )

    objects = PartnerContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner contact person")
        verbose_name_plural = _("partner contact persons")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(public=False) | models.Q(is_iiz_contact=True),
                name="partnercontact_public_only_iiz",
                violation_error_message=_(
                    "Only IIZ contact persons are shown in the public directory."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.partner})"


class Agreement(models.Model):
    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("cooperation agreement")
        CONCERTO = "concerto", _("ConCerto-like agreement (multi-canton employer)")
        RAD_PSYCHIATRY = "rad_psychiatry", _("RAD / psychiatry agreement")
        IIZ = "iiz", _("IIZ agreement")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    employers = models.ManyToManyField(
        Employer, verbose_name=_("employers"), blank=True, related_name="agreements"
    )
    partners = models.ManyToManyField(
        PartnerOrganisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="agreements",
    )
    scope = models.TextField(_("scope"), blank=True)
    interfaces = models.TextField(_("interfaces"), blank=True)
    channels = models.TextField(_("communication channels"), blank=True)
    deadlines = models.TextField(_("deadlines"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    renewal_notice_days = models.PositiveSmallIntegerField(
        _("remind before the end (days)"), default=90
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    renewal_reminded_on = models.DateField(
        _("renewal reminder sent on"), null=True, blank=True, editable=False
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["valid_until", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="agreement_until_after_from",
                violation_error_message=_("An agreement cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Handover(models.Model):
    """An inter-institutional handover (IIZ) of a person between the office and a
    partner institution, as in the IIZ agreement (seed 003)."""

    class Situation(models.TextChoices):
        PARTNER_TO_BOTH = (
            "partner_to_both",
            _("referred by the partner to the IV, both keep supporting"),
        )
        IV_TO_BOTH = (
            "iv_to_both",
            _("registered with the partner by the IV, both keep supporting"),
        )
        DIRECT = "direct", _("handed over directly, the first stops supporting")
        NONE = "none", _("not handed over, the first stops supporting")

    class Direction(models.TextChoices):
        FROM_PARTNER = "from_partner", _("from the partner to the IV")
        TO_PARTNER = "to_partner", _("from the IV to the partner")

    class SupportOutcome(models.TextChoices):
        ONGOING = "ongoing", _("ongoing")
        JOB_FOUND = "job_found", _("job found")
        ENDED_WITHOUT_JOB = "ended_without_job", _("placement support ended, no job")

    class PartnerMeasure(models.TextChoices):
        """Relevant measures in between that lift the re-referral guard (seed 003)."""

        MOTIVATION = "motivation", _("effective motivation work")
        EMPLOYABILITY = "employability", _("employability validated")
        PREPARATION = "preparation", _("additional preparation for employment")
        TRAINING = "training", _("additional training")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    case = models.ForeignKey(
        CaseReference,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="handovers",
        null=True,
        blank=True,
    )
    ahv_hash = models.CharField(
        _("AHV number (keyed hash)"), max_length=64, blank=True, editable=False
    )
    situation = models.CharField(
        _("situation"), max_length=16, choices=Situation.choices
    )
    direction = models.CharField(
        _("direction"), max_length=12, choices=Direction.choices
    )
    referred_on = models.DateField(_("referred on"))
    office_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator at the IV"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    partner_coordinator = models.ForeignKey(
        PartnerContact,
        verbose_name=_("coordinator at the partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    network_meeting_on = models.DateField(
        _("network meeting on"), null=True, blank=True
    )
    joint_goal_agreement = models.BooleanField(_("joint goal agreement"), default=False)
    written_request = models.BooleanField(
        _("written request of the person"), default=False
    )
    partner_measures = MultipleChoiceField(
        _("relevant measures since the last referral"),
        item_choices=PartnerMeasure.choices,
    )
    support_outcome = models.CharField(
        _("placement support"),
        max_length=20,
        choices=SupportOutcome.choices,
        default=SupportOutcome.ONGOING,
    )
    support_ended_on = models.DateField(
        _("placement support ended on"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("IIZ handover")
        verbose_name_plural = _("IIZ handovers")
        ordering = ["-referred_on"]
        indexes = [
            models.Index(fields=["partner", "ahv_hash"], name="handover_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} – {self.get_situation_display()} ({self.referred_on})"

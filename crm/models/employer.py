from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from ..querysets import EmployerQuerySet
from ..validators import validate_uid
from .choices import (
    Canton,
    CompanyLanguage,
    ContactStatus,
    CooperationType,
    Intensity,
    LanguageRegion,
    LegalForm,
    RegisterStatus,
    RelationshipStatus,
    SectorGroup,
    SizeClass,
)
from .office import Office


class Employer(models.Model):
    """An employer (Arbeitgeber), identified by its UID, led by one office."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("lead office"),
        on_delete=models.PROTECT,
        related_name="employers",
    )
    shared_with = models.ManyToManyField(
        Office,
        verbose_name=_("shared with offices"),
        blank=True,
        related_name="shared_employers",
        help_text=_(
            "For employers active in several cantons: these offices see the employer "
            "and log their own contacts with it."
        ),
    )
    # Identity
    legal_name = models.CharField(_("legal name"), max_length=255)
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Brands and former names, one a line."),
    )
    uid = models.CharField(
        _("UID"),
        max_length=15,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_uid],
        help_text=_("Swiss enterprise number, e.g. CHE-123.456.789."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    register_status = models.CharField(
        _("register status"),
        max_length=12,
        choices=RegisterStatus.choices,
        default=RegisterStatus.ACTIVE,
    )
    # Address and reach
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    canton = models.CharField(_("canton"), max_length=2, choices=Canton.choices)
    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Segmentation
    noga_code = models.CharField(
        _("NOGA 2008 code"),
        max_length=7,
        blank=True,
        help_text=_("e.g. 62.01 or 620100"),
    )
    sector_group = models.CharField(
        _("sector group"), max_length=20, choices=SectorGroup.choices, blank=True
    )
    fte = models.DecimalField(
        _("full-time equivalents"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SizeClass.choices, blank=True
    )
    language_region = models.CharField(
        _("language region"), max_length=2, choices=LanguageRegion.choices
    )
    multi_canton = models.BooleanField(_("active in several cantons"), default=False)
    company_language = models.CharField(
        _("company language"), max_length=2, choices=CompanyLanguage.choices, blank=True
    )
    # In-house capabilities and insurers
    has_health_management = models.BooleanField(
        _("workplace health management"), default=False
    )
    has_case_management = models.BooleanField(
        _("in-house case management"), default=False
    )
    has_job_coaching = models.BooleanField(_("in-house job coaching"), default=False)
    daily_sickness_insurer = models.CharField(
        _("daily-sickness insurer"), max_length=200, blank=True
    )
    pension_fund = models.CharField(_("pension fund"), max_length=200, blank=True)
    daily_sickness_insurer_partner = models.ForeignKey(
        "crm.PartnerOrganisation",
        verbose_name=_("daily-sickness insurer (partner)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insured_employers",
        limit_choices_to={"kind": "daily_sickness_insurer"},
    )
    pension_fund_partner = models.ForeignKey(
        "crm.PartnerOrganisation",
        verbose_name=_("pension fund (partner)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pension_employers",
        limit_choices_to={"kind": "pension_fund"},
    )
    can_offer_adapted_work = models.BooleanField(
        _("can offer adapted work"), default=False
    )
    occupations = models.TextField(
        _("occupations and fields"), blank=True, help_text=_("One a line.")
    )
    # Relationship with the office
    relationship_status = models.CharField(
        _("relationship status"),
        max_length=12,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.NEW,
    )
    cooperation_type = models.CharField(
        _("cooperation type"), max_length=1, choices=CooperationType.choices, blank=True
    )
    intensity = models.CharField(
        _("intensity"), max_length=12, choices=Intensity.choices, blank=True
    )
    fixed_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fixed contact person at the IV"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fixed_contact_for",
    )
    deputy_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy_contact_for",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="branches",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Derived from contacts by crm.services.contacts.employer_contact_stats_refresh;
    # never edited by hand.
    last_contact_on = models.DateField(
        _("last contact"), null=True, blank=True, editable=False
    )
    last_case_independent_contact_on = models.DateField(
        _("last case-independent contact"), null=True, blank=True, editable=False
    )
    quality_score = models.DecimalField(
        _("contact-quality score"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Mean of the contact-quality ratings, recent ones weigh more."),
    )
    contact_due_on = models.DateField(
        _("case-independent contact due on"), null=True, blank=True, editable=False
    )
    contact_overdue_on = models.DateField(
        _("case-independent contact overdue on"), null=True, blank=True, editable=False
    )

    objects = EmployerQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["legal_name"]
        permissions = [
            ("export_employer", _("Can export employers")),
            ("merge_employer", _("Can merge employers")),
            ("view_case_related", _("Can see case-related items")),
        ]
        indexes = [
            models.Index(fields=["office", "legal_name"]),
            models.Index(fields=["office", "canton"]),
            models.Index(fields=["office", "relationship_status"]),
            models.Index(fields=["office", "cooperation_type"]),
            models.Index(fields=["fixed_contact"]),
            models.Index(fields=["postcode"]),
            models.Index(
                fields=["office", "contact_due_on"], name="employer_contact_due_idx"
            ),
            # Segments (campaigns/segment_query.py): office + canton + size class +
            # last case-independent contact, with the key, answered from the index.
            models.Index(
                fields=[
                    "office",
                    "canton",
                    "size_class",
                    "last_case_independent_contact_on",
                    "id",
                ],
                name="employer_segment_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def contact_status_on(self, day: date) -> str:
        """ContactStatus of the case-independent contact rule on `day`.

        Empty outside the portfolio (relationship status new, active, reactivation).
        A portfolio employer whose dates were never worked out has no case-independent
        contact on record, so it is due.
        """
        if self.relationship_status not in RelationshipStatus.portfolio():
            return ""
        if self.contact_due_on is None:
            return ContactStatus.DUE
        if self.contact_overdue_on is not None and day >= self.contact_overdue_on:
            return ContactStatus.OVERDUE
        if day >= self.contact_due_on:
            return ContactStatus.DUE
        return ContactStatus.OK

    @property
    def contact_status(self) -> str:
        return self.contact_status_on(timezone.localdate())

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.fte is not None:
            expected = SizeClass.for_fte(self.fte)
            if not self.size_class:
                self.size_class = expected
            elif self.size_class != expected:
                errors["fte"] = ValidationError(
                    _(
                        "%(fte)s FTE is a %(expected)s employer, not %(given)s. "
                        "Correct the FTE or the size class."
                    ),
                    code="fte_size_class",
                    params={
                        "fte": self.fte,
                        "expected": expected.label,
                        "given": SizeClass(self.size_class).label,
                    },
                )
        if self.deputy_contact_id and self.deputy_contact_id == self.fixed_contact_id:
            errors["deputy_contact"] = ValidationError(
                _("The deputy cannot be the fixed contact person."),
                code="deputy_is_fixed",
            )
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = ValidationError(
                _("An employer cannot be its own parent company."), code="own_parent"
            )
        if errors:
            raise ValidationError(errors)


class CooperationAssessment(models.Model):
    """One dated entry of an employer's cooperation type and intensity, with a reason.

    The study's types describe practice, and practice changes: the history shows how
    a relationship moved (e.g. from C to B) and why.
    """

    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="cooperation_history",
    )
    valid_from = models.DateField(_("valid from"))
    cooperation_type = models.CharField(
        _("cooperation type"), max_length=1, choices=CooperationType.choices, blank=True
    )
    intensity = models.CharField(
        _("intensity"), max_length=12, choices=Intensity.choices, blank=True
    )
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A default, not auto_now_add, so that imports and the demo keep historical dates.
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("cooperation assessment")
        verbose_name_plural = _("cooperation history")
        ordering = ["-valid_from", "-recorded_at"]
        indexes = [models.Index(fields=["employer", "-valid_from"])]

    def __str__(self) -> str:
        kind = f"{self.cooperation_type}/{self.intensity}"
        return f"{self.employer} {kind} {self.valid_from}"

"""Case references (Fallreferenz) and early-detection reports (Meldung).

The CRM is not a second case file: a case reference points to a case in the office's
case-management system by its case number and holds only what employer work needs
(employer, aim, phase, who handles it, what the employer may be told). There are no
name, diagnosis or health fields, on purpose; `tests/crm/test_cases.py` lists the
fields. An AHV number is kept only as a keyed hash (`crm/ahv.py`).
Writes go through `crm.services.cases`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..querysets import CaseQuerySet, OfficeScopedQuerySet
from .employer import Employer
from .office import Office


class LoadLevel(models.IntegerChoices):
    """Physical or psychological load of a place, or what a person can take on.
    Ordered, so that matching compares numbers."""

    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class CaseReference(models.Model):
    class Aim(models.TextChoices):
        KEEP_JOB = "keep_job", _("keep the job")
        PLACEMENT = "placement", _("placement elsewhere")

    class Phase(models.TextChoices):
        EARLY_DETECTION = "early_detection", _("early detection")
        EARLY_INTERVENTION = "early_intervention", _("early intervention")
        INTEGRATION = "integration", _("integration measures")
        VOCATIONAL = "vocational", _("vocational measures")
        PENSION_ASSESSMENT = "pension_assessment", _("pension assessment")
        CLOSED = "closed", _("closed")

        @classmethod
        def placement(cls) -> list[str]:
            """Phases in which a person is being placed with an employer."""
            return [cls.INTEGRATION, cls.VOCATIONAL]

    class ConsentScope(models.TextChoices):
        """What the insured person agreed the employer may be told; each level
        includes the ones before it."""

        PHASE = "phase", _("that the IV supports the case, and its phase")
        MEASURES = "measures", _("phase and measures at the employer")
        PLACEMENTS = "placements", _("phase, measures and placements")

        @classmethod
        def rank(cls, scope: str) -> int:
            return cls.values.index(scope) + 1 if scope in cls.values else 0

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="cases"
    )
    case_number = models.CharField(
        _("case number"),
        max_length=40,
        help_text=_("The number in the office's case-management system; no names."),
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        help_text=_("The current employer; empty for a placement from no job."),
    )
    aim = models.CharField(_("aim"), max_length=12, choices=Aim.choices)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.EARLY_DETECTION
    )
    integration_specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("integration specialist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_integration",
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_officer",
    )
    # Consent to inform the employer (Einwilligung), study §3 and R23.
    consent_given_on = models.DateField(
        _("consent to inform the employer given on"), null=True, blank=True
    )
    consent_scope = models.CharField(
        _("consent covers"), max_length=12, choices=ConsentScope.choices, blank=True
    )
    consent_withdrawn_on = models.DateField(
        _("consent withdrawn on"), null=True, blank=True
    )
    # For matching with job opportunities: functional, never medical.
    region = models.CharField(_("region"), max_length=100, blank=True)
    occupation = models.CharField(_("occupation sought"), max_length=200, blank=True)
    max_physical_load = models.PositiveSmallIntegerField(
        _("physical load possible up to"),
        choices=LoadLevel.choices,
        null=True,
        blank=True,
    )
    max_psychological_load = models.PositiveSmallIntegerField(
        _("psychological load possible up to"),
        choices=LoadLevel.choices,
        null=True,
        blank=True,
    )
    max_workload_percent = models.PositiveSmallIntegerField(
        _("workload possible up to (%)"), null=True, blank=True
    )
    ahv_hash = models.CharField(
        _("AHV number (keyed hash)"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case reference")
        verbose_name_plural = _("case references")
        ordering = ["-created_at"]
        permissions = [("approve_measure", "Can approve measures above the limit")]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "case_number"], name="case_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(consent_given_on__isnull=True)
                | ~models.Q(consent_scope=""),
                name="case_consent_has_scope",
                violation_error_message=_("Say what the consent covers."),
            ),
            # A withdrawal needs a consent, on or after the day it was given.
            models.CheckConstraint(
                condition=models.Q(consent_withdrawn_on__isnull=True)
                | models.Q(
                    consent_given_on__isnull=False,
                    consent_withdrawn_on__gte=models.F("consent_given_on"),
                ),
                name="case_consent_withdrawn_after_given",
                violation_error_message=_(
                    "Consent can only be withdrawn on or after the day it was given."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "office"], name="case_employer_idx"),
            models.Index(fields=["office", "phase", "region"], name="case_match_idx"),
            models.Index(fields=["ahv_hash"], name="case_ahv_idx"),
        ]

    def __str__(self) -> str:
        return str(_("Case %(number)s")) % {"number": self.case_number}

    def clean(self) -> None:
        """Consent is recorded as it happened: not in the future (the withdrawal
        may be announced ahead), and withdrawn only after it was given (the
        constraint above; checked here to show it at the field)."""
        errors = {}
        if self.consent_given_on and self.consent_given_on > timezone.localdate():
            errors["consent_given_on"] = ValidationError(
                _("Consent cannot be given in the future."), code="consent_future"
            )
        if self.consent_withdrawn_on and (
            self.consent_given_on is None
            or self.consent_withdrawn_on < self.consent_given_on
        ):
            errors["consent_withdrawn_on"] = ValidationError(
                _("Consent can only be withdrawn on or after the day it was given."),
                code="consent_withdrawn_before_given",
            )
        if errors:
            raise ValidationError(errors)

    def consent_active_on(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.consent_given_on is not None
            and self.consent_given_on <= day
            and (self.consent_withdrawn_on is None or self.consent_withdrawn_on > day)
        )

    def consent_covers(self, scope: str, day: date | None = None) -> bool:
        """Whether the employer may be told about `scope` (a ConsentScope) today."""
        return self.consent_active_on(day) and self.ConsentScope.rank(
            self.consent_scope
        ) >= self.ConsentScope.rank(scope)


class EarlyDetectionReport(models.Model):
    """An early-detection report (Meldung) and how fast the office reacted."""

    class Reporter(models.TextChoices):
        EMPLOYER = "employer", _("employer")
        INSURED = "insured", _("insured person")
        DOCTOR = "doctor", _("doctor")
        DAILY_SICKNESS_INSURER = "daily_sickness_insurer", _("daily-sickness insurer")
        OTHER = "other", _("other")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        CaseReference,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reporter = models.CharField(
        _("reported by"), max_length=24, choices=Reporter.choices
    )
    received_on = models.DateField(_("received on"))
    first_contact_on = models.DateField(_("first contact on"), null=True, blank=True)
    first_contact_due_on = models.DateField(
        _("first contact due on"),
        help_text=_("The office's target, in business days without public holidays."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("early-detection report")
        verbose_name_plural = _("early-detection reports")
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.get_reporter_display()} {self.received_on} – {self.case}"

    @property
    def target_met(self) -> bool | None:
        """True / False once decided; None while the first contact may still come."""
        if self.first_contact_on is not None:
            return self.first_contact_on <= self.first_contact_due_on
        if timezone.localdate() > self.first_contact_due_on:
            return False
        return None

"""Measures (Massnahmen, instruments) per case and employer.

Status planned → granted → running → ended, or cancelled before it ends. Only
granted measures (granted, running, ended) count in figures: the BSV's coding rule
is to record a measure when it is actually granted (seed 004). Writes, the status
flow, the decision limit and the duration rules live in `crm.services.measures`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..querysets import MeasureQuerySet
from .case import CaseReference
from .choices import NO_HEALTH_DATA
from .employer import Employer
from .office import Office


class Measure(models.Model):
    class Kind(models.TextChoices):
        WORKPLACE_ADAPTATION = (
            "workplace_adaptation",
            _("early intervention: workplace adaptation"),
        )
        TRAINING = "training", _("early intervention: training")
        INTEGRATION = "integration", _("integration measure")
        RETRAINING = "retraining", _("retraining")
        JOB_PLACEMENT = "job_placement", _("job placement")
        WORK_TRAINING = "work_training", _("work training")
        TRIAL_PLACEMENT = "trial_placement", _("trial placement")
        ONBOARDING_SUBSIDY = "onboarding_subsidy", _("onboarding subsidy")
        COMPENSATION_BVG = (
            "compensation_bvg",
            _("compensation for increased BVG contributions"),
        )
        COMPENSATION_KTG = (
            "compensation_ktg",
            _("compensation for increased KTG contributions"),
        )
        STAFF_LEASING = "staff_leasing", _("staff leasing")
        COACHING = "coaching", _("coaching and aftercare")
        ADVICE_AFTER_PLACEMENT = "advice_after_placement", _("advice after placement")

        @classmethod
        def compensation(cls) -> list[str]:
            return [cls.COMPENSATION_BVG, cls.COMPENSATION_KTG]

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        GRANTED = "granted", _("granted")
        RUNNING = "running", _("running")
        ENDED = "ended", _("ended")
        CANCELLED = "cancelled", _("cancelled")

        @classmethod
        def counted(cls) -> list[str]:
            """Statuses that count in figures: the measure was granted."""
            return [cls.GRANTED, cls.RUNNING, cls.ENDED]

    #: The status flow: from → the statuses it may move to.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PLANNED: (Status.GRANTED, Status.CANCELLED),
        Status.GRANTED: (Status.RUNNING, Status.CANCELLED),
        Status.RUNNING: (Status.ENDED, Status.CANCELLED),
        Status.ENDED: (),
        Status.CANCELLED: (),
    }

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        CaseReference,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="measures",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("measure"), max_length=24, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    amount_chf = models.DecimalField(
        _("amount (CHF)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    provider = models.ForeignKey(
        "crm.PartnerOrganisation",
        verbose_name=_("provider"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    placement = models.ForeignKey(
        "crm.Placement",
        verbose_name=_("placement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        help_text=_("For contribution compensation: the placement it follows."),
    )
    decided_on_site = models.BooleanField(_("decided on site"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    needs_approval = models.BooleanField(
        _("needs approval"),
        default=False,
        help_text=_("Decided on site above the decision limit."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, help_text=NO_HEALTH_DATA)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-start_on", "-created_at"]
        indexes = [
            models.Index(fields=["employer", "office"], name="measure_employer_idx"),
            models.Index(fields=["case", "status"], name="measure_case_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(start_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="measure_end_after_start",
                violation_error_message=_("A measure cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount_chf__isnull=True)
                | models.Q(amount_chf__gte=0),
                name="measure_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.case}"

    @property
    def is_counted(self) -> bool:
        return self.status in self.Status.counted()

    @property
    def awaiting_approval(self) -> bool:
        return self.needs_approval and self.approved_at is None

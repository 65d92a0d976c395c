"""Placements (Vermittlung): a case placed with an employer, usually into one of its
job opportunities, and what came of it. Writes go through
`crm.services.placements`, which also plans the retention follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..querysets import PlacementQuerySet
from .case import CaseReference
from .employer import Employer
from .office import Office
from .opportunity import JobOpportunity


class Placement(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("under way")
        CONTRACT_SIGNED = "contract_signed", _("employment contract signed")
        TRIAL_COMPLETED = "trial_completed", _("trial completed")
        ENDED_EARLY = "ended_early", _("ended early")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        CaseReference,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    opportunity = models.ForeignKey(
        JobOpportunity,
        verbose_name=_("job opportunity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=JobOpportunity.Kind.choices
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    advice_until = models.DateField(
        _("advice after placement until"),
        help_text=_("Employer and person may ask for advice up to this date."),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_on", "-created_at"]
        indexes = [
            models.Index(
                fields=["employer", "office", "-start_on"],
                name="placement_employer_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="placement_end_after_start",
                violation_error_message=_("A placement cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.employer} ({self.start_on})"

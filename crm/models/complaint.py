"""Complaints (Reklamation): taken seriously, and the employer told what was done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..querysets import OfficeScopedQuerySet
from .choices import NO_HEALTH_DATA
from .contact import Channel
from .employer import Employer
from .office import Office


class Complaint(models.Model):
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    subject = models.TextField(_("subject"), help_text=NO_HEALTH_DATA)
    measures_taken = models.TextField(
        _("measures taken"), blank=True, help_text=NO_HEALTH_DATA
    )
    employer_informed_on = models.DateField(
        _("employer told what was done on"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer_informed_on__isnull=True)
                | models.Q(employer_informed_on__gte=models.F("received_on")),
                name="complaint_informed_after_received",
                violation_error_message=_(
                    "The employer cannot be told before the complaint came in."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} ({self.received_on})"

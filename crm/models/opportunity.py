"""Job opportunities (Stellenangebot) an employer offers: a job, an apprenticeship, a
trial place or a work-training place. Reported in the portal or recorded by staff;
writes go through `crm.services.opportunities`."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..querysets import JobOpportunityQuerySet
from .case import LoadLevel
from .employer import Employer
from .office import Office
from .person import ContactPerson


class JobOpportunity(models.Model):
    class Kind(models.TextChoices):
        JOB = "job", _("job")
        APPRENTICESHIP = "apprenticeship", _("apprenticeship")
        TRIAL_PLACE = "trial_place", _("trial place")
        WORK_TRAINING = "work_training", _("work-training place")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PROPOSED = "proposed", _("candidate proposed")
        FILLED = "filled", _("filled")
        NOT_FILLED = "not_filled", _("could not be filled")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Source(models.TextChoices):
        PORTAL = "portal", _("portal")
        STAFF = "staff", _("recorded by staff")
        API = "api", _("API")

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="job_opportunities",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="job_opportunities",
    )
    reported_by = models.ForeignKey(
        ContactPerson,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="job_opportunities",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("job title"), max_length=200)
    description = models.TextField(_("tasks and requirements"), blank=True)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    physical_load = models.PositiveSmallIntegerField(
        _("physical load"), choices=LoadLevel.choices, null=True, blank=True
    )
    psychological_load = models.PositiveSmallIntegerField(
        _("psychological load"), choices=LoadLevel.choices, null=True, blank=True
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    workload_percent = models.PositiveSmallIntegerField(
        _("workload (%)"), null=True, blank=True
    )
    location = models.CharField(_("place of work"), max_length=200, blank=True)
    start_on = models.DateField(_("start"), null=True, blank=True)
    adapted_work_possible = models.BooleanField(
        _("adapted or light duties possible"), default=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.STAFF
    )
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = JobOpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("job opportunity")
        verbose_name_plural = _("job opportunities")
        ordering = ["-reported_on", "-created_at"]
        indexes = [
            # The employer page's latest places: the whole ORDER BY, so a LIMIT
            # reads ten index entries even with 20,000 places (bench case_views).
            models.Index(
                fields=["employer", "-reported_on", "-created_at"],
                name="opportunity_employer_at_idx",
            ),
            models.Index(fields=["office", "status"], name="opportunity_office_idx"),
            # Matching: open places of an office in a region.
            models.Index(
                fields=["office", "status", "region"], name="opportunity_match_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workload_percent__isnull=True)
                | models.Q(workload_percent__gte=5, workload_percent__lte=100),
                name="opportunity_workload_5_to_100",
                violation_error_message=_("The workload goes from 5 to 100 %."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} – {self.employer}"

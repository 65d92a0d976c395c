"""One import a person started in the admin: the uploaded file, where it stands, its
preview and its result.

The import itself is `services.import_run`, shared with the CLI and the API; a job
only remembers what the admin needs between the steps (upload → mapping → preview →
confirm) and what a Celery worker needs to run a large file in the background.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm.models import Office
from crm.querysets import OfficeScopedQuerySet

from .specs import SPECS


def _random_name(folder: str, filename: str) -> str:
    # A random name: the office's data must not be found by guessing a path.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"imports/{folder}/{uuid.uuid4().hex}{suffix}"


def upload_path(job: "ImportJob", filename: str) -> str:
    return _random_name("uploads", filename)


def report_path(job: "ImportJob", filename: str) -> str:
    return _random_name("reports", filename)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        PREVIEWING = "previewing", _("checking the file")
        PREVIEW_READY = "preview_ready", _("preview ready")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    # A job in one of these may still be cancelled: nothing has been written yet.
    WAITING = (Status.UPLOADED, Status.PREVIEWING, Status.PREVIEW_READY)
    RUNNING = (Status.PREVIEWING, Status.IMPORTING)

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="import_jobs",
    )
    resource = models.CharField(
        _("data"),
        max_length=20,
        choices=[(name, spec.label) for name, spec in SPECS.items()],
    )
    file = models.FileField(_("file"), upload_to=upload_path, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # The admin language at upload: a worker writes its messages in it.
    language = models.CharField(_("language"), max_length=10, default="de")
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.UPLOADED
    )
    partial = models.BooleanField(_("write the valid rows only"), default=False)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows"), default=0)
    # {header: column name, or "" to ignore}: the mapping step's answers.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # Headers of the file no column recognised (the mapping step asks about them).
    unknown_headers = models.JSONField(_("unknown columns"), default=list, blank=True)
    # counts, warnings, file errors, the first rows' outcomes and every error row.
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    created_count = models.PositiveIntegerField(
        pgettext_lazy("rows", "created"), default=0
    )
    updated_count = models.PositiveIntegerField(
        pgettext_lazy("rows", "updated"), default=0
    )
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    error_report = models.FileField(
        _("error report"), upload_to=report_path, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["office", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

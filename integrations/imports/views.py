"""The import pages of the Wagtail admin (CRM → Import).

Upload → mapping of unknown columns → preview (a dry run of the import service) →
confirm → result, with the error report and the exports. Every job is fetched
through the person's office scope and the permission for its resource; anything
else is a 404, as if it did not exist.
"""

from __future__ import annotations

import tempfile
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from crm.models import Office
from crm.querysets import sees_all_offices, user_office_id

from .exporting import export_write
from .forms import (
    IMPORT_PERMISSIONS,
    ConfirmForm,
    MappingForm,
    UploadForm,
    exportable,
    importable,
    resource_choices,
)
from .jobs import (
    JobError,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_mapping_set,
    import_job_preview_start,
)
from .models import ImportJob
from .reading import TableError
from .services import ERROR, NEW, SKIP, UPDATE
from .specs import spec_get

RECENT_JOBS = 20
ROWS_SHOWN = 1000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_use(user) -> bool:
    return bool(importable(user) or exportable(user))


def _user_office(request: HttpRequest) -> Office | None:
    office_id = user_office_id(request.user)
    return Office.objects.filter(pk=office_id).first() if office_id else None


def _job(request: HttpRequest, pk: int) -> ImportJob:
    job = get_object_or_404(
        ImportJob.objects.visible_to(request.user).select_related("office"), pk=pk
    )
    if not request.user.has_perm(IMPORT_PERMISSIONS[job.resource]):
        raise Http404
    return job


def index(request: HttpRequest) -> HttpResponse:
    """The upload form, the exports and the office's recent imports."""
    if not may_use(request.user):
        raise PermissionDenied
    office = _user_office(request)
    can_import = bool(importable(request.user)) and (
        office is not None or sees_all_offices(request.user)
    )
    form = UploadForm(user=request.user)
    if request.method == "POST" and can_import:
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            job = _upload(request, form, office)
            if job is not None:
                return redirect(_next_url(job))
    jobs = ImportJob.objects.visible_to(request.user).select_related("office", "user")
    jobs = jobs.filter(resource__in=importable(request.user))[:RECENT_JOBS]
    context = {
        "form": form,
        "can_import": can_import,
        "exports": resource_choices(exportable(request.user)),
        "offices": Office.objects.order_by("code")
        if sees_all_offices(request.user)
        else [],
        "jobs": jobs,
    }
    return TemplateResponse(request, "imports/index.html", context)


def _upload(request: HttpRequest, form: UploadForm, office: Office | None):
    office = form.cleaned_data.get("office") or office
    try:
        job = import_job_create(
            office=office,
            user=request.user,
            resource=form.cleaned_data["resource"],
            upload=form.cleaned_data["file"],
        )
    except TableError as exc:
        form.add_error("file", str(exc))
        return None
    if not job.unknown_headers:
        import_job_preview_start(job)
    return job


def _next_url(job: ImportJob) -> str:
    if job.status == ImportJob.Status.UPLOADED and job.unknown_headers:
        return reverse("imports_mapping", args=[job.pk])
    return reverse("imports_job", args=[job.pk])


def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks which column each unrecognised header fills, or to ignore it."""
    job = _job(request, pk)
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("imports_job", pk=job.pk)
    spec = spec_get(job.resource)
    form = MappingForm(
        request.POST or None, spec=spec, headers=list(job.unknown_headers)
    )
    if request.method == "POST" and form.is_valid():
        try:
            import_job_mapping_set(job, form.mapping())
            import_job_preview_start(job)
        except JobError as exc:
            messages.error(request, str(exc))
        return redirect("imports_job", pk=job.pk)
    context = {"job": job, "form": form, "spec": spec}
    return TemplateResponse(request, "imports/mapping.html", context)


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress while a task works, the preview with its confirmation, the result."""
    job = _job(request, pk)
    if job.status == ImportJob.Status.UPLOADED and job.unknown_headers:
        return redirect("imports_mapping", pk=job.pk)
    preview = job.preview or {}
    counts = preview.get("counts", {})
    total = sum(counts.values()) or 1
    context = {
        "job": job,
        "spec": spec_get(job.resource),
        "preview": preview,
        "bar": [
            (status, label, counts.get(status, 0), 100 * counts.get(status, 0) / total)
            for status, label in (
                (NEW, pgettext("import row", "new")),
                (UPDATE, _("update")),
                (SKIP, _("unchanged")),
                (ERROR, _("error")),
            )
        ],
        "rows": preview.get("rows", [])[:ROWS_SHOWN],
        "rows_left_out": max(0, len(preview.get("rows", [])) - ROWS_SHOWN)
        + preview.get("rows_left_out", 0),
        "has_errors": bool(counts.get(ERROR)),
        "can_confirm": job.status == ImportJob.Status.PREVIEW_READY
        and not preview.get("file_errors")
        and (counts.get(NEW, 0) + counts.get(UPDATE, 0)) > 0,
        "confirm_form": ConfirmForm(),
    }
    return TemplateResponse(request, "imports/job.html", context)


def job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar polls."""
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "running": job.is_running,
        }
    )


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        import_job_confirm(job, partial=form.cleaned_data.get("partial", False))
    except JobError as exc:
        messages.error(request, str(exc))
    return redirect("imports_job", pk=job.pk)


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_job_cancel(job)
        messages.success(request, _("The import was cancelled; nothing was written."))
    except JobError as exc:
        messages.error(request, str(exc))
    return redirect("imports_index")


def error_report(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded rows with a column holding each row's errors."""
    job = _job(request, pk)
    if not job.error_report:
        raise Http404
    stem = PurePath(job.filename).stem
    return FileResponse(
        job.error_report.open("rb"),
        as_attachment=True,
        filename=f"{stem}-errors.{job.format}",
        content_type=CONTENT_TYPES[job.format],
    )


def export(request: HttpRequest, resource: str, fmt: str) -> FileResponse:
    """A resource of the person's office as CSV or XLSX, in the import's columns.

    Written to a temporary file first (XLSX must be complete before it is sent)
    and streamed from there, so no export sits in memory whole."""
    if resource not in exportable(request.user) or fmt not in CONTENT_TYPES:
        raise PermissionDenied
    office = _user_office(request)
    if sees_all_offices(request.user):
        chosen = request.GET.get("office")
        office = get_object_or_404(Office, pk=chosen) if chosen else None
    elif office is None:
        raise PermissionDenied
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    export_write(resource, fmt, out, office)
    out.seek(0)
    stamp = timezone.localdate().isoformat()
    code = office.code if office else "all"
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{resource}-{code}-{stamp}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )

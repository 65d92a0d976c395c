"""The admin's import jobs: upload → (mapping) → preview → confirm → result.

Each step calls the one import service (`services.import_run`) the CLI and the API
use: the preview is its dry run, the confirmation its real run. Files with more rows
than `settings.IMPORT_BACKGROUND_ROWS` run both in a Celery task (tasks.py), which
reports its progress on the job; smaller files run in the request.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from crm.models import Office

from .exporting import cell_neutralise
from .models import ImportJob
from .reading import Table, TableError, size_check, table_read
from .services import ERROR, NEW, SKIP, UPDATE, ImportResult, headers_map, import_run
from .specs import Spec, spec_get

logger = logging.getLogger(__name__)

ERROR_COLUMN = "Fehler / Erreur / Error"
PREVIEW_ROWS = 200  # outcomes kept for the preview page, besides every error row
HEAD_BYTES = 64 * 1024

Status = ImportJob.Status


class JobError(Exception):
    """A step the job cannot take now; says why, in the user's language."""


# --- Upload ------------------------------------------------------------------------


def table_head(data: bytes, *, fmt: str) -> tuple[list[str], int]:
    """The header line and about how many rows the file has, without reading it all.

    Raises TableError for what `table_read` would refuse on its first lines.
    """
    if fmt == "xlsx":
        return _xlsx_head(data)
    head = data
    if len(data) > HEAD_BYTES:
        head = data[: data.rfind(b"\n", 0, HEAD_BYTES) + 1] or data[:HEAD_BYTES]
    table = table_read(head, fmt="csv")
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return table.headers, max(len(table.rows), lines - 1)


def _xlsx_head(data: bytes) -> tuple[list[str], int]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("This file is not a readable XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        headers: list[str] = []
        first = 0
        for number, record in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(cell not in (None, "") for cell in record):
                headers = ["" if c is None else str(c).strip() for c in record]
                first = number
                break
        rows = (sheet.max_row or first) - first
    finally:
        book.close()
    if not [h for h in headers if h]:
        raise TableError(_("The file is empty: no header line was found."))
    return headers, max(rows, 0)


def import_job_create(
    *, office: Office, user, resource: str, upload: UploadedFile
) -> ImportJob:
    """Keeps the uploaded file and notes the columns no header name recognised."""
    size_check(upload.size)
    data = upload.read()
    fmt = format_guess(data, upload.name)
    headers, rows = table_head(data, fmt=fmt)
    _assigned, unknown, _warnings = headers_map(spec_get(resource), headers)
    job = ImportJob(
        office=office,
        user=user,
        resource=resource,
        filename=PurePath(upload.name).name[:255],
        format=fmt,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        unknown_headers=unknown,
        progress_total=rows,
    )
    job.file.save(job.filename, ContentFile(data), save=False)
    job.save()
    return job


def format_guess(data: bytes, filename: str) -> str:
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return ImportJob.Format.XLSX
    return ImportJob.Format.CSV


def import_job_mapping_set(job: ImportJob, mapping: dict[str, str]) -> None:
    """The mapping step's answers: {header: column name, or "" to ignore it}."""
    if job.status != Status.UPLOADED:
        raise JobError(_("This import has moved on; its columns cannot change now."))
    job.mapping = mapping
    job.save(update_fields=["mapping"])


# --- Preview and import ------------------------------------------------------------


def runs_in_background(rows: int) -> bool:
    return rows > settings.IMPORT_BACKGROUND_ROWS


def import_job_preview_start(job: ImportJob) -> None:
    """Checks the file (a dry run): here for small files, in a task for large ones."""
    moved = ImportJob.objects.filter(pk=job.pk, status=Status.UPLOADED).update(
        status=Status.PREVIEWING, progress_done=0
    )
    if not moved:
        raise JobError(_("This import has been checked already."))
    job.status = Status.PREVIEWING
    if runs_in_background(job.progress_total):
        from .tasks import import_job_preview_task

        transaction.on_commit(lambda: import_job_preview_task.delay(job_id=job.pk))
    else:
        import_job_preview(job.pk)
        job.refresh_from_db()


def import_job_confirm(job: ImportJob, *, partial: bool) -> None:
    """Writes the previewed file: here for small files, in a task for large ones.

    A preview with errors is written only with `partial` (its valid rows); a file
    error (a missing column …) cannot be written at all."""
    preview = job.preview or {}
    if preview.get("file_errors"):
        raise JobError(_("The file cannot be imported: see the errors above."))
    errors = preview.get("counts", {}).get(ERROR, 0)
    if errors and not partial:
        raise JobError(
            _(
                "The file has rows with errors. Correct them and upload it again, or "
                "choose to write the valid rows only."
            )
        )
    moved = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW_READY).update(
        status=Status.IMPORTING, partial=partial and bool(errors), progress_done=0
    )
    if not moved:
        raise JobError(_("This import is not waiting for a confirmation."))
    job.status = Status.IMPORTING
    if runs_in_background(job.progress_total):
        from .tasks import import_job_run_task

        transaction.on_commit(lambda: import_job_run_task.delay(job_id=job.pk))
    else:
        import_job_run(job.pk)
        job.refresh_from_db()


def import_job_cancel(job: ImportJob) -> None:
    """Cancels a job nothing has been written for; its uploaded file is deleted."""
    moved = ImportJob.objects.filter(pk=job.pk, status__in=ImportJob.WAITING).update(
        status=Status.CANCELLED, finished_at=timezone.now()
    )
    if not moved:
        raise JobError(_("Only an import that is waiting can be cancelled."))
    job.refresh_from_db()
    _files_delete(job)


def _files_delete(job: ImportJob) -> None:
    for field in (job.file, job.error_report):
        if field:
            field.delete(save=False)
    job.save(update_fields=["file", "error_report"])


def import_job_preview(job_id: int) -> None:
    """The dry run of a job in PREVIEWING; a cancelled job is left alone."""
    _job_import(job_id, Status.PREVIEWING, dry_run=True)


def import_job_run(job_id: int) -> None:
    """The real run of a confirmed job (IMPORTING). Re-running it after a crash is
    harmless: rows already written match their natural key and are skipped."""
    _job_import(job_id, Status.IMPORTING)


def _job_import(job_id: int, expected: str, dry_run: bool = False) -> None:
    job = ImportJob.objects.select_related("office", "user").get(pk=job_id)
    if job.status != expected:
        return
    with translation.override(job.language), _failure_noted(job):
        table = _table(job)
        if table is None:
            return
        result = import_run(
            resource=job.resource,
            table=table,
            office=job.office,
            dry_run=dry_run,
            partial=False if dry_run else job.partial,
            mapping=job.mapping or None,
            by=job.user,
            progress=_progress(job),
        )
        _outcome_store(job, table, result, expected=expected)


@contextmanager
def _failure_noted(job: ImportJob):
    """An unexpected error ends the job as failed instead of leaving it running."""
    try:
        yield
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        import_job_fail(
            job.pk,
            _(
                "The import stopped with an error. The rows are written in one "
                "transaction: either all of them or none were written."
            ),
        )


def import_job_fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id, status__in=ImportJob.RUNNING).update(
        status=Status.FAILED, message=message, finished_at=timezone.now()
    )


def _table(job: ImportJob) -> Table | None:
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        return table_read(data, fmt=job.format, filename=job.filename)
    except TableError as exc:
        import_job_fail(job.pk, str(exc))
    except (OSError, ValueError):
        logger.exception("Import job %s: the uploaded file cannot be read", job.pk)
        import_job_fail(job.pk, _("The uploaded file can no longer be read."))
    return None


def _progress(job: ImportJob) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            progress_done=done, progress_total=total
        )

    return report


def _outcome_store(
    job: ImportJob, table: Table, result: ImportResult, *, expected: str
) -> None:
    spec = spec_get(job.resource)
    job.preview = preview_data(spec, table, result)
    job.progress_total = job.progress_done = len(table.rows)
    job.created_count, job.updated_count = result.created, result.updated
    job.skipped_count = result.skipped
    job.error_count = result.errors + len(result.file_errors)
    job.message = ""
    if expected == Status.PREVIEWING or not (result.written or result.ok):
        # After a confirmation the data may have changed since the preview: then
        # nothing was written and the person sees the new preview.
        if expected == Status.IMPORTING:
            job.message = _(
                "The data changed since the preview and the file now has errors: "
                "nothing was written. Check the new preview."
            )
        job.status = Status.PREVIEW_READY
    else:
        job.status, job.finished_at = Status.DONE, timezone.now()
    if job.error_report:
        job.error_report.delete(save=False)
    if result.errors:
        report = error_report_write(table, result, job.format)
        stem = PurePath(job.filename).stem
        job.error_report.save(f"{stem}-errors.{job.format}", report, save=False)
    fields = [
        "preview",
        "progress_total",
        "progress_done",
        "created_count",
        "updated_count",
        "skipped_count",
        "error_count",
        "message",
        "status",
        "finished_at",
        "error_report",
    ]
    values = {name: getattr(job, name) for name in fields}
    # Only if no one cancelled the job meanwhile.
    stored = ImportJob.objects.filter(pk=job.pk, status=expected).update(**values)
    if not stored and job.error_report:
        job.error_report.delete(save=False)


# --- What the preview page shows ---------------------------------------------------


def preview_data(spec: Spec, table: Table, result: ImportResult) -> dict:
    """Counts, messages and the rows' outcomes as JSON for the job.

    Keeps the first PREVIEW_ROWS outcomes and every error row; a new row shows the
    file's values, an update its old and new value per changed field."""
    index_of = {number: index for index, number in enumerate(table.numbers)}
    labels = _labels(spec)
    columns = [
        (table.headers.index(header), name)
        for header, name in result.mapping.items()
        if header in table.headers
    ]
    rows = []
    for position, outcome in enumerate(result.rows):
        if position >= PREVIEW_ROWS and outcome.status != ERROR:
            continue
        row: dict[str, Any] = {
            "number": outcome.number,
            "status": outcome.status,
            "messages": [str(m) for m in outcome.messages],
        }
        if outcome.status == NEW and outcome.number in index_of:
            record = table.rows[index_of[outcome.number]]
            row["cells"] = [
                [labels.get(name, name), _shown(spec, name, record[i])]
                for i, name in columns
                if i < len(record) and record[i] not in (None, "")
            ]
        if outcome.changes:
            row["changes"] = [
                [
                    labels.get(name, name),
                    _shown(spec, name, old),
                    _shown(spec, name, new),
                ]
                for name, (old, new) in outcome.changes.items()
            ]
        rows.append(row)
    return {
        "counts": {
            NEW: result.created,
            UPDATE: result.updated,
            SKIP: result.skipped,
            ERROR: result.errors,
        },
        "total": len(result.rows),
        "file_errors": [str(m) for m in result.file_errors],
        "warnings": [str(m) for m in result.warnings],
        "unknown_headers": list(result.unknown_headers),
        "mapping": dict(result.mapping),
        "rows": rows,
        "rows_left_out": len(result.rows) - len(rows),
    }


def _labels(spec: Spec) -> dict[str, str]:
    labels = {}
    for field in spec.model._meta.concrete_fields:
        labels[field.attname] = str(field.verbose_name)
        labels[field.name] = str(field.verbose_name)
    labels.update({c.name: str(c.label) for c in spec.columns()})
    return labels


def _shown(spec: Spec, name: str, value: Any) -> str:
    """A value as the person reads it: choice labels, Swiss dates, no None."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime | date | Decimal | float):
        return str(formats.localize(value))
    if isinstance(value, list):
        return ", ".join(_shown(spec, name, v) for v in value)
    if hasattr(value, "national_number"):
        return f"+{value.country_code}{value.national_number}"
    try:
        field = spec.model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


# --- Error report ------------------------------------------------------------------


def error_report_write(table: Table, result: ImportResult, fmt: str) -> ContentFile:
    """The uploaded rows with an added column holding each row's messages."""
    messages = {
        row.number: " ".join(str(m) for m in row.messages)
        for row in result.rows
        if row.status == ERROR
    }
    headers = [cell_neutralise(h) for h in (*table.headers, ERROR_COLUMN)]
    # Every cell, the file's own and the messages quoting them: a report opened in
    # a spreadsheet must not run what the upload smuggled in. The ' comes off again
    # when the corrected report is imported.
    lines = (
        [cell_neutralise(cell) for cell in (*record, messages.get(number, ""))]
        for record, number in zip(table.rows, table.numbers, strict=True)
    )
    out = io.BytesIO()
    if fmt == ImportJob.Format.XLSX:
        _xlsx_write(out, headers, lines)
    else:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, delimiter=table.delimiter or ";")
        writer.writerow(headers)
        writer.writerows(lines)
        text.flush()
        text.detach()
    return ContentFile(out.getvalue())


def _xlsx_write(out: io.BytesIO, headers: list, lines) -> None:
    """Cells arrive neutralised: none starts with `=`, which openpyxl would store
    as a formula."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Import")
    sheet.append(headers)
    for line in lines:
        sheet.append(line)
    book.save(out)

"""POST /api/v1/imports/<resource>/: a CSV or XLSX file through the one import
service the admin and `crm_import` use (`integrations.imports.services.import_run`),
for the calling office, with the same dry run, `partial` and messages."""

from __future__ import annotations

import hashlib

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.imports.jobs import PREVIEW_ROWS
from integrations.imports.reading import TableError, size_check, table_read
from integrations.imports.services import ERROR, NEW, SKIP, UPDATE, import_run
from integrations.imports.specs import SPECS

from .permissions import request_office, request_token
from .problems import ProblemException
from .services import request_fingerprint
from .views import IDEMPOTENCY_HEADER, ApiViewMixin, IdempotentCreateMixin

FORMATS = ("csv", "xlsx")


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "CSV (comma, semicolon or tab; UTF-8 or Windows-1252) or XLSX, with a "
            "header line in German, French or English."
        ),
    )
    format = serializers.ChoiceField(
        choices=FORMATS,
        required=False,
        help_text=_("csv or xlsx; without it, taken from the file name and content."),
    )
    dry_run = serializers.BooleanField(
        default=False,
        help_text=_("Check the file and answer what would happen; write nothing."),
    )
    partial = serializers.BooleanField(
        default=False,
        help_text=_(
            "Write the valid rows of a file with errors (else nothing is written)."
        ),
    )


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        help_text=_("Row number in the file (1 is the header line).")
    )
    status = serializers.ChoiceField(choices=(NEW, UPDATE, SKIP, ERROR))
    messages = serializers.ListField(child=serializers.CharField())


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    skipped = serializers.IntegerField()
    errors = serializers.IntegerField()
    written = serializers.BooleanField(
        help_text=_("Whether anything was written (false on a dry run).")
    )
    warnings = serializers.ListField(child=serializers.CharField())
    rows = ImportRowSerializer(
        many=True,
        help_text=_(
            "Each row with errors; on a dry run also the first rows, as many as "
            "the admin's preview shows."
        ),
    )


def _rows(result, *, dry_run: bool) -> list[dict]:
    """Rows with errors; on a dry run the first PREVIEW_ROWS rows besides (the
    admin preview's cap)."""
    rows = []
    for position, outcome in enumerate(result.rows):
        if outcome.status != ERROR and not (dry_run and position < PREVIEW_ROWS):
            continue
        rows.append(
            {
                "row": outcome.number,
                "status": outcome.status,
                "messages": [str(m) for m in outcome.messages],
            }
        )
    return rows


def _counts(result) -> dict:
    return {
        "created": result.created,
        "updated": result.updated,
        "skipped": result.skipped,
        "errors": result.errors,
    }


def _file_problem(messages: list[str]) -> ProblemException:
    return ProblemException(
        status_code=status.HTTP_400_BAD_REQUEST,
        slug="import-file",
        detail=" ".join(str(m) for m in messages),
        errors={"file": [str(m) for m in messages]},
    )


@extend_schema(
    summary=str(_("Import a CSV or XLSX file")),
    description=str(
        _(
            "Imports employers, contact persons, contacts, job opportunities or "
            "partner organisations into your office, as the admin's import and "
            "crm_import do: headers in German, French or English, rows matched by "
            "UID (persons by e-mail), so re-sending a file changes nothing. Without "
            "partial, nothing is written when a row is invalid (422)."
        )
    ),
    tags=["imports"],
    parameters=[
        OpenApiParameter(
            name="resource",
            type=OpenApiTypes.STR,
            location=OpenApiParameter.PATH,
            enum=sorted(SPECS),
        ),
        IDEMPOTENCY_HEADER,
    ],
    request={"multipart/form-data": ImportRequestSerializer},
    responses={200: ImportResultSerializer},
)
class ImportView(ApiViewMixin, IdempotentCreateMixin, APIView):
    """One import of a file for the calling office."""

    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        """The resource's model: a signed-in staff member needs its add permission."""
        resource = self.kwargs.get("resource")
        if resource not in SPECS:
            raise Http404
        return SPECS[resource].model._default_manager.none()

    def idempotency_fingerprint(self, request: Request) -> str:
        """The file by its content (a multipart body has no stable JSON form)."""
        data = {
            name: value
            for name, value in request.data.items()
            if name != "file" and not hasattr(value, "read")
        }
        upload = request.data.get("file")
        if hasattr(upload, "chunks"):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            data["file"] = digest.hexdigest()
        return request_fingerprint(request.method, request.path, data)

    def post(self, request: Request, resource: str) -> Response:
        if resource not in SPECS:
            raise Http404
        return self.idempotent(request, lambda: self._import(request, resource))

    def _import(self, request: Request, resource: str) -> Response:
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        try:
            size_check(upload.size)
        except TableError as exc:
            raise _file_problem([str(exc)]) from None
        try:
            table = table_read(
                upload.read(), fmt=data.get("format"), filename=upload.name or ""
            )
        except TableError as exc:
            raise _file_problem([str(exc)]) from None
        dry_run, partial = data["dry_run"], data["partial"]
        result = import_run(
            resource=resource,
            table=table,
            office=request_office(request),
            dry_run=dry_run,
            partial=partial,
            by=None if request_token(request) else request.user,
        )
        if result.file_errors:
            raise _file_problem(result.file_errors)
        rows = _rows(result, dry_run=dry_run)
        if result.errors and not result.written and not dry_run:
            raise ProblemException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
                slug="import-rows-invalid",
                detail=ngettext(
                    "%(count)s row has errors, so nothing was written. Correct it, "
                    "or send partial=true to write the valid rows.",
                    "%(count)s rows have errors, so nothing was written. Correct "
                    "them, or send partial=true to write the valid rows.",
                    result.errors,
                )
                % {"count": result.errors},
                errors={
                    str(row["row"]): row["messages"]
                    for row in rows
                    if row["status"] == ERROR
                },
                extensions={"counts": _counts(result), "rows": rows},
            )
        return Response(
            {
                **_counts(result),
                "written": result.written,
                "warnings": [str(w) for w in result.warnings],
                "rows": rows,
            }
        )

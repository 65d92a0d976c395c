"""Every API error as an RFC 9457 problem detail (`application/problem+json`).

    {"type": "…/problems/validation", "title": "Your request is not valid.",
     "status": 400, "detail": "…", "instance": "/api/v1/employers/",
     "errors": {"uid": ["…"]}}

Plain HTTP errors (401, 403, 404, 405, 429 …) use the type `about:blank` and the
status phrase as title, as the RFC suggests; errors a client can act on have their
own type, explained at that URI.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"

#: slug → (title, what it means and what to do). Served at /api/v1/problems/<slug>.
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    "validation": (
        _("Your request is not valid."),
        _("One or more fields are wrong; 'errors' names each field and why."),
    ),
    "idempotency-key-reused": (
        _("This Idempotency-Key was used with another request."),
        _(
            "An Idempotency-Key stands for one request body for 24 hours. Send a "
            "new key for a different request."
        ),
    ),
    "idempotency-key-in-use": (
        _("A request with this Idempotency-Key is still being processed."),
        _("Wait for the first request to finish, then repeat yours."),
    ),
    "rate-limited": (
        _("Too many requests."),
        _("The token has made too many requests; wait Retry-After seconds."),
    ),
    "import-file": (
        _("The file cannot be imported."),
        _(
            "The file is not a CSV or XLSX table, is too large, or lacks a required "
            "column; 'errors' says which. Nothing was written."
        ),
    ),
    "import-rows-invalid": (
        _("Rows of the file are not valid."),
        _(
            "Nothing was written because rows have errors; 'rows' names each row "
            "and why. Correct them, or send partial=true to write the valid rows."
        ),
    ),
}


class ProblemRenderer(JSONRenderer):
    media_type = PROBLEM_CONTENT_TYPE
    format = "problem+json"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was first sent with a different request body or path."
    )
    default_code = "idempotency-key-reused"


class ProblemException(exceptions.APIException):
    """An error with its own problem type and extension members (RFC 9457 §3.2):
    `slug` names the type, `errors` and `extensions` go into the body."""

    def __init__(
        self,
        *,
        status_code: int,
        slug: str,
        detail: str = "",
        errors: dict | None = None,
        extensions: dict | None = None,
    ):
        super().__init__(detail=detail or PROBLEM_TYPES[slug][0], code=slug)
        self.status_code = status_code
        self.slug = slug
        self.errors = errors
        self.extensions = extensions or {}


class IdempotencyKeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is being processed.")
    default_code = "idempotency-key-in-use"


def problem_type_uri(request: HttpRequest | None, slug: str) -> str:
    path = reverse("api:problem", kwargs={"slug": slug})
    return request.build_absolute_uri(path) if request is not None else path


def problem_body(
    *,
    request: HttpRequest | None,
    status_code: int,
    detail: str = "",
    slug: str = "",
    errors: dict | None = None,
) -> dict:
    if slug in PROBLEM_TYPES:
        kind, title = problem_type_uri(request, slug), str(PROBLEM_TYPES[slug][0])
    else:
        kind, title = "about:blank", HTTPStatus(status_code).phrase
    body = {
        "type": kind,
        "title": title,
        "status": status_code,
        "detail": str(detail or title),
        "instance": request.path if request is not None else "",
    }
    if errors is not None:
        body["errors"] = errors
    return body


def _field_errors(detail) -> dict[str, list[str]]:
    """DRF's nested error detail → {"field": ["message", …]} (dotted for nesting)."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for field, value in detail.items():
            name = (
                api_settings.NON_FIELD_ERRORS_KEY
                if field == NON_FIELD_ERRORS
                else field
            )
            for sub, messages in _field_errors(value).items():
                flat.setdefault(f"{name}.{sub}" if sub else name, []).extend(messages)
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {"": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            for sub, messages in _field_errors(item).items():
                key = f"{index}.{sub}" if sub else str(index)
                flat.setdefault(key, []).extend(messages)
        return flat
    return {"": [str(detail)]}


def django_validation_error_to_drf(
    exc: DjangoValidationError,
) -> exceptions.ValidationError:
    """A service's ValidationError, per field as the service named the fields."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                (
                    api_settings.NON_FIELD_ERRORS_KEY
                    if field == NON_FIELD_ERRORS
                    else field
                ): messages
                for field, messages in exc.message_dict.items()
            }
        )
    return exceptions.ValidationError(
        {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}
    )


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: the problem-details form of every error."""
    request = context.get("request")
    if isinstance(exc, DjangoValidationError):
        exc = django_validation_error_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if not isinstance(exc, exceptions.APIException):
        logger.exception("API error", exc_info=exc)
        set_rollback()
        return _problem_response(
            problem_body(request=request, status_code=500), status_code=500
        )

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, ProblemException):
        body = problem_body(
            request=request,
            status_code=exc.status_code,
            detail=str(exc.detail),
            slug=exc.slug,
            errors=exc.errors,
        )
        body.update(exc.extensions)
    elif isinstance(exc, exceptions.ValidationError):
        body = problem_body(
            request=request,
            status_code=exc.status_code,
            slug="validation",
            detail=str(_("See 'errors' for what is wrong with each field.")),
            errors={
                (field or api_settings.NON_FIELD_ERRORS_KEY): messages
                for field, messages in _field_errors(exc.detail).items()
            },
        )
    else:
        slug = {
            status.HTTP_429_TOO_MANY_REQUESTS: "rate-limited",
        }.get(
            exc.status_code,
            exc.default_code if exc.default_code in PROBLEM_TYPES else "",
        )
        detail = exc.detail if isinstance(exc.detail, str) else ""
        body = problem_body(
            request=request, status_code=exc.status_code, detail=detail, slug=slug
        )
    set_rollback()
    return _problem_response(body, status_code=exc.status_code, headers=headers)


def _problem_response(body: dict, *, status_code: int, headers=None) -> Response:
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_json_response(
    request: HttpRequest, status_code: int, **kwargs
) -> JsonResponse:
    """For plain Django views (unknown API paths): the same body outside DRF."""
    return JsonResponse(
        problem_body(request=request, status_code=status_code, **kwargs),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )

"""drf-spectacular post-processing: the problem-details answers of every operation."""

from __future__ import annotations

from .problems import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Validation errors: field name → messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "counts": {
            "type": "object",
            "description": "Imports: rows created, updated, skipped, with errors.",
            "additionalProperties": {"type": "integer"},
        },
        "rows": {
            "type": "array",
            "description": "Imports: each row with errors (row number, messages).",
            "items": {"type": "object"},
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}

DESCRIPTIONS = {
    "400": "Invalid request (see 'errors')",
    "401": "No valid token (missing, unknown, expired or revoked)",
    "403": "Not allowed (e.g. a read-only token writing)",
    "404": "Not found in your office",
    "409": "A request with this Idempotency-Key is being processed",
    "422": "Idempotency-Key reused with another request",
    "429": "Rate limit exceeded; see Retry-After",
}
# The import endpoint's own reasons for 400 and 422.
IMPORT_DESCRIPTIONS = {
    "400": (
        "The file is not a CSV/XLSX table, is too large or lacks a required column "
        "(see 'errors'); nothing was written"
    ),
    "422": (
        "Rows are invalid and nothing was written (see 'errors' and 'rows'), or "
        "Idempotency-Key reused with another request"
    ),
}


def _problem(code: str, descriptions: dict | None = None) -> dict:
    return {
        "description": (descriptions or DESCRIPTIONS).get(code, DESCRIPTIONS[code]),
        "content": {
            PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        PROBLEM_SCHEMA
    )
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = ["400", "401", "403", "429"]
            if "{" in path:
                codes.append("404")
            if method == "post":
                codes += ["409", "422"]
            responses = operation.setdefault("responses", {})
            special = IMPORT_DESCRIPTIONS if "/imports/" in path else None
            for code in codes:
                responses.setdefault(code, _problem(code, special))
    return result


def api_endpoints_only(endpoints):
    """Only /api/v1/ in the schema (Wagtail's admin has DRF views of its own)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]

"""Report: live pages of the default language without a live translation."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.models import Locale, Page


def missing_translations_rows() -> list[dict]:
    """One row per default-language page that lacks a live translation somewhere."""
    languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if default is None:
        return []
    pages = list(
        Page.objects.live().filter(locale=default, depth__gt=1).order_by("path")
    )
    live = {}
    for key, code in (
        Page.objects.live()
        .filter(translation_key__in=[page.translation_key for page in pages])
        .values_list("translation_key", "locale__language_code")
    ):
        live.setdefault(key, set()).add(code)
    rows = []
    for page in pages:
        present = live.get(page.translation_key, set())
        missing = [code for code in languages if code not in present]
        if missing:
            rows.append(
                {
                    "page": page,
                    "missing": [code.upper() for code in missing],
                    "present": [code.upper() for code in languages if code in present],
                }
            )
    return rows


def missing_translations(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "cms/admin/missing_translations.html",
        {"rows": missing_translations_rows()},
    )

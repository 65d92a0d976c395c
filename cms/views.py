"""Public views that are not pages: site search, robots.txt, error pages."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over the live pages in the visitor's language."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        locale = Locale.objects.filter(language_code=get_language()).first()
        pages = Page.objects.live().public().specific()
        if locale is not None:
            pages = pages.filter(locale=locale)
        results = pages.search(query)
    page = Paginator(results, 10).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "cms/search.html", {"query": query, "results": page}
    )


@require_GET
@cache_page(60 * 60)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /portal/",
        *(f"Disallow: /{code}/portal/" for code, _name in settings.LANGUAGES[1:]),
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page without context processors: it must render when little works."""
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)

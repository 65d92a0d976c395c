"""Whole-page caching of the public site, invalidated on publish.

Anonymous GETs of a page are served from the cache. The key carries a site-wide
*version* that `pages_cache_invalidate` bumps whenever a page is published,
unpublished, moved or deleted (menus, news lists and translations link pages to each
other, so one publish may change many pages), and the page's own
`last_published_at`, so that a process whose cache missed the bump (local memory in
another worker) still never serves an older version of the page itself. Production
shares the cache between workers with CACHE_URL (e.g. Redis).
"""

from __future__ import annotations

from django.core.cache import cache
from django.template.response import SimpleTemplateResponse
from django.utils.translation import get_language

VERSION_KEY = "cms:pages:version"
PAGE_TIMEOUT = 60 * 60  # seconds; publish invalidates sooner


def pages_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def pages_cache_invalidate(**_kwargs) -> None:
    """Signal receiver: every cached page is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (first run, or evicted)
        cache.set(VERSION_KEY, 2, timeout=None)


def _cacheable(request) -> bool:
    return (
        request.method == "GET"
        and not getattr(request, "is_preview", False)
        and not request.user.is_authenticated
    )


class CachedPageMixin:
    """For page models: serve() answers from the cache for anonymous visitors."""

    def cache_key_extra(self, request) -> str | None:
        """Part of the key that depends on the request; None: do not cache.
        Pages without query parameters only, by default."""
        return None if request.GET else ""

    def serve(self, request, *args, **kwargs):
        extra = self.cache_key_extra(request) if _cacheable(request) else None
        if extra is None:
            return super().serve(request, *args, **kwargs)
        published = self.last_published_at.timestamp() if self.last_published_at else 0
        key = (
            f"cms:page:{pages_cache_version()}:{self.pk}:{published}:"
            f"{get_language()}:{request.path}:{extra}"
        )
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = super().serve(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.add_post_render_callback(
                lambda rendered: cache.set(key, rendered, PAGE_TIMEOUT)
            )
        return response

"""The language switcher: for a page, its live translations; elsewhere (portal,
search) the same URL in the other languages."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """[{code, name, url, current}] for every language the visitor can switch to."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    links = []
    if page is not None and hasattr(page, "get_translations"):
        pages = {page.locale.language_code: page}
        for translation in page.get_translations().live().select_related("locale"):
            pages[translation.locale.language_code] = translation
        for code, _name in settings.LANGUAGES:
            if code in pages:
                links.append(_link(code, pages[code].get_url(request), current))
        return links
    if request is None:
        return links
    for code, _name in settings.LANGUAGES:
        links.append(_link(code, translate_url(request.get_full_path(), code), current))
    return links


def _link(code: str, url: str, current: str) -> dict:
    return {
        "code": code,
        "name": get_language_info(code)["name_local"],
        "url": url,
        "current": code == current,
    }

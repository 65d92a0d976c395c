"""From blocks to the mail: MJML compiled once per language, then personalised.

`version_compile` renders the blocks into the layout, compiles the MJML (mjml-python),
makes every link absolute and, with tracking on, replaces each link by a numbered
slot `[[link:N]]`; the link list is kept on the version, and the click redirect goes
only to links on that list. Per recipient only the slots are filled in.
"""

from __future__ import annotations

import html as html_lib
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from mjml import mjml2html

from ..mail import office_sender
from ..models import Newsletter, NewsletterVersion

HREF = re.compile(r'href="([^"]+)"')
RELATIVE = re.compile(r'((?:href|src)=")/(?!/)')


def _absolute(html: str) -> str:
    return RELATIVE.sub(lambda m: f"{m.group(1)}{settings.SITE_URL}/", html)


def version_context(version: NewsletterVersion) -> dict:
    newsletter = version.newsletter
    name, address, postal = office_sender(newsletter.office)
    return {
        "version": version,
        "newsletter": newsletter,
        "site_url": settings.SITE_URL,
        "sender_name": name,
        "sender_email": address,
        "postal_address": postal,
        "tracking": newsletter.tracking,
    }


def version_compile(version: NewsletterVersion, *, save: bool = True) -> None:
    """Compiles the version once (MJML → HTML, text part, link list)."""
    context = version_context(version)
    with translation.override(version.language):
        mjml = render_to_string("campaigns/email/newsletter.mjml", context)
        html = _absolute(mjml2html(mjml))
        text = render_to_string("campaigns/email/newsletter.txt", context)
    links: list[str] = []
    if version.newsletter.tracking:

        def _slot(match: re.Match) -> str:
            url = html_lib.unescape(match.group(1))
            if not url.startswith(("http://", "https://")) or "[[" in url:
                return match.group(0)
            if url not in links:
                links.append(url)
            return f'href="[[link:{links.index(url)}]]"'

        html = HREF.sub(_slot, html)
    version.compiled_html = html
    version.compiled_text = _absolute(text)
    version.links = links
    if save:
        version.save(update_fields=["compiled_html", "compiled_text", "links"])


def newsletter_compile(newsletter: Newsletter) -> None:
    for version in newsletter.versions.all():
        version_compile(version)


def block_text(block) -> str:
    """The text part of one block (no MJML, readable in any mail program)."""
    value = block.value
    kind = block.block_type
    if kind == "heading":
        return f"{value}\n{'=' * len(str(value))}"
    if kind == "text":
        source = re.sub(
            r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", str(value)
        )
        source = re.sub(r"</p>|<br\s*/?>|</li>", "\n", source)
        return html_lib.unescape(strip_tags(source)).strip()
    if kind == "button":
        return f"{value['text']}: {value['url']}"
    if kind == "image":
        return f"[{value['alt']}]"
    if kind == "page_teaser":
        page = value["page"]
        teaser = f"\n{value['text']}" if value["text"] else ""
        return f"{page.title}{teaser}\n{page.full_url}"
    if kind == "event_teaser":
        when = f"{value['date']:%d.%m.%Y} {value['place']}".strip()
        return f"{value['title']} – {when}\n{value['url']}"
    if kind == "divider":
        return "-" * 40
    return ""


def preview_html(version: NewsletterVersion, *, name: str = "") -> str:
    """The compiled HTML as a recipient sees it, links untracked (admin preview)."""
    version_compile(version, save=False)
    values = {
        "greeting": name,
        "unsubscribe_url": "#",
        "preferences_url": "#",
        "open_pixel": "",
    }
    values.update({f"link:{i}": url for i, url in enumerate(version.links)})
    from ..mime import SLOT

    return SLOT.sub(
        lambda m: html_lib.escape(values.get(m.group(1), ""), quote=True),
        version.compiled_html,
    )

"""The demo website: German pages with French translations (the home page also in
Italian and English), and the two demo portal users. Idempotent: a page that exists
(by slug under its parent) is left as it is.

`site_and_portal_seed(result)` is called once from `demo_seed`.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from .portal import demo_portal_seed
from .site_content import (
    DIRECTORY,
    DIRECTORY_ENTRIES,
    EMPLOYERS,
    HOME,
    IIZ_NOTE,
    INSTRUMENTS,
    NEWS,
)


@transaction.atomic
def site_and_portal_seed(result) -> None:
    """Builds the site and the portal users; adds the portal logins to `result`.

    Portal users belong to two existing BE employers: with fewer (`--employers 0`
    is offices and staff only), only the site is built."""
    from ..models import Employer
    from . import DEMO_PASSWORD

    demo_site_seed()
    if Employer.objects.filter(office__code="BE").count() >= 2:
        result.logins.extend(demo_portal_seed(DEMO_PASSWORD))


def demo_site_seed() -> None:
    from wagtail.models import Locale

    from cms.models import HomePage

    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code in ("de", "fr", "it", "en")
    }
    home = HomePage.objects.filter(locale=locales["de"], depth=2).first()
    if home is None:
        return
    _update(home, HOME["de"])
    for code in ("fr", "it", "en"):
        _translation(home, locales[code], HOME[code])
    employers = _employers_page(home, locales)
    for instrument, german, french in INSTRUMENTS:
        page = _child(
            employers,
            "InstrumentPage",
            {**german, **_contact("de")},
            instrument=instrument,
        )
        _translation(page, locales["fr"], {**french, **_contact("fr")})
    _news(home, locales)
    _directory(home, locales)


def _contact(language: str) -> dict:
    team, _responsibility, phone, email, _hours = EMPLOYERS[language]["card"]
    return {"contact_team": team, "contact_phone": phone, "contact_email": email}


def _publish(page) -> None:
    page.save_revision().publish()


def _update(page, fields: dict) -> None:
    changed = [name for name, value in fields.items() if getattr(page, name) != value]
    if changed:
        for name in changed:
            setattr(page, name, fields[name])
        _publish(page)


def _child(parent, model_name: str, fields: dict, **extra):
    from cms import models as cms_models

    model = getattr(cms_models, model_name)
    existing = parent.get_children().filter(slug=fields["slug"]).first()
    if existing is not None:
        return existing.specific
    page = model(show_in_menus=True, **fields, **extra)
    parent.add_child(instance=page)
    _publish(page)
    return page


def _translation(page, locale, fields: dict):
    existing = page.get_translations().filter(locale=locale).first()
    if existing is not None:
        _update(existing.specific, fields)
        return existing.specific
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    _publish(copy)
    return copy


def _body(texts: dict, portal_url: str) -> list[tuple[str, dict | str]]:
    team, responsibility, phone, email, hours = texts["card"]
    heading, text, label = texts["cta"]
    title, url, duration = texts["video"]
    return [
        ("text", texts["text"]),
        (
            "call_to_action",
            {
                "heading": heading,
                "text": text,
                "link_url": portal_url,
                "link_label": label,
            },
        ),
        (
            "faq",
            {
                "heading": "FAQ",
                "items": [{"question": q, "answer": a} for q, a in texts["faq"]],
            },
        ),
        (
            "contact_card",
            {
                "team": team,
                "responsibility": responsibility,
                "phone": phone,
                "email": email,
                "hours": hours,
            },
        ),
        ("video", {"title": title, "url": url, "duration": duration}),
    ]


def _employers_page(home, locales):
    german = EMPLOYERS["de"]
    page = _child(
        home,
        "InformationPage",
        {"title": german["title"], "slug": german["slug"], "intro": german["intro"]},
    )
    if not page.body:
        page.body = _body(german, "/portal/")
        _publish(page)
    french = EMPLOYERS["fr"]
    translated = _translation(
        page,
        locales["fr"],
        {"title": french["title"], "slug": french["slug"], "intro": french["intro"]},
    )
    if translated.body.raw_data == page.body.raw_data:
        translated.body = _body(french, "/fr/portal/")
        _publish(translated)
    return page


def _news(home, locales):
    title, slug, intro, items = NEWS["de"]
    index = _child(
        home, "NewsIndexPage", {"title": title, "slug": slug, "intro": intro}
    )
    fr_title, fr_slug, fr_intro, fr_items = NEWS["fr"]
    _translation(
        index, locales["fr"], {"title": fr_title, "slug": fr_slug, "intro": fr_intro}
    )
    for number, ((title, slug, intro), (fr_title, fr_slug, fr_intro)) in enumerate(
        zip(items, fr_items, strict=True)
    ):
        day = date(2026, 2, 2 + number * 14)
        news = _child(
            index,
            "NewsPage",
            {"title": title, "slug": slug, "intro": intro, "date": day},
        )
        _translation(
            news, locales["fr"], {"title": fr_title, "slug": fr_slug, "intro": fr_intro}
        )


def _directory(home, locales):
    from cms.models import DirectoryEntry

    from ..models import Office

    # The demo site is the BE office's (its entries, its portal users).
    office = Office.objects.filter(code="BE").first()
    title, slug, intro = DIRECTORY["de"]
    page = _child(
        home, "ContactDirectoryPage", {"title": title, "slug": slug, "intro": intro}
    )
    _update(page, {"office": office})
    if not page.entries.exists():
        page.entries = [
            DirectoryEntry(
                area=area,
                region=region,
                name=name,
                function=functions[0],
                phone=phone,
                email=email,
                note=IIZ_NOTE["de"] if area == "iiz" else "",
            )
            for area, region, name, functions, phone, email in DIRECTORY_ENTRIES
        ]
        _publish(page)
    fr_title, fr_slug, fr_intro = DIRECTORY["fr"]
    translated = _translation(
        page,
        locales["fr"],
        {"title": fr_title, "slug": fr_slug, "intro": fr_intro, "office": office},
    )
    entries = list(translated.entries.all())
    french = [
        (functions[1], IIZ_NOTE["fr"] if area == "iiz" else "")
        for area, _region, _name, functions, *_rest in DIRECTORY_ENTRIES
    ]
    if [(entry.function, entry.note) for entry in entries] != french[: len(entries)]:
        for entry, (function, note) in zip(entries, french, strict=False):
            entry.function, entry.note = function, note
        translated.entries = entries
        _publish(translated)

"""Opens (a 1×1 pixel) and clicks (a redirect) from signed tokens.

The click token names a delivery and a link number; the URL comes from the link
list of that newsletter version, so the redirect can only go where the newsletter
itself links: a forged or edited token is refused, there is no URL to smuggle in.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Delivery, NewsletterVersion, TrackingEvent
from ..tokens import TokenInvalid, token_read


def open_record(token: str) -> None:
    try:
        (delivery_id,) = token_read("open", token)
    except (TokenInvalid, ValueError):
        return
    now = timezone.now()
    updated = Delivery.objects.filter(
        pk=int(delivery_id), newsletter__tracking=True
    ).update(opens=F("opens") + 1, opened_at=Coalesce(F("opened_at"), now))
    if updated:
        TrackingEvent.objects.create(
            delivery_id=int(delivery_id), kind=TrackingEvent.Kind.OPEN
        )


def click_target(token: str) -> str:
    """The URL to redirect to, after counting the click; TokenInvalid otherwise."""
    try:
        delivery_id, index = (int(part) for part in token_read("click", token))
    except ValueError as exc:
        raise TokenInvalid(str(exc)) from exc
    delivery = (
        Delivery.objects.filter(pk=delivery_id)
        .values("newsletter_id", "language")
        .first()
    )
    if delivery is None:
        raise TokenInvalid("no such delivery")
    links = (
        NewsletterVersion.objects.filter(
            newsletter_id=delivery["newsletter_id"], language=delivery["language"]
        )
        .values_list("links", flat=True)
        .first()
    ) or []
    if not 0 <= index < len(links):
        raise TokenInvalid("no such link")
    url = links[index]
    if not url.startswith(("https://", "http://")):
        raise TokenInvalid("not a web link")
    now = timezone.now()
    Delivery.objects.filter(pk=delivery_id).update(
        clicks=F("clicks") + 1,
        clicked_at=Coalesce(F("clicked_at"), now),
        opened_at=Coalesce(F("opened_at"), now),
    )
    TrackingEvent.objects.create(
        delivery_id=delivery_id, kind=TrackingEvent.Kind.CLICK, url=url[:2000]
    )
    return url

"""Reads: segment members, newsletter recipients and results, timeline items.

A segment is one query (compiled in `segment_query`): employer criteria on the
employer, person criteria on the person, linked through their roles by semi-joins.
Include/exclude segments are subqueries, so a count stays one SELECT COUNT per
result whatever the nesting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import ContactPerson, Employer, EmployerRole
from crm.selectors import TimelineFilters, TimelineItem

from . import segment_query
from .models import Delivery, Segment, Subscription


def _linked(segment: Segment, kind: str, seen: frozenset) -> QuerySet:
    """Included or excluded segments; an unsaved segment (the admin's live count)
    carries them as `draft_include` / `draft_exclude`."""
    draft = getattr(segment, f"draft_{kind}", None)
    if draft is not None:
        linked = draft
    elif segment.pk:
        linked = getattr(segment, f"{kind}_segments").all()
    else:
        linked = Segment.objects.none()
    return linked.exclude(pk__in=seen)


def _has_linked(segment: Segment) -> bool:
    seen = frozenset({segment.pk or 0})
    return any(_linked(segment, kind, seen).exists() for kind in ("include", "exclude"))


def segment_persons(segment: Segment, _seen: frozenset = frozenset()) -> QuerySet:
    """Contact persons in the segment (with an address or not), distinct."""
    seen = _seen | {segment.pk or 0}
    persons = segment_query.own_persons(segment)
    included = list(_linked(segment, "include", seen))
    if included:
        query = Q(pk__in=persons.values("pk"))
        for other in included:
            query |= Q(pk__in=segment_persons(other, seen).values("pk"))
        persons = ContactPerson.objects.filter(query)
    for other in _linked(segment, "exclude", seen):
        persons = persons.exclude(pk__in=segment_persons(other, seen).values("pk"))
    return persons


def segment_employers(segment: Segment, _seen: frozenset = frozenset()) -> QuerySet:
    """Employers in the segment; with person criteria, only those with such a person."""
    seen = _seen | {segment.pk or 0}
    employers = segment_query.own_employers(segment)
    included = list(_linked(segment, "include", seen))
    if included:
        query = Q(pk__in=employers.values("pk"))
        for other in included:
            query |= Q(pk__in=segment_employers(other, seen).values("pk"))
        employers = Employer.objects.filter(query)
    for other in _linked(segment, "exclude", seen):
        employers = employers.exclude(
            pk__in=segment_employers(other, seen).values("pk")
        )
    return employers


def segment_count(segment: Segment) -> dict[str, int]:
    """Persons and employers; one query over the roles when no segments are linked."""
    if not _has_linked(segment):
        return segment_query.own_count(segment)
    return {
        "persons": segment_persons(segment).count(),
        "employers": segment_employers(segment).count(),
    }


def segment_preview(segment: Segment, limit: int = 50) -> list[dict]:
    """The first recipients: name, address, languages and one employer each."""
    persons = list(
        segment_persons(segment)
        .order_by("last_name", "first_name", "pk")
        .values("pk", "first_name", "last_name", "email", "languages")[:limit]
    )
    employers: dict[int, str] = {}
    for person_id, name in (
        EmployerRole.objects.filter(person_id__in=[p["pk"] for p in persons])
        .order_by("-is_fixed_contact", "pk")
        .values_list("person_id", "employer__legal_name")
    ):
        employers.setdefault(person_id, name)
    for person in persons:
        person["employer"] = employers.get(person["pk"], "")
    return persons


# --- Newsletters ---------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    person_id: int | None
    employer_id: int | None
    email: str
    name: str
    language: str


def newsletter_recipients(newsletter) -> list[Recipient]:
    """Active subscribers of the newsletter's list (within its segment, if any), in
    the language of their subscription if the newsletter has it, else the first."""
    languages = list(newsletter.versions.values_list("language", flat=True))
    subscriptions = Subscription.objects.filter(
        mailing_list=newsletter.mailing_list, status=Subscription.Status.ACTIVE
    )
    if newsletter.segment_id:
        subscriptions = subscriptions.filter(
            person__in=segment_persons(newsletter.segment).values("pk")
        )
    rows = list(
        subscriptions.order_by("pk").values_list(
            "person_id", "email", "first_name", "last_name", "language"
        )
    )
    person_ids = [row[0] for row in rows if row[0]]
    employers: dict[int, int] = {}
    for person_id, employer_id in (
        EmployerRole.objects.filter(person_id__in=person_ids)
        .order_by("-is_fixed_contact", "pk")
        .values_list("person_id", "employer_id")
        .iterator()
    ):
        employers.setdefault(person_id, employer_id)
    return [
        Recipient(
            person_id=person_id,
            employer_id=employers.get(person_id),
            email=email,
            name=f"{first} {last}".strip(),
            language=language if language in languages else languages[0],
        )
        for person_id, email, first, last, language in rows
    ]


def newsletter_progress(newsletter) -> dict:
    counts = dict(
        newsletter.deliveries.values_list("status").annotate(n=Count("pk")).order_by()
    )
    total = sum(counts.values())
    done = total - counts.get("queued", 0) - counts.get("deferred", 0)
    return {
        "status": newsletter.status,
        "status_label": str(newsletter.get_status_display()),
        "failure_reason": newsletter.failure_reason,
        "total": total,
        "queued": counts.get("queued", 0),
        "sent": counts.get("sent", 0),
        "deferred": counts.get("deferred", 0),
        "failed": counts.get("failed", 0),
        "bounced": counts.get("bounced", 0),
        "suppressed": counts.get("suppressed", 0),
        "cancelled": counts.get("cancelled", 0),
        "percent": round(100 * done / total) if total else 100,
    }


def newsletter_results(newsletter) -> dict:
    """Sent, opened, clicked and bounced, overall and by language region and size
    class. "Sent" counts every message that left, bounced ones included."""
    sent = newsletter.deliveries.filter(
        status__in=[Delivery.Status.SENT, Delivery.Status.BOUNCED]
    )
    counts = {
        "sent": Count("pk"),
        "opened": Count("pk", filter=Q(opened_at__isnull=False)),
        "clicked": Count("pk", filter=Q(clicked_at__isnull=False)),
        "bounced": Count("pk", filter=Q(status=Delivery.Status.BOUNCED)),
    }
    totals = sent.aggregate(**counts)
    splits = {}
    for field in ("employer__language_region", "employer__size_class"):
        rows = sent.values(field).annotate(**counts).order_by(field)
        splits[field.split("__")[1]] = [
            {"key": row[field] or "", **{k: row[k] for k in counts}} for row in rows
        ]
    return {"totals": totals, "splits": splits}


# --- Timeline ------------------------------------------------------------------------


class MailingTimelineSource:
    """Newsletters an employer's people opened or clicked (never case-related)."""

    kind = "mailing"

    def queryset(
        self, employer: Employer, *, office_id: int | None, filters: TimelineFilters
    ) -> QuerySet | None:
        if filters.case_related or filters.channel not in ("", "email"):
            return None
        deliveries = Delivery.objects.filter(employer=employer, opened_at__isnull=False)
        if office_id is not None:
            deliveries = deliveries.filter(newsletter__office_id=office_id)
        return deliveries.select_related("newsletter", "person").order_by(
            "-opened_at", "-pk"
        )

    def sort_key(self, delivery: Delivery) -> tuple[date, datetime]:
        return (timezone.localdate(delivery.opened_at), delivery.opened_at)

    def item(self, delivery: Delivery, *, may_see_case_related: bool) -> TimelineItem:
        details = [(str(_("Opens")), str(delivery.opens))]
        if delivery.clicks:
            details.append((str(_("Clicks")), str(delivery.clicks)))
        title = _("Newsletter clicked") if delivery.clicks else _("Newsletter opened")
        return TimelineItem(
            kind=self.kind,
            kind_label=str(_("Newsletter")),
            occurred_on=timezone.localdate(delivery.opened_at),
            recorded_at=delivery.opened_at,
            title=f"{title}: {delivery.newsletter.name}",
            icon="mail",
            case_related=False,
            channel="email",
            people=(str(delivery.person),) if delivery.person else (),
            details=tuple(details),
        )

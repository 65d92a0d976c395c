"""Reads: segment members, newsletter recipients and results, timeline items.

A segment is one query: employer criteria on the employer, person criteria on the
person, joined through their roles. Include/exclude segments are subqueries, so a
count is one SELECT COUNT whatever the nesting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Contact, ContactPerson, Employer, EmployerRole, JobOpportunity
from crm.selectors import TimelineFilters, TimelineItem

from .models import Delivery, Segment, Subscription

EVENT_CHANNELS = [Contact.Channel.OWN_EVENT, Contact.Channel.THIRD_PARTY_EVENT]


def _json_has(field: str, value: str) -> Q:
    """A JSON list field contains `value` (index-friendly on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": f'"{value}"'})


def _any_of(field: str, values: list[str]) -> Q:
    query = Q()
    for value in values:
        query |= _json_has(field, value)
    return query


def _employer_q(segment: Segment, prefix: str = "") -> Q:
    p = prefix
    q = Q()
    for field, column in [
        ("cantons", "canton"),
        ("language_regions", "language_region"),
        ("size_classes", "size_class"),
        ("sector_groups", "sector_group"),
        ("cooperation_types", "cooperation_type"),
        ("intensities", "intensity"),
        ("relationship_statuses", "relationship_status"),
    ]:
        values = getattr(segment, field)
        if values:
            q &= Q(**{f"{p}{column}__in": values})
    if segment.last_contact_before:
        q &= Q(
            **{f"{p}last_case_independent_contact_on__lt": segment.last_contact_before}
        )
    if segment.last_contact_after:
        q &= Q(
            **{f"{p}last_case_independent_contact_on__gt": segment.last_contact_after}
        )
    if segment.no_contact_days:
        since = timezone.localdate() - timedelta(days=segment.no_contact_days)
        q &= Q(**{f"{p}last_case_independent_contact_on__lt": since}) | Q(
            **{f"{p}last_case_independent_contact_on__isnull": True}
        )
    employer = OuterRef(f"{p}pk") if p else OuterRef("pk")
    if segment.attended_event:
        q &= Exists(
            Contact.objects.filter(employer=employer, channel__in=EVENT_CHANNELS)
        )
    if segment.has_open_job_opportunity:
        q &= Exists(
            JobOpportunity.objects.filter(
                employer=employer, status=JobOpportunity.Status.OPEN
            )
        )
    return q


def _person_q(segment: Segment, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}is_active": True})
    if segment.person_languages:
        q &= _any_of(f"{prefix}languages", segment.person_languages)
    if segment.mailing_list_id:
        person = OuterRef(f"{prefix}pk") if prefix else OuterRef("pk")
        q &= Exists(
            Subscription.objects.filter(
                person=person,
                mailing_list_id=segment.mailing_list_id,
                status=Subscription.Status.ACTIVE,
            )
        )
    return q


def _has_person_criteria(segment: Segment) -> bool:
    return bool(
        segment.person_languages or segment.functions or segment.mailing_list_id
    )


def _own_roles(segment: Segment) -> QuerySet[EmployerRole]:
    roles = EmployerRole.objects.filter(
        _employer_q(segment, "employer__"),
        _person_q(segment, "person__"),
        employer_id__in=Employer.objects.for_office(segment.office_id).values("pk"),
    )
    if segment.functions:
        roles = roles.filter(function__in=segment.functions)
    return roles


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


def segment_persons(segment: Segment, _seen: frozenset = frozenset()) -> QuerySet:
    """Contact persons in the segment (with an address or not), distinct."""
    seen = _seen | {segment.pk or 0}
    query = Q(pk__in=_own_roles(segment).values("person_id"))
    for other in _linked(segment, "include", seen):
        query |= Q(pk__in=segment_persons(other, seen).values("pk"))
    persons = ContactPerson.objects.filter(query)
    for other in _linked(segment, "exclude", seen):
        persons = persons.exclude(pk__in=segment_persons(other, seen).values("pk"))
    return persons


def segment_employers(segment: Segment, _seen: frozenset = frozenset()) -> QuerySet:
    """Employers in the segment; with person criteria, only those with such a person."""
    seen = _seen | {segment.pk or 0}
    if _has_person_criteria(segment):
        query = Q(pk__in=_own_roles(segment).values("employer_id"))
    else:
        query = Q(
            _employer_q(segment),
            pk__in=Employer.objects.for_office(segment.office_id).values("pk"),
        )
    for other in _linked(segment, "include", seen):
        query |= Q(pk__in=segment_employers(other, seen).values("pk"))
    employers = Employer.objects.filter(query)
    for other in _linked(segment, "exclude", seen):
        employers = employers.exclude(
            pk__in=segment_employers(other, seen).values("pk")
        )
    return employers


def segment_count(segment: Segment) -> dict[str, int]:
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
    """Sent, opened and clicked, overall and by language region and size class."""
    sent = newsletter.deliveries.filter(status=Delivery.Status.SENT)
    totals = sent.aggregate(
        sent=Count("pk"),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
    )
    splits = {}
    for field in ("employer__language_region", "employer__size_class"):
        rows = (
            sent.values(field)
            .annotate(
                sent=Count("pk"),
                opened=Count("pk", filter=Q(opened_at__isnull=False)),
                clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
            )
            .order_by(field)
        )
        splits[field.split("__")[1]] = [
            {
                "key": row[field] or "",
                **{k: row[k] for k in ("sent", "opened", "clicked")},
            }
            for row in rows
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

"""Reads used by more than one caller: the employer timeline, dashboards, due lists.

The timeline is built from *sources*. Each source turns one kind of record (contacts
now; events, mailings, placements and requests later) into `TimelineItem`s. A later
issue adds its items to the employer page by registering one more source with
`timeline_source_register` (from its AppConfig.ready(), so that it is registered
before the first request); nothing else changes.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, CharField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from .models import (
    QUALITY_MARK_NAMES,
    Contact,
    ContactQualityRating,
    ContactStatus,
    Employer,
    FollowUp,
    JobOpportunity,
    Office,
    RelationshipStatus,
    Request,
    Topic,
)
from .quality import MarkScore, quality_profile
from .querysets import sees_all_offices, user_office_id

CASE_RELATED_PERMISSION = "crm.view_case_related"

# --- Timeline -----------------------------------------------------------------


@dataclass(frozen=True)
class TimelineFilters:
    case_related: bool | None = None  # None: both
    channel: str = ""  # a Channel value; "" for all
    # Case items (measures, placements) come only for people who may see them.
    may_see_case_related: bool = False


@dataclass(frozen=True)
class TimelineItem:
    """One entry of an employer's timeline, whatever it came from."""

    kind: str  # "contact"; later "event", "mailing", "placement", "request"
    kind_label: str
    occurred_on: date
    recorded_at: datetime  # orders items of the same day
    title: str
    icon: str = "comment"
    case_related: bool | None = None
    channel: str = ""
    channel_label: str = ""
    staff_name: str = ""
    people: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = ()  # (label, text) pairs, shown in order
    restricted: bool = False  # details withheld: case-related, no permission
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[date, datetime]:
        return (self.occurred_on, self.recorded_at)


class TimelineSource(Protocol):
    """One kind of timeline item.

    `queryset` returns the employer's records for the office (None: all offices),
    newest first by (date, recorded time), with what `item` needs already joined or
    prefetched; or None when the filters exclude this kind altogether (e.g. mailings
    are never case-related). `item` must not query the database.
    """

    kind: str

    def queryset(
        self, employer: Employer, *, office_id: int | None, filters: TimelineFilters
    ) -> QuerySet | None: ...

    def sort_key(self, obj: Any) -> tuple[date, datetime]: ...

    def item(self, obj: Any, *, may_see_case_related: bool) -> TimelineItem: ...


TIMELINE_SOURCES: list[TimelineSource] = []


def timeline_source_register(source: TimelineSource) -> TimelineSource:
    TIMELINE_SOURCES.append(source)
    return source


class ContactTimelineSource:
    kind = "contact"

    def queryset(
        self, employer: Employer, *, office_id: int | None, filters: TimelineFilters
    ) -> QuerySet:
        contacts = Contact.objects.filter(employer=employer)
        if office_id is not None:
            contacts = contacts.filter(office_id=office_id)
        if filters.case_related is not None:
            contacts = contacts.filter(case_related=filters.case_related)
        if filters.channel:
            contacts = contacts.filter(channel=filters.channel)
        return (
            contacts.select_related("staff", "rating", "case")
            .prefetch_related(
                "participants",
                "staff_participants",
                Prefetch("follow_ups", FollowUp.objects.select_related("assignee")),
            )
            .order_by("-occurred_on", "-created_at", "-pk")
        )

    def sort_key(self, contact: Contact) -> tuple[date, datetime]:
        return (contact.occurred_on, contact.created_at)

    def item(self, contact: Contact, *, may_see_case_related: bool) -> TimelineItem:
        restricted = contact.case_related and not may_see_case_related
        details: list[tuple[str, str]] = []
        if contact.case is not None and may_see_case_related:
            details.append((_("Case"), contact.case.case_number))
        if contact.initiated_by:
            details.append((_("Initiated by"), contact.get_initiated_by_display()))
        if contact.starting_point:
            details.append((_("Starting point"), contact.get_starting_point_display()))
        if contact.topics:
            labels = dict(Topic.choices)
            topics = ", ".join(str(labels.get(key, key)) for key in contact.topics)
            details.append((_("Topics"), topics))
        if not restricted:
            if contact.outcome:
                details.append((_("Outcome"), contact.outcome))
            if contact.notes:
                details.append((_("Notes"), contact.notes))
        rating = getattr(contact, "rating", None)
        if rating is not None and rating.mean is not None:
            mean = number_format(round(rating.mean, 1), 1)
            details.append((_("Contact quality"), f"{mean} / 5"))
        for follow_up in contact.follow_ups.all():
            note = "" if restricted or not follow_up.note else f": {follow_up.note}"
            details.append(
                (
                    _("Next appointment"),
                    f"{date_format(follow_up.due_on, 'SHORT_DATE_FORMAT')} – "
                    f"{_user_name(follow_up.assignee)}{note}",
                )
            )
        people = [str(person) for person in contact.participants.all()]
        people += [_user_name(user) for user in contact.staff_participants.all()]
        return TimelineItem(
            kind=self.kind,
            kind_label=str(_("Contact")),
            occurred_on=contact.occurred_on,
            recorded_at=contact.created_at,
            title=contact.get_channel_display(),
            icon="comment",
            case_related=contact.case_related,
            channel=contact.channel,
            channel_label=contact.get_channel_display(),
            staff_name=_user_name(contact.staff),
            people=tuple(people),
            details=tuple((str(label), str(text)) for label, text in details),
            restricted=restricted,
        )


timeline_source_register(ContactTimelineSource())


class RequestTimelineSource:
    """Employer requests (advice, call-back): case-independent, through the portal."""

    kind = "request"

    def queryset(
        self, employer: Employer, *, office_id: int | None, filters: TimelineFilters
    ) -> QuerySet | None:
        if filters.case_related or filters.channel not in ("", *Request.Channel):
            return None
        requests = Request.objects.filter(employer=employer)
        if filters.channel:
            requests = requests.filter(channel=filters.channel)
        if office_id is not None:
            requests = requests.filter(office_id=office_id)
        return requests.select_related("person", "answered_by").order_by(
            "-received_at", "-pk"
        )

    def sort_key(self, request: Request) -> tuple[date, datetime]:
        return (timezone.localdate(request.received_at), request.received_at)

    def item(self, request: Request, *, may_see_case_related: bool) -> TimelineItem:
        details = [
            (_("Subject"), request.get_subject_display()),
            (_("Message"), request.message),
            (_("Status"), request.get_status_display()),
            (_("Answer due on"), date_format(request.due_on, "SHORT_DATE_FORMAT")),
        ]
        if request.answer:
            details.append((_("Answer"), request.answer))
        return TimelineItem(
            kind=self.kind,
            kind_label=str(_("Employer request")),
            occurred_on=timezone.localdate(request.received_at),
            recorded_at=request.received_at,
            title=request.get_kind_display(),
            icon="help",
            case_related=False,
            channel=request.channel,
            staff_name=_user_name(request.answered_by) if request.answered_by else "",
            people=(str(request.person),) if request.person else (),
            details=tuple((str(label), str(text)) for label, text in details),
        )


class JobOpportunityTimelineSource:
    """Jobs, apprenticeships, trial and work-training places the employer offers."""

    kind = "opportunity"

    def queryset(
        self, employer: Employer, *, office_id: int | None, filters: TimelineFilters
    ) -> QuerySet | None:
        if filters.case_related or filters.channel:
            return None
        opportunities = JobOpportunity.objects.filter(employer=employer)
        if office_id is not None:
            opportunities = opportunities.filter(office_id=office_id)
        return opportunities.select_related("reported_by").order_by(
            "-reported_on", "-created_at", "-pk"
        )

    def sort_key(self, opportunity: JobOpportunity) -> tuple[date, datetime]:
        return (opportunity.reported_on, opportunity.created_at)

    def item(
        self, opportunity: JobOpportunity, *, may_see_case_related: bool
    ) -> TimelineItem:
        details = [
            (_("Status"), opportunity.get_status_display()),
            (_("Source"), opportunity.get_source_display()),
        ]
        if opportunity.workload_percent:
            details.append((_("Workload"), f"{opportunity.workload_percent} %"))
        if opportunity.start_on:
            start = date_format(opportunity.start_on, "SHORT_DATE_FORMAT")
            details.append((_("Start"), start))
        if opportunity.description:
            details.append((_("Tasks and requirements"), opportunity.description))
        return TimelineItem(
            kind=self.kind,
            kind_label=str(_("Job opportunity")),
            occurred_on=opportunity.reported_on,
            recorded_at=opportunity.created_at,
            title=f"{opportunity.get_kind_display()}: {opportunity.title}",
            icon="suitcase",
            people=(str(opportunity.reported_by),) if opportunity.reported_by else (),
            details=tuple((str(label), str(text)) for label, text in details),
        )


timeline_source_register(RequestTimelineSource())
timeline_source_register(JobOpportunityTimelineSource())


def employer_job_opportunities(
    employer: Employer, *, user: AbstractBaseUser, limit: int = 10
) -> list[JobOpportunity]:
    """Latest job opportunities of the employer in the user's office (employer page)."""
    return list(
        JobOpportunity.objects.visible_to(user)
        .filter(employer=employer)
        .order_by("-reported_on", "-created_at")[:limit]
    )


@dataclass(frozen=True)
class TimelinePage:
    items: list[TimelineItem]
    number: int
    per_page: int
    total: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def employer_timeline(
    employer: Employer,
    *,
    user: AbstractBaseUser,
    case_related: bool | None = None,
    channel: str | None = None,
    page: int = 1,
    per_page: int = 20,
    sources: Sequence[TimelineSource] | None = None,
) -> TimelinePage:
    """Everything that happened with `employer` that `user` may see, newest first.

    Office scoping: a staff member sees their office's items; superusers see all.
    Case-related details are withheld without `crm.view_case_related`.

    Queries: per source one COUNT and one SELECT (plus its prefetches), whatever
    the page or the number of items. Each source delivers its first `page × per_page`
    rows; the sources are merged by date and the page is cut from the merge.
    """
    office_id = _timeline_office_id(user)
    may_see = user.has_perm(CASE_RELATED_PERMISSION)
    filters = TimelineFilters(
        case_related=case_related,
        channel=channel or "",
        may_see_case_related=may_see,
    )
    querysets = []
    if office_id is not False:
        for source in TIMELINE_SOURCES if sources is None else sources:
            queryset = source.queryset(employer, office_id=office_id, filters=filters)
            if queryset is not None:
                querysets.append((source, queryset))
    counts = [queryset.count() for _source, queryset in querysets]
    total = sum(counts)
    number = min(max(page, 1), max(1, math.ceil(total / per_page)))
    end = number * per_page
    streams = [
        [(source.sort_key(obj), index, source, obj) for obj in queryset[:end]]
        for index, ((source, queryset), count) in enumerate(
            zip(querysets, counts, strict=True)
        )
        if count  # an empty source costs its COUNT only
    ]
    merged = list(heapq.merge(*streams, key=lambda row: row[0], reverse=True))
    items = [
        source.item(obj, may_see_case_related=may_see)
        for _key, _index, source, obj in merged[end - per_page : end]
    ]
    return TimelinePage(items=items, number=number, per_page=per_page, total=total)


def _timeline_office_id(user: AbstractBaseUser) -> int | None | bool:
    """None: every office; False: nothing (no office); else the user's office."""
    if sees_all_offices(user):
        return None
    office_id = user_office_id(user)
    return False if office_id is None else office_id


def _user_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


# --- Employer page ------------------------------------------------------------


def employer_quality_profile(
    employer: Employer, *, today: date | None = None
) -> list[MarkScore]:
    """The eight marks, each the recency-weighted mean of the employer's ratings
    (all offices, like `Employer.quality_score`). One query."""
    rows = ContactQualityRating.objects.filter(contact__employer=employer).values_list(
        "contact__occurred_on", *QUALITY_MARK_NAMES
    )
    ratings = [
        (row[0], dict(zip(QUALITY_MARK_NAMES, row[1:], strict=True))) for row in rows
    ]
    return quality_profile(ratings, today or timezone.localdate())


def follow_ups_visible_to(user: AbstractBaseUser) -> QuerySet[FollowUp]:
    """Follow-ups of the user's office; those derived from a case (the retention
    checks of a placement) only for roles that see case items, like the
    placement itself."""
    follow_ups = FollowUp.objects.visible_to(user)
    if not user.has_perm(CASE_RELATED_PERMISSION):
        follow_ups = follow_ups.filter(placement__isnull=True)
    return follow_ups


def employer_open_follow_ups(
    employer: Employer, *, user: AbstractBaseUser
) -> QuerySet[FollowUp]:
    """Open follow-ups at the employer, each with `note_withheld`: the note of a
    case-related contact's follow-up, like the contact's notes, is shown only to
    roles that see case items."""
    may_see = user.has_perm(CASE_RELATED_PERMISSION)
    return (
        follow_ups_visible_to(user)
        .open()
        .filter(employer=employer)
        .annotate(
            note_withheld=Value(False)
            if may_see
            else Coalesce("contact__case_related", Value(False))
        )
        .select_related("assignee")
        .order_by("due_on", "pk")
    )


# --- Due / overdue for a case-independent contact -----------------------------


def employers_due_for_contact(
    office: Office | int | None, *, today: date | None = None
) -> QuerySet[Employer]:
    """Portfolio employers led by `office` (None: all offices) whose case-independent
    contact is due or overdue on `today`, most overdue first, annotated with
    `contact_state` ("due" / "overdue").

    Shared employers count for their lead office only, which keeps the relationship.
    """
    today = today or timezone.localdate()
    employers = Employer.objects.filter(
        relationship_status__in=RelationshipStatus.portfolio()
    ).filter(Q(contact_due_on__lte=today) | Q(contact_due_on__isnull=True))
    if office is not None:
        employers = employers.filter(office=office)
    return employers.annotate(
        contact_state=Case(
            When(contact_overdue_on__lte=today, then=Value(ContactStatus.OVERDUE)),
            default=Value(ContactStatus.DUE),
            output_field=CharField(),
        )
    ).order_by("contact_due_on", "legal_name")


# --- Dashboard ----------------------------------------------------------------


def dashboard_follow_ups(
    user: AbstractBaseUser,
    *,
    today: date | None = None,
    horizon_days: int = 7,
    limit: int = 10,
) -> list[FollowUp]:
    """The user's open follow-ups due within `horizon_days`, overdue ones first."""
    today = today or timezone.localdate()
    return list(
        follow_ups_visible_to(user)
        .open()
        .filter(assignee=user, due_on__lte=today + timedelta(days=horizon_days))
        .select_related("employer")
        .order_by("due_on", "pk")[:limit]
    )


def dashboard_employers_due(
    user: AbstractBaseUser, *, today: date | None = None, limit: int = 10
) -> tuple[list[Employer], int]:
    """Employers of the user's office due or overdue for a case-independent contact,
    and how many there are in all. Superusers without an office see every office."""
    office_id = user_office_id(user)
    if office_id is None and not sees_all_offices(user):
        return [], 0
    employers = employers_due_for_contact(office_id, today=today).select_related(
        "fixed_contact"
    )
    return list(employers[:limit]), employers.count()


def dashboard_team_contacts(
    user: AbstractBaseUser, *, limit: int = 10
) -> list[Contact]:
    """The latest contacts of the user's team (their office if they have no team)."""
    profile = getattr(user, "staff_profile", None)
    contacts = Contact.objects.visible_to(user)
    if profile is not None and profile.team_id is not None:
        contacts = contacts.filter(staff__staff_profile__team_id=profile.team_id)
    return list(
        contacts.select_related("employer", "staff").order_by(
            "-occurred_on", "-created_at", "-pk"
        )[:limit]
    )

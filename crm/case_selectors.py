"""Reads about cases: their timeline items, what the employer page shows, matching.

Case items (measures, placements) reach only people with `crm.view_case_related`,
and only their own office's (superusers: all). The timeline sources below are
registered from `CrmConfig.ready()`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Expression, F, Lookup, Q, QuerySet, Value
from django.db.models.lookups import (
    Exact,
    IContains,
    IExact,
    In,
    IsNull,
    LessThanOrEqual,
)
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from .models import CaseReference, Employer, JobOpportunity, Measure, Placement
from .querysets import sees_all_offices, user_office_id
from .selectors import (
    CASE_RELATED_PERMISSION,
    TimelineFilters,
    TimelineItem,
    timeline_source_register,
)


def may_see_cases(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm(CASE_RELATED_PERMISSION)


def _case_scope(queryset: QuerySet, user: AbstractBaseUser) -> QuerySet:
    if not may_see_cases(user):
        return queryset.none()
    if sees_all_offices(user):
        return queryset
    office_id = user_office_id(user)
    return (
        queryset.none() if office_id is None else queryset.filter(office_id=office_id)
    )


# --- Timeline -----------------------------------------------------------------


class _CaseSource:
    """Shared rules: case items only with the permission, never for a
    case-independent or channel filter."""

    model: type
    date_field: str

    def base(self, employer, *, office_id, filters: TimelineFilters):
        if (
            not filters.may_see_case_related
            or filters.case_related is False
            or filters.channel
        ):
            return None
        rows = self.model.objects.filter(employer=employer)
        if office_id is not None:
            rows = rows.filter(office_id=office_id)
        return rows

    def sort_key(self, obj) -> tuple[date, datetime]:
        return (getattr(obj, self.date_field) or obj.created_at.date(), obj.created_at)


class MeasureTimelineSource(_CaseSource):
    kind = "measure"
    model = Measure
    date_field = "start_on"

    def queryset(self, employer, *, office_id, filters):
        rows = self.base(employer, office_id=office_id, filters=filters)
        if rows is None:
            return None
        # Undated (planned) measures sort by the day they were recorded.
        return rows.select_related("case", "provider").order_by(
            "-start_on", "-created_at", "-pk"
        )

    def item(self, measure: Measure, *, may_see_case_related: bool) -> TimelineItem:
        details = [
            (_("Case"), measure.case.case_number),
            (_("Status"), measure.get_status_display()),
        ]
        if measure.end_on:
            details.append((_("End"), date_format(measure.end_on, "SHORT_DATE_FORMAT")))
        if measure.amount_chf is not None:
            details.append((_("Amount"), f"CHF {number_format(measure.amount_chf, 2)}"))
        if measure.provider:
            details.append((_("Provider"), str(measure.provider)))
        if measure.awaiting_approval:
            details.append((_("Approval"), str(_("needed: above the decision limit"))))
        if measure.outcome:
            details.append((_("Outcome"), measure.outcome))
        return TimelineItem(
            kind=self.kind,
            kind_label=str(_("Measure")),
            occurred_on=self.sort_key(measure)[0],
            recorded_at=measure.created_at,
            title=measure.get_kind_display(),
            icon="clipboard-list",
            case_related=True,
            details=tuple((str(label), str(text)) for label, text in details),
        )


class PlacementTimelineSource(_CaseSource):
    kind = "placement"
    model = Placement
    date_field = "start_on"

    def queryset(self, employer, *, office_id, filters):
        rows = self.base(employer, office_id=office_id, filters=filters)
        if rows is None:
            return None
        return rows.select_related("case", "opportunity").order_by(
            "-start_on", "-created_at", "-pk"
        )

    def item(self, placement: Placement, *, may_see_case_related: bool) -> TimelineItem:
        details = [
            (_("Case"), placement.case.case_number),
            (_("Outcome"), placement.get_outcome_display()),
        ]
        if placement.opportunity:
            details.append((_("Job opportunity"), placement.opportunity.title))
        if placement.end_on:
            details.append(
                (_("End"), date_format(placement.end_on, "SHORT_DATE_FORMAT"))
            )
        details.append(
            (
                _("Advice after placement until"),
                date_format(placement.advice_until, "SHORT_DATE_FORMAT"),
            )
        )
        return TimelineItem(
            kind=self.kind,
            kind_label=str(_("Placement")),
            occurred_on=placement.start_on,
            recorded_at=placement.created_at,
            title=placement.get_kind_display(),
            icon="user",
            case_related=True,
            details=tuple((str(label), str(text)) for label, text in details),
        )


def register_case_timeline_sources() -> None:
    timeline_source_register(MeasureTimelineSource())
    timeline_source_register(PlacementTimelineSource())


# --- Employer page ------------------------------------------------------------


@dataclass(frozen=True)
class EmployerCases:
    """The employer page's case panel: what was used, what came of it."""

    open_cases: int
    measures_by_kind: list[tuple[str, int]]  # granted measures only
    awaiting_approval: int
    placements: list[Placement]


def employer_cases(
    employer: Employer, *, user: AbstractBaseUser, placements_limit: int = 50
) -> EmployerCases | None:
    """None for people who may not see case items. Four queries."""
    if not may_see_cases(user):
        return None
    cases = _case_scope(CaseReference.objects.filter(employer=employer), user)
    measures = _case_scope(Measure.objects.filter(employer=employer), user)
    kinds = Counter(_count_by_kind(measures.counted()))
    labels = dict(Measure.Kind.choices)
    placements = list(
        _case_scope(Placement.objects.filter(employer=employer), user)
        .select_related("case", "opportunity")
        .order_by("-start_on", "-pk")[:placements_limit]
    )
    return EmployerCases(
        open_cases=cases.exclude(phase=CaseReference.Phase.CLOSED).count(),
        measures_by_kind=[
            (str(labels[kind]), count) for kind, count in kinds.most_common()
        ],
        awaiting_approval=measures.filter(needs_approval=True, approved_at__isnull=True)
        .exclude(status=Measure.Status.CANCELLED)
        .count(),
        placements=placements,
    )


def _count_by_kind(measures: QuerySet) -> dict[str, int]:
    return dict(
        measures.order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )


# --- Matching -----------------------------------------------------------------


# One predicate, written once over both sides, decides whether a case and an open
# job opportunity fit; each side is an expression source. Searching opportunities
# for a known case binds the case's fields as values and the opportunity's as
# columns, searching cases for a known opportunity the other way round, so both
# directions always agree (tests/crm/test_matching.py checks every pair).

Side = Callable[[str], Expression]


def _columns(name: str) -> Expression:
    return F(name)


def _values(obj: CaseReference | JobOpportunity) -> Side:
    def value(name: str) -> Expression:
        field = obj._meta.get_field(name)
        return Value(getattr(obj, field.attname), output_field=field)

    return value


def _blank_or(value: Expression, lookup: type[Lookup], other: Expression) -> Q:
    """The condition holds, or this side recorded nothing (text left blank)."""
    return Q(Exact(value, "")) | Q(lookup(other, value))


def _at_most(wanted: Expression, possible: Expression) -> Q:
    """What the place asks is within what the person can take on; either side
    unrecorded means no limit."""
    return (
        Q(IsNull(wanted, True))
        | Q(IsNull(possible, True))
        | Q(LessThanOrEqual(wanted, possible))
    )


def _fit(case: Side, opportunity: Side) -> Q:
    """Same office; the case in placement phase, the place open; the same region
    unless one side left it blank; the occupation sought (if any) in the place's
    occupation or title; load and workload within what the person can take on."""
    return (
        Q(Exact(case("office"), opportunity("office")))
        & Q(In(case("phase"), CaseReference.Phase.placement()))
        & Q(Exact(opportunity("status"), JobOpportunity.Status.OPEN))
        & (
            Q(Exact(opportunity("region"), ""))
            | _blank_or(case("region"), IExact, opportunity("region"))
        )
        & (
            _blank_or(case("occupation"), IContains, opportunity("occupation"))
            | Q(IContains(opportunity("title"), case("occupation")))
        )
        & _at_most(opportunity("physical_load"), case("max_physical_load"))
        & _at_most(opportunity("psychological_load"), case("max_psychological_load"))
        & _at_most(opportunity("workload_percent"), case("max_workload_percent"))
    )


def opportunities_for_case(
    case: CaseReference, *, limit: int = 50
) -> list[JobOpportunity]:
    """Fitting open job opportunities for a case, the newest first. One query."""
    return list(
        JobOpportunity.objects.filter(_fit(_values(case), _columns))
        .select_related("employer")
        .order_by("-reported_on", "-pk")[:limit]
    )


def cases_for_opportunity(
    opportunity: JobOpportunity, *, limit: int = 50
) -> list[CaseReference]:
    """Cases in placement phase that fit an open opportunity: the same predicate
    as `opportunities_for_case`, seen from the place. One query."""
    return list(
        CaseReference.objects.filter(_fit(_columns, _values(opportunity))).order_by(
            "case_number"
        )[:limit]
    )

"""A segment's criteria compiled into SQL that stays fast at country size.

The shape (measured on 500,000 employers / 1.5 M contact persons, README):

1. *Matching employers*: the employer criteria are column filters on `crm_employer`
   (the last case-independent contact is the derived column
   `last_case_independent_contact_on`, so "no contact in N days" needs no look at
   the contacts), the office scope is `office_id = …` or a short list of shared
   employers. `employer_segment_idx` (crm migration 0006) answers office + canton +
   size class + last contact from the index alone.
2. *Qualifying roles*: the roles at those employers whose person qualifies (active,
   language, function) and, with a list, has an active subscription: EXISTS
   semi-joins on the role's person, no join that multiplies rows and no DISTINCT
   over millions of them. `contactperson_segment_idx` and the subscription index
   answer them from the index alone.
3. Persons and employers are the distinct `person_id` / `employer_id` of those roles;
   without linked segments one query counts both.

On PostgreSQL a selective step 1 is handed on as `= ANY(ARRAY(subquery))`: the
planner then walks from the few matching employers through the role index instead
of hash-joining all roles (its estimate for `IN (subquery)` picks a sequential scan
of 1.5 M roles, 5–10 times slower here). A broad segment (more than
ARRAY_LIMIT employers) keeps `IN (subquery)`, where that hash join is the right plan.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.db.models import Count, Exists, F, Lookup, OuterRef, Q, QuerySet
from django.utils import timezone

from crm.models import Contact, ContactPerson, Employer, EmployerRole, JobOpportunity

from .models import Segment, Subscription

EVENT_CHANNELS = [Contact.Channel.OWN_EVENT, Contact.Channel.THIRD_PARTY_EVENT]
ARRAY_LIMIT = 20_000  # matching employers up to which step 1 becomes an array


class _InArray(Lookup):
    """`column = ANY(ARRAY(subquery))` (PostgreSQL): the subquery runs once, and
    the planner looks its values up through the column's index."""

    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def _member_of(field: str, queryset: QuerySet, *, as_array: bool) -> Q:
    """`field` is one of the values the one-column `queryset` yields."""
    if as_array:
        from django.contrib.postgres.expressions import ArraySubquery

        return Q(_InArray(F(field), ArraySubquery(queryset)))
    return Q(**{f"{field}__in": queryset})


def _json_has(field: str, value: str) -> Q:
    """A JSON list field contains `value`."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": f'"{value}"'})


def _any_of(field: str, values: list[str]) -> Q:
    query = Q()
    for value in values:
        query |= _json_has(field, value)
    return query


def employer_filter(segment: Segment) -> Q:
    """The employer criteria as conditions on the employer's own columns."""
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
            q &= Q(**{f"{column}__in": values})
    if segment.last_contact_before:
        q &= Q(last_case_independent_contact_on__lt=segment.last_contact_before)
    if segment.last_contact_after:
        q &= Q(last_case_independent_contact_on__gt=segment.last_contact_after)
    if segment.no_contact_days:
        since = timezone.localdate() - timedelta(days=segment.no_contact_days)
        q &= Q(last_case_independent_contact_on__lt=since) | Q(
            last_case_independent_contact_on__isnull=True
        )
    if segment.attended_event:
        q &= Exists(
            Contact.objects.filter(employer=OuterRef("pk"), channel__in=EVENT_CHANNELS)
        )
    if segment.has_open_job_opportunity:
        q &= Exists(
            JobOpportunity.objects.filter(
                employer=OuterRef("pk"), status=JobOpportunity.Status.OPEN
            )
        )
    return q


def _office_scope(office_id: int) -> Q:
    """`Employer.objects.for_office`, with the (few) shared employers read first:
    `office_id = … OR id IN (…)` can use indexes, the correlated EXISTS cannot."""
    shared = list(
        Employer.shared_with.through.objects.filter(office_id=office_id).values_list(
            "employer_id", flat=True
        )
    )
    if not shared:
        return Q(office_id=office_id)
    return Q(office_id=office_id) | Q(pk__in=shared)


def matching_employers(segment: Segment) -> QuerySet[Employer]:
    """Unordered: a subquery must not sort (the model orders by name)."""
    return Employer.objects.filter(
        _office_scope(segment.office_id), employer_filter(segment)
    ).order_by()


def has_person_criteria(segment: Segment) -> bool:
    return bool(
        segment.person_languages or segment.functions or segment.mailing_list_id
    )


def _person_filter(segment: Segment, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}is_active": True})
    if segment.person_languages:
        q &= _any_of(f"{prefix}languages", segment.person_languages)
    return q


def _subscribed(segment: Segment, person: str) -> Q:
    if not segment.mailing_list_id:
        return Q()
    return Q(
        Exists(
            Subscription.objects.filter(
                person_id=OuterRef(person),
                mailing_list_id=segment.mailing_list_id,
                status=Subscription.Status.ACTIVE,
            )
        )
    )


def _as_array(employers: QuerySet) -> bool:
    """Hand matching employers on as an array only on PostgreSQL and when few."""
    if connection.vendor != "postgresql":
        return False
    return employers.values("pk")[: ARRAY_LIMIT + 1].count() <= ARRAY_LIMIT


def qualifying_roles(segment: Segment, *, check_person: bool = True) -> QuerySet:
    """Roles at matching employers whose person qualifies. `check_person=False`
    leaves the person's own columns to the caller (who reads the person anyway)."""
    employers = matching_employers(segment)
    roles = EmployerRole.objects.filter(
        _member_of("employer_id", employers.values("pk"), as_array=_as_array(employers))
    )
    if segment.functions:
        roles = roles.filter(function__in=segment.functions)
    roles = roles.filter(_subscribed(segment, "person_id"))
    if check_person:
        roles = roles.filter(_person_filter(segment, "person__"))
    return roles


def own_persons(segment: Segment) -> QuerySet[ContactPerson]:
    roles = qualifying_roles(segment, check_person=False)
    as_array = connection.vendor == "postgresql"
    return ContactPerson.objects.filter(
        _person_filter(segment),
        _member_of("pk", roles.values("person_id"), as_array=as_array),
    )


def own_employers(segment: Segment) -> QuerySet[Employer]:
    if not has_person_criteria(segment):
        return matching_employers(segment)
    roles = qualifying_roles(segment)
    as_array = connection.vendor == "postgresql"
    return Employer.objects.filter(
        _member_of("pk", roles.values("employer_id"), as_array=as_array)
    )


def own_count(segment: Segment) -> dict[str, int]:
    """Persons and employers of a segment without linked segments, in one pass
    over the qualifying roles (plus a count of the matching employers when there
    are no person criteria: then an employer needs no person)."""
    counts = qualifying_roles(segment).aggregate(
        persons=Count("person_id", distinct=True),
        employers=Count("employer_id", distinct=True),
    )
    if not has_person_criteria(segment):
        counts["employers"] = matching_employers(segment).count()
    return counts

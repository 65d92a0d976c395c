"""CRM benchmarks at the size of a country (issue 5).

- `manage.py bench seed --employers 100000 --json`: seed_demo's rows per second by
  table, on an empty database (PostgreSQL for the real figure).
- `manage.py bench employer_page --json`: on a seeded database, the 360° page of an
  employer with 300 contacts, the employer list with three filters and a search term,
  and the dashboard: median server time, p95 and queries per request.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.bench import BenchmarkError, Figures, Options, register, timings_summary

from .models import Contact, Employer, Office, RelationshipStatus, StaffProfile


@register("seed")
def seed(options: Options) -> Figures:
    """Runs seed_demo with `--employers N` (default 100,000) into an empty database."""
    from .demo import demo_seed

    employers = int(options.get("employers", 100_000))
    if Employer.objects.exists():
        raise BenchmarkError(
            "The database has employers already. Run this on an empty, migrated "
            "database (e.g. DATABASE_URL=…/passerelle_bench manage.py migrate)."
        )
    started = time.perf_counter()
    result = demo_seed(employers=employers, seed=int(options.get("seed", 2015)))
    total = time.perf_counter() - started
    rows = sum(result.created.values())
    return {
        "database": connection.vendor,
        "employers": employers,
        "seconds": round(total, 1),
        "rows": rows,
        "rows_per_s": round(rows / total),
        "tables": {
            table: {
                "rows": count,
                "write_seconds": round(result.seconds.get(table, 0.0), 2),
                "write_rows_per_s": round(count / result.seconds[table])
                if result.seconds.get(table)
                else None,
            }
            for table, count in result.created.items()
        },
    }


@register("employer_page")
def employer_page(options: Options) -> Figures:
    """Server time of the pages staff open most, measured in process (test Client)."""
    requests = int(options.get("requests", 30))
    contacts_wanted = int(options.get("contacts", 300))
    office = Office.objects.filter(code=options.get("office", "BE")).first()
    if office is None or not office.employers.exists():
        raise BenchmarkError("Seed first: manage.py seed_demo --employers 100000")
    profile = (
        StaffProfile.objects.filter(office=office, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    employer = _employer_with_contacts(office, profile.user, contacts_wanted)
    client = _client()
    client.force_login(profile.user)
    list_url = reverse("wagtailsnippets_crm_employer:list")
    pages = {
        "employer_page": reverse("crm_employer_overview", args=[employer.pk]),
        "employer_list": f"{list_url}?canton={office.canton}&size_class=small"
        "&relationship_status=active&q=AG",
        "dashboard": reverse("wagtailadmin_home"),
    }
    figures: Figures = {
        "database": connection.vendor,
        "employers": Employer.objects.count(),
        "contacts": Contact.objects.count(),
        "employer_contacts": Contact.objects.filter(employer=employer).count(),
        "requests_each": requests,
    }
    for name, url in pages.items():
        figures[name] = _measure(client, url, requests)
    return figures


def _employer_with_contacts(office: Office, staff, wanted: int) -> Employer:
    """The office's employer with the most contacts, topped up to `wanted`."""
    employer = (
        Employer.objects.filter(office=office, relationship_status="active")
        .order_by("-last_contact_on", "pk")
        .first()
    ) or Employer.objects.filter(office=office).first()
    have = Contact.objects.filter(employer=employer).count()
    if have < wanted:
        rng = random.Random(employer.pk)
        today = timezone.localdate()
        Contact.objects.bulk_create(
            Contact(
                office=office,
                employer=employer,
                staff=staff,
                occurred_on=today - timedelta(days=rng.randrange(3 * 365)),
                case_related=rng.random() < 0.6,
                channel=rng.choice(Contact.Channel.values),
                initiated_by=rng.choice(Contact.InitiatedBy.values),
                topics=[rng.choice(Contact.Topic.values)],
                outcome="Benchmark contact",
            )
            for _ in range(wanted - have)
        )
        if employer.relationship_status not in RelationshipStatus.portfolio():
            employer.relationship_status = RelationshipStatus.ACTIVE
            employer.save(update_fields=["relationship_status"])
    return employer


def _client() -> Client:
    hosts = [host for host in settings.ALLOWED_HOSTS if "*" not in host]
    return Client(HTTP_HOST=hosts[0] if hosts else "localhost")


def _measure(client: Client, url: str, requests: int) -> Figures:
    for _ in range(3):  # warm caches and connections
        _get(client, url)
    seconds = []
    with CaptureQueriesContext(connection) as queries:
        reset_queries()
        for _ in range(requests):
            before = time.perf_counter()
            _get(client, url)
            seconds.append(time.perf_counter() - before)
    return {
        **timings_summary(seconds),
        "queries_per_request": round(len(queries.captured_queries) / requests, 1),
    }


def _get(client: Client, url: str) -> None:
    response = client.get(url, secure=settings.SECURE_SSL_REDIRECT)
    if response.status_code != 200:
        raise BenchmarkError(f"{url} answered {response.status_code}")


@register("case_views")
def case_views(options: Options) -> Figures:
    """The employer page with 50 cases, 200 measures and 40 placements, and the
    matching list of a case over 20,000 open job opportunities of its office
    (and, the other way, the fitting cases of one open place):
    median server time and queries per request. Creates what is missing (marked
    "Bench") in the first office's first employer; run on a seeded database."""
    from .models import CaseReference, JobOpportunity, Measure, Placement

    requests = int(options.get("requests", 30))
    office = Office.objects.filter(code=options.get("office", "BE")).first()
    profile = (
        StaffProfile.objects.filter(office=office, role="integration")
        .select_related("user")
        .first()
    )
    employer = Employer.objects.filter(office=office).order_by("pk").first()
    if profile is None or employer is None:
        raise BenchmarkError("Seed first: manage.py seed_demo --employers 1000")
    staff, today = profile.user, timezone.localdate()
    cases = list(CaseReference.objects.filter(employer=employer, office=office)[:50])
    CaseReference.objects.bulk_create(
        CaseReference(
            office=office, employer=employer, case_number=f"Bench-{employer.pk}-{n}",
            aim="placement", phase="vocational", region="Bench",
            max_physical_load=2, max_workload_percent=80,
        )
        for n in range(len(cases), 50)
    )  # fmt: skip
    cases = list(CaseReference.objects.filter(employer=employer, office=office)[:50])
    have = Measure.objects.filter(employer=employer).count()
    Measure.objects.bulk_create(
        Measure(
            office=office, case=cases[n % 50], employer=employer,
            kind=Measure.Kind.values[n % len(Measure.Kind.values)],
            status="granted", start_on=today - timedelta(days=n), granted_on=today,
        )
        for n in range(have, 200)
    )  # fmt: skip
    have = Placement.objects.filter(employer=employer).count()
    Placement.objects.bulk_create(
        Placement(
            office=office, case=cases[n % 50], employer=employer, kind="trial_place",
            start_on=today - timedelta(days=7 * n), advice_until=today, staff=staff,
        )
        for n in range(have, 40)
    )  # fmt: skip
    open_places = JobOpportunity.objects.filter(office=office, status="open")
    missing = 20_000 - open_places.count()
    rng = random.Random(2015)
    for start in range(0, max(missing, 0), 5000):
        JobOpportunity.objects.bulk_create(
            JobOpportunity(
                office=office, employer=employer, kind="job", title=f"Bench {n}",
                region=rng.choice(["Bench", "Thun", "Biel", "Bern"]),
                physical_load=rng.choice([1, 2, 3]),
                workload_percent=rng.choice([40, 60, 80, 100]), source="api",
            )
            for n in range(start, min(start + 5000, missing))
        )  # fmt: skip
    client = _client()
    client.force_login(staff)
    figures: Figures = {
        "database": connection.vendor,
        "employer_cases": CaseReference.objects.filter(employer=employer).count(),
        "employer_measures": Measure.objects.filter(employer=employer).count(),
        "employer_placements": Placement.objects.filter(employer=employer).count(),
        "open_opportunities": open_places.count(),
        "requests_each": requests,
    }
    figures["employer_page"] = _measure(
        client, reverse("crm_employer_overview", args=[employer.pk]), requests
    )
    figures["matching"] = _measure(
        client, reverse("crm_case_matching", args=[cases[0].pk]), requests
    )
    # The other direction: the fitting cases of one open place.
    place = open_places.filter(region="Bench").order_by("pk").first()
    figures["matching_from_place"] = _measure(
        client, reverse("crm_opportunity_matching", args=[place.pk]), requests
    )
    return figures

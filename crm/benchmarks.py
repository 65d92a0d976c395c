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

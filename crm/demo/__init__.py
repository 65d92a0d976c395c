"""Demo data: the offices BE, VD and TI, their teams and staff, and N employers.

`manage.py seed_demo` calls `demo_seed()`. One seed gives one data set: Faker is seeded
to fill the name pools, and each office draws its employers from its own
`random.Random((seed, office code))`, so an office's employers do not depend on how many
the others get. Employers, contact persons, roles and cooperation history are written
with `bulk_create` (no per-row `save()` or `full_clean()`: the tests check every row
would pass it; no simple-history rows either). Tables are in `tables.py`, the drawing
of employers in `employers.py`.
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction

from ..models import Employer, Office, StaffProfile, StaffRole, Team
from ..roles import staff_role_apply
from .cases import demo_cases_seed
from .employers import Pools, Run, chunk_write, employer_draw, uid_build
from .site import site_and_portal_seed
from .tables import OFFICES, OfficeSpec

__all__ = ["DEFAULT_SEED", "DEMO_PASSWORD", "DemoResult", "demo_seed", "uid_build"]

DEMO_PASSWORD = "passerelle-demo"  # noqa: S105 - printed for everyone: demo data
DEFAULT_SEED = 2015  # the year of the study's surveys
CHUNK = 1000  # employers per bulk write: memory stays flat at 100k
PARALLEL_FROM = 20_000  # employers; below, starting processes costs more than it saves
WORKERS = 2  # the machine class has two cores
# Staff roles that can be an employer's fixed contact, and how often they are.
PORTFOLIO = {
    StaffRole.INTEGRATION: 3,
    StaffRole.PLACEMENT: 2,
    StaffRole.ACQUISITION: 2,
    StaffRole.TEAM_LEAD: 1,
}


@dataclass
class DemoResult:
    logins: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # user, role, office
    created: dict[str, int] = field(default_factory=dict)  # what this run added
    skipped: list[str] = field(default_factory=list)  # offices that had employers
    seconds: dict[str, float] = field(default_factory=dict)  # writing time by table


def demo_seed(
    *, employers: int = 2000, seed: int = DEFAULT_SEED, contacts: bool = True
) -> DemoResult:
    """Offices with teams and staff, then `employers` employers spread 50/30/20.

    Idempotent: existing offices, teams, users and profiles are kept as they are
    (passwords too), and an office that already has employers gets no more. On
    PostgreSQL, large runs draw the offices' employers in two processes (one per
    core); each office's rows are one transaction.
    """
    result = DemoResult()
    with transaction.atomic():
        offices = _staff_seed(result)
        demo_site_configure()
    plan = []
    for index, (office, spec, count) in enumerate(
        zip(offices, OFFICES, _split(employers), strict=True)
    ):
        if count and office.employers.exists():
            result.skipped.append(spec.code)
        elif count:
            plan.append((index, office.pk, count, seed, contacts))
    if plan:
        _employers_seed(plan, employers, seed, result)
    site_and_portal_seed(result)  # website DE/FR (+IT/EN home) and two BE portal users
    demo_cases_seed(result)  # a few cases per office: fixed cost, whatever N is
    return result


def _employers_seed(plan: list[tuple], employers: int, seed: int, result) -> None:
    Pools.build(seed)  # warm the cache before any fork, so workers share it
    parallel = connection.vendor == "postgresql" and employers >= PARALLEL_FROM
    if parallel:
        with _trigram_indexes_deferred(result.seconds):
            connections.close_all()  # a forked child must not share the socket
            with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
                outcomes = pool.map(_office_employers_seed_pipelined, _balanced(plan))
    else:
        outcomes = [_office_employers_seed([job]) for job in plan]
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses row counts from empty tables and
        # picks sequential scans until autovacuum catches up.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        result.seconds["analyze"] = time.perf_counter() - started
    for created, seconds in outcomes:
        for key, value in created.items():
            result.created[key] = result.created.get(key, 0) + value
        for key, value in seconds.items():
            result.seconds[key] = result.seconds.get(key, 0.0) + value


@contextmanager
def _trigram_indexes_deferred(seconds: dict[str, float]):
    """Drops the search indexes (GIN trigram, crm/migrations/0003) for a large load
    and builds them again afterwards, also when the load fails: building a GIN index
    once is several times cheaper than inserting a million rows into it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND indexname LIKE %s",
            ["crm\\_%\\_trgm"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
        seconds["search_indexes"] = time.perf_counter() - started


def _staff_seed(result: DemoResult) -> list[Office]:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow by design
    admin, _created = get_user_model().objects.get_or_create(
        username="admin",
        defaults={
            "email": "admin@passerelle.example",
            "first_name": "Demo",
            "last_name": "Admin",
            "is_staff": True,
            "is_superuser": True,
            "password": password,
        },
    )
    result.logins.append((admin.username, "superuser", "all offices"))
    return [_office_seed(spec, password, result) for spec in OFFICES]


def _balanced(plan: list[tuple]) -> list[list[tuple]]:
    """Jobs in WORKERS groups of about equal size (largest first, to the lightest)."""
    groups: list[list[tuple]] = [[] for _ in range(WORKERS)]
    for job in sorted(plan, key=lambda job: -job[2]):
        min(groups, key=lambda g: sum(j[2] for j in g)).append(job)
    return [group for group in groups if group]


def _office_employers_seed(
    jobs: list[tuple], pipelined: bool = False
) -> tuple[dict, dict]:
    """Draws and writes the employers of some offices; one transaction per office.

    `pipelined` (the parallel PostgreSQL path): a writer thread with its own
    connection writes chunk n while this thread draws chunk n+1, so the database's
    work and Python's overlap instead of taking turns."""
    created: dict[str, int] = {}
    seconds: dict[str, float] = {}
    pools = Pools.build(jobs[0][3])
    for index, office_pk, count, seed, contacts in jobs:
        spec = OFFICES[index]
        office = Office.objects.get(pk=office_pk)
        taken = set(Employer.objects.exclude(uid=None).values_list("uid", flat=True))
        run = _run(office, spec, random.Random(f"{seed}:{spec.code}"), pools, taken)
        run.with_contacts = contacts
        run.uid_range = _uid_range(index)
        chunks = (
            [employer_draw(run) for _ in range(min(CHUNK, count - start))]
            for start in range(0, count, CHUNK)
        )
        if pipelined:
            _chunks_write_behind(chunks, created, seconds)
        else:
            with transaction.atomic():
                for drafts in chunks:
                    chunk_write(drafts, created, seconds)
    return created, seconds


def _office_employers_seed_pipelined(jobs: list[tuple]) -> tuple[dict, dict]:
    return _office_employers_seed(jobs, pipelined=True)


def _chunks_write_behind(chunks, created: dict, seconds: dict) -> None:
    """Writes chunks in a second thread (one transaction) while the next is drawn."""
    pending: queue.Queue = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def writer() -> None:
        try:
            with transaction.atomic():
                while (drafts := pending.get()) is not None:
                    chunk_write(drafts, created, seconds)
        except BaseException as exc:  # handed to the drawing thread below
            failure.append(exc)
            while pending.get() is not None:  # drain, so the producer never blocks
                pass
        finally:
            connection.close()

    thread = threading.Thread(target=writer, name="seed-writer")
    thread.start()
    try:
        for drafts in chunks:
            if failure:
                break
            pending.put(drafts)
    finally:
        pending.put(None)
        thread.join()
    if failure:
        raise failure[0]


def _uid_range(index: int) -> tuple[int, int]:
    """Each office draws UIDs from its own band, so parallel offices never collide."""
    width = 90_000_000 // len(OFFICES)
    low = 10_000_000 + index * width
    return low, low + width


def _office_seed(spec: OfficeSpec, password: str, result: DemoResult) -> Office:
    office, _created = Office.objects.get_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "canton": spec.canton,
            "languages": spec.languages,
            "served_cantons": [spec.canton],
            "reaction_time_target_days": spec.reaction_time_target_days,
            "onsite_decision_limit_chf": spec.onsite_decision_limit_chf,
            "contact_due_months": 12,
            "contact_overdue_months": 36,
        },
    )
    teams = [
        Team.objects.get_or_create(office=office, name=name)[0] for name in spec.teams
    ]
    for username, first, last, role, team, languages in spec.staff_rows():
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@passerelle.example",
                "password": password,
            },
        )
        profile, _created = StaffProfile.objects.get_or_create(
            user=user,
            defaults={
                "office": office,
                "team": teams[int(team)] if team else None,
                "role": role,
                "languages": languages.split(","),
            },
        )
        staff_role_apply(user, profile.role)
        role_label = str(StaffRole(profile.role).label)
        result.logins.append((username, role_label, profile.office.code))
    return office


def _split(total: int) -> list[int]:
    """`total` by the offices' shares, rounded so that the parts add up."""
    exact = [total * spec.share / 100 for spec in OFFICES]
    parts = [int(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts


def _run(
    office: Office, spec: OfficeSpec, rng: random.Random, pools: Pools, taken: set[str]
) -> Run:
    profiles = (
        StaffProfile.objects.filter(office=office, role__in=list(PORTFOLIO))
        .select_related("user")
        .order_by("user__username")
    )
    return Run(
        office=office,
        spec=spec,
        rng=rng,
        pools=pools,
        taken=taken,
        contacts=[profile.user for profile in profiles],
        weights=[PORTFOLIO[profile.role] for profile in profiles],
    )


def demo_site_configure() -> None:
    """Points Wagtail's default site at SITE_URL, so that pages' full_url is right."""
    from wagtail.models import Site

    url = urlsplit(settings.SITE_URL)
    port = url.port or (443 if url.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site and (site.hostname, site.port) != (url.hostname, port):
        site.hostname, site.port = url.hostname, port
        site.save()  # save(), not update(): the signal clears Wagtail's root-path cache

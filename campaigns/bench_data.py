"""The data set of `manage.py bench segment`: one office `BENCHSEG` at country size.

N employers, 3 contact persons each (one role each), half of the persons subscribed
to one list, and about 10 contacts per employer over four years, so that each
employer's derived `last_case_independent_contact_on` / `last_contact_on` are what
the contacts say. Written with `core.bulk.rows_insert` (PostgreSQL `COPY`, else
`executemany`) from plain tuples, keys reserved from the sequences first: 500,000
employers / 1.5 M persons / 5 M contacts load in a few minutes instead of the hour
`bulk_create` would take. Kept between runs (it is found again by its size).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from core.bulk import ids_reserve, rows_insert
from crm.models import Contact, ContactPerson, Employer, EmployerRole, Office

from .models import MailingList, Subscription

OFFICE_CODE = "BENCHSEG"
CHUNK = 50_000  # employers per write: memory stays flat at 500,000
# Roughly the Swiss mix: most enterprises are micro, a few percent medium or large.
SIZES = (("micro", 55), ("small", 25), ("medium", 14), ("large", 6))
CANTONS = (
    ("ZH", 20), ("BE", 14), ("VD", 10), ("AG", 8), ("SG", 6), ("GE", 7), ("LU", 5),
    ("TI", 5), ("FR", 4), ("BS", 4), ("SO", 4), ("VS", 4), ("GR", 3), ("NE", 2),
)  # fmt: skip
REGION = {"VD": "fr", "GE": "fr", "NE": "fr", "FR": "fr", "VS": "fr", "TI": "it"}
PERSON_LANGUAGES = {
    "de": ((["de"], 70), (["de", "en"], 15), (["de", "fr"], 10), (["en"], 5)),
    "fr": ((["fr"], 75), (["fr", "de"], 15), (["en"], 10)),
    "it": ((["it"], 80), (["it", "de"], 20)),
}
CHANNELS = [c for c, _label in Contact.Channel.choices]
DAYS = 4 * 365  # contacts go back four years


def _weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[list, list[int]]:
    values, weights = zip(*pairs, strict=True)
    return list(values), list(weights)


class _Table:
    """Column list and constant tail for one model: `row(values)` appends the
    defaults of every column not named in `columns`."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        now = timezone.now()
        named = set(columns)
        self.model = model
        tail_fields = [
            f
            for f in model._meta.concrete_fields
            if f.column not in named and not f.primary_key
        ]
        self.columns = list(columns) + [f.column for f in tail_fields]
        self.tail = tuple(_default(f, now) for f in tail_fields)

    def write(self, rows: Iterable[tuple]) -> int:
        tail = self.tail
        rows = [row + tail for row in rows]
        rows_insert(self.model, self.columns, rows)
        return len(rows)


def _default(field: models.Field, now) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return value


def segment_data_exists(employers: int) -> Office | None:
    office = Office.objects.filter(code=OFFICE_CODE).first()
    if office and Employer.objects.filter(office=office).count() == employers:
        return office
    return None


def segment_data_build(employers: int, seed: int = 1) -> dict[str, int]:
    """Writes the data set (the caller removed an older one). Returns row counts."""
    rng = random.Random(seed)
    with transaction.atomic():
        office = Office.objects.create(
            code=OFFICE_CODE, name="Bench", canton="BE", languages=["de", "fr"]
        )
        mailing_list = MailingList.objects.create(
            office=office, name="Bench", slug="bench", consent_text="ok"
        )
        staff, _created = get_user_model().objects.get_or_create(
            username="bench.segment", defaults={"email": "bench.segment@seg.example"}
        )
        _foreign_key_checks_skip()
        counts = {"employers": 0, "persons": 0, "subscriptions": 0, "contacts": 0}
        for start in range(0, employers, CHUNK):
            size = min(CHUNK, employers - start)
            _chunk_write(rng, office, mailing_list, staff.pk, start, size, counts)
    if connection.vendor == "postgresql":
        # Fresh statistics, and a visibility map so that index-only scans need not
        # visit the heap (autovacuum would get there, later).
        with connection.cursor() as cursor:
            for model in (Employer, ContactPerson, EmployerRole, Subscription, Contact):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return counts


def _foreign_key_checks_skip() -> None:
    """Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: 8 M rows queue 15 M
    checks for the COMMIT, minutes of work for rows built valid. A superuser (the
    benchmark's own database) can skip them for this transaction; others wait."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _chunk_write(rng, office, mailing_list, staff_id, start, size, counts) -> None:
    today = timezone.localdate()
    employer_ids = ids_reserve(Employer, size)
    contacts, last_any, last_independent = _contacts_draw(
        rng, office.pk, staff_id, employer_ids, today
    )
    employer_rows, regions = _employers_draw(
        rng, office.pk, employer_ids, start, last_any, last_independent
    )
    counts["employers"] += _Table(Employer, EMPLOYER_COLUMNS).write(employer_rows)
    person_ids = ids_reserve(ContactPerson, 3 * size)
    persons = list(_persons_draw(rng, office.pk, person_ids, regions, start))
    counts["persons"] += _Table(ContactPerson, PERSON_COLUMNS).write(
        row for row, _languages in persons
    )
    _Table(EmployerRole, ["employer_id", "person_id", "function"]).write(
        (employer_ids[n // 3], pid, "hr" if n % 3 else "ceo")
        for n, pid in enumerate(person_ids)
    )
    counts["subscriptions"] += _Table(Subscription, SUBSCRIPTION_COLUMNS).write(
        (mailing_list.pk, row[0], row[4], languages[0],
         "active" if rng.random() < 0.92 else "unsubscribed", "import")
        for row, languages in persons
        if rng.random() < 0.5
    )  # fmt: skip
    counts["contacts"] += _Table(Contact, CONTACT_COLUMNS).write(contacts)


EMPLOYER_COLUMNS = [
    "id", "office_id", "legal_name", "canton", "language_region", "size_class",
    "last_contact_on", "last_case_independent_contact_on",
]  # fmt: skip
PERSON_COLUMNS = ["id", "office_id", "first_name", "last_name", "email", "languages"]
SUBSCRIPTION_COLUMNS = [
    "mailing_list_id", "person_id", "email", "language", "status", "source",
]  # fmt: skip
CONTACT_COLUMNS = [
    "office_id", "employer_id", "occurred_on", "staff_id", "case_related", "channel",
    "initiated_by",
]  # fmt: skip


def _contacts_draw(rng, office_id, staff_id, employer_ids, today: date):
    """About 10 contacts per employer (0–20), 60 % case-related."""
    rows: list[tuple] = []
    last_any: list[date | None] = []
    last_independent: list[date | None] = []
    for employer_id in employer_ids:
        latest = latest_independent = None
        for _ in range(rng.randint(0, 20)):
            day = today - timedelta(days=int(rng.random() * DAYS))
            case_related = rng.random() < 0.6
            rows.append((office_id, employer_id, day, staff_id, case_related,
                         rng.choice(CHANNELS), "office"))  # fmt: skip
            latest = day if latest is None or day > latest else latest
            if not case_related and (latest_independent is None
                                     or day > latest_independent):  # fmt: skip
                latest_independent = day
        last_any.append(latest)
        last_independent.append(latest_independent)
    return rows, last_any, last_independent


def _employers_draw(rng, office_id, ids, start, last_any, last_independent):
    cantons, canton_weights = _weighted(CANTONS)
    sizes, size_weights = _weighted(SIZES)
    drawn_cantons = rng.choices(cantons, canton_weights, k=len(ids))
    drawn_sizes = rng.choices(sizes, size_weights, k=len(ids))
    rows, regions = [], []
    for n, pk in enumerate(ids):
        canton = drawn_cantons[n]
        region = REGION.get(canton, "de")
        regions.append(region)
        rows.append((pk, office_id, f"Bench {start + n}", canton, region,
                     drawn_sizes[n], last_any[n], last_independent[n]))  # fmt: skip
    return rows, regions


def _persons_draw(rng, office_id, ids, regions, start) -> Iterator[tuple]:
    tables = {region: _weighted(pairs) for region, pairs in PERSON_LANGUAGES.items()}
    dumped: dict[int, str] = {}
    for n, pk in enumerate(ids):
        values, weights = tables[regions[n // 3]]
        languages = rng.choices(values, weights)[0]
        text = dumped.setdefault(id(languages), json.dumps(languages))
        number = 3 * start + n
        row = (pk, office_id, "P", f"N{number:07d}", f"p{number}@seg.example", text)
        yield row, languages


def segment_data_drop() -> None:
    """Removes the data set with plain DELETEs: the ORM's cascade collector (and
    simple-history's per-row delete records) would take an hour at this size."""
    office = Office.objects.filter(code=OFFICE_CODE).first()
    if office is None:
        return
    employers = "SELECT id FROM crm_employer WHERE office_id = %s"
    persons = "SELECT id FROM crm_contactperson WHERE office_id = %s"
    statements = [
        f"DELETE FROM crm_contact_participants WHERE contact_id IN "  # noqa: S608
        f"(SELECT id FROM crm_contact WHERE employer_id IN ({employers}))",
        f"DELETE FROM crm_contact WHERE employer_id IN ({employers})",  # noqa: S608
        "DELETE FROM campaigns_subscription WHERE mailing_list_id IN "
        "(SELECT id FROM campaigns_mailinglist WHERE office_id = %s)",
        f"DELETE FROM crm_employerrole WHERE person_id IN ({persons})",  # noqa: S608
        f"DELETE FROM crm_employerrole WHERE employer_id IN ({employers})",  # noqa: S608
        "DELETE FROM campaigns_segment WHERE office_id = %s",
        "DELETE FROM campaigns_mailinglist WHERE office_id = %s",
        "DELETE FROM crm_contactperson WHERE office_id = %s",
        "DELETE FROM crm_employer WHERE office_id = %s",
        "DELETE FROM crm_office WHERE id = %s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [office.pk])

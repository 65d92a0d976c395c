"""`manage.py bench import --rows 100000 [--peer-rows 2000] --json`.

On one generated file of new employers (the DESIGN.md columns), in one run:

- Passerelle's import of the whole file (read, clean column-wise, UID matching,
  in-file duplicate check, COPY write with history), then a re-import of the same
  file with 10 % of the rows changed;
- django-import-export's `import_data` on the first `--peer-rows` rows of the same
  file (the peer: at ≈ 700 rows/s the whole file would take minutes), with default
  options, with `use_bulk`, and with `use_bulk` and the cached instance loader; each
  from an empty BENCH office for the new rows, then over them for the file with
  10 % changed;
- PostgreSQL `COPY` of the same rows, already clean (the ceiling);
- Passerelle's import of the same rows as an XLSX workbook (new rows), which costs
  what reading it with openpyxl costs.

The work an import enqueues after its commit (the duplicate scan, UID register
lookups) is suppressed (`import_run(follow_ups=False)`): the benchmark leaves no task
in the broker. The scan is measured on its own by `bench dedupe`.

Runs against the configured database in an office of its own (code `BENCH`), which it
empties before and after.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import tablib
from django.db import connection, transaction
from django.utils import timezone

from core.bench import BenchmarkError, register
from core.bulk import rows_insert
from crm.models import Employer, Office

from .reading import table_read
from .resources import (
    EmployerBulkCachedResource,
    EmployerBulkResource,
    EmployerResource,
)
from .services import import_run

HEADER = "UID;Firma;Strasse;PLZ;Ort;Kanton;NOGA;Vollzeitstellen;E-Mail"
TOWNS = [
    ("3011", "Bern", "BE"),
    ("8001", "Zürich", "ZH"),
    ("1003", "Lausanne", "VD"),
    ("6900", "Lugano", "TI"),
    ("4051", "Basel", "BS"),
    ("9000", "St. Gallen", "SG"),
]
WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4)


def uid_numbers(count: int, start: int = 90_000_000):
    """`count` valid UIDs (mod-11 check digit), none of them in the database."""
    found: list[str] = []
    number = start
    while len(found) < count:
        batch = []
        while len(batch) < (count - len(found)) * 11 // 10 + 10:
            digits = f"{number:08d}"
            number += 1
            check = (
                11 - sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
            )
            if check == 10:
                continue
            check = 0 if check == 11 else check
            nine = digits + str(check)
            batch.append(f"CHE-{nine[:3]}.{nine[3:6]}.{nine[6:]}")
        taken = set(
            Employer.objects.filter(uid__in=batch).values_list("uid", flat=True)
        )
        found += [u for u in batch if u not in taken]
    return found[:count]


def file_build(uids: list[str], changed_every: int = 0) -> bytes:
    lines = [HEADER]
    for i, uid in enumerate(uids):
        postcode, town, canton = TOWNS[i % len(TOWNS)]
        street = f"Bahnhofstrasse {i % 200 + 1}"
        if changed_every and i % changed_every == 0:
            street += "a"
        fte = (i * 7) % 400 + 1
        lines.append(
            f"{uid};Muster {i} AG;{street};{postcode};{town};{canton};"
            f"{10 + i % 80}.{i % 100:02d};{fte};info{i}@muster{i}.example"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _office() -> Office:
    office, _created = Office.objects.get_or_create(
        code="BENCH",
        defaults={"name": "Benchmark", "canton": "BE", "languages": ["de"]},
    )
    return office


def _empty(office: Office) -> None:
    history = Employer.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {history} WHERE office_id = %s", [office.pk])  # noqa: S608
        table = Employer._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE office_id = %s", [office.pk])  # noqa: S608


def _passerelle(data: bytes, office: Office, fmt: str = "csv") -> tuple[float, object]:
    started = time.perf_counter()
    table = table_read(data, fmt=fmt)
    result = import_run(
        resource="employers", table=table, office=office, follow_ups=False
    )
    return time.perf_counter() - started, result


def xlsx_build(data: bytes) -> bytes:
    """The generated CSV as an XLSX workbook (every cell text, as typed by hand)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Arbeitgeber")
    for line in data.decode("utf-8").splitlines():
        sheet.append(line.split(";"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# django-import-export as its users run it: default options, `use_bulk`, and
# `use_bulk` with the cached instance loader (one query for the existing rows).
PEER_VARIANTS = {
    "default": EmployerResource,
    "use_bulk": EmployerBulkResource,
    "use_bulk_cached": EmployerBulkCachedResource,
}


def _head(data: bytes, rows: int) -> bytes:
    """The header line and the first `rows` rows of a generated file."""
    lines = data.split(b"\n", rows + 1)
    return b"\n".join(lines[: rows + 1]) + b"\n"


def _peer(data: bytes, office: Office, resource_class, *, new: int) -> float:
    """Seconds of one `import_data`; checks it created `new` rows (the office was
    emptied before a run of new rows, not before the run over them)."""
    started = time.perf_counter()
    dataset = tablib.Dataset().load(data.decode("utf-8"), format="csv", delimiter=";")
    result = resource_class(office=office).import_data(dataset)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise BenchmarkError("django-import-export reported errors on a clean file")
    if result.totals.get("new", 0) != new:
        raise BenchmarkError(
            f"django-import-export created {result.totals.get('new', 0)} rows, "
            f"expected {new}"
        )
    return seconds


def _copy(office: Office, uids: list[str]) -> float:
    """COPY of the same rows, already clean: the ceiling of any import."""
    stamp = timezone.now()
    columns = [
        "office_id",
        "uid",
        "legal_name",
        "street",
        "postcode",
        "municipality",
        "canton",
        "noga_code",
        "fte",
        "email",
        "language_region",
        "size_class",
        "register_status",
        "relationship_status",
        "created_at",
        "updated_at",
    ]
    defaults = [
        f
        for f in Employer._meta.concrete_fields
        if f.column not in columns and f.column != "id"
    ]
    columns += [f.column for f in defaults]
    filler = [f.get_default() for f in defaults]
    rows = []
    for i, uid in enumerate(uids):
        postcode, town, canton = TOWNS[i % len(TOWNS)]
        rows.append(
            [
                office.pk,
                uid,
                f"Muster {i} AG",
                f"Bahnhofstrasse {i % 200 + 1}",
                postcode,
                town,
                canton,
                f"{10 + i % 80}.{i % 100:02d}",
                Decimal((i * 7) % 400 + 1),
                f"info{i}@muster{i}.example",
                "de",
                "small",
                "active",
                "new",
                stamp,
                stamp,
                *filler,
            ]
        )
    started = time.perf_counter()
    with transaction.atomic():
        rows_insert(Employer, columns, rows)
    return time.perf_counter() - started


@register("import")
def import_bench(options: dict) -> dict:
    rows = int(options.get("rows", 100_000))
    peer_rows = min(int(options.get("peer_rows", 2_000)), rows)
    office = _office()
    _empty(office)
    uids = uid_numbers(rows)
    data = file_build(uids)
    changed = file_build(uids, changed_every=10)
    figures: dict = {
        "rows": rows,
        "database": connection.vendor,
        "file_mb": round(len(data) / 1e6, 1),
        "post_commit_tasks": "suppressed (duplicate scan: bench dedupe)",
    }

    seconds, result = _passerelle(data, office)
    assert result.created == rows, result.summary()
    figures["passerelle_new_s"] = round(seconds, 2)
    figures["passerelle_new_rows_per_s"] = round(rows / seconds)

    seconds, result = _passerelle(changed, office)
    assert result.updated == rows // 10 and result.created == 0, result.summary()
    figures["passerelle_reimport_10pct_s"] = round(seconds, 2)
    figures["passerelle_reimport_rows_per_s"] = round(rows / seconds)

    seconds, result = _passerelle(changed, office)
    assert result.skipped == rows, result.summary()
    figures["passerelle_reimport_unchanged_rows_per_s"] = round(rows / seconds)

    # The peer on the first `peer_rows` rows of the same file (the same lines, so
    # the same 10 % changed), each variant starting from an empty BENCH office: new
    # rows, then the changed file over them.
    peer_new = _head(data, peer_rows)
    peer_changed = _head(changed, peer_rows)
    figures["peer_rows"] = peer_rows
    for name, resource_class in PEER_VARIANTS.items():
        _empty(office)
        seconds = _peer(peer_new, office, resource_class, new=peer_rows)
        figures[f"peer_{name}_new_rows_per_s"] = round(peer_rows / seconds)
        seconds = _peer(peer_changed, office, resource_class, new=0)
        figures[f"peer_{name}_update_10pct_rows_per_s"] = round(peer_rows / seconds)

    _empty(office)
    seconds = _copy(office, uids)
    figures["copy_rows_per_s"] = round(rows / seconds)
    _empty(office)

    workbook = xlsx_build(data)
    figures["xlsx_file_mb"] = round(len(workbook) / 1e6, 1)
    started = time.perf_counter()
    table_read(workbook, fmt="xlsx")
    figures["xlsx_read_s"] = round(time.perf_counter() - started, 2)
    seconds, result = _passerelle(workbook, office, fmt="xlsx")
    assert result.created == rows, result.summary()
    figures["passerelle_xlsx_new_s"] = round(seconds, 2)
    figures["passerelle_xlsx_new_rows_per_s"] = round(rows / seconds)
    _empty(office)

    new, reimport = (
        figures["passerelle_new_rows_per_s"],
        figures["passerelle_reimport_rows_per_s"],
    )
    for name in PEER_VARIANTS:
        figures[f"ratio_new_to_peer_{name}"] = round(
            new / figures[f"peer_{name}_new_rows_per_s"], 1
        )
        figures[f"ratio_reimport_to_peer_{name}"] = round(
            reimport / figures[f"peer_{name}_update_10pct_rows_per_s"], 1
        )
    figures["ratio_new_to_copy"] = round(new / figures["copy_rows_per_s"], 3)
    return figures


@register("export")
def export_bench(options: dict) -> dict:
    """`bench export --rows 100000 [--format xlsx]`: `crm_export` of the BENCH office
    as a separate process, as staff or cron run it: wall time, rows/s and the
    process's peak resident memory (getrusage of the child)."""
    rows = int(options.get("rows", 100_000))
    fmt = options.get("format", "xlsx")
    office = _office()
    _empty(office)
    _copy(office, uid_numbers(rows))
    try:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / f"employers.{fmt}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            done = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
                [
                    sys.executable,
                    str(Path(__file__).resolve().parents[2] / "manage.py"),
                    "crm_export",
                    "employers",
                    "--format",
                    fmt,
                    "--out",
                    str(out),
                    "--office",
                    office.code,
                ],
                capture_output=True,
                text=True,
                check=False,
                env=_child_env(),
            )
            seconds = time.perf_counter() - started
            peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            if done.returncode != 0:
                raise BenchmarkError(done.stderr.strip() or done.stdout.strip())
            size = out.stat().st_size
    finally:
        _empty(office)
    return {
        "rows": rows,
        "format": fmt,
        "database": connection.vendor,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "file_mb": round(size / 1e6, 1),
        # ru_maxrss is in KiB on Linux; the largest child so far (this is the first).
        "peak_rss_mb": round(max(peak_kb, before) / 1024),
        "output": done.stdout.strip().splitlines()[-1],
    }


def _child_env() -> dict[str, str]:
    """The environment of `crm_export`'s process, pointed at the database this
    process uses (under pytest the test database, not the one DATABASE_URL names)."""
    env = dict(os.environ)
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    elif connection.vendor == "postgresql":
        user = db.get("USER") or ""
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        at = f"{user}{password}@" if user else ""
        host, port = db.get("HOST") or "", db.get("PORT") or ""
        env["DATABASE_URL"] = (
            f"postgres://{at}{host}{':' + str(port) if port else ''}/{db['NAME']}"
        )
    return env

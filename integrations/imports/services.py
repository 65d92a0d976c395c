"""The one import service the admin, the CLI and the API share.

`import_run` reads a table, maps its headers, cleans it column by column, matches
rows to existing records by their natural key (UID, e-mail …), and writes new and
changed rows in bulk (`COPY` on PostgreSQL, see `writing.py`). Nothing is written
when any row is invalid, unless `partial` is asked for; `dry_run` writes nothing and
returns the same preview the admin shows: each row new / update / skip / error, with
the changed values and the messages.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from crm.models import Office

from . import writing
from .cells import column_clean, header_key
from .reading import Table
from .specs import Column, Rows, Spec, spec_get

logger = logging.getLogger(__name__)

NEW, UPDATE, SKIP, ERROR = "new", "update", "skip", "error"

Progress = Callable[[int, int], None]

#: Rows between two progress reports (each report is one UPDATE of the job).
PROGRESS_EVERY = 5000


class _Stages:
    """Reports progress over the three stages of an import (clean, match, write),
    each a third of the file's rows, at most every PROGRESS_EVERY rows of work."""

    STAGES = 3

    def __init__(self, progress: Progress | None, rows: int) -> None:
        self.progress, self.rows = progress, rows
        self.last = 0

    def report(self, stage: int, done: int, of: int, *, force: bool = False) -> None:
        if self.progress is None or not self.rows:
            return
        share = (stage + (done / of if of else 1)) / self.STAGES
        value = min(int(self.rows * share), self.rows)
        if force or value - self.last >= PROGRESS_EVERY // self.STAGES:
            self.last = value
            self.progress(value, self.rows)


NO_CHANGES: dict = {}  # shared by rows without changes: never mutated
NO_MESSAGES: list = []


class RowOutcome:
    """One row's fate: its row number in the file, status, changes, messages.

    A plain class with slots: an import of 100,000 rows makes 100,000 of them.
    """

    __slots__ = ("number", "status", "changes", "messages")

    def __init__(self, number: int, status: str, changes=None, messages=None):
        self.number = number
        self.status = status
        self.changes: dict[str, tuple[Any, Any]] = changes or NO_CHANGES
        self.messages: list[str] = messages or NO_MESSAGES

    def __repr__(self) -> str:
        return f"RowOutcome({self.number}, {self.status!r})"


@dataclass
class ImportResult:
    resource: str
    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # header → column name
    unknown_headers: list[str] = field(default_factory=list)
    written: bool = False
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def created(self) -> int:
        return self.count(NEW)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def skipped(self) -> int:
        return self.count(SKIP)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    def summary(self, *, as_written: bool = True) -> str:
        """The counts line of `crm_import`. `as_written`: what is in the database
        now, so a refused import reads created=0 updated=0 and counts its valid rows
        as skipped; otherwise (a dry run) what the import would do."""
        created, updated, skipped = self.created, self.updated, self.skipped
        if as_written and not self.written:
            created, updated, skipped = 0, 0, created + updated + skipped
        return (
            f"created={created} updated={updated} "
            f"skipped={skipped} errors={self.errors + len(self.file_errors)}"
        )


def headers_map(
    spec: Spec, headers: list[str], mapping: dict[str, str] | None = None
) -> tuple[dict[int, Column], list[str], list[str]]:
    """Which column each header fills: {index: Column}, unknown headers, warnings.

    `mapping` (header → column name, "" to ignore) overrides the automatic match;
    it is what the admin's mapping step sends.
    """
    columns = spec.columns()
    by_name = {c.name: c for c in columns}
    by_key: dict[str, Column] = {}
    for column in columns:
        for key in column.match_keys():
            by_key.setdefault(key, column)
    assigned: dict[int, Column] = {}
    unknown, warnings = [], []
    for index, header in enumerate(headers):
        if not header:
            continue
        if mapping and header in mapping:
            column = by_name.get(mapping[header])
            if column is None:
                continue  # the user chose to ignore it
        else:
            column = by_key.get(header_key(header))
        if column is None:
            unknown.append(header)
            warnings.append(
                _("Column “%(header)s” is not known and is ignored.")
                % {"header": header}
            )
            continue
        if any(other.name == column.name for other in assigned.values()):
            warnings.append(
                _("Column “%(header)s” repeats %(label)s and is ignored.")
                % {"header": header, "label": column.label}
            )
            continue
        assigned[index] = column
    return assigned, unknown, warnings


def import_run(
    *,
    resource: str | Spec,
    table: Table,
    office: Office,
    dry_run: bool = False,
    partial: bool = False,
    mapping: dict[str, str] | None = None,
    by=None,
    progress: Progress | None = None,
    follow_ups: bool = True,
) -> ImportResult:
    """`follow_ups=False` enqueues no work after the commit (the duplicate scan, UID
    register lookups): for `bench import`, which must leave no tasks behind."""
    spec = spec_get(resource) if isinstance(resource, str) else resource
    # Hundreds of thousands of small objects, none of them cyclic: the cyclic
    # garbage collector would only rescan them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(
            spec, table, office, dry_run, partial, mapping, by, progress, follow_ups
        )
    finally:
        if collecting:
            gc.enable()


def _import(
    spec, table, office, dry_run, partial, mapping, by, progress, follow_ups
) -> ImportResult:
    result = ImportResult(resource=spec.name, warnings=list(table.warnings))
    assigned, result.unknown_headers, warnings = headers_map(
        spec, table.headers, mapping
    )
    result.warnings += warnings
    result.mapping = {table.headers[i]: c.name for i, c in assigned.items()}
    present = {c.name for c in assigned.values()}
    missing = [c for c in spec.columns() if c.required and c.name not in present]
    if missing:
        result.file_errors.append(
            _("Required columns are missing: %(columns)s.")
            % {"columns": ", ".join(str(c.label) for c in missing)}
        )
        return result
    stages = _Stages(progress, len(table.rows))
    rows = _rows_clean(spec, table, assigned, office, stages)
    in_file = {c.name for c in assigned.values()}
    _rows_match(spec, table, rows, office, result, in_file, stages)
    if dry_run or (result.errors and not partial) or not result.rows:
        stages.report(2, 1, 1, force=True)
        return result
    _write(spec, rows, office, result, by)
    stages.report(2, 1, 1, force=True)
    if follow_ups:
        ids = result.created_ids + result.updated_ids
        spec.after_commit(office, ids, created=result.created_ids)
    return result


def _rows_clean(
    spec: Spec,
    table: Table,
    assigned: dict[int, Column],
    office: Office,
    stages: _Stages,
) -> Rows:
    rows = Rows(values={}, count=len(table.rows))
    for position, (index, column) in enumerate(assigned.items()):
        stages.report(0, position, len(assigned) + 1)
        raw = [record[index] if index < len(record) else "" for record in table.rows]
        cleaned, errors = column_clean(column.cleaner, raw)
        rows.values[column.name] = cleaned
        header = table.headers[index]
        for row_index, message in errors.items():
            rows.error(row_index, f"{header}: {message}")
    stages.report(0, len(assigned), len(assigned) + 1)
    spec.resolve(rows, office)
    stages.report(1, 0, 1, force=True)
    return rows


def _rows_match(
    spec: Spec,
    table: Table,
    rows: Rows,
    office: Office,
    result: ImportResult,
    in_file: set[str],
    stages: _Stages,
) -> None:
    keys = spec.keys(rows)
    rows.keys = keys
    valid_keys = {k for i, k in enumerate(keys) if i not in rows.errors}
    taken = spec.foreign(office, valid_keys)
    existing = spec.existing(office, valid_keys - taken)
    compare = spec.update_fields(in_file)
    first_seen: dict[Any, int] = {}
    rows.existing_ids = {}
    numbers = table.numbers
    for index, key in enumerate(keys):
        if not index % PROGRESS_EVERY:
            stages.report(1, index, len(keys))
        number = numbers[index]
        messages = rows.errors.get(index)
        if messages:
            result.rows.append(RowOutcome(number, ERROR, messages=messages))
            continue
        if key in taken:
            result.rows.append(
                RowOutcome(
                    number,
                    ERROR,
                    messages=[
                        _(
                            "%(key)s already belongs to another office. "
                            "Ask that office to share the employer with yours."
                        )
                        % {"key": key}
                    ],
                )
            )
            continue
        if key in first_seen:
            earlier = first_seen[key]
            same = rows.record(earlier) == rows.record(index)
            if same:
                result.rows.append(
                    RowOutcome(
                        number,
                        SKIP,
                        messages=[
                            _("Same as row %(row)s.") % {"row": table.numbers[earlier]}
                        ],
                    )
                )
            else:
                result.rows.append(
                    RowOutcome(
                        number,
                        ERROR,
                        messages=[
                            _(
                                "Row %(row)s has the same key (%(key)s) "
                                "with other values."
                            )
                            % {"row": table.numbers[earlier], "key": _key_text(key)}
                        ],
                    )
                )
            continue
        first_seen[key] = index
        current = existing.get(key)
        if current is None:
            result.rows.append(RowOutcome(number, NEW))
            continue
        record = rows.record(index)
        changes = {
            name: (current[name], record[name])
            for name in compare
            if name in record and not _same(current[name], record[name])
        }
        rows.existing_ids[index] = current["id"]
        result.rows.append(RowOutcome(number, UPDATE if changes else SKIP, changes))


def _key_text(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join(str(k) for k in key[1:] if k not in (None, ""))
    return str(key)


def _same(old: Any, new: Any) -> bool:
    if old is None or old == "":
        return new is None or new == "" or new == []
    if not isinstance(old, str | int | float | bool | list | dict) and hasattr(
        old, "national_number"
    ):
        old = writing.phone_text(old)  # a PhoneNumber from the database
    return old == new


def _write(spec: Spec, rows: Rows, office: Office, result: ImportResult, by) -> None:
    """Writes the valid rows in one transaction; the fuzzy duplicate scan runs after.

    No progress is reported inside the transaction: the job's row written there
    would stay invisible to the progress page until the commit anyway."""
    outcomes = result.rows
    creates = [i for i, o in enumerate(outcomes) if o.status == NEW]
    updates = [i for i, o in enumerate(outcomes) if o.status == UPDATE]
    with transaction.atomic():
        created = writing.rows_create(spec, rows.values, creates, office, by)
        changed = [(rows.existing_ids[i], outcomes[i].changes) for i in updates]
        writing.rows_update(spec, changed, by)
        index_ids = dict(zip(creates, created, strict=True))
        index_ids.update({i: rows.existing_ids[i] for i in rows.existing_ids})
        spec.after_write(rows, index_ids, office)
    result.written = True
    result.created_ids = created
    result.updated_ids = [pk for pk, _changes in changed]

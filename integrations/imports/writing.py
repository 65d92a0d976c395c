"""The bulk write path of imports: `COPY` for new rows, a staging table for updates,
and the field history (django-simple-history) written alongside, in bulk too.

Rows arrive validated (services.py); nothing here validates again. On SQLite the same
rows go in with `executemany`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

from core.bulk import ids_reserve, rows_insert

from .specs import Spec

HISTORY_FIELDS = (
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)


def phone_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "national_number"):
        return f"+{value.country_code}{value.national_number}"
    return str(value)


def _db_value(field: models.Field, value: Any) -> Any:
    if isinstance(field, models.JSONField):
        return json.dumps(value if value is not None else [])
    if value is None and not field.null:
        return "" if isinstance(field, models.CharField | models.TextField) else value
    return value


def _template(model: type[models.Model], office_id: int, now) -> tuple[list, list]:
    """Concrete fields and one row of their defaults (timestamps set to now)."""
    fields = list(model._meta.concrete_fields)
    defaults = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults.append(now)
        elif f.attname == "office_id":
            defaults.append(office_id)
        elif isinstance(f, models.JSONField):
            defaults.append(f.get_default() if f.has_default() else [])
        else:
            default = f.get_default()
            defaults.append(default.value if hasattr(default, "value") else default)
    return fields, defaults


def rows_create(
    spec: Spec,
    values: dict[str, list],
    indices: Sequence[int],
    office,
    by,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """Inserts rows `indices` of the cleaned columns `values` (field → column) as
    new records; returns their keys in order. `progress(done, of)` hears of every
    batch of rows written."""
    if not indices:
        return []
    model = spec.model
    now = timezone.now()
    fields, defaults = _template(model, office.pk, now)
    ids = ids_reserve(model, len(indices))
    # Every output column: taken from a cleaned column, or the field's default.
    sources = []
    for position, field in enumerate(fields):
        column = values.get(field.attname)
        if field.primary_key:
            sources.append(ids)
            continue
        default = defaults[position]
        if column is None:
            sources.append(None)
            continue
        picked = [column[i] for i in indices]
        if not field.null:
            picked = [default if v is None else v for v in picked]
        if isinstance(field, models.JSONField):
            picked = [json.dumps(v if v is not None else []) for v in picked]
        sources.append(picked)
    for position, source in enumerate(sources):
        if source is None:
            default = defaults[position]
            if isinstance(fields[position], models.JSONField):
                default = json.dumps(default)
            sources[position] = [default] * len(indices)
    rows = list(zip(*sources, strict=True))
    columns = [f.column for f in fields]
    rows_insert(model, columns, rows, progress=progress)
    _history_write(model, columns, rows, "+", by, now)
    statistics_refresh(model, len(rows))
    return ids


#: Rows written at once from which the planner's statistics are refreshed.
ANALYZE_FROM_ROWS = 1000


def statistics_refresh(model: type[models.Model], written: int) -> None:
    """`ANALYZE` the table after a large write (PostgreSQL), inside the transaction.

    Autovacuum analyses a table only some time after a bulk load. Until then the
    planner believes an office that just received 100,000 employers has a handful,
    and the next import's key lookup (`uid IN (…100,000 values…)`) runs as a nested
    loop: measured 304 s instead of under a second for a re-import of 100,000 rows.
    """
    if connection.vendor != "postgresql" or written < ANALYZE_FROM_ROWS:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def rows_update(spec: Spec, changed: Sequence[tuple[int, dict]], by) -> None:
    """Updates only the changed fields of each row (grouped by which fields changed)."""
    if not changed:
        return
    model = spec.model
    groups: dict[tuple[str, ...], list[tuple[int, dict]]] = {}
    for pk, changes in changed:
        groups.setdefault(tuple(sorted(changes)), []).append((pk, changes))
    now = timezone.now()
    stamp = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    for names, items in groups.items():
        fields = [model._meta.get_field(n) for n in names]
        rows = [
            [pk, *(_db_value(f, changes[f.attname][1]) for f in fields)]
            for pk, changes in items
        ]
        _update(model, fields, rows, stamp, now)
    ids = [pk for pk, _changes in changed]
    if hasattr(model, "history"):
        fields = list(model._meta.concrete_fields)
        columns = [f.column for f in fields]
        current = []
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            qs = model._base_manager.filter(pk__in=chunk).values_list(
                *[f.attname for f in fields]
            )
            for row in qs:
                current.append(
                    [
                        json.dumps(v)
                        if isinstance(f, models.JSONField)
                        else (phone_text(v) if hasattr(v, "national_number") else v)
                        for f, v in zip(fields, row, strict=True)
                    ]
                )
        _history_write(model, columns, current, "~", by, now)


def _update(model, fields, rows, stamp, now) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    sets = [f"{quote(f.column)} = s.{quote(f.column)}" for f in fields]
    sets += [f"{quote(f.column)} = %s" for f in stamp]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            staging = quote(f"import_{model._meta.db_table}")
            names = ", ".join(
                quote(c) for c in [model._meta.pk.column, *(f.column for f in fields)]
            )
            cursor.execute(
                f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
            assignments = ", ".join(sets)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} "  # noqa: S608
                f"FROM {staging} AS s WHERE t.{pk} = s.{pk}",
                [now] * len(stamp),
            )
            cursor.execute(f"DROP TABLE {staging}")
            return
        assignments = [f"{quote(f.column)} = %s" for f in fields]
        assignments += [f"{quote(f.column)} = %s" for f in stamp]
        sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {pk} = %s"  # noqa: S608
        cursor.executemany(
            sql, [[*row[1:], *([now] * len(stamp)), row[0]] for row in rows]
        )


def _history_write(model, columns, rows, kind: str, by, now) -> None:
    """One historical record per row, as a save() would have written it."""
    if not hasattr(model, "history") or not rows:
        return
    history = model.history.model
    kept = {f.column for f in history._meta.concrete_fields}
    positions = [i for i, c in enumerate(columns) if c in kept]
    out_columns = [columns[i] for i in positions]
    out_columns += [history._meta.get_field(n).column for n in HISTORY_FIELDS]
    user_id = getattr(by, "pk", None)
    extra = (now, "import", kind, user_id)
    out = [[row[i] for i in positions] + list(extra) for row in rows]
    rows_insert(history, out_columns, out)

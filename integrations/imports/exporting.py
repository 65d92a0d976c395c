"""Exports of the importable resources, in the import's own columns, so that an
exported file imports again unchanged. CSV and XLSX are both written streaming:
rows come from the database in chunks and XLSX goes through openpyxl's write-only
mode, so 100,000 employers never sit in memory as one workbook.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO

from crm.models import Office

from .specs import Spec, spec_get

#: What a spreadsheet runs as a formula (OWASP "CSV injection"): `=`, `+`, `-`, `@`,
#: and a leading tab or carriage return, which Excel skips before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading `'`.

    Shared by exports and error reports, CSV and XLSX alike; an import takes the `'`
    off again (`cells._text`), so such a file imports unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Columns an export reads through a relation instead of the model's own field.
RELATED = {
    "employer_uid": "employer__uid",
    "staff_login": "staff__username",
}
# A person's employer and function come from the role (one row per role).
RELATED_PERSONS = {
    "employer_uid": "employerrole__employer__uid",
    "function": "employerrole__function",
}


def _lookups(spec: Spec) -> list[tuple[str, str]]:
    related = RELATED_PERSONS if spec.name == "persons" else RELATED
    out = []
    for column in spec.columns():
        if column.db:
            out.append((str(column.label), column.name))
        elif column.name in related:
            out.append((str(column.label), related[column.name]))
    return out


def export_rows(spec: Spec, office: Office | None) -> tuple[list[str], Iterator[list]]:
    lookups = _lookups(spec)
    queryset = spec.model._default_manager.all()
    if office is not None:
        queryset = queryset.filter(office=office)
    queryset = queryset.order_by("pk").values_list(*[p for _l, p in lookups])

    def rows():
        for record in queryset.iterator(chunk_size=5000):
            yield [_cell(value) for value in record]

    return [label for label, _p in lookups], rows()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if hasattr(value, "national_number"):
        return f"+{value.country_code}{value.national_number}"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, str):
        return cell_neutralise(value)
    return value


def export_write(resource: str, fmt: str, out: IO[bytes], office: Office | None) -> int:
    """Writes the export to the binary file `out`; returns the number of rows."""
    spec = spec_get(resource)
    headers, rows = export_rows(spec, office)
    count = 0
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(spec.label)[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
            count += 1
        book.save(out)
        return count
    import io

    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
        count += 1
    text.flush()
    text.detach()
    return count

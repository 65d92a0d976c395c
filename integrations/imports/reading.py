"""Reading an uploaded table: CSV (any of Swiss Excel's habits) or XLSX, into strings.

What offices send: UTF-8 with or without a BOM, Windows-1252 from older Excel, `;`
as delimiter (Swiss Excel), `,` or tab, quoted newlines, empty lines, numbers and
dates already typed in XLSX. Everything becomes a `Table` of header names and rows
of strings (or typed values from XLSX), each row with its number in the file, so that
every message can name the row a person sees in their spreadsheet.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

DELIMITERS = ";,\t|"
#: Non-empty lines the delimiter is guessed from.
SNIFF_LINES = 20
#: Bytes Windows-1252 leaves undefined: Python cannot decode them.
CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


class TableError(Exception):
    """The file as a whole cannot be read: says why, in the user's language."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    # Row number in the file (1 = the header line), per row of `rows`.
    numbers: list[int]
    encoding: str = ""
    delimiter: str = ""
    warnings: list[str] = field(default_factory=list)


def megabytes(size: int) -> str:
    """A size in MB as people and the README count it (1 MB = 1024 × 1024 bytes):
    40 MiB → "40", 1.5 MiB → "1.5", 1,000 bytes → "0.001" (never "0")."""
    value = size / (1024 * 1024)
    shown = round(value, 1) or round(value, 3) or 0.001
    return f"{shown:g}"


def size_check(size: int) -> None:
    """Raises TableError when a file of `size` bytes exceeds IMPORT_MAX_BYTES.

    The one message the admin's upload, `crm_import` and the API show."""
    limit = settings.IMPORT_MAX_BYTES
    if size <= limit:
        return
    shown, most = megabytes(size), megabytes(limit)
    if shown == most:  # just over the limit: "has 40 MB, at most 40 MB" would puzzle
        raise TableError(
            _(
                "The file is larger than %(limit)s MB, the most an import takes. "
                "Split it into several files."
            )
            % {"limit": most}
        )
    raise TableError(
        _(
            "The file has %(size)s MB; imports take at most %(limit)s MB. Split "
            "it into several files."
        )
        % {"size": shown, "limit": most}
    )


def table_read(data: bytes, *, fmt: str | None = None, filename: str = "") -> Table:
    """Reads `data` as CSV or XLSX (`fmt`, else guessed from the name and the bytes)."""
    size_check(len(data))
    fmt = (fmt or _format_guess(data, filename)).lower()
    if fmt == "xlsx":
        return _xlsx_read(data)
    if fmt != "csv":
        raise TableError(_("Unknown format %(fmt)s: use CSV or XLSX.") % {"fmt": fmt})
    return _csv_read(data)


def _format_guess(data: bytes, filename: str) -> str:
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return "csv"


def text_decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (a BOM is dropped) if the bytes are valid UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter_guess(text: str) -> str:
    """The delimiter of the first non-empty lines (empty lines before the header
    are common in hand-made files): csv.Sniffer over them, else the one that splits
    the first of them into the most columns."""
    lines = []
    for line in io.StringIO(text, newline=None):
        if line.strip().strip(DELIMITERS).strip():
            lines.append(line)
            if len(lines) == SNIFF_LINES:
                break
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass  # one line only, or quoted newlines: count on the header line
    counts = {d: lines[0].count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _undefined_lines(data: bytes) -> list[int]:
    """Physical line numbers holding a byte Windows-1252 does not define."""
    lines = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not CP1252_UNDEFINED.isdisjoint(line):
            lines.append(number)
    return lines


def _csv_read(data: bytes) -> Table:
    if b"\x00" in data[:4096]:
        raise TableError(_("This file is not a table (it holds binary data)."))
    try:
        text, encoding = text_decode(data)
    except UnicodeDecodeError as exc:
        raise TableError(_("The file's characters cannot be read.")) from exc
    warnings = []
    if encoding == "cp1252" and "\ufffd" in text:
        lines = _undefined_lines(data)
        shown = ", ".join(str(n) for n in lines[:10])
        if len(lines) > 10:
            shown += " …"
        warnings.append(
            _(
                "Some characters could not be read (Windows-1252 has no character "
                "for them) and are shown as �: line(s) %(lines)s."
            )
            % {"lines": shown}
        )
    delimiter = _delimiter_guess(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise TableError(
            _("Line %(line)s cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    # Row numbers as a spreadsheet shows them: one per record, empty ones included
    # (a quoted newline stays inside its row).
    headers: list[str] | None = None
    rows, numbers = [], []
    for number, record in enumerate(records, start=1):
        if not record or not "".join(record).strip():
            continue  # empty lines, and lines of only delimiters
        if headers is None:
            headers = [cell.strip() for cell in record]
            continue
        rows.append(record)
        numbers.append(number)
    table = Table(headers or [], rows, numbers, encoding=encoding, delimiter=delimiter)
    table.warnings += warnings
    return _table_check(table)


def _xlsx_read(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("This file is not a readable XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        headers: list[str] | None = None
        rows, numbers = [], []
        for number, record in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(cell not in (None, "") for cell in record):
                continue
            if headers is None:
                headers = ["" if c is None else str(c).strip() for c in record]
                continue
            rows.append(["" if cell is None else cell for cell in record])
            numbers.append(number)
    finally:
        book.close()
    return _table_check(Table(headers or [], rows, numbers, encoding="xlsx"))


def _table_check(table: Table) -> Table:
    named = [h for h in table.headers if h]
    if not named:
        raise TableError(_("The file is empty: no header line was found."))
    if len(named) < 2 and not table.rows:
        raise TableError(
            _("This file is not a table: no header line with column names was found.")
        )
    width = len(table.headers)
    for index, row in enumerate(table.rows):
        if len(row) < width:
            table.rows[index] = list(row) + [""] * (width - len(row))
    return table

"""`manage.py crm_import RESOURCE FILE --office CODE [--dry-run] [--partial]
[--format csv|xlsx]`.

The last line is always the counts line `created=… updated=… skipped=… errors=…`
(DESIGN.md, contracts), also when the office or the file is wrong; it counts what
is in the database afterwards (a dry run: what the import would do). Exit code 1
when anything was refused.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crm.models import Office
from integrations.imports.reading import TableError, table_read
from integrations.imports.services import ERROR, ImportResult, import_run
from integrations.imports.specs import SPECS

FAILED = "created=0 updated=0 skipped=0 errors=1"


class Command(BaseCommand):
    help = (
        "Imports employers, persons, contacts, opportunities or partners from CSV/XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument("resource", choices=sorted(SPECS))
        parser.add_argument("file")
        parser.add_argument("--office", required=True, help="Office code, e.g. BE")
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Write the valid rows of a file with errors.",
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default=None)

    def handle(
        self, *args, resource, file, office, dry_run, partial, format, **options
    ):
        office_obj = Office.objects.filter(code=office.upper()).first()
        if office_obj is None:
            self._fail(_("Unknown office %(code)s.") % {"code": office})
        path = Path(file)
        if not path.is_file():
            self._fail(_("No such file: %(file)s") % {"file": file})
        try:
            table = table_read(path.read_bytes(), fmt=format, filename=path.name)
        except TableError as exc:
            self._fail(str(exc))
        result = import_run(
            resource=resource,
            table=table,
            office=office_obj,
            dry_run=dry_run,
            partial=partial,
        )
        self._report(result, dry_run=dry_run)
        if result.errors or result.file_errors:
            raise SystemExit(1)

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        self.stdout.write(FAILED)
        raise SystemExit(1)

    def _report(self, result: ImportResult, *, dry_run: bool) -> None:
        for warning in result.warnings:
            self.stderr.write(_("warning: %(message)s") % {"message": warning})
        for message in result.file_errors:
            self.stderr.write(_("error: %(message)s") % {"message": message})
        for row in result.rows:
            if row.status == ERROR:
                self.stderr.write(
                    _("row %(number)s: %(messages)s")
                    % {"number": row.number, "messages": " ".join(row.messages)}
                )
        if dry_run:
            self.stderr.write(
                _("Dry run: nothing was written; the counts say what would be.")
            )
        elif result.file_errors:
            self.stderr.write(_("Nothing was written: the file cannot be imported."))
        elif result.errors and not result.written:
            self.stderr.write(
                ngettext(
                    "Nothing was written because %(count)s row is invalid "
                    "(use --partial to write the valid ones).",
                    "Nothing was written because %(count)s rows are invalid "
                    "(use --partial to write the valid ones).",
                    result.errors,
                )
                % {"count": result.errors}
            )
        self.stdout.write(result.summary(as_written=not dry_run))

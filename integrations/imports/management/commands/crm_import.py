"""`manage.py crm_import RESOURCE FILE --office CODE [--dry-run] [--partial]
[--format csv|xlsx]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crm.models import Office
from integrations.imports.reading import TableError, table_read
from integrations.imports.services import ERROR, import_run
from integrations.imports.specs import SPECS


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
        try:
            office_obj = Office.objects.get(code=office.upper())
        except Office.DoesNotExist:
            raise CommandError(f"Unknown office {office}.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            table = table_read(path.read_bytes(), fmt=format, filename=path.name)
        except TableError as exc:
            self.stderr.write(str(exc))
            self.stdout.write("created=0 updated=0 skipped=0 errors=1")
            raise SystemExit(1) from None
        result = import_run(
            resource=resource,
            table=table,
            office=office_obj,
            dry_run=dry_run,
            partial=partial,
        )
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        for message in result.file_errors:
            self.stderr.write(f"error: {message}")
        for row in result.rows:
            if row.status == ERROR:
                self.stderr.write(f"row {row.number}: " + " ".join(row.messages))
        if not result.written and not dry_run and (result.errors or result.file_errors):
            self.stderr.write(
                "Nothing was written (use --partial to write the valid rows)."
            )
        self.stdout.write(result.summary())
        if result.errors or result.file_errors:
            raise SystemExit(1)

"""`manage.py crm_export RESOURCE --format csv|xlsx --out FILE [--office CODE]`."""

from django.core.management.base import BaseCommand, CommandError

from crm.models import Office
from integrations.imports.exporting import export_write
from integrations.imports.specs import SPECS


class Command(BaseCommand):
    help = "Exports a resource in the import's columns (all offices unless --office)."

    def add_arguments(self, parser):
        parser.add_argument("resource", choices=sorted(SPECS))
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--out", required=True)
        parser.add_argument("--office", default=None)

    def handle(self, *args, resource, format, out, office, **options):
        office_obj = None
        if office:
            try:
                office_obj = Office.objects.get(code=office.upper())
            except Office.DoesNotExist:
                raise CommandError(f"Unknown office {office}.") from None
        with open(out, "wb") as handle:
            count = export_write(resource, format, handle, office_obj)
        self.stdout.write(f"exported={count} file={out}")

"""Trigram indexes for the admin's substring search on PostgreSQL.

Django's `icontains` becomes `UPPER(col) LIKE UPPER('%term%')`; a GIN trigram index on
`UPPER(col)` answers that without a sequential scan, and, unlike a search index kept
by a background job, is right the moment rows are inserted (also in bulk). SQLite
(development) has no such index type and scans, which is fast at its sizes.
"""

import django.utils.timezone
from django.db import migrations, models

TRIGRAM_COLUMNS = {
    "crm_employer": ["legal_name", "other_names", "uid", "municipality", "email"],
    "crm_contactperson": ["first_name", "last_name", "email"],
}


def _is_postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def create_trigram_indexes(apps, schema_editor):
    if not _is_postgres(schema_editor):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in TRIGRAM_COLUMNS.items():
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm "
                f"ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
            )


def drop_trigram_indexes(apps, schema_editor):
    if not _is_postgres(schema_editor):
        return
    for table, columns in TRIGRAM_COLUMNS.items():
        for column in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0002_contacts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cooperationassessment",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="recorded"
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]

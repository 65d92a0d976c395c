"""Celery entry points of the duplicates app."""

from celery import shared_task

from crm.models import Office

from .services import duplicate_scan


@shared_task(acks_late=True)
def duplicate_scan_task(office_id: int, employer_ids: list[int] | None = None) -> int:
    """Scans one office for duplicate candidates (after an import: only pairs with
    `employer_ids`). Idempotent: pairs found before are not added again, so a
    retry or a second run adds nothing. Returns the number of new candidates."""
    office = Office.objects.get(pk=office_id)
    return duplicate_scan(office=office, employer_ids=employer_ids)

"""One runner per batch: a second task for a batch that is being sent waits.

Two tasks for the same batch happen: staff pause and quickly resume (the resume
enqueues the batch while the paused task is still sending its current message),
and Redis hands a task out again when it has run longer than the broker's
`visibility_timeout` (a throttled batch). Both would send the same queued
deliveries twice.

- PostgreSQL: a session advisory lock per (newsletter, batch), taken with
  `pg_try_advisory_lock`. Released in `finally`, and by PostgreSQL itself when the
  worker's connection ends, so a worker killed with SIGKILL blocks nobody.
- Other databases (SQLite in development): a `BatchLease` row with an expiry,
  renewed while the batch runs; a dead worker's lease expires after
  `lease_seconds`.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..models import BatchLease


class BatchLock:
    def __init__(self, newsletter_id: int, batch: int, *, lease_seconds: float) -> None:
        self.newsletter_id = newsletter_id
        self.batch = batch
        self.lease = timedelta(seconds=lease_seconds)
        self.holder = uuid.uuid4().hex
        self.advisory = connection.vendor == "postgresql"
        self.key = f"campaigns.batch:{newsletter_id}:{batch}"
        self.renewed_at = timezone.now()

    def acquire(self) -> bool:
        """True when this runner may send the batch now."""
        if self.advisory:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [self.key]
                )
                return cursor.fetchone()[0]
        now = timezone.now()
        self.renewed_at = now
        leases = BatchLease.objects.filter(
            newsletter_id=self.newsletter_id, batch=self.batch
        )
        if leases.filter(expires_at__lt=now).update(
            holder=self.holder, expires_at=now + self.lease
        ):
            return True
        try:
            with transaction.atomic():
                BatchLease.objects.create(
                    newsletter_id=self.newsletter_id,
                    batch=self.batch,
                    holder=self.holder,
                    expires_at=now + self.lease,
                )
        except IntegrityError:
            return False  # someone else's lease, not expired
        return True

    def renew(self) -> None:
        """Keeps the lease while the batch runs (a write at most every quarter
        lease); nothing to do for an advisory lock."""
        now = timezone.now()
        if self.advisory or now - self.renewed_at < self.lease / 4:
            return
        self.renewed_at = now
        BatchLease.objects.filter(
            newsletter_id=self.newsletter_id, batch=self.batch, holder=self.holder
        ).update(expires_at=now + self.lease)

    def release(self) -> None:
        if self.advisory:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [self.key]
                )
            return
        BatchLease.objects.filter(
            newsletter_id=self.newsletter_id, batch=self.batch, holder=self.holder
        ).delete()

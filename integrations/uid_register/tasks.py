"""Celery entry point of the UID register: takes an id, calls one service."""

from __future__ import annotations

import math

from celery import shared_task

from crm.models import Employer

from .services import uid_register_lookup_batch, uid_register_suggestion_fetch


@shared_task(bind=True, acks_late=True, max_retries=5)
def uid_register_suggestion_fetch_task(self, *, employer_id: int) -> str:
    """Looks a new employer up in the UID register and stores the suggestion.

    Enqueued after the commit that created the employer. Idempotent enough to run
    twice: a second answer replaces the first pending suggestion. When our own rate
    limit (or the register's) is full it retries later, up to five times; any other
    failure is recorded on a failed suggestion and the task ends normally.
    """
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None or not employer.uid:
        return "skipped"
    suggestion = uid_register_suggestion_fetch(employer=employer)
    retry = (
        suggestion.error_code == "rate_limited"
        and not self.request.is_eager
        and self.request.retries < self.max_retries
    )
    if retry:
        raise self.retry(countdown=60 * (self.request.retries + 1))
    return suggestion.status


@shared_task(bind=True, acks_late=True)
def uid_register_lookup_batch_task(self, *, employer_ids: list[int]) -> int:
    """Looks up the employers an import created, one after the other, as suggestions.

    Stays within the client's rate limit: when it is full the task enqueues itself
    again for the remaining ids, due when a slot frees (a new task rather than a
    retry, so a file of 10,000 employers is not cut off after a few retries).
    Idempotent: employers with a suggestion already are skipped. Run eagerly (tests,
    no worker) it stops at the limit; staff can still look the rest up by hand.
    Returns how many ids this run went through.
    """
    remaining, wait = uid_register_lookup_batch(employer_ids)
    if remaining and not self.request.is_eager:
        uid_register_lookup_batch_task.apply_async(
            kwargs={"employer_ids": remaining}, countdown=math.ceil(wait)
        )
    return len(employer_ids) - len(remaining)

"""Writes for UID register suggestions: fetch, accept, dismiss, and the create hook.

A lookup never blocks or breaks saving an employer: on create it runs in a Celery
task after the commit, and every failure ends as a logged, failed suggestion.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Employer
from crm.services.employers import employer_save

from .client import (
    UidRecord,
    UidRegisterClient,
    UidRegisterError,
    UidRegisterRateLimited,
    uid_register_enabled,
)
from .models import UidRegisterSuggestion
from .selectors import suggestion_changes

logger = logging.getLogger(__name__)
Status = UidRegisterSuggestion.Status

# Why the register's values went into the employer, in its change history.
CHANGE_REASON = "UID register"


def _suggestion_values(record: UidRecord) -> dict[str, str]:
    return {
        "uid": record.uid,
        "legal_name": record.legal_name[:255],
        "street": record.street[:200],
        "house_number": record.house_number[:20],
        "postcode": record.postcode[:10],
        "town": record.town[:100],
        "canton": record.canton if len(record.canton) == 2 else "",
        "legal_form": record.legal_form,
        "legal_form_code": record.legal_form_code[:4],
        "noga_code": record.noga_code[:7],
        "register_status": record.register_status,
    }


def uid_register_suggestion_fetch(
    *,
    employer: Employer,
    by: AbstractBaseUser | None = None,
    client: UidRegisterClient | None = None,
    raise_rate_limited: bool = False,
) -> UidRegisterSuggestion:
    """Asks the register about the employer's UID and stores what it says.

    Returns a pending suggestion when the register differs from the employer, a
    "matching" one when it agrees, and a failed one (with the reason) when the
    lookup did not work. Never raises for a lookup problem, except
    UidRegisterRateLimited with `raise_rate_limited` (a batch then waits).
    """
    uid = employer.uid or ""
    try:
        record = (client or UidRegisterClient()).get_by_uid(uid)
    except UidRegisterError as error:
        if raise_rate_limited and isinstance(error, UidRegisterRateLimited):
            raise
        logger.warning("UID register lookup for %s failed: %s", uid, error)
        return _failed(employer, uid, by, error.code, str(error))
    except Exception as error:  # a lookup must never take the caller down
        logger.exception("UID register lookup for %s failed unexpectedly", uid)
        return _failed(employer, uid, by, "unavailable", repr(error))
    with transaction.atomic():
        suggestion = UidRegisterSuggestion(
            employer=employer, requested_by=by, **_suggestion_values(record)
        )
        if not suggestion_changes(suggestion, employer):
            suggestion.status = Status.MATCHING
        # One open question per employer: a fresh answer replaces an older one.
        employer.uid_register_suggestions.filter(status=Status.PENDING).update(
            status=Status.DISMISSED, decided_at=timezone.now()
        )
        suggestion.save()
    return suggestion


def _failed(
    employer: Employer,
    uid: str,
    by: AbstractBaseUser | None,
    code: str,
    message: str,
) -> UidRegisterSuggestion:
    return UidRegisterSuggestion.objects.create(
        employer=employer,
        uid=uid,
        requested_by=by,
        status=Status.FAILED,
        error_code=code,
        error=message[:2000],
    )


def _ensure_pending(suggestion: UidRegisterSuggestion) -> None:
    if suggestion.status != Status.PENDING:
        raise ValidationError(
            _("This suggestion was already decided."), code="not_pending"
        )


@transaction.atomic
def uid_register_suggestion_accept(
    *,
    suggestion: UidRegisterSuggestion,
    by: AbstractBaseUser | None,
    fields: Iterable[str] | None = None,
) -> Employer:
    """Writes the register's values (all, or the chosen `fields`) into the employer.

    Goes through `employer_save`, so the employer is validated as in the admin and
    the change history records who accepted what.
    """
    suggestion = UidRegisterSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _ensure_pending(suggestion)
    employer = Employer.objects.select_for_update().get(pk=suggestion.employer_id)
    changes = suggestion_changes(suggestion, employer)
    chosen = set(changes) if fields is None else set(fields) & set(changes)
    if not chosen:
        raise ValidationError(
            _("Choose at least one value to take over."), code="nothing_chosen"
        )
    for field in chosen:
        setattr(employer, field, changes[field])
    employer._history_user = by
    employer._change_reason = CHANGE_REASON
    employer_save(employer=employer, by=by)
    suggestion.status = Status.ACCEPTED
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = by
    suggestion.applied_fields = sorted(chosen)
    suggestion.save(
        update_fields=["status", "decided_at", "decided_by", "applied_fields"]
    )
    return employer


@transaction.atomic
def uid_register_suggestion_dismiss(
    *, suggestion: UidRegisterSuggestion, by: AbstractBaseUser | None
) -> UidRegisterSuggestion:
    """Staff keep the employer as it is; the suggestion stays on record."""
    suggestion = UidRegisterSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _ensure_pending(suggestion)
    suggestion.status = Status.DISMISSED
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = by
    suggestion.save(update_fields=["status", "decided_at", "decided_by"])
    return suggestion


def uid_register_lookup_on_commit(employer: Employer) -> None:
    """Called by `employer_save` for a new employer: looks it up after the commit.

    Does nothing while the register is not configured or the employer has no UID.
    A broker that is down is logged, not raised: the employer is saved either way.
    """
    if not (uid_register_enabled() and employer.uid):
        return
    employer_id = employer.pk

    def enqueue() -> None:
        from .tasks import uid_register_suggestion_fetch_task

        try:
            uid_register_suggestion_fetch_task.delay(employer_id=employer_id)
        except Exception:
            logger.exception("Could not enqueue the UID register lookup")

    transaction.on_commit(enqueue, robust=True)


def uid_register_lookups_on_commit(employer_ids: list[int]) -> None:
    """Called by the import for the employers it created: after the commit, one task
    looks them up in turn, within the client's rate limit (`uid_register_lookup_batch`).

    Does nothing while the register is not configured. Employers without a UID are
    skipped by the task. A broker that is down is logged, not raised.
    """
    if not (uid_register_enabled() and employer_ids):
        return
    ids = list(employer_ids)

    def enqueue() -> None:
        from .tasks import uid_register_lookup_batch_task

        try:
            uid_register_lookup_batch_task.delay(employer_ids=ids)
        except Exception:
            logger.exception("Could not enqueue the UID register lookups")

    transaction.on_commit(enqueue, robust=True)


def uid_register_lookup_batch(
    employer_ids: list[int], *, client: UidRegisterClient | None = None
) -> tuple[list[int], float]:
    """Looks the employers up in order until the rate limit is full.

    Returns the ids still to look up and the seconds until a slot frees. Employers
    deleted meanwhile, without a UID, or with a suggestion already (a task run
    twice) are skipped.
    """
    client = client or UidRegisterClient()
    employers = Employer.objects.in_bulk(employer_ids)
    asked = set(
        UidRegisterSuggestion.objects.filter(employer_id__in=employer_ids)
        .exclude(status=Status.FAILED)
        .values_list("employer_id", flat=True)
    )
    for position, pk in enumerate(employer_ids):
        employer = employers.get(pk)
        if employer is None or not employer.uid or pk in asked:
            continue
        try:
            uid_register_suggestion_fetch(
                employer=employer, client=client, raise_rate_limited=True
            )
        except UidRegisterRateLimited as error:
            return list(employer_ids[position:]), error.retry_after
    return [], 0.0

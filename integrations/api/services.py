"""Writes of the API app: tokens (create, revoke, mark used) and idempotency keys."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Office

from .models import PREFIX_LENGTH, ApiToken, IdempotencyKey, token_hash

TOKEN_TAG = "psg_"  # noqa: S105  (a visible tag, not a secret)
#: last_used_at is written at most this often per token (one UPDATE, not one a call).
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str


@transaction.atomic
def api_token_create(
    *,
    office: Office,
    name: str,
    read_only: bool = False,
    expires_in_days: int | None = None,
    by: AbstractBaseUser | None = None,
) -> IssuedToken:
    """Issues a token for `office`. The clear token is in the result only: it is
    stored as a SHA-256 hash, so nobody can show it again.

    A token expires after `expires_in_days`, by default API_TOKEN_DEFAULT_DAYS
    (365): a token copied into a forgotten script stops working on its own. `0`
    asks for a token that never expires, for a system whose owner would rather
    revoke it by hand than have its interface stop on a date nobody remembers."""
    if expires_in_days is None:
        expires_in_days = settings.API_TOKEN_DEFAULT_DAYS
    if expires_in_days < 0:
        raise ValidationError(
            {
                "expires_in_days": _(
                    "A token lasts at least one day (0: it never expires)."
                )
            },
            code="expires_min",
        )
    raw = TOKEN_TAG + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        office=office,
        name=name.strip(),
        prefix=raw[:PREFIX_LENGTH],
        key_hash=token_hash(raw),
        read_only=read_only,
        created_at=now,
        created_by=by,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    token.full_clean()
    token.save()
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revokes the token from now on. Idempotent: a revoked token keeps its date."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Idempotency-Key ------------------------------------------------------------------


def idempotency_window() -> timedelta:
    return timedelta(hours=getattr(settings, "API_IDEMPOTENCY_HOURS", 24))


def request_fingerprint(method: str, path: str, data) -> str:
    """The same JSON in any key order or spacing gives the same fingerprint."""
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{body}".encode()).hexdigest()


def idempotency_key_get(*, token: ApiToken, key: str) -> IdempotencyKey | None:
    """The stored answer for `key`, after dropping the token's expired keys."""
    cutoff = timezone.now() - idempotency_window()
    IdempotencyKey.objects.filter(token=token, created_at__lt=cutoff).delete()
    return IdempotencyKey.objects.filter(token=token, key=key).first()


def idempotency_key_store(
    *,
    token: ApiToken,
    key: str,
    method: str,
    path: str,
    fingerprint: str,
    status_code: int,
    body,
) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        token=token,
        key=key,
        method=method,
        path=path,
        request_hash=fingerprint,
        status_code=status_code,
        response_body=body,
    )

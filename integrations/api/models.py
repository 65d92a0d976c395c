"""API tokens and the idempotency keys of POST requests.

A token is shown once, when it is created; only its SHA-256 hash is stored, with a
short visible prefix so that staff can tell tokens apart and the lookup is cheap.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Office
from crm.querysets import OfficeScopedQuerySet

#: Characters of the token shown in the admin and stored in clear (`psg_` + 8).
PREFIX_LENGTH = 12


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(OfficeScopedQuerySet):
    """Staff see their office's tokens (admin list); `Model.objects` is unscoped."""


class ApiToken(models.Model):
    """A bearer token of one office's system (e.g. its case-management system)."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Which system uses the token, e.g. 'case management'."),
    )
    prefix = models.CharField(_("token prefix"), max_length=PREFIX_LENGTH, unique=True)
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    read_only = models.BooleanField(
        _("read only"), default=False, help_text=_("May read, but not write.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["office__code", "name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > now
        )


class IdempotencyKey(models.Model):
    """The stored answer to a POST sent with an `Idempotency-Key` header.

    The same key with the same body gets this answer again instead of a second
    record; kept per token for `API_IDEMPOTENCY_HOURS` (24 h).
    """

    token = models.ForeignKey(
        ApiToken, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["token", "key"], name="api_idempotency_unique_key"
            )
        ]
        indexes = [models.Index(fields=["token", "created_at"])]

    def __str__(self) -> str:
        return self.key

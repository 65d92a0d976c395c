"""Signed tokens in newsletter links: no login, no cookie, only the signature.

Each purpose has its own key (derived from SECRET_KEY and a salt), so a click token
cannot be used to unsubscribe. Newsletter tokens are `value:signature` with a
truncated HMAC-SHA256 (96 bits): a 43 KB newsletter carries one per link, and
Django's Signer (which derives its key again for every call) would cost ~30 µs
each. The confirmation link uses Django's TimestampSigner: it expires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from django.conf import settings
from django.core import signing

SALTS = {
    "confirm": "campaigns.confirm",
    "unsubscribe": "campaigns.unsubscribe",
    "preferences": "campaigns.preferences",
    "open": "campaigns.open",
    "click": "campaigns.click",
}
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # a confirmation link works for a week
SIGNATURE_BYTES = 12


class TokenInvalid(Exception):
    pass


@cache
def _keyed(purpose: str, secret: str) -> hmac.HMAC:
    key = hashlib.sha256(f"{SALTS[purpose]}:{secret}".encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def _signature(purpose: str, value: str) -> str:
    mac = _keyed(purpose, settings.SECRET_KEY).copy()
    mac.update(value.encode())
    return base64.urlsafe_b64encode(mac.digest()[:SIGNATURE_BYTES]).decode()


def token_make(purpose: str, *parts: object) -> str:
    value = ".".join(str(part) for part in parts)
    return f"{value}:{_signature(purpose, value)}"


def token_read(purpose: str, token: str, parts: int | None = None) -> list[str]:
    value, _sep, signature = token.rpartition(":")
    if not value or not hmac.compare_digest(
        signature.encode(), _signature(purpose, value).encode()
    ):
        raise TokenInvalid("bad signature")
    return value.split(".", parts - 1) if parts else value.split(".")


def timed_token_make(purpose: str, *parts: object) -> str:
    value = ".".join(str(part) for part in parts)
    return signing.TimestampSigner(salt=SALTS[purpose]).sign(value)


def timed_token_read(purpose: str, token: str, max_age: int) -> list[str]:
    try:
        value = signing.TimestampSigner(salt=SALTS[purpose]).unsign(
            token, max_age=max_age
        )
    except signing.BadSignature as exc:
        raise TokenInvalid(str(exc)) from exc
    return value.split(".")

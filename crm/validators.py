"""Validators with messages that say which rule failed."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.ch import uid as stdnum_uid


def uid_normalise(value: str) -> str:
    """`che123456789`, `CHE-123.456.789 MWST` … → `CHE-123.456.789` (no check)."""
    compact = stdnum_uid.compact(value or "")
    for suffix in ("MWST", "TVA", "IVA", "HR", "RC", "RI"):
        if compact.endswith(suffix) and len(compact) > 12:
            compact = compact[: -len(suffix)]
    if len(compact) == 12 and compact[3:].isdigit():
        return stdnum_uid.format(compact)
    return (value or "").strip()


def validate_uid(value: str) -> None:
    """The Swiss enterprise number: `CHE-` + 9 digits, the last a mod-11 check digit."""
    try:
        stdnum_uid.validate(value)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _(
                "The UID %(value)s has a wrong check digit (mod-11). "
                "Check the number in the UID register."
            ),
            code="uid_checksum",
            params={"value": value},
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _(
                "The UID %(value)s is not in the format CHE-123.456.789 "
                "(CHE followed by nine digits)."
            ),
            code="uid_format",
            params={"value": value},
        ) from exc

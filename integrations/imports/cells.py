"""Cell cleaners: one raw cell in, one database value out, or a `CellError` that
says what is wrong in the user's language.

Cleaners run column by column over distinct values (`column_clean`), so a canton or
a yes/no column with 100,000 rows costs a handful of calls, not 100,000.
"""

from __future__ import annotations

import contextlib
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from crm.validators import uid_normalise, validate_uid

Cleaner = Callable[[Any], Any]


class CellError(ValueError):
    """A cell's value is not acceptable; the message is for the user."""


def header_key(text: str) -> str:
    """`Raison sociale`, `raison_sociale`, `RAISON-SOCIALE` → `raisonsociale`."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


# Exports and error reports put a ' before a cell a spreadsheet would run as a
# formula (exporting.cell_neutralise); an import takes it off again, so that such a
# file imports unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # XLSX gives 3000.0 for a postcode typed as a number
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:].strip()
    return text


def text(*, max_length: int | None = None, required: bool = False) -> Cleaner:
    def column(values: list) -> tuple[list, dict[int, str]]:
        """The whole column at once: text columns rarely repeat, so no cache."""
        out = [v.strip() if isinstance(v, str) else _text(v) for v in values]
        errors: dict[int, str] = {}
        if any(v.startswith("'") for v in out):
            out = [clean(v) if v.startswith("'") else v for v in out]
        if required and not all(out):
            for index, value in enumerate(out):
                if not value:
                    errors[index] = _("This column must not be empty.")
        if max_length and max(map(len, out), default=0) > max_length:
            for index, value in enumerate(out):
                if len(value) > max_length:
                    errors[index] = _(
                        "At most %(max)s characters (this has %(count)s)."
                    ) % {"max": max_length, "count": len(value)}
        return out, errors

    def clean(value):
        value = _text(value)
        if value.startswith("'") and value[1:2] in FORMULA_STARTS and value[1:2]:
            value = value[1:]
        if required and not value:
            raise CellError(_("This column must not be empty."))
        if max_length and len(value) > max_length:
            raise CellError(
                _("At most %(max)s characters (this has %(count)s).")
                % {"max": max_length, "count": len(value)}
            )
        return value

    clean.column = column
    return clean


def choice(
    choices: Iterable[tuple[str, Any]], *, extra: dict[str, str] | None = None
) -> Cleaner:
    """Accepts the stored value or its label in German, French, Italian or English."""
    choices = list(choices)
    lookup: dict[str, str] = {}
    for code in ("en", "de", "fr", "it"):
        with translation.override(code):
            for value, label in choices:
                lookup.setdefault(header_key(str(label)), value)
    for value, _label in choices:
        lookup[header_key(value)] = value
    for alias, value in (extra or {}).items():
        lookup[header_key(alias)] = value

    def clean(raw):
        raw = _text(raw)
        if not raw:
            return ""
        try:
            return lookup[header_key(raw)]
        except KeyError:
            allowed = ", ".join(str(value) for value, _label in choices)
            raise CellError(
                _("Unknown value “%(value)s”; allowed: %(allowed)s.")
                % {"value": raw, "allowed": allowed}
            ) from None

    return clean


UID_FORMATTED = re.compile(r"CHE-(\d{3})\.(\d{3})\.(\d{3})")
UID_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4)


def uid(raw) -> str | None:
    """`CHE-123.456.789` (or written without punctuation); the mod-11 check digit
    is computed here, not through python-stdnum, which costs ten times more per
    cell. A wrong one gets python-stdnum's message through `validate_uid`."""
    raw = _text(raw)
    if not raw:
        return None
    match = UID_FORMATTED.fullmatch(raw.upper())
    digits = "".join(match.groups()) if match else None
    if digits is not None:
        total = sum(map(operator.mul, map(int, digits[:8]), UID_WEIGHTS))
        check = (11 - total % 11) % 11
        if check != 10 and check == int(digits[8]):
            return f"CHE-{digits[:3]}.{digits[3:6]}.{digits[6:]}"
    value = uid_normalise(raw)
    try:
        validate_uid(value)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None
    return value


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y", "%d-%m-%Y")


def day(raw) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    raw = _text(raw)
    if not raw:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise CellError(
        _("“%(value)s” is not a date; write e.g. 31.12.2025 or 2025-12-31.")
        % {"value": raw}
    )


def decimal(*, places: int = 2, minimum: Decimal | None = None) -> Cleaner:
    quantum = Decimal(1).scaleb(-places)

    def clean(raw):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = repr(raw)
        raw = _text(raw).replace("'", "").replace("’", "").replace(" ", "")
        if not raw:
            return None
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            value = Decimal(raw).quantize(quantum)
        except InvalidOperation:
            raise CellError(
                _("“%(value)s” is not a number.") % {"value": raw}
            ) from None
        if minimum is not None and value < minimum:
            raise CellError(_("Must be at least %(min)s.") % {"min": minimum})
        return value

    return clean


def integer(*, minimum: int | None = None, maximum: int | None = None) -> Cleaner:
    def clean(raw):
        raw = _text(raw).replace("'", "")
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": raw}
            ) from None
        if minimum is not None and value < minimum:
            raise CellError(_("Must be at least %(min)s.") % {"min": minimum})
        if maximum is not None and value > maximum:
            raise CellError(_("Must be at most %(max)s.") % {"max": maximum})
        return value

    return clean


TRUE = {"1", "x", "ja", "j", "yes", "y", "oui", "o", "si", "s", "true", "wahr", "vrai"}
FALSE = {"0", "", "nein", "n", "no", "non", "false", "falsch", "faux"}


def boolean(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    key = header_key(_text(raw))
    if key in TRUE:
        return True
    if key in FALSE:
        return False
    raise CellError(
        _("“%(value)s” is not yes or no (ja/nein, oui/non, 1/0).") % {"value": raw}
    )


_email_validator = EmailValidator()
# Addresses this simple pattern accepts are valid for Django's validator too; only
# the rest go through it (it costs ten times more per cell).
EMAIL_PLAIN = re.compile(
    r"[a-z0-9._%+-]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)


def email(raw) -> str:
    value = _text(raw).lower()
    if not value:
        return ""
    if EMAIL_PLAIN.fullmatch(value) and ".." not in value and not value.startswith("."):
        return value
    try:
        _email_validator(value)
    except ValidationError:
        raise CellError(
            _("“%(value)s” is not an e-mail address.") % {"value": value}
        ) from None
    return value


_url_validator = URLValidator(schemes=["http", "https"])


def url(raw) -> str:
    value = _text(raw)
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    try:
        _url_validator(value)
    except ValidationError:
        raise CellError(
            _("“%(value)s” is not a web address.") % {"value": raw}
        ) from None
    return value[:200]


def phone(raw) -> str:
    value = _text(raw)
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "CH")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise CellError(_("“%(value)s” is not a phone number.") % {"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def postcode(raw) -> str:
    value = _text(raw).upper().removeprefix("CH-").removeprefix("CH").strip()
    if not value:
        return ""
    if not re.fullmatch(r"\d{4}", value):
        raise CellError(
            _("“%(value)s” is not a Swiss postcode (four digits).") % {"value": raw}
        )
    return value


def noga(raw) -> str:
    value = _text(raw)
    if not value:
        return ""
    digits = value.replace(".", "").replace(" ", "")
    if not (digits.isdigit() and 2 <= len(digits) <= 6):
        raise CellError(
            _("“%(value)s” is not a NOGA 2008 code (e.g. 62.01 or 620100).")
            % {"value": value}
        )
    return value[:7]


def column_clean(cleaner: Cleaner, values: list) -> tuple[list, dict[int, str]]:
    """Cleans one column: the values, and the error message per row index.

    Each distinct raw value is cleaned once (cantons, flags and legal forms repeat).
    """
    column = getattr(cleaner, "column", None)
    if column is not None:
        return column(values)
    cache: dict[Any, tuple[bool, Any]] = {}
    out: list = []
    errors: dict[int, str] = {}
    get = cache.get
    for index, raw in enumerate(values):
        try:
            hit = get(raw)
        except TypeError:
            hit = None
        if hit is not None:
            ok, result = hit
        else:
            try:
                ok, result = True, cleaner(raw)
            except CellError as exc:
                ok, result = False, str(exc)
            except TypeError:  # an unhashable or odd XLSX value
                ok, result = False, _("This value cannot be read.")
            with contextlib.suppress(TypeError):
                cache[raw] = (ok, result)
        if ok:
            out.append(result)
        else:
            out.append(None)
            errors[index] = result
    return out, errors

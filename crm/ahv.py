"""AHV numbers (756.xxxx.xxxx.xx): checked, then kept only as a keyed hash.

The IIZ agreement recommends the AHV number to identify a person between partners.
Passerelle needs it only to recognise the same person again (a partner's handover,
a case), so it keeps an HMAC-SHA256 of the normalised number under `AHV_HASH_KEY`
(from the environment): equal numbers give equal hashes, and without the key the
hash cannot be turned back into a number by trying all 10⁹ possible ones. The clear
number is never stored, logged, shown or put into an error message.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from stdnum import exceptions as stdnum_exceptions
from stdnum.ch import ssn


@sensitive_variables("value")
def ahv_validate(value: str) -> str:
    """The number in compact form (13 digits); ValidationError naming the rule
    (never echoing the number) when it is not a valid AHV number."""
    try:
        return ssn.validate(value)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The AHV number's check digit is wrong (EAN-13)."), code="ahv_checksum"
        ) from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(
            _("An AHV number starts with 756."), code="ahv_prefix"
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("An AHV number has 13 digits: 756.1234.5678.97."), code="ahv_format"
        ) from None


@sensitive_variables("value", "number")
def ahv_hash(value: str) -> str:
    """HMAC-SHA256 (hex) of the validated number under AHV_HASH_KEY."""
    number = ahv_validate(value)
    key = settings.AHV_HASH_KEY.encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()

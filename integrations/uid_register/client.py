"""The UID register's public web service (Bundesamt für Statistik): the only HTTP here.

One operation, `GetByUID` of the SOAP service "PublicServices" (V5.0, eCH-0108/5
answers). The public service needs no account but allows about 20 requests a minute
per client; `RateLimiter` keeps every process of a deployment under the configured
rate by sharing its count through Django's cache.

Standard library only: `urllib.request` for the POST, `xml.etree` for the answer.
"""

from __future__ import annotations

import logging
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache
from stdnum.ch import uid as stdnum_uid

logger = logging.getLogger(__name__)

SOAP_ACTION = "http://www.uid.admin.ch/xmlns/uid-wse/IPublicServices/GetByUID"
NS_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NS_WSE = "http://www.uid.admin.ch/xmlns/uid-wse"
NS_ECH_0097 = "http://www.ech.ch/xmlns/eCH-0097/5"

ENVELOPE = (
    '<s:Envelope xmlns:s="{soap}"><s:Body><GetByUID xmlns="{wse}"><uid>'
    '<uidOrganisationIdCategorie xmlns="{ech}">CHE</uidOrganisationIdCategorie>'
    '<uidOrganisationId xmlns="{ech}">{digits}</uidOrganisationId>'
    "</uid></GetByUID></s:Body></s:Envelope>"
)

# uidregStatusEnterpriseDetail (eCH-0108): 1 provisional, 2 being reactivated,
# 3 definitive, 4 being changed, 5 deleted, 6 finally deleted, 7 cancelled (duplicate).
DELETED_STATUSES = {"5", "6", "7"}

# eCH-0097 legal form codes → Employer.legal_form (crm.models.LegalForm values).
LEGAL_FORMS = {
    "0101": "sole",
    "0103": "partnership",
    "0104": "partnership",
    "0114": "partnership",
    "0302": "partnership",
    "0105": "ag",
    "0106": "ag",
    "0107": "gmbh",
    "0108": "cooperative",
    "0109": "association",
    "0110": "foundation",
    "0111": "branch",
    "0312": "branch",
    "0441": "branch",
    "0117": "public",
    "0220": "public",
    "0221": "public",
    "0222": "public",
    "0223": "public",
    "0224": "public",
    "0230": "public",
    "0231": "public",
    "0232": "public",
    "0233": "public",
    "0234": "public",
    "0327": "public",
    "0328": "public",
}


# --- Errors ---------------------------------------------------------------------------


class UidRegisterError(Exception):
    """The lookup failed; `code` says how (stored on the suggestion)."""

    code = "unavailable"


class UidRegisterNotConfigured(UidRegisterError):
    code = "not_configured"


class UidRegisterInvalidUid(UidRegisterError):
    """The register (or our own checksum test) refuses the number."""

    code = "invalid_uid"


class UidRegisterNotFound(UidRegisterError):
    code = "not_found"


class UidRegisterRateLimited(UidRegisterError):
    """Our limiter or the register itself says: not now. `retry_after` in seconds."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UidRegisterUnavailable(UidRegisterError):
    """Network error, timeout, HTTP error or an answer that is not the expected XML."""

    code = "unavailable"


# --- What the register says -----------------------------------------------------------


@dataclass(frozen=True)
class UidRecord:
    """The register's entry for one UID, in the register's own terms."""

    uid: str  # CHE-123.456.789
    legal_name: str
    street: str
    house_number: str
    postcode: str
    town: str
    canton: str
    legal_form_code: str  # eCH-0097, e.g. "0107"
    noga_code: str  # often withheld by the public service
    status_code: str  # uidregStatusEnterpriseDetail
    in_liquidation: bool

    @property
    def legal_form(self) -> str:
        """The matching Employer.legal_form value ("other" when none fits)."""
        if not self.legal_form_code:
            return ""
        return LEGAL_FORMS.get(self.legal_form_code, "other")

    @property
    def register_status(self) -> str:
        """The matching Employer.register_status value."""
        if self.status_code in DELETED_STATUSES:
            return "deleted"
        if self.in_liquidation:
            return "liquidation"
        return "active" if self.status_code else ""

    @property
    def street_line(self) -> str:
        return " ".join(part for part in (self.street, self.house_number) if part)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    """First direct child with this local name, whatever its namespace."""
    if element is None:
        return None
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    if element is None:
        return []
    return [child for child in element if _local(child.tag) == name]


def _text(element: ET.Element | None, *path: str) -> str:
    for name in path:
        element = _child(element, name)
    if element is None or element.text is None:
        return ""
    return " ".join(element.text.split())


def _fault(root: ET.Element) -> tuple[str, str] | None:
    """(error, detail) of a SOAP fault, or None."""
    fault = _child(_child(root, "Body"), "Fault")
    if fault is None:
        return None
    error = _text(fault, "faultstring")
    detail = ""
    for element in fault.iter():
        if _local(element.tag) == "error" and element.text:
            error = element.text.strip()
        if _local(element.tag) == "errorDetail" and element.text:
            detail = element.text.strip()
    return error, detail


def _legal_address(organisation: ET.Element | None) -> ET.Element | None:
    """The seat (LEGAL) address; else the first one (a PO box has no street)."""
    addresses = _children(organisation, "address")
    for address in addresses:
        if _text(address, "addressCategory") == "LEGAL":
            return address
    return addresses[0] if addresses else None


def parse_get_by_uid(xml: bytes | str, uid: str) -> UidRecord:
    """Reads a GetByUID answer (or fault) into a record; raises UidRegisterError."""
    try:
        # ElementTree resolves no external entities and expat >= 2.4 refuses
        # entity-expansion bombs; the answer comes from the configured URL only.
        root = ET.fromstring(xml)  # noqa: S314
    except ET.ParseError as error:
        raise UidRegisterUnavailable(
            f"The UID register answered with something that is not XML ({error})."
        ) from error
    fault = _fault(root)
    if fault is not None:
        raise _fault_error(*fault)
    response = _child(_child(root, "Body"), "GetByUIDResponse")
    if response is None:
        raise UidRegisterUnavailable(
            "The UID register's answer has no GetByUID result."
        )
    entries = _children(_child(response, "GetByUIDResult"), "organisationType")
    if not entries:
        raise UidRegisterNotFound(f"The UID register has no entry for {uid}.")
    return _record(entries[0], uid)


def _record(entry: ET.Element, uid: str) -> UidRecord:
    organisation = _child(entry, "organisation")
    identification = _child(organisation, "organisationIdentification")
    address = _legal_address(organisation)
    digits = _text(identification, "uid", "uidOrganisationId")
    liquidation = bool(
        _text(organisation, "liquidation", "liquidationDate")
        or _text(
            entry, "commercialRegisterInformation", "commercialRegisterLiquidationDate"
        )
    )
    return UidRecord(
        uid=stdnum_uid.format("CHE" + digits.zfill(9)) if digits else uid,
        legal_name=_text(identification, "organisationLegalName")
        or _text(identification, "organisationName"),
        street=_text(address, "street"),
        house_number=_text(address, "houseNumber"),
        postcode=_text(address, "swissZipCode") or _text(address, "foreignZipCode"),
        town=_text(address, "town"),
        canton=_text(address, "cantonAbbreviation").upper(),
        legal_form_code=_text(identification, "legalForm"),
        noga_code=_text(organisation, "NOGACode"),
        status_code=_text(entry, "uidregInformation", "uidregStatusEnterpriseDetail"),
        in_liquidation=liquidation,
    )


def _fault_error(error: str, detail: str) -> UidRegisterError:
    described = f"{error}: {detail}" if detail else error
    if error == "Request_limit_exceeded":
        return UidRegisterRateLimited(
            f"The UID register refuses more requests for now ({described}).",
            retry_after=60.0,
        )
    if error == "Data_validation_failed":
        return UidRegisterInvalidUid(f"The UID register refuses the UID ({described}).")
    return UidRegisterUnavailable(f"The UID register reports an error ({described}).")


# --- Rate limit -----------------------------------------------------------------------


class RateLimiter:
    """At most `limit` requests in any `window` seconds, across processes.

    Each request takes one of `limit` slots with `cache.add` (atomic in Redis,
    Memcached, the database and local-memory caches); a slot frees itself `window`
    seconds after it was taken. Unlike a per-minute counter this never lets two bursts
    meet at a minute boundary. The slots are shared by every process only when the
    cache is (CACHE_URL=redis://…); with the default local-memory cache each process
    keeps its own count.
    """

    prefix = "uid_register:rate"

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = max(int(limit), 1)
        self.window = window

    def _slot_key(self, index: int) -> str:
        return f"{self.prefix}:slot:{index}"

    @property
    def _block_key(self) -> str:
        return f"{self.prefix}:blocked-until"

    def acquire(self) -> None:
        """Takes a slot or raises UidRegisterRateLimited with the wait in seconds."""
        now = time.time()
        blocked_until = cache.get(self._block_key)
        if blocked_until and blocked_until > now:
            raise UidRegisterRateLimited(
                "The UID register asked us to pause.", retry_after=blocked_until - now
            )
        # One second more than the window: some caches round timeouts down.
        timeout = int(self.window) + 1
        keys = [self._slot_key(index) for index in range(self.limit)]
        taken = cache.get_many(keys)  # one round trip, then `add` only free slots
        for key in keys:
            if key not in taken and cache.add(key, now + timeout, timeout=timeout):
                return
        taken = cache.get_many(keys)
        free_at = min(taken.values(), default=now + timeout)
        raise UidRegisterRateLimited(
            f"More than {self.limit} UID register lookups in a minute.",
            retry_after=max(free_at - now, 1.0),
        )

    def block(self, seconds: float) -> None:
        """After the register's own limit fault nobody asks it again for a while."""
        cache.set(self._block_key, time.time() + seconds, timeout=int(seconds) + 1)


# --- The client -----------------------------------------------------------------------


class UidRegisterClient:
    def __init__(
        self,
        url: str | None = None,
        *,
        timeout: float | None = None,
        rate_limit: int | None = None,
    ) -> None:
        self.url = settings.UID_REGISTER_URL if url is None else url
        self.timeout = settings.UID_REGISTER_TIMEOUT if timeout is None else timeout
        self.limiter = RateLimiter(
            settings.UID_REGISTER_RATE_LIMIT if rate_limit is None else rate_limit
        )

    def get_by_uid(self, uid: str) -> UidRecord:
        """The register's entry for `uid` (any common spelling of a Swiss UID)."""
        if not self.url:
            raise UidRegisterNotConfigured("The UID register is not configured.")
        compact = stdnum_uid.compact(uid or "")
        if not stdnum_uid.is_valid(compact):
            raise UidRegisterInvalidUid(f"{uid!r} is not a valid Swiss UID.")
        formatted = stdnum_uid.format(compact)
        self.limiter.acquire()
        body = self._post(compact[3:])
        try:
            return parse_get_by_uid(body, formatted)
        except UidRegisterRateLimited as error:
            self.limiter.block(error.retry_after)
            raise

    def _post(self, digits: str) -> bytes:
        envelope = ENVELOPE.format(
            soap=NS_SOAP, wse=NS_WSE, ech=NS_ECH_0097, digits=digits
        )
        request = Request(  # noqa: S310 (the URL is a setting, https in practice)
            self.url,
            data=envelope.encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": f'"{SOAP_ACTION}"',
                "User-Agent": "Passerelle (IV employer CRM)",
            },
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.read()
        except HTTPError as error:
            # Faults come with HTTP 500 and a SOAP body worth reading.
            body = error.read() or b""
            if b"Fault" in body:
                return body
            raise UidRegisterUnavailable(
                f"The UID register answered HTTP {error.code}."
            ) from error
        except (URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise UidRegisterUnavailable(
                f"The UID register cannot be reached ({reason})."
            ) from error


def uid_register_enabled() -> bool:
    return bool(settings.UID_REGISTER_URL)

"""Drawing demo employers with their contact persons, roles and cooperation history.

Faker fills name pools once (`Pools.build`); after that each employer costs a few
dozen `random` calls and plain model constructors, and a chunk is written in four
bulk inserts (`chunk_write`). That keeps 100k employers a question of insert speed:
a PostgreSQL `COPY` writer would replace `chunk_write` only.
"""

from __future__ import annotations

import json
import math
import random
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.utils import timezone
from faker import Faker
from phonenumber_field.phonenumber import PhoneNumber
from stdnum.ch import uid as stdnum_uid

from core.bulk import bulk_insert, ids_reserve, phone_e164, rows_insert

from ..models import (
    ContactPerson,
    CooperationAssessment,
    Employer,
    EmployerRole,
    LegalForm,
    Office,
    PersonFunction,
    RegisterStatus,
    RelationshipStatus,
    SectorGroup,
    SizeClass,
)
from .contacts import ContactDraft, contacts_draw, contacts_write
from .draw import pick as _pick
from .tables import (
    CAPABILITIES,
    FIRST_ASSESSMENT,
    FORM_PATTERNS,
    FORMS_PRIVATE,
    FORMS_PUBLIC,
    FTE_RANGE,
    FUNCTIONS,
    INSURERS,
    INTENSITIES,
    LANGS,
    MAILBOX,
    OWN_PENSION_FUND,
    PARTNERSHIP,
    PUBLIC_ONLY,
    REASONS,
    REGISTER_STATUSES,
    SECOND_LANGUAGE,
    SECTORS,
    SIZE_RANK,
    SIZES,
    STATUSES,
    STREETS,
    TYPES,
    OfficeSpec,
    Place,
)

# Faker's it_CH has phone numbers only (its names and streets fall back to en_US).
FAKER_LOCALES = {"de": "de_CH", "fr": "fr_CH", "it": "it_IT"}
STOPPED = RelationshipStatus.STOPPED  # for employers no longer in the register
SECTOR_SHARES = {group: share for group, (share, _classes) in SECTORS.items()}


def uid_build(eight_digits: str) -> str | None:
    """`12345678` → `CHE-123.456.78x` with its mod-11 check digit; None when the
    check digit would be 10 (such numbers are never issued)."""
    check = stdnum_uid.calc_check_digit(eight_digits)
    if len(check) != 1:
        return None
    return stdnum_uid.format(f"CHE{eight_digits}{check}")


def _uid_draw(
    rng: random.Random, taken: set[str], band: tuple[int, int] = (10**7, 10**8)
) -> str:
    while True:
        uid = uid_build(str(rng.randrange(*band)))
        if uid and uid not in taken:
            taken.add(uid)
            return uid


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:50].strip("-")


def _phone(area: str, subscriber: int) -> PhoneNumber:
    """A Swiss number; building the object skips a ~40 µs string parse per row."""
    return PhoneNumber(country_code=41, national_number=int(f"{area}{subscriber}"))


@dataclass
class Pools:
    """First names, last names and streets per language region, drawn from Faker."""

    first_names: dict[str, list[str]] = field(default_factory=dict)
    last_names: dict[str, list[str]] = field(default_factory=dict)
    streets: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, seed: int) -> Pools:
        """Cached per seed: Faker is slow to draw from, and forked workers share it."""
        if seed not in _POOLS:
            _POOLS[seed] = cls._draw(seed)
        return _POOLS[seed]

    @classmethod
    def _draw(cls, seed: int) -> Pools:
        pools = cls()
        for lang, locale in FAKER_LOCALES.items():
            fake = Faker(locale)
            fake.seed_instance(seed)
            pools.first_names[lang] = _unique(fake.first_name() for _ in range(800))
            pools.last_names[lang] = _unique(fake.last_name() for _ in range(1500))
            drawn = [_street(lang, fake.last_name()) for _ in range(150)]
            pools.streets[lang] = STREETS[lang] + drawn
        return pools


_POOLS: dict[int, Pools] = {}


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


def _street(lang: str, name: str) -> str:
    if lang == "de":
        return f"{name}{'weg' if len(name) % 3 == 0 else 'strasse'}"
    if lang == "fr":
        return f"{('Rue', 'Chemin', 'Avenue')[len(name) % 3]} {name}"
    return f"Via {name}"


class PersonDraft:
    """A contact person as drawn: the columns of its row, no model instance (there
    are five per employer). `pk` is set when the row is written."""

    __slots__ = (
        "pk",
        "first_name",
        "last_name",
        "email",
        "phone",
        "mobile",
        "languages",
    )

    def __init__(self, first_name, last_name, email, phone, mobile, languages):
        self.pk = None
        self.first_name, self.last_name, self.email = first_name, last_name, email
        self.phone, self.mobile, self.languages = phone, mobile, languages


class Draft(NamedTuple):
    employer: Employer
    persons: list[tuple[PersonDraft, str, bool]]  # person, function, fixed contact
    history: list[HistoryDraft]
    contacts: list[ContactDraft]


@dataclass
class Run:
    """What drawing one office's employers needs, prepared once."""

    office: Office
    spec: OfficeSpec
    rng: random.Random
    pools: Pools
    taken: set[str]  # UIDs in use anywhere in the deployment
    contacts: list  # staff users who can be fixed contacts
    weights: list[int]  # how often each of them is
    with_contacts: bool = True  # about ten contacts per employer over three years
    uid_range: tuple[int, int] = (10_000_000, 100_000_000)  # first eight digits
    places: list[Place] = field(init=False)
    today: date = field(default_factory=timezone.localdate)

    def __post_init__(self) -> None:
        self.places = self.spec.place_list()


def employer_draw(run: Run) -> Draft:
    """One employer of `run.office` with its people and history, not yet saved."""
    rng, place = run.rng, run.rng.choice(run.places)
    lang, size = place.language, _pick(rng, SIZES)
    rank = SIZE_RANK[size]
    sector = _pick(rng, SECTOR_SHARES)
    noga, trades = rng.choice(SECTORS[sector][1])
    forms = FORMS_PUBLIC if sector == SectorGroup.PUBLIC else FORMS_PRIVATE
    form = LegalForm.PUBLIC if noga in PUBLIC_ONLY else _pick(rng, forms, rank)
    name, stem = _company_name(run, lang, trades[lang], form, place)
    domain = f"{_slug(stem)}.ch"
    register = _pick(rng, REGISTER_STATUSES)
    status = _pick(rng, STATUSES) if register == RegisterStatus.ACTIVE else STOPPED
    coop = _pick(rng, TYPES)
    fixed = rng.choices(run.contacts, run.weights)[0] if run.contacts else None
    deputies = [user for user in run.contacts if user != fixed]
    main_line = rng.randrange(200, 1000) * 10_000
    employer = Employer(
        office=run.office,
        legal_name=name,
        uid=_uid_draw(rng, run.taken, run.uid_range),
        legal_form=form,
        register_status=register,
        street=f"{rng.choice(run.pools.streets[lang])} {rng.randint(1, 120)}",
        postcode=place.postcode,
        municipality=place.municipality,
        canton=run.spec.canton,
        phone=_phone(place.area_code, main_line),
        email=f"{MAILBOX[lang]}@{domain}",
        website=f"https://www.{domain}" if rng.random() < 0.6 + rank / 10 else "",
        noga_code=noga,
        sector_group=sector,
        fte=_fte(rng, size),
        size_class=size,
        language_region=lang,
        multi_canton=rng.random() < (0.02, 0.03, 0.10, 0.40)[rank],
        company_language="en" if rng.random() < (0, 0, 0.03, 0.2)[rank] else lang,
        daily_sickness_insurer=_maybe(rng, 0.85, INSURERS["insurer", lang]),
        pension_fund=_pension_fund(rng, lang, rank, stem),
        relationship_status=status,
        cooperation_type=coop,
        intensity=_pick(rng, INTENSITIES[coop]),
        fixed_contact=fixed,
        deputy_contact=rng.choice(deputies)
        if deputies and rng.random() < 0.4
        else None,
        **{key: rng.random() < odds[rank] for key, odds in CAPABILITIES.items()},
    )
    persons = _persons(run, employer, domain, rank, place, main_line)
    contacts = []
    if run.with_contacts and run.contacts:
        people = [person for person, _function, _fixed in persons]
        contacts = contacts_draw(rng, employer, people, run.contacts, run.today)
    return Draft(employer, persons, _history(run, employer), contacts)


def _company_name(
    run: Run, lang: str, trade: str, form: str, place: Place
) -> tuple[str, str]:
    """(legal name, name without the legal form) in the employer's language."""
    rng, last_names = run.rng, run.pools.last_names[lang]
    last, other = rng.choice(last_names), rng.choice(last_names)
    if "{m}" in trade:
        base = re.sub(r"\bde ([AEIOUYÉÈ])", r"d'\1", trade.format(m=place.municipality))
    elif form == LegalForm.SOLE:
        base = f"{trade} {rng.choice(run.pools.first_names[lang])} {last}"
    elif form == LegalForm.PARTNERSHIP:
        base = rng.choice([f"{last} & {other}", f"{last} {PARTNERSHIP[lang]}"])
    else:
        patterns = [f"{trade} {last}", f"{last} {trade}", f"{last} & {other}", last]
        base = rng.choices(patterns, (35, 30, 10, 25))[0]
    pattern = FORM_PATTERNS.get(form, ("{}", "{}", "{}"))[LANGS.index(lang)]
    return pattern.format(base), base


def _fte(rng: random.Random, size: str) -> Decimal:
    if size == SizeClass.LARGE:
        value = min(250 * math.exp(rng.expovariate(1.3)), 15_000)
    else:
        low, high = FTE_RANGE[size]
        value = low + (high - low) * rng.random() ** 1.5  # more small than big
    return Decimal(f"{value:.1f}")


def _maybe(rng: random.Random, odds: float, choices: list[str]) -> str:
    return rng.choice(choices) if rng.random() < odds else ""


def _pension_fund(rng: random.Random, lang: str, rank: int, stem: str) -> str:
    if rank == 3 and rng.random() < 0.5:  # large employers often run their own
        return OWN_PENSION_FUND[lang].format(stem)[:200]
    return _maybe(rng, 0.9, INSURERS["pension", lang])


def _persons(
    run: Run, employer: Employer, domain: str, rank: int, place: Place, line: int
) -> list[tuple[PersonDraft, str, bool]]:
    """3–7 people: the CEO first, then functions typical of the employer's size."""
    rng, lang = run.rng, employer.language_region
    count = rng.choices((3, 4, 5, 6, 7), (15, 20, 30, 20, 15))[0]
    functions = [PersonFunction.CEO]
    functions += [_pick(rng, FUNCTIONS, rank) for _ in range(count - 1)]
    fixed = _fixed_person(functions) if rng.random() < 0.85 else None
    persons, mailboxes = [], set()
    for index, function in enumerate(functions):
        first = rng.choice(run.pools.first_names[lang])
        last = rng.choice(run.pools.last_names[lang])
        mailbox = f"{_slug(first)}.{_slug(last)}"
        if mailbox in mailboxes:
            mailbox = f"{mailbox}{index}"
        mailboxes.add(mailbox)
        languages = [lang]
        if rng.random() < 0.15:
            languages.append(SECOND_LANGUAGE[lang])
        if employer.company_language == "en":
            languages.append("en")
        mobile = _phone(f"7{rng.choice('56789')}", rng.randrange(2_000_000, 10**7))
        person = PersonDraft(
            first_name=first,
            last_name=last,
            email=f"{mailbox}@{domain}",
            phone=_phone(place.area_code, line + rng.randrange(1, 100)),
            mobile=mobile if rng.random() < 0.5 else "",
            languages=languages,
        )
        persons.append((person, function, index == fixed))
    return persons


def _fixed_person(functions: list[str]) -> int:
    """The employer's contact for the IV: HR first, then a disability manager."""
    for wanted in (PersonFunction.HR, PersonFunction.DISABILITY_MANAGER):
        if wanted in functions:
            return functions.index(wanted)
    return 0


class HistoryDraft(NamedTuple):
    """One cooperation assessment as drawn (the columns of its row)."""

    valid_from: date
    cooperation_type: str
    intensity: str
    reason: str
    recorded_by_id: int | None


def _history(run: Run, employer: Employer) -> list[HistoryDraft]:
    """1–3 dated assessments; the latest is the employer's current type/intensity."""
    rng, lang = run.rng, run.spec.language
    states = [(employer.cooperation_type, employer.intensity)]
    for _ in range(rng.choices((0, 1, 2), (50, 35, 15))[0]):
        earlier = _pick(rng, TYPES)
        states.append((earlier, _pick(rng, INTENSITIES[earlier])))
    day = run.today - timedelta(days=rng.randrange(0, 700))
    history = []
    for index, (kind, intensity) in enumerate(states):
        reason = rng.choice(REASONS[lang, kind])
        if index == len(states) - 1:
            reason = FIRST_ASSESSMENT[lang] + reason
        history.append(
            HistoryDraft(day, kind, intensity, reason, employer.fixed_contact_id)
        )
        day -= timedelta(days=rng.randrange(120, 720))
    return history


def _recorded_at(day: date):
    """An assessment is recorded on the day it takes effect (09:00 local time)."""
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return connection.ops.adapt_datetimefield_value(moment + timedelta(hours=9))


PERSON_COLUMNS = [
    "id",
    "office_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "languages",
    "is_active",
    "created_at",
    "updated_at",
]
HISTORY_COLUMNS = [
    "employer_id",
    "valid_from",
    "cooperation_type",
    "intensity",
    "reason",
    "recorded_by_id",
    "recorded_at",
]


def chunk_write(
    drafts: list[Draft], counts: dict[str, int], seconds: dict[str, float] | None = None
) -> None:
    """Inserts table by table (COPY on PostgreSQL, see core/bulk.py). Primary keys
    are known before each insert, so later tables can point at earlier rows."""
    people = [person for draft in drafts for person, _f, _x in draft.persons]

    def write(key: str, model, columns: list[str] | None, rows: list) -> None:
        started = time.perf_counter()
        if columns is None:
            bulk_insert(model, rows)
        else:
            rows_insert(model, columns, rows)
        counts[key] = counts.get(key, 0) + len(rows)
        if seconds is not None:
            seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - started

    write("employers", Employer, None, [draft.employer for draft in drafts])
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for person, pk in zip(people, ids_reserve(ContactPerson, len(people)), strict=True):
        person.pk = pk
    person_rows = [
        (
            person.pk,
            draft.employer.office_id,
            person.first_name,
            person.last_name,
            person.email,
            phone_e164(person.phone),
            phone_e164(person.mobile),
            json.dumps(person.languages),
            True,
            now,
            now,
        )
        for draft in drafts
        for person, _function, _fixed in draft.persons
    ]
    write("contact_persons", ContactPerson, PERSON_COLUMNS, person_rows)
    roles = [
        (draft.employer.pk, person.pk, function, is_fixed)
        for draft in drafts
        for person, function, is_fixed in draft.persons
    ]
    role_columns = ["employer_id", "person_id", "function", "is_fixed_contact"]
    write("roles", EmployerRole, role_columns, roles)
    history_rows = [
        (
            draft.employer.pk,
            entry.valid_from,
            entry.cooperation_type,
            entry.intensity,
            entry.reason,
            entry.recorded_by_id,
            _recorded_at(entry.valid_from),
        )
        for draft in drafts
        for entry in draft.history
    ]
    write("assessments", CooperationAssessment, HISTORY_COLUMNS, history_rows)
    contacts_write([(draft.employer, draft.contacts) for draft in drafts], write)

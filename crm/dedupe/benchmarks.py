"""`manage.py bench dedupe --employers 100000 --json`: a full duplicate scan.

On an empty, migrated database (PostgreSQL for the real figure) it writes the demo
offices (`seed_demo --employers 0`) and then `--employers` employers of its own,
with COPY (`core/bulk.py`): names from the demo generator's pools (trade, family
names, legal form in the region's language), spread over about 2,000 postcodes as
unevenly as towns are, each with its own web domain and three contact persons there.
`seed_demo`'s own employers are not used: they share 36 towns per office, and at
100,000 the same "Müller AG" turns up dozens of times in one town.

A few percent of them (`--duplicates-percent 3`) are copies of another, written the
way a careless import would: another legal form, capitals, no accents, a typo or
punctuation, no UID, the same postcode, half of them with a contact person at the
original's domain. Then it scans every office from scratch and reports the seconds,
the candidates found, the recall of the planted pairs and the share of candidates
that are planted ones.

It deletes the duplicate candidates of the database it runs on: use a database of
its own (it refuses one that has employers it did not write).
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections import Counter
from decimal import Decimal

from django.db import connection

from core.bench import BenchmarkError, Figures, Options, register
from core.bulk import bulk_insert
from crm.models import ContactPerson, Employer, EmployerRole, Office

from .matching import email_domain, pair
from .models import DuplicateCandidate, Kind
from .services import duplicate_scan

MARK = "bench-dedupe copy of #"
FORMS = (" AG", " SA", " GmbH", " Sàrl", " Sagl", "")


@register("dedupe")
def dedupe(options: Options) -> Figures:
    employers = int(options.get("employers", 100_000))
    share = float(options.get("duplicates_percent", 3)) / 100
    seed = int(options.get("seed", 2015))
    planted = _data_ensure(employers, share, seed)
    DuplicateCandidate.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds, new = 0.0, 0
    for office in Office.objects.order_by("code"):
        started = time.perf_counter()
        new += duplicate_scan(office=office)
        seconds += time.perf_counter() - started
    found = set(
        DuplicateCandidate.objects.filter(kind=Kind.EMPLOYER).values_list(
            "low_id", "high_id"
        )
    )
    recalled = sum(1 for key in planted if key in found)
    reasons = Counter(
        (kind, reason["code"])
        for kind, reasons_ in DuplicateCandidate.objects.values_list("kind", "reasons")
        for reason in reasons_
    )
    incremental = _incremental_scan(seed)
    return {
        "database": connection.vendor,
        "employers": Employer.objects.count(),
        "contact_persons": ContactPerson.objects.count(),
        "planted_pairs": len(planted),
        "scan_seconds": round(seconds, 2),
        "candidates": new,
        "employer_candidates": len(found),
        "person_candidates": new - len(found),
        "planted_found": recalled,
        "recall": round(recalled / len(planted), 4) if planted else None,
        "planted_share_of_employer_candidates": round(recalled / len(found), 4)
        if found
        else None,
        "reasons": {
            f"{kind}.{code}": count for (kind, code), count in sorted(reasons.items())
        },
        **incremental,
        "goal_seconds": 60,
    }


def _data_ensure(employers: int, share: float, seed: int) -> set[tuple[int, int]]:
    """Seeds and plants on an empty database; returns the planted pairs."""
    if not Employer.objects.exists():
        from crm.demo import demo_seed

        copies = round(employers * share)
        demo_seed(employers=0, seed=seed)
        _employers_write(employers - copies, seed)
        _plant(copies, seed)
    planted = {
        pair(pk, int(other_names.removeprefix(MARK)))
        for pk, other_names in Employer.objects.filter(
            other_names__startswith=MARK
        ).values_list("pk", "other_names")
    }
    if not planted:
        raise BenchmarkError(
            "This database has employers the benchmark did not write. Run it on an "
            "empty, migrated database of its own (DATABASE_URL=…/dedupebench)."
        )
    return planted


OFFICE_SHARES = {"BE": 50, "VD": 30, "TI": 20}
POSTCODES = {"BE": (2500, 3999), "VD": (1000, 1999), "TI": (6500, 6999)}
LANGUAGE = {"BE": "de", "VD": "fr", "TI": "it"}
FORM_BY_LANGUAGE = {
    "de": (" AG", " GmbH", ""),
    "fr": (" SA", " Sàrl", ""),
    "it": (" SA", " Sagl", ""),
}
PERSONS_PER_EMPLOYER = 3
BATCH = 20_000


def _employers_write(count: int, seed: int) -> None:
    from crm.demo.employers import Pools, _slug
    from crm.demo.tables import SECTORS

    rng, pools = random.Random(seed), Pools.build(seed)
    trades = [trades for _share, items in SECTORS.values() for _noga, trades in items]
    offices = {o.code: o for o in Office.objects.filter(code__in=OFFICE_SHARES)}
    codes = list(OFFICE_SHARES)
    postcodes = {code: _postcodes(rng, code) for code in codes}
    domains: set[str] = set()
    for start in range(0, count, BATCH):
        employers, persons = [], []
        for _ in range(min(BATCH, count - start)):
            code = rng.choices(codes, list(OFFICE_SHARES.values()))[0]
            lang = LANGUAGE[code]
            stem = _stem(rng, pools, rng.choice(trades)[lang], lang)
            domain = _slug(stem)
            while domain in domains:
                domain = f"{_slug(stem)}-{rng.randrange(10, 100)}"
            domains.add(domain)
            places, weights = postcodes[code]
            employer = Employer(
                office=offices[code],
                legal_name=stem + rng.choice(FORM_BY_LANGUAGE[lang]),
                postcode=str(rng.choices(places, cum_weights=weights)[0]),
                municipality="Ort",
                canton=code,
                language_region=lang,
                email=f"info@{domain}.ch",
                fte=Decimal("5.0"),
                size_class="micro",
            )
            employers.append(employer)
            for _n in range(PERSONS_PER_EMPLOYER):
                first = rng.choice(pools.first_names[lang])
                last = rng.choice(pools.last_names[lang])
                person = ContactPerson(
                    office=employer.office,
                    first_name=first,
                    last_name=last,
                    email=f"{_slug(first)}.{_slug(last)}@{domain}.ch",
                    languages=[lang],
                )
                persons.append((employer, person))
        bulk_insert(Employer, employers)
        bulk_insert(ContactPerson, [person for _e, person in persons])
        bulk_insert(
            EmployerRole,
            [EmployerRole(employer=e, person=p, function="hr") for e, p in persons],
        )


def _postcodes(rng: random.Random, code: str) -> tuple[list[int], list[float]]:
    """About 700 postcodes per office, a few big towns and many villages."""
    low, high = POSTCODES[code]
    places = rng.sample(range(low, high + 1), min(700, high - low + 1))
    cumulative, total = [], 0.0
    for rank, _place in enumerate(places, start=1):
        total += 1 / rank**0.9
        cumulative.append(total)
    return places, cumulative


def _stem(rng: random.Random, pools, trade: str, lang: str) -> str:
    last = rng.choice(pools.last_names[lang])
    other = rng.choice(pools.last_names[lang])
    first = rng.choice(pools.first_names[lang])
    return rng.choice(
        [
            f"{trade} {last}",
            f"{last} {trade}",
            f"{last} & {other}",
            f"{trade} {first} {last}",
        ]
    )


def _plant(copies: int, seed: int) -> None:
    rng = random.Random(seed)
    ids = list(Employer.objects.values_list("pk", flat=True))
    originals = Employer.objects.in_bulk(rng.sample(ids, copies))
    new_employers, persons, roles = [], [], []
    for original in originals.values():
        copy = Employer(
            office_id=original.office_id,
            legal_name=_variant(original.legal_name, rng),
            other_names=f"{MARK}{original.pk}",
            street=original.street,
            postcode=original.postcode,
            municipality=original.municipality,
            canton=original.canton,
            language_region=original.language_region,
        )
        new_employers.append(copy)
        domain = email_domain(original.email)
        if domain and rng.random() < 0.5:
            person = ContactPerson(
                office_id=original.office_id,
                first_name="Import",
                last_name=f"Kontakt {original.pk}",
                email=f"kontakt{original.pk}@{domain}",
                languages=[original.language_region],
            )
            persons.append(person)
            roles.append((copy, person))
    bulk_insert(Employer, new_employers)
    bulk_insert(ContactPerson, persons)
    bulk_insert(
        EmployerRole,
        [EmployerRole(employer=e, person=p, function="hr") for e, p in roles],
    )


def _variant(name: str, rng: random.Random) -> str:
    """The name as another file spells it: one or two of the usual differences."""
    changes = rng.sample(["form", "case", "accents", "typo", "punctuation"], 2)
    for change in changes:
        if change == "form":
            stem = name
            for form in FORMS[:-1]:
                stem = stem.removesuffix(form)
            name = stem + rng.choice(
                [f for f in FORMS if not name.endswith(f) or not f]
            )
        elif change == "case":
            name = name.upper()
        elif change == "accents":
            folded = unicodedata.normalize("NFKD", name)
            name = "".join(c for c in folded if not unicodedata.combining(c))
        elif change == "typo":
            letters = [i for i, c in enumerate(name) if c.isalpha()]
            if len(letters) > 6:
                i = rng.choice(letters[1:-1])
                name = name[:i] + name[i + 1 :]
        else:
            name = name.replace(" ", "-", 1) if rng.random() < 0.5 else name + "."
    return name


def _incremental_scan(seed: int) -> Figures:
    """The scan after an import: 1,000 employers of the largest office."""
    office = Office.objects.order_by("code").first()
    ids = list(Employer.objects.filter(office=office).values_list("pk", flat=True))
    sample = random.Random(seed).sample(ids, min(1000, len(ids)))
    started = time.perf_counter()
    duplicate_scan(office=office, employer_ids=sample)
    return {"after_import_1000_seconds": round(time.perf_counter() - started, 2)}

"""The duplicate scan: candidate pairs of employers and of contact persons.

Everything is compared in memory, per office, in blocks that keep the comparisons
few: names only within a postcode, e-mail domains only where few employers share
one. At 100,000 employers the reads from the database cost more than the matching
(README, "Duplicates and merge").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from rapidfuzz import fuzz, process

from crm.models import ContactPerson, Employer, EmployerRole, Office

from ..matching import (
    email_domain,
    name_normalise,
    pair,
    person_name_normalise,
    uid_digits,
)
from ..models import DuplicateCandidate, Kind

Reason = DuplicateCandidate.Reason
NAME_SCORE_MIN = 88  # token-sort similarity of the normalised names, 0–100
# A name that matches more employers than this in one postcode is a chain's or a
# very common one (branches, "Müller AG"): pairing them all would flood the queue.
NAME_MATCHES_MAX = 5
# A domain many employers share is a group's or a provider's, not a duplicate.
DOMAIN_GROUP_MAX = 4
EMAIL_GROUP_MAX = 6  # a shared mailbox (info@…) of more people says nothing
SCORES = {
    Reason.UID: 100,
    Reason.EMAIL_DOMAIN: 70,
    Reason.EMAIL: 95,
    Reason.NAME_EMPLOYER: 90,
    Reason.NAME_ACROSS: 80,
}
BONUS_PER_EXTRA_REASON = 5

Found = dict[
    tuple[int, int], dict[str, tuple[int, str]]
]  # pair → code → (score, detail)


def duplicate_scan(*, office: Office, employer_ids: Iterable[int] | None = None) -> int:
    """Finds candidate pairs in `office`; returns how many are new.

    With `employer_ids` (after an import) only pairs with one of those employers,
    or with a contact person working for one of them, are looked for. Pairs seen
    before keep their status: a dismissed pair is never proposed again.
    """
    focus = None if employer_ids is None else set(employer_ids)
    employers = employer_candidates_find(office=office, focus=focus)
    persons = person_candidates_find(office=office, employer_focus=focus)
    return _candidates_save(office, Kind.EMPLOYER, employers) + _candidates_save(
        office, Kind.PERSON, persons
    )


# --- Employers ------------------------------------------------------------------


def employer_candidates_find(*, office: Office, focus: set[int] | None = None) -> Found:
    rows = list(
        Employer.objects.filter(office=office).values_list(
            "pk", "legal_name", "uid", "postcode", "email"
        )
    )
    found: Found = defaultdict(dict)
    uids: dict[str, list[int]] = defaultdict(list)
    for pk, _name, uid, _postcode, _email in rows:
        if digits := uid_digits(uid):
            uids[digits].append(pk)
    for digits, ids in uids.items():
        for a, b in _group_pairs(ids, focus):
            found[(a, b)][Reason.UID] = (SCORES[Reason.UID], digits)
    names = [
        (pk, name_normalise(name), postcode) for pk, name, _u, postcode, _e in rows
    ]
    for key, score in _name_pairs(names, focus):
        found[key][Reason.NAME_POSTCODE] = score
    for key, domain in _domain_pairs(office, rows, focus):
        found[key][Reason.EMAIL_DOMAIN] = (SCORES[Reason.EMAIL_DOMAIN], domain)
    return found


def _name_pairs(
    names: list[tuple[int, str, str]], focus: set[int] | None
) -> Iterator[tuple[tuple[int, int], tuple[int, str]]]:
    blocks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, postcode in names:
        if name and postcode:
            # Sorted words once here, then a plain ratio: token_sort_ratio without
            # sorting both strings again for every comparison.
            blocks[postcode].append((pk, " ".join(sorted(name.split()))))
    for postcode, members in blocks.items():
        if len(members) < 2:
            continue
        same = Counter(name for _pk, name in members)
        members = [m for m in members if same[m[1]] <= NAME_MATCHES_MAX]
        ids = [pk for pk, _name in members]
        keys = [name for _pk, name in members]
        for index, pk in enumerate(ids):
            if focus is None:
                start = index + 1  # each unordered pair once
            elif pk in focus:
                start = 0
            else:
                continue
            matches = process.extract(
                keys[index],
                keys[start:],
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=NAME_SCORE_MIN,
                limit=None,
            )
            if len(matches) > NAME_MATCHES_MAX + (focus is not None):
                continue
            for _choice, score, offset in matches:
                other = ids[start + offset]
                if other != pk:
                    yield pair(pk, other), (round(score), postcode)


def _domain_pairs(
    office: Office, rows: list[tuple], focus: set[int] | None
) -> Iterator[tuple[tuple[int, int], str]]:
    by_domain: dict[str, set[int]] = defaultdict(set)
    for pk, _name, _uid, _postcode, email in rows:
        if domain := email_domain(email):
            by_domain[domain].add(pk)
    people = EmployerRole.objects.filter(employer__office=office).values_list(
        "employer_id", "person__email"
    )
    for employer_id, email in people.iterator(chunk_size=20_000):
        if domain := email_domain(email):
            by_domain[domain].add(employer_id)
    for domain, ids in by_domain.items():
        if 1 < len(ids) <= DOMAIN_GROUP_MAX:
            for key in _group_pairs(sorted(ids), focus):
                yield key, domain


# --- Contact persons -------------------------------------------------------------


def person_candidates_find(
    *, office: Office, employer_focus: set[int] | None = None
) -> Found:
    # Phone numbers as stored (E.164 text): parsing 500,000 of them into
    # PhoneNumber objects would cost more than the whole scan.
    rows = (
        ContactPerson.objects.filter(office=office)
        .annotate(
            phone_text=Cast("phone", CharField()),
            mobile_text=Cast("mobile", CharField()),
        )
        .values_list(
            "pk", "first_name", "last_name", "email", "phone_text", "mobile_text"
        )
    )
    persons = {
        pk: (person_name_normalise(first, last), (email or "").strip().lower(), phones)
        for pk, first, last, email, *phones in rows.iterator(chunk_size=20_000)
    }
    roles = list(
        EmployerRole.objects.filter(person__office=office).values_list(
            "employer_id", "person_id"
        )
    )
    focus = None
    if employer_focus is not None:
        focus = {person for employer, person in roles if employer in employer_focus}
    found: Found = defaultdict(dict)
    by_email: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for pk, (name, email, _phones) in persons.items():
        if email:
            by_email[email].append(pk)
        if name:
            by_name[name].append(pk)
    for email, ids in by_email.items():
        if len(ids) <= EMAIL_GROUP_MAX:
            for key in _group_pairs(ids, focus):
                found[key][Reason.EMAIL] = (SCORES[Reason.EMAIL], email)
    at_employer: dict[tuple[int, str], list[int]] = defaultdict(list)
    for employer_id, person_id in roles:
        if person_id in persons and persons[person_id][0]:
            at_employer[(employer_id, persons[person_id][0])].append(person_id)
    for (_employer_id, name), ids in at_employer.items():
        for key in _group_pairs(ids, focus):
            found[key][Reason.NAME_EMPLOYER] = (SCORES[Reason.NAME_EMPLOYER], name)
    for name, ids in by_name.items():
        for key, detail in _same_name_pairs(ids, persons, focus):
            found[key].setdefault(
                Reason.NAME_ACROSS, (SCORES[Reason.NAME_ACROSS], f"{name} · {detail}")
            )
    return found


def _same_name_pairs(ids, persons, focus) -> Iterator[tuple[tuple[int, int], str]]:
    """People of the same name who share a phone number or an e-mail domain."""
    if len(ids) < 2:
        return
    by_key: dict[str, list[int]] = defaultdict(list)
    for pk in ids:
        _name, email, phones = persons[pk]
        keys = {str(phone) for phone in phones if phone}
        if domain := email_domain(email):
            keys.add(domain)
        for key in keys:
            by_key[key].append(pk)
    for key, members in by_key.items():
        for found in _group_pairs(members, focus):
            yield found, key


# --- Saving ---------------------------------------------------------------------


def _group_pairs(ids: list[int], focus: set[int] | None) -> Iterator[tuple[int, int]]:
    for index, a in enumerate(ids):
        for b in ids[index + 1 :]:
            if a != b and (focus is None or a in focus or b in focus):
                yield pair(a, b)


def _candidates_save(office: Office, kind: str, found: Found) -> int:
    if not found:
        return 0
    lows = sorted({low for low, _high in found})
    existing = set()
    for start in range(0, len(lows), 20_000):
        chunk = lows[start : start + 20_000]
        existing.update(
            DuplicateCandidate.objects.filter(kind=kind, low_id__in=chunk).values_list(
                "low_id", "high_id"
            )
        )
    new = [
        DuplicateCandidate(
            office=office,
            kind=kind,
            low_id=low,
            high_id=high,
            score=_score(reasons),
            reasons=[
                {"code": str(code), "detail": str(detail)}
                for code, (_score_value, detail) in sorted(reasons.items())
            ],
        )
        for (low, high), reasons in found.items()
        if (low, high) not in existing
    ]
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(
            new, batch_size=2000, ignore_conflicts=True
        )
    return len(new)


def _score(reasons: dict[str, tuple[int, str]]) -> int:
    best = max(score for score, _detail in reasons.values())
    return min(100, best + BONUS_PER_EXTRA_REASON * (len(reasons) - 1))

"""Demo contacts: about ten per employer over three years, as an office logs them.

Each employer gets contacts by its relationship status (dormant ones few, stopped ones
almost none), mostly by its fixed contact person, case-related about 60 % of the time
(the study: most contacts arise from a case), a third of them rated on the eight
quality marks, and the latest one often with an open follow-up. The employer's derived
fields (last contact, score, due dates) are worked out with the same functions the
contact service uses, so the demo shows what logging the contacts would have shown.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from core.bulk import ids_reserve

from ..models import (
    QUALITY_MARK_NAMES,
    Channel,
    Contact,
    ContactQualityRating,
    Employer,
    FollowUp,
    RelationshipStatus,
)
from ..models.contact import InitiatedBy, StartingPoint, Topic
from ..quality import quality_score
from ..services.contacts import add_months
from .draw import pick

YEARS = 3
MEAN_CONTACTS = {  # about ten per employer on average over the demo's mix
    RelationshipStatus.NEW: 8,
    RelationshipStatus.ACTIVE: 17,
    RelationshipStatus.REACTIVATION: 11,
    RelationshipStatus.DORMANT: 4,
    RelationshipStatus.STOPPED: 1.5,
}
CASE_RELATED_CHANNELS = {
    Channel.PHONE: 40,
    Channel.VISIT: 25,
    Channel.EMAIL: 25,
    Channel.LETTER: 5,
    Channel.INFORMAL: 5,
}
CASE_INDEPENDENT_CHANNELS = {
    Channel.VISIT: 30,
    Channel.PHONE: 20,
    Channel.EMAIL: 10,
    Channel.OWN_EVENT: 12,
    Channel.THIRD_PARTY_EVENT: 8,
    Channel.WRITTEN_INFO: 6,
    Channel.QUESTIONNAIRE: 4,
    Channel.HOTLINE: 4,
    Channel.PORTAL: 3,
    Channel.INFORMAL: 3,
}
CASE_RELATED_START = [StartingPoint.PROMPT_CASE_CONTACT, StartingPoint.GOOD_CASE_WORK]
CASE_INDEPENDENT_START = [
    StartingPoint.ACQUISITION,
    StartingPoint.SHARED_CONCERN,
    StartingPoint.OCCASION,
    StartingPoint.ADVICE_REQUEST,
]
CASE_RELATED_TOPICS = [
    Topic.EMPLOYEE_INTEGRATION,
    Topic.IN_COMPANY_INTEGRATION,
    Topic.JOB_ACQUISITION,
]
CASE_INDEPENDENT_TOPICS = [
    Topic.INFORMATION,
    Topic.INTEGRATION_POTENTIAL,
    Topic.INTENSIFY_COOPERATION,
    Topic.JOB_ACQUISITION,
    Topic.SERVICE_PRESENTATION,
    Topic.VACANCY_REPORT,
]
OUTCOMES = {
    "de": {
        True: [
            "Standortgespräch geführt; Arbeitsversuch ab nächstem Monat vereinbart.",
            "Anpassung des Arbeitsplatzes besprochen; Offerte für Hilfsmittel folgt.",
            "Wiedereinstieg mit 50 % Pensum vereinbart, Steigerung nach vier Wochen.",
            "Einarbeitungszuschuss erklärt; Arbeitgeber prüft Anstellung.",
            "Rückmeldung zum Verlauf gegeben; nächstes Gespräch in zwei Wochen.",
        ],
        False: [
            "Leistungen der IV vorgestellt; Interesse an Schnupperplätzen.",
            "Ansprechpersonen abgeglichen; Newsletter gewünscht.",
            "Zwei Praktikumsplätze für Arbeitstraining in Aussicht gestellt.",
            "Fragen zur Früherfassung geklärt; Merkblatt zugestellt.",
            "Jahresgespräch: Zusammenarbeit läuft gut, Einladung zum Anlass.",
        ],
    },
    "fr": {
        True: [
            "Entretien de situation mené ; stage d'essai convenu dès le mois prochain.",
            "Adaptation du poste discutée ; offre de moyens auxiliaires à suivre.",
            "Reprise à 50 % convenue, augmentation après quatre semaines.",
            "Allocation d'initiation au travail expliquée ; l'employeur étudie "
            "l'engagement.",
            "Point de situation donné ; prochain entretien dans deux semaines.",
        ],
        False: [
            "Prestations de l'AI présentées ; intérêt pour des stages.",
            "Interlocuteurs mis à jour ; souhaite recevoir la newsletter.",
            "Deux places d'entraînement au travail envisagées.",
            "Questions sur la détection précoce clarifiées ; aide-mémoire envoyé.",
            "Entretien annuel : bonne collaboration, invitation à la manifestation.",
        ],
    },
    "it": {
        True: [
            "Colloquio di situazione svolto; prova di lavoro concordata dal mese "
            "prossimo.",
            "Adeguamento del posto discusso; segue un'offerta per i mezzi ausiliari.",
            "Ripresa al 50 % concordata, aumento dopo quattro settimane.",
            "Assegno per il periodo d'introduzione spiegato; il datore valuta "
            "l'assunzione.",
            "Aggiornamento sul decorso; prossimo colloquio tra due settimane.",
        ],
        False: [
            "Prestazioni dell'AI presentate; interesse per stage.",
            "Persone di contatto aggiornate; desidera la newsletter.",
            "Due posti di allenamento al lavoro prospettati.",
            "Domande sul rilevamento tempestivo chiarite; promemoria inviato.",
            "Colloquio annuale: buona collaborazione, invito all'evento.",
        ],
    },
}
FOLLOW_UP_NOTES = {
    "de": "Nachfassen: Stand besprechen",
    "fr": "Relance : faire le point",
    "it": "Richiamare: fare il punto",
}


class ContactDraft(NamedTuple):
    """A contact as drawn, before its row is written (no model instance: millions)."""

    occurred_on: date
    staff_id: int
    case_related: bool
    channel: str
    initiated_by: str
    starting_point: str
    topics: list[str]
    outcome: str
    participants: list  # PersonDraft, written before the contacts
    marks: tuple[int | None, ...] | None  # in QUALITY_MARK_NAMES order
    follow_up: tuple[date, int, str] | None  # due on, assignee id, note


def contacts_draw(
    rng: random.Random,
    employer: Employer,
    persons: list,  # PersonDraft: their keys are known when the rows are written
    staff: list,
    today: date,
) -> list[ContactDraft]:
    """The employer's contacts, oldest first, and its derived fields set."""
    count = _poisson(rng, MEAN_CONTACTS[employer.relationship_status])
    first_day = today - timedelta(days=365 * YEARS)
    days = sorted(
        first_day + timedelta(days=rng.randrange(365 * YEARS + 1)) for _ in range(count)
    )
    lang = employer.language_region
    fixed_id = employer.fixed_contact_id
    drafts = []
    for index, day in enumerate(days):
        case_related = rng.random() < 0.6
        author = fixed_id if fixed_id and rng.random() < 0.75 else rng.choice(staff).pk
        follow_up = None
        if index == len(days) - 1 and rng.random() < 0.5:
            due_on = today + timedelta(days=rng.randrange(-5, 40))
            follow_up = (due_on, author, FOLLOW_UP_NOTES[lang])
        drafts.append(
            ContactDraft(
                occurred_on=day,
                staff_id=author,
                case_related=case_related,
                channel=_weighted(
                    rng,
                    CASE_RELATED_CHANNELS
                    if case_related
                    else CASE_INDEPENDENT_CHANNELS,
                ),
                initiated_by=_initiator(rng, case_related),
                starting_point=rng.choice(
                    CASE_RELATED_START if case_related else CASE_INDEPENDENT_START
                ),
                topics=rng.sample(
                    CASE_RELATED_TOPICS if case_related else CASE_INDEPENDENT_TOPICS,
                    rng.choice((1, 1, 2)),
                ),
                outcome=rng.choice(OUTCOMES[lang][case_related]),
                participants=rng.sample(
                    persons, min(len(persons), rng.choice((1, 1, 2)))
                ),
                marks=_marks(rng) if rng.random() < 0.33 else None,
                follow_up=follow_up,
            )
        )
    _derived_set(employer, drafts, today)
    return drafts


CONTACT_COLUMNS = [
    "id",
    "office_id",
    "employer_id",
    "occurred_on",
    "staff_id",
    "case_related",
    "channel",
    "initiated_by",
    "starting_point",
    "topics",
    "outcome",
    "notes",
    "created_at",
]
FOLLOW_UP_COLUMNS = [
    "office_id",
    "employer_id",
    "contact_id",
    "due_on",
    "assignee_id",
    "note",
    "done_at",
    "done_by_id",
    "created_at",
]


def contacts_write(
    batches: list[tuple[Employer, list[ContactDraft]]],
    write: Callable[[str, type, list[str], list], None],
) -> None:
    """Writes the drawn contacts, their participants, ratings and follow-ups.

    `write(key, model, columns, rows)` inserts and counts; employers and contact
    persons must have been written (their keys are read here)."""
    drafts = [(employer, draft) for employer, items in batches for draft in items]
    ids = ids_reserve(Contact, len(drafts))
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    contacts, participants, ratings, follow_ups = [], [], [], []
    for pk, (employer, draft) in zip(ids, drafts, strict=True):
        contacts.append(
            (
                pk,
                employer.office_id,
                employer.pk,
                draft.occurred_on,
                draft.staff_id,
                draft.case_related,
                draft.channel,
                draft.initiated_by,
                draft.starting_point,
                json.dumps(draft.topics),
                draft.outcome,
                "",
                created,
            )
        )
        participants.extend((pk, person.pk) for person in draft.participants)
        if draft.marks is not None:
            ratings.append((pk, *draft.marks))
        if draft.follow_up is not None:
            due_on, assignee_id, note = draft.follow_up
            follow_ups.append(
                (employer.office_id, employer.pk, pk, due_on, assignee_id, note)
                + (None, None, created)
            )
    write("contacts", Contact, CONTACT_COLUMNS, contacts)
    write(
        "contact_participants",
        Contact.participants.through,
        ["contact_id", "contactperson_id"],
        participants,
    )
    write(
        "ratings",
        ContactQualityRating,
        ["contact_id", *QUALITY_MARK_NAMES],
        ratings,
    )
    write("follow_ups", FollowUp, FOLLOW_UP_COLUMNS, follow_ups)


def _derived_set(employer: Employer, drafts: list[ContactDraft], today: date) -> None:
    """What `employer_contact_stats_refresh` would write, without reading it back."""
    if drafts:
        employer.last_contact_on = drafts[-1].occurred_on
    independent = [d.occurred_on for d in drafts if not d.case_related]
    employer.last_case_independent_contact_on = max(independent, default=None)
    employer.quality_score = quality_score(
        [
            (d.occurred_on, dict(zip(QUALITY_MARK_NAMES, d.marks, strict=True)))
            for d in drafts
            if d.marks is not None
        ],
        today,
    )
    if employer.relationship_status in RelationshipStatus.portfolio():
        office = employer.office
        base = employer.last_case_independent_contact_on
        if base is None:
            employer.contact_due_on = today
            employer.contact_overdue_on = add_months(
                today, office.contact_overdue_months
            )
        else:
            employer.contact_due_on = add_months(base, office.contact_due_months)
            employer.contact_overdue_on = add_months(
                base, office.contact_overdue_months
            )


def _marks(rng: random.Random) -> tuple[int | None, ...]:
    """Eight marks around a base; now and then one left empty ("cannot judge")."""
    base = rng.choice((3, 4, 4, 4, 5))
    marks = [
        min(5, max(1, base + rng.choice((-1, 0, 0, 0, 1))))
        if rng.random() < 0.9
        else None
        for _name in QUALITY_MARK_NAMES
    ]
    if all(value is None for value in marks):
        marks[0] = base
    return tuple(marks)


def _initiator(rng: random.Random, case_related: bool) -> str:
    if case_related:
        return _weighted(
            rng,
            {InitiatedBy.OFFICE: 55, InitiatedBy.EMPLOYER: 35, InitiatedBy.INSURED: 10},
        )
    return _weighted(
        rng, {InitiatedBy.OFFICE: 60, InitiatedBy.EMPLOYER: 35, InitiatedBy.OTHER: 5}
    )


def _weighted(rng: random.Random, weights: dict):
    return pick(rng, weights)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: small means only, which is all we need here."""
    limit, product, count = pow(2.718281828459045, -mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count

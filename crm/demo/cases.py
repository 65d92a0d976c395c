"""Demo cases: per office a handful of case references with pseudonymous numbers,
early-detection reports, measures in every status (a granted trial placement among
them), job opportunities, placements, partner organisations with their (IIZ) contact
persons, agreements and IIZ handovers, one of them a re-referral the guard warns
about. The first BE portal user's company has a case whose consent covers
placements, so the portal's case page shows something.

Everything is written through the services, so every row passes the rules staff
face. A fixed, small amount per office: the cost does not grow with `--employers`.
Idempotent: an office that has cases gets none. Consent is recorded last, so the
seed sends no case notice mails. Dates are relative to today.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from ..models import (
    Agreement,
    CaseReference,
    Employer,
    JobOpportunity,
    Measure,
    Office,
    PartnerContact,
    PartnerOrganisation,
    RegisterStatus,
    RelationshipStatus,
)
from ..services.cases import (
    case_consent_record,
    case_create,
    early_detection_report_record,
)
from ..services.contacts import contact_log
from ..services.measures import measure_plan, measure_status_set
from ..services.partners import handover_record, partner_contact_changed
from ..services.placements import placement_close, placement_record

Kind = Measure.Kind
Status = Measure.Status

#: Portal user whose company gets the consented case (crm/demo/portal.py).
CONSENTED_PORTAL_USER = "vreni.zaugg@aare-logistik.example"


@dataclass(frozen=True)
class OfficeTexts:
    region: str
    town: str
    # partner kind -> (name, [(first, last, function, iiz, public)])
    partners: dict[str, tuple[str, list[tuple[str, str, str, bool, bool]]]]
    # key -> (title, occupation)
    jobs: dict[str, tuple[str, str]]
    agreements: dict[str, str]
    agreement_scope: tuple[str, str]  # scope, channels
    outcome: str
    contact_outcome: str


TEXTS = {
    "BE": OfficeTexts(
        region="Bern",
        town="Bern",
        partners={
            "rav": ("RAV Bern Mitte", [
                ("Ursula", "Moser", "Personalberaterin, IIZ-Koordinatorin", True, True),
                ("Reto", "Käser", "Personalberater", False, False),
            ]),
            "social_services": ("Sozialdienst Region Bern", [
                ("Daniel", "Kämpf", "IIZ-Ansprechperson", True, False),
            ]),
            "daily_sickness_insurer": ("Aarewind Krankentaggeld AG", [
                ("Beat", "Schär", "Case Manager", False, False),
            ]),
            "coaching_provider": ("Jobcoaching Mittelland GmbH", [
                ("Sabine", "Ryser", "Jobcoach", False, False),
            ]),
            "employer_association": ("Gewerbeverband Aaretal", [
                ("Hans", "Stucki", "Geschäftsführer", False, False),
            ]),
        },
        jobs={
            "trial": ("Mitarbeiter/in Lager und Spedition", "Logistik"),
            "retail": ("Verkäufer/in Detailhandel 60 %", "Detailhandel"),
            "service": ("Mitarbeiter/in Kundendienst", "Detailhandel"),
            "heavy": ("Bauarbeiter/in Tiefbau", "Bau"),
        },
        agreements={
            "iiz": "IIZ-Vereinbarung Sozialdienst und RAV Region Bern",
            "concerto": "ConCerto-Vereinbarung (mehrere Kantone)",
            "cooperation": "Zusammenarbeit Gewerbeverband Aaretal",
        },
        agreement_scope=(
            "Früherfassung, Arbeitsversuche, Stellenvermittlung",
            "Telefon, gesicherte E-Mail, Netzwerkgespräch",
        ),
        outcome="Arbeitsplatz angepasst, Pensum stabil bei 80 %.",
        contact_outcome="Einsatzplan für den Arbeitsversuch besprochen.",
    ),
    "VD": OfficeTexts(
        region="Lausanne",
        town="Lausanne",
        partners={
            "rav": ("ORP Lausanne", [
                ("Claire", "Dubois", "conseillère ORP, répondante CII", True, True),
            ]),
            "social_services": ("Centre social régional de Lausanne", [
                ("Pierre", "Vuilleumier", "répondant CII", True, False),
            ]),
            "daily_sickness_insurer": ("Léman Indemnités SA", [
                ("Anne", "Perret", "gestionnaire de cas", False, False),
            ]),
            "coaching_provider": ("Coaching Emploi Vaud Sàrl", [
                ("Marc", "Chevalley", "job coach", False, False),
            ]),
            "employer_association": ("Association patronale de la Broye", [
                ("Isabelle", "Cuendet", "secrétaire générale", False, False),
            ]),
        },
        jobs={
            "trial": ("Collaborateur·rice logistique", "logistique"),
            "retail": ("Vendeur·euse commerce de détail 60 %", "commerce de détail"),
            "service": ("Collaborateur·rice service clientèle", "commerce de détail"),
            "heavy": ("Ouvrier·ère génie civil", "construction"),
        },
        agreements={
            "iiz": "Convention CII CSR et ORP Lausanne",
            "concerto": "Convention ConCerto (plusieurs cantons)",
            "cooperation": "Collaboration Association patronale de la Broye",
        },
        agreement_scope=(
            "Détection précoce, essais de travail, placement",
            "Téléphone, e-mail sécurisé, entretien de réseau",
        ),
        outcome="Poste adapté, taux d'activité stable à 80 %.",
        contact_outcome="Plan de l'essai de travail discuté.",
    ),
    "TI": OfficeTexts(
        region="Lugano",
        town="Lugano",
        partners={
            "rav": ("URC Lugano", [
                ("Paola", "Righetti", "consulente URC, referente CII", True, True),
            ]),
            "social_services": ("Servizio sociale regionale Lugano", [
                ("Luca", "Bernasconi", "referente CII", True, False),
            ]),
            "daily_sickness_insurer": ("Ceresio Indennità SA", [
                ("Fabio", "Galli", "case manager", False, False),
            ]),
            "coaching_provider": ("Coaching Lavoro Ticino Sagl", [
                ("Elena", "Ferrari", "job coach", False, False),
            ]),
            "employer_association": ("Associazione artigiani del Sottoceneri", [
                ("Mario", "Pellandini", "segretario", False, False),
            ]),
        },
        jobs={
            "trial": ("Collaboratore/trice logistica", "logistica"),
            "retail": ("Venditore/trice commercio al dettaglio 60 %", "commercio"),
            "service": ("Collaboratore/trice servizio clienti", "commercio"),
            "heavy": ("Operaio/a genio civile", "edilizia"),
        },
        agreements={
            "iiz": "Accordo CII servizio sociale e URC Lugano",
            "concerto": "Accordo ConCerto (più cantoni)",
            "cooperation": "Collaborazione Associazione artigiani del Sottoceneri",
        },
        agreement_scope=(
            "Rilevamento tempestivo, provvedimenti di prova, collocamento",
            "Telefono, e-mail sicura, colloquio di rete",
        ),
        outcome="Posto adattato, grado d'occupazione stabile all'80 %.",
        contact_outcome="Piano del provvedimento di prova discusso.",
    ),
}  # fmt: skip


def demo_cases_seed(result) -> None:
    """Cases and the partner network for every office that has employers and none
    yet; adds what it created to `result.created`."""
    for office in Office.objects.filter(code__in=list(TEXTS)).order_by("code"):
        if CaseReference.objects.filter(office=office).exists():
            continue
        employers = _employers(office)
        staff = _staff(office)
        if not employers or staff is None:
            continue
        with transaction.atomic():
            created = OfficeCases(office, employers, *staff).seed()
        for key, value in created.items():
            result.created[key] = result.created.get(key, 0) + value
        partner_contact_changed()  # the public directory lists IIZ contacts


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _employers(office: Office) -> list[Employer]:
    """Up to six employers in the register, active relationships first and the
    consented portal user's company before all."""
    employers = Employer.objects.filter(
        office=office, register_status=RegisterStatus.ACTIVE
    )
    portal = list(
        employers.filter(
            roles__person__portal_account__user__username=CONSENTED_PORTAL_USER
        ).distinct()
    )
    others = employers.exclude(pk__in=[e.pk for e in portal]).order_by(
        Case(When(relationship_status=RelationshipStatus.ACTIVE, then=0), default=1),
        "pk",
    )
    return portal + list(others[: 6 - len(portal)])


def _staff(office: Office):
    users = {
        user.username.split(".")[1]: user
        for user in get_user_model().objects.filter(
            staff_profile__office=office,
            username__in=[f"{office.code.lower()}.{name}" for name in
                          ("staff", "placement", "lead")],
        )
    }  # fmt: skip
    if len(users) < 3:
        return None
    return users["staff"], users["placement"], users["lead"]


class OfficeCases:
    """One office's demo cases; `seed()` returns the counts it created."""

    def __init__(self, office, employers, specialist, placement_staff, lead):
        self.office = office
        self.employers = employers
        self.specialist = specialist
        self.placement_staff = placement_staff
        self.lead = lead
        self.texts = TEXTS[office.code]
        self.today = timezone.localdate()
        self.rng = random.Random(f"cases:{office.code}")
        self.numbers: set[str] = set()

    def employer(self, index: int) -> Employer:
        return self.employers[index % len(self.employers)]

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def case_number(self) -> str:
        """Pseudonymous, as in the office's case-management system: no name in it."""
        while True:
            year = self.today.year - self.rng.choice((0, 0, 1, 2))
            number = f"{self.office.code}-{year}-{self.rng.randrange(10_000, 99_999)}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def case(self, **fields) -> CaseReference:
        return case_create(
            staff=self.specialist,
            case_number=self.case_number(),
            integration_specialist=self.specialist,
            **fields,
        )

    def measure(self, case, kind, status, *, staff=None, **fields) -> Measure:
        staff = staff or self.specialist
        measure = measure_plan(case=case, staff=staff, kind=kind, **fields)
        flow = [Status.GRANTED, Status.RUNNING, Status.ENDED]
        steps = [Status.CANCELLED] if status == Status.CANCELLED else []
        if status in flow:
            steps = flow[: flow.index(status) + 1]
        granted_on = fields.get("start_on") or self.today
        for step in steps:
            on = min(granted_on, self.today) if step == Status.GRANTED else None
            measure_status_set(measure=measure, staff=staff, status=step, on=on)
        return measure

    def seed(self) -> dict[str, int]:
        partners = self.partners()
        opportunities = self.opportunities()
        cases = [
            self.case_keep_job(),
            self.case_placed(opportunities["trial"]),
            self.case_early_detection(),
            self.case_pension_assessment(partners),
            self.case_re_referred(partners),
            self.case_closed(),
        ]
        self.agreements(partners)
        return {
            "cases": len(cases),
            "partners": len(partners),
            "opportunities": len(opportunities),
        }

    # --- Partners and agreements -------------------------------------------------

    def partners(self) -> dict[str, PartnerOrganisation]:
        """The office's partners, kept if they exist (by name): staff may have
        edited them since."""
        partners = {}
        for kind, (name, people) in self.texts.partners.items():
            partner = PartnerOrganisation.objects.filter(
                office=self.office, name=name
            ).first()
            if partner is None:
                partner = PartnerOrganisation(
                    office=self.office, name=name, kind=kind,
                    municipality=self.texts.town,
                )  # fmt: skip
                partner.full_clean()
                partner.save()
                for first, last, function, iiz, public in people:
                    contact = PartnerContact(
                        partner=partner, first_name=first, last_name=last,
                        function=function, is_iiz_contact=iiz, public=public,
                        email=_ascii(f"{first}.{last}@partner.example".lower()),
                    )  # fmt: skip
                    contact.full_clean()
                    contact.save()
            partners[kind] = partner
        return partners

    def agreements(self, partners) -> None:
        titles = self.texts.agreements
        scope, channels = self.texts.agreement_scope
        rows = [
            ("iiz", self.day(-800), None, [], ["social_services", "rav"]),
            # ends within the renewal notice period: the reminder is due
            ("concerto", self.day(-1000), self.day(60), [0, 1], []),
            ("cooperation", self.day(-300), self.day(400), [],
             ["employer_association"]),
        ]  # fmt: skip
        for kind, valid_from, valid_until, employers, partner_kinds in rows:
            agreement = Agreement(
                office=self.office, kind=kind, title=titles[kind],
                valid_from=valid_from, valid_until=valid_until,
                responsible=self.lead,
                scope=scope, channels=channels,
            )  # fmt: skip
            agreement.full_clean()
            agreement.save()
            agreement.employers.set({self.employer(i) for i in employers})
            agreement.partners.set([partners[name] for name in partner_kinds])

    # --- Job opportunities ----------------------------------------------------

    def opportunities(self) -> dict[str, JobOpportunity]:
        rows = {
            "trial": (1, "trial_place", 2, 80),  # filled by the placement below
            "retail": (4, "job", 1, 60),
            "service": (5, "job", 2, 50),
            "heavy": (4, "job", 3, 100),  # too heavy for the case looking
        }
        opportunities = {}
        for key, (index, kind, load, workload) in rows.items():
            title, occupation = self.texts.jobs[key]
            opportunity = JobOpportunity(
                office=self.office, employer=self.employer(index), kind=kind,
                title=title, occupation=occupation, region=self.texts.region,
                physical_load=load, psychological_load=2, workload_percent=workload,
                location=self.texts.town, start_on=self.day(30),
                status="open", source=JobOpportunity.Source.STAFF,
                reported_on=self.day(-20),
            )  # fmt: skip
            opportunity.full_clean()
            opportunity.save()
            opportunities[key] = opportunity
        return opportunities

    # --- Cases ------------------------------------------------------------------

    def case_keep_job(self) -> CaseReference:
        """Keep the job at the portal user's company: workplace adaptation ended,
        a granted trial placement, coaching running, a planned training; the
        consent covers placements (the portal shows it)."""
        employer = self.employer(0)
        case = self.case(aim="keep_job", employer=employer, phase="integration")
        early_detection_report_record(
            case=case, reporter="employer", received_on=self.day(-95),
            first_contact_on=self.day(-92),
        )  # fmt: skip
        self.measure(
            case, Kind.WORKPLACE_ADAPTATION, Status.ENDED, start_on=self.day(-80),
            end_on=self.day(-50), amount_chf=Decimal("3800"),
            outcome=self.texts.outcome,
        )  # fmt: skip
        self.measure(
            case, Kind.TRIAL_PLACEMENT, Status.GRANTED, start_on=self.day(7),
            end_on=self.day(96),
        )  # fmt: skip
        self.measure(case, Kind.COACHING, Status.RUNNING, start_on=self.day(-30))
        self.measure(case, Kind.TRAINING, Status.PLANNED)
        contact_log(
            employer=employer, staff=self.specialist, occurred_on=self.day(-10),
            channel="visit", case_related=True, initiated_by="office", case=case,
            outcome=self.texts.contact_outcome,
        )  # fmt: skip
        case_consent_record(case=case, given_on=self.day(-90), scope="placements")
        return case

    def case_placed(self, opportunity: JobOpportunity) -> CaseReference:
        """Placed elsewhere: a trial placement that led to a contract, an onboarding
        subsidy running, contribution compensation planned."""
        case = self.case(
            aim="placement", phase="vocational", region=self.texts.region,
            occupation=opportunity.occupation, max_physical_load=2,
            max_psychological_load=2, max_workload_percent=80,
        )  # fmt: skip
        employer = opportunity.employer
        self.measure(
            case, Kind.TRIAL_PLACEMENT, Status.ENDED, employer=employer,
            staff=self.placement_staff, start_on=self.day(-240),
            end_on=self.day(-121),
        )  # fmt: skip
        placement = placement_record(
            case=case, staff=self.placement_staff, opportunity=opportunity,
            start_on=self.day(-240),
        )  # fmt: skip
        placement_close(
            placement=placement, staff=self.placement_staff,
            outcome="contract_signed", end_on=self.day(-121),
        )  # fmt: skip
        self.measure(
            case, Kind.ONBOARDING_SUBSIDY, Status.RUNNING, employer=employer,
            staff=self.placement_staff, start_on=self.day(-120),
            end_on=self.day(50), amount_chf=Decimal("9600"),
        )  # fmt: skip
        self.measure(
            case, Kind.COMPENSATION_KTG, Status.PLANNED, employer=employer,
            staff=self.placement_staff, placement=placement, start_on=self.day(14),
        )  # fmt: skip
        case_consent_record(case=case, given_on=self.day(-250), scope="placements")
        return case

    def case_early_detection(self) -> CaseReference:
        """Just reported by the daily-sickness insurer; a workplace adaptation
        decided on site above the decision limit waits for approval."""
        case = self.case(
            aim="keep_job", employer=self.employer(2), phase="early_detection"
        )
        early_detection_report_record(
            case=case, reporter="daily_sickness_insurer", received_on=self.day(-2)
        )
        self.measure(
            case, Kind.WORKPLACE_ADAPTATION, Status.PLANNED,
            amount_chf=self.office.onsite_decision_limit_chf + Decimal("2500"),
            decided_on_site=True, start_on=self.day(21),
        )  # fmt: skip
        return case

    def case_pension_assessment(self, partners) -> CaseReference:
        """Retraining cancelled; handed to the RAV with both supporting, a network
        meeting and a joint goal agreement. Consent covers the phase only."""
        case = self.case(
            aim="keep_job", employer=self.employer(3), phase="pension_assessment"
        )
        early_detection_report_record(
            case=case, reporter="doctor", received_on=self.day(-400),
            first_contact_on=self.day(-396),
        )  # fmt: skip
        self.measure(
            case, Kind.RETRAINING, Status.CANCELLED, start_on=self.day(-300),
            provider=partners["coaching_provider"],
        )  # fmt: skip
        handover_record(
            staff=self.specialist, partner=partners["rav"], situation="iv_to_both",
            direction="to_partner", referred_on=self.day(-150), case=case,
            office_coordinator=self.specialist,
            partner_coordinator=partners["rav"].contacts.filter(
                is_iiz_contact=True).first(),
            network_meeting_on=self.day(-140), joint_goal_agreement=True,
        )  # fmt: skip
        case_consent_record(case=case, given_on=self.day(-380), scope="phase")
        return case

    def case_re_referred(self, partners) -> CaseReference:
        """Looking for a place in the region (matching finds two open ones);
        referred again by social services two months after placement support
        ended without a job: the re-referral guard warns."""
        case = self.case(
            aim="placement", phase="integration", region=self.texts.region,
            occupation=self.texts.jobs["retail"][1], max_physical_load=2,
            max_psychological_load=2, max_workload_percent=60,
        )  # fmt: skip
        social = partners["social_services"]
        coordinator = social.contacts.filter(is_iiz_contact=True).first()
        handover_record(
            staff=self.specialist, partner=social, situation="partner_to_both",
            direction="from_partner", referred_on=self.day(-300), case=case,
            office_coordinator=self.specialist, partner_coordinator=coordinator,
            support_outcome="ended_without_job", support_ended_on=self.day(-60),
        )  # fmt: skip
        handover_record(
            staff=self.specialist, partner=social, situation="partner_to_both",
            direction="from_partner", referred_on=self.day(-3), case=case,
            office_coordinator=self.specialist, partner_coordinator=coordinator,
        )  # fmt: skip
        return case

    def case_closed(self) -> CaseReference:
        """Closed: a job placement two years ago, trial completed; the advice
        window after placement is still open."""
        employer = self.employer(4)
        case = self.case(aim="placement", phase="closed", region=self.texts.region)
        self.measure(
            case, Kind.JOB_PLACEMENT, Status.ENDED, employer=employer,
            staff=self.placement_staff, start_on=self.day(-700),
            end_on=self.day(-611),
        )  # fmt: skip
        placement = placement_record(
            case=case, staff=self.placement_staff, employer=employer,
            kind="job", start_on=self.day(-700),
        )  # fmt: skip
        placement_close(
            placement=placement, staff=self.placement_staff,
            outcome="trial_completed", end_on=self.day(-611),
        )  # fmt: skip
        case_consent_record(case=case, given_on=self.day(-710), scope="measures")
        return case

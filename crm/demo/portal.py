"""Demo portal users: two contact persons at two different BE employers, each with a
portal login, a fixed contact at the IV with a contact card, and some history (a
request, a reported trial place). Idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from ..models import (
    ContactPerson,
    Employer,
    EmployerRole,
    JobOpportunity,
    Office,
    RelationshipStatus,
    Request,
)
from ..services.requests import request_submit
from .employers import uid_build

PORTAL_USERS = [
    # email, first, last, function, employer fallback (name, street, postcode, town)
    (
        "vreni.zaugg@aare-logistik.example",
        "Vreni",
        "Zaugg",
        "hr",
        ("Aare Logistik AG", "Industriestrasse 4", "3012", "Bern"),
    ),
    (
        "peter.roth@gurten-baeckerei.example",
        "Peter",
        "Roth",
        "ceo",
        ("Gurten Bäckerei GmbH", "Seftigenstrasse 210", "3084", "Wabern"),
    ),
]
STAFF_CARDS = {
    "be.staff": ("Integrationsfachperson Arbeitgeberdienst", "+41 31 379 77 11")
}


def demo_portal_seed(password: str) -> list[tuple[str, str, str]]:
    """Creates (or keeps) the two portal users; returns their logins."""
    from cms.models import PortalAccount, StaffCard

    office = Office.objects.get(code="BE")
    fixed_contact = get_user_model().objects.filter(username="be.staff").first()
    if fixed_contact is not None:
        job_title, phone = STAFF_CARDS["be.staff"]
        StaffCard.objects.get_or_create(
            user=fixed_contact, defaults={"job_title": job_title, "phone": phone}
        )
    logins = []
    taken = set(
        PortalAccount.objects.values_list("person__roles__employer_id", flat=True)
    )
    for index, (email, first, last, function, fallback) in enumerate(PORTAL_USERS):
        account = PortalAccount.objects.filter(user__username=email).first()
        if account is None:
            employer = _employer_pick(office, taken, fallback, index)
            taken.add(employer.pk)
            if fixed_contact and employer.fixed_contact_id is None:
                Employer.objects.filter(pk=employer.pk).update(
                    fixed_contact=fixed_contact
                )
            person = ContactPerson.objects.create(
                office=office,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"+41 31 300 40 5{index}",
                languages=["de"],
            )
            EmployerRole.objects.create(
                employer=employer, person=person, function=function
            )
            user = get_user_model().objects.create(
                username=email,
                email=email,
                first_name=first,
                last_name=last,
                password=make_password(password) if "$" not in password else password,
            )
            account = PortalAccount.objects.create(user=user, person=person)
            _history(employer, person, index)
        employer = account.person.employers.first()
        logins.append((email, f"portal user ({employer})", office.code))
    return logins


def _employer_pick(office: Office, taken: set, fallback: tuple, index: int) -> Employer:
    existing = (
        Employer.objects.filter(
            office=office, relationship_status=RelationshipStatus.ACTIVE
        )
        .exclude(pk__in=[pk for pk in taken if pk])
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    name, street, postcode, town = fallback
    uid = next(
        uid
        for n in range(100)
        if (uid := uid_build(f"{90_000_000 + index * 1000 + n:08d}"))
        and not Employer.objects.filter(uid=uid).exists()
    )
    return Employer.objects.create(
        office=office,
        legal_name=name,
        uid=uid,
        street=street,
        postcode=postcode,
        municipality=town,
        canton="BE",
        language_region="de",
        relationship_status=RelationshipStatus.ACTIVE,
    )


def _history(employer: Employer, person: ContactPerson, index: int) -> None:
    if index == 0:
        request_submit(
            employer=employer,
            person=person,
            kind=Request.Kind.CALLBACK,
            subject=Request.Subject.UNCLEAR_SITUATION,
            message=(
                "Ein langjähriger Mitarbeiter im Lager fehlt seit einigen Wochen immer "
                "wieder. Wir möchten besprechen, wie wir ihn unterstützen können."
            ),
            callback_phone="+41 31 300 40 50",
            callback_time="vormittags",
        )
    JobOpportunity.objects.get_or_create(
        employer=employer,
        title="Mitarbeiter/in Logistik" if index == 0 else "Bäcker/in-Konditor/in EFZ",
        defaults={
            "office": employer.office,
            "reported_by": person,
            "kind": JobOpportunity.Kind.TRIAL_PLACE
            if index == 0
            else JobOpportunity.Kind.APPRENTICESHIP,
            "workload_percent": 50 if index == 0 else 100,
            "source": JobOpportunity.Source.PORTAL,
        },
    )

"""Builders for portal tests: a Bern office with a staff member, two employers with
staff-only data on file, and portal users linked to one of them each."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.models import PortalAccount
from crm.models import (
    ContactPerson,
    CooperationType,
    EmployerRole,
    Intensity,
    StaffRole,
)
from crm.services.contacts import contact_log
from tests.crm.conftest import VALID_UIDS, make_employer, make_office, make_staff

PORTAL_PASSWORD = "Bern-Aare-2026!"
#: Text that only staff may ever see; a portal page or e-mail containing it leaks.
SECRETS = [
    "INTERNAL-NOTE-7731",
    "CASE-OUTCOME-5522",
    "innovation-oriented",
    "innovationsorientiert",
]


def make_portal_user(employer, email: str, first: str = "Vreni", last: str = "Zaugg"):
    person = ContactPerson.objects.create(
        office=employer.office,
        first_name=first,
        last_name=last,
        email=email,
        languages=["de"],
    )
    EmployerRole.objects.create(employer=employer, person=person, function="hr")
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PORTAL_PASSWORD
    )
    PortalAccount.objects.create(user=user, person=person)
    return user


@pytest.fixture
def office(db):
    return make_office("BE", "BE", "de")


@pytest.fixture
def staff(office):
    return make_staff(office, "be.anna", StaffRole.INTEGRATION)


@pytest.fixture
def employer(office, staff):
    """An employer with everything staff-only on file: cooperation type, a rated
    case-related contact with notes."""
    employer = make_employer(
        office,
        "Aare Logistik AG",
        VALID_UIDS[0],
        cooperation_type=CooperationType.A,
        intensity=Intensity.COLLABORATE,
        fixed_contact=staff,
        street="Industriestrasse 4",
        postcode="3012",
    )
    contact_log(
        employer=employer,
        staff=staff,
        occurred_on=timezone.localdate(),
        channel="visit",
        case_related=True,
        initiated_by="office",
        outcome=SECRETS[1],
        notes=SECRETS[0],
        rating={"trust": 5},
    )
    return employer


@pytest.fixture
def other_employer(office):
    return make_employer(office, "Gurten Bäckerei GmbH", VALID_UIDS[2])


@pytest.fixture
def portal_user(employer):
    return make_portal_user(employer, "vreni.zaugg@aare-logistik.ch")


@pytest.fixture
def other_portal_user(other_employer):
    return make_portal_user(
        other_employer, "peter.roth@gurten-baeckerei.ch", "Peter", "Roth"
    )

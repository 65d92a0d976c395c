"""Small builders for CRM tests that need exact control over offices and roles."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile

from crm.models import Employer, Office, StaffProfile, StaffRole
from crm.roles import staff_role_apply

VALID_UIDS = [
    "CHE-116.281.710",
    "CHE-419.390.716",
    "CHE-109.322.551",
    "CHE-100.155.212",
    "CHE-895.429.162",
    "CHE-830.452.109",
]


def make_office(code: str, canton: str, language: str) -> Office:
    return Office.objects.create(
        code=code, name=f"IV-Stelle {code}", canton=canton, languages=[language]
    )


def make_staff(office: Office, username: str, role: str = StaffRole.INTEGRATION):
    user = get_user_model().objects.create_user(
        username=username,
        password="a-long-test-password",
        first_name=username.split(".")[-1].title(),
        last_name=office.code,
        email=f"{username}@example.ch",
    )
    StaffProfile.objects.create(user=user, office=office, role=role)
    staff_role_apply(user, role)
    # These tests read the admin in English; the default (and the office's) is German.
    UserProfile.objects.create(user=user, preferred_language="en")
    return user


def make_employer(
    office: Office, name: str, uid: str | None = None, **extra
) -> Employer:
    fields = {
        "canton": office.canton,
        "language_region": office.languages[0] if office.languages[0] != "en" else "de",
        "municipality": "Bern" if office.canton == "BE" else "Lausanne",
        **extra,
    }
    return Employer.objects.create(office=office, legal_name=name, uid=uid, **fields)


@pytest.fixture
def office_be(db):
    return make_office("BE", "BE", "de")


@pytest.fixture
def office_vd(db):
    return make_office("VD", "VD", "fr")


@pytest.fixture
def be_staff(office_be):
    return make_staff(office_be, "be.anna")


@pytest.fixture
def vd_staff(office_vd):
    return make_staff(office_vd, "vd.luc")


@pytest.fixture
def be_employer(office_be):
    return make_employer(office_be, "Berner Maschinenbau AG", VALID_UIDS[0])


@pytest.fixture
def vd_employer(office_vd):
    return make_employer(office_vd, "Horlogerie Vaudoise SA", VALID_UIDS[1])

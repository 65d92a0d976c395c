"""Offices, staff and employers for the duplicate tests (builders from tests/crm)."""

import pytest

from crm.models import ContactPerson, EmployerRole, StaffRole
from tests.crm.conftest import make_employer, make_office, make_staff


@pytest.fixture
def office_be(db):
    return make_office("BE", "BE", "de")


@pytest.fixture
def office_vd(db):
    return make_office("VD", "VD", "fr")


@pytest.fixture
def lead(office_be):
    """A team lead: the role that may merge."""
    return make_staff(office_be, "be.lena", role=StaffRole.TEAM_LEAD)


@pytest.fixture
def vd_lead(office_vd):
    return make_staff(office_vd, "vd.luc", role=StaffRole.TEAM_LEAD)


def employer(office, name, **extra):
    extra.setdefault("postcode", "3011")
    return make_employer(office, name, **extra)


def person(office, first, last, email="", employer=None, function="hr", **extra):
    created = ContactPerson.objects.create(
        office=office, first_name=first, last_name=last, email=email, **extra
    )
    if employer is not None:
        EmployerRole.objects.create(
            employer=employer, person=created, function=function
        )
    return created

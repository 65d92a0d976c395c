"""factory_boy factories for the CRM core: offices, teams, staff, employers, people.

Every factory builds rows that pass `full_clean()`. Staff users come with their
profile and role group:

    user = StaffUserFactory(
        staff_profile__office=office, staff_profile__role=StaffRole.ACQUISITION
    )
    employer = EmployerFactory(office=office, fixed_contact=user)
    EmployerRoleFactory(employer=employer, is_fixed_contact=True)
"""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory, Password

from crm.demo import DEMO_PASSWORD, uid_build
from crm.models import (
    ContactPerson,
    Employer,
    EmployerRole,
    LanguageRegion,
    LegalForm,
    Office,
    PersonFunction,
    SectorGroup,
    SizeClass,
    StaffProfile,
    StaffRole,
    Team,
)
from crm.roles import staff_role_apply


def uid_for(n: int) -> str:
    """The n-th factory UID: distinct for every n, always with a valid check digit.

    n fills the first seven digits; of the ten possible eighth digits at most one
    gives the impossible check digit 10, so 0 or 1 always works.
    """
    prefix = f"{1_000_000 + n:07d}"
    return uid_build(f"{prefix}0") or uid_build(f"{prefix}1")


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.LazyAttribute(lambda office: f"IV-Stelle {office.code}")
    canton = "BE"
    languages = factory.LazyFunction(lambda: ["de"])
    served_cantons = factory.LazyAttribute(lambda office: [office.canton])


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    """A user without a staff profile (e.g. a portal user, or a superuser)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="de_CH")
    last_name = factory.Faker("last_name", locale="de_CH")
    email = factory.LazyAttribute(lambda user: f"{user.username}@passerelle.example")
    password = Password(DEMO_PASSWORD)


class StaffProfileFactory(DjangoModelFactory):
    """A profile for a user; applies the role's permission group (crm/roles.py)."""

    class Meta:
        model = StaffProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    team = None
    role = StaffRole.INTEGRATION
    languages = factory.LazyAttribute(lambda profile: list(profile.office.languages))

    @factory.post_generation
    def role_group(self, create: bool, extracted, **kwargs) -> None:
        if create:
            staff_role_apply(self.user, self.role)


class StaffUserFactory(UserFactory):
    """A staff user: user, profile and role group. Set the profile through
    `staff_profile__office=…`, `staff_profile__role=…`, `staff_profile__team=…`."""

    staff_profile = factory.RelatedFactory(
        StaffProfileFactory, factory_related_name="user"
    )


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    office = factory.SubFactory(OfficeFactory)
    legal_name = factory.Sequence(lambda n: f"Muster {n} AG")
    uid = factory.Sequence(uid_for)
    legal_form = LegalForm.AG
    street = factory.Sequence(lambda n: f"Bahnhofstrasse {n % 200 + 1}")
    postcode = "3011"
    municipality = "Bern"
    canton = factory.LazyAttribute(lambda employer: employer.office.canton)
    language_region = LanguageRegion.DE
    noga_code = "25.62"
    sector_group = SectorGroup.MANUFACTURING
    fte = Decimal("25.0")
    size_class = factory.LazyAttribute(lambda employer: SizeClass.for_fte(employer.fte))
    email = factory.Sequence(lambda n: f"info@muster{n}.ch")


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    office = factory.SubFactory(OfficeFactory)
    first_name = factory.Faker("first_name", locale="de_CH")
    last_name = factory.Faker("last_name", locale="de_CH")
    email = factory.Sequence(lambda n: f"person{n}@muster.ch")
    phone = "+41 31 352 10 00"
    languages = factory.LazyFunction(lambda: ["de"])


class EmployerRoleFactory(DjangoModelFactory):
    """A person's role at an employer; the person is kept by the employer's office."""

    class Meta:
        model = EmployerRole

    employer = factory.SubFactory(EmployerFactory)
    person = factory.SubFactory(
        ContactPersonFactory, office=factory.SelfAttribute("..employer.office")
    )
    function = PersonFunction.HR
    is_fixed_contact = False

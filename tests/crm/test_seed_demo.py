"""`manage.py seed_demo`: offices, staff and employers a demo (and a tester) can use."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import override_settings
from stdnum.ch import uid as stdnum_uid
from wagtail.models import Site

from crm.demo import DEMO_PASSWORD, demo_seed
from crm.models import (
    Contact,
    ContactPerson,
    ContactQualityRating,
    CooperationAssessment,
    Employer,
    EmployerRole,
    FollowUp,
    Office,
    SizeClass,
    StaffProfile,
    Team,
)
from tests.factories import (
    EmployerFactory,
    EmployerRoleFactory,
    OfficeFactory,
    StaffUserFactory,
    TeamFactory,
    uid_for,
)

pytestmark = pytest.mark.django_db


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Office, Team, StaffProfile, Employer, ContactPerson, EmployerRole)
    return {
        model.__name__: model.objects.count()
        for model in (*models, CooperationAssessment, get_user_model())
    }


def snapshot() -> list[tuple]:
    employers = Employer.objects.order_by("pk")
    persons = ContactPerson.objects.order_by("pk")
    return [
        *employers.values_list("office__code", "uid", "legal_name", "fte", "street"),
        *persons.values_list("first_name", "last_name", "email"),
    ]


@pytest.fixture
def seeded() -> str:
    return seed_demo("--employers", "30", "--seed", "7")


def test_employers_zero_creates_offices_teams_and_staff_only():
    # given an empty database
    # when the demo is seeded without employers
    output = seed_demo("--employers", "0")
    # then the three offices exist with their settings, teams and staff
    offices = {office.code: office for office in Office.objects.all()}
    assert set(offices) == {"BE", "VD", "TI"}
    assert offices["BE"].name == "IV-Stelle Bern"
    assert offices["BE"].languages == ["de", "fr"]
    assert offices["VD"].onsite_decision_limit_chf == 20000
    assert offices["TI"].served_cantons == ["TI"]
    for office in offices.values():
        assert 2 <= office.teams.count() <= 3
        assert office.contact_due_months == 12
        assert office.contact_overdue_months == 36
        office.full_clean()
    for username in ("be.staff", "vd.staff", "ti.staff"):
        profile = StaffProfile.objects.get(user__username=username)
        assert profile.role == "integration"
        assert profile.office.code == username[:2].upper()
        profile.full_clean()
    assert get_user_model().objects.get(username="admin").is_superuser
    assert Employer.objects.count() == ContactPerson.objects.count() == 0
    # and the logins are printed
    assert "http://127.0.0.1:8000/admin/" in output
    assert DEMO_PASSWORD in output
    assert "be.comms" in output and "communications" in output


def test_employers_are_spread_over_the_offices_with_people_and_history(seeded):
    # given a demo seeded with 30 employers
    # then they are split 50/30/20, each with 3–7 people and 1–3 assessments
    per_office = dict(
        Employer.objects.values_list("office__code").annotate(n=Count("pk"))
    )
    assert per_office == {"BE": 15, "VD": 9, "TI": 6}
    for employer in Employer.objects.annotate(
        people=Count("roles", distinct=True),
        assessments=Count("cooperation_history", distinct=True),
    ):
        assert 3 <= employer.people <= 7
        assert 1 <= employer.assessments <= 3
    assert EmployerRole.objects.count() == ContactPerson.objects.count()
    assert "employers=30" in seeded


def test_every_seeded_row_passes_full_clean(seeded):
    # given a demo seeded with 30 employers (written in bulk, without full_clean)
    # then every row passes the validation a form would apply
    rows = [
        *Employer.objects.all(),
        *ContactPerson.objects.all(),
        *EmployerRole.objects.all(),
        *CooperationAssessment.objects.all(),
    ]
    for row in rows:
        row.full_clean()
    for employer in Employer.objects.all():
        assert stdnum_uid.is_valid(employer.uid)
        assert employer.size_class == SizeClass.for_fte(employer.fte)
        assert employer.canton == employer.office.canton
        assert employer.phone.is_valid()


def test_seeded_employers_keep_the_office_boundaries(seeded):
    # given a demo seeded with 30 employers
    employers = Employer.objects.select_related(
        "fixed_contact__staff_profile", "deputy_contact__staff_profile"
    )
    uids = [employer.uid for employer in employers]
    # then UIDs are unique and no employer is shared with another office
    assert len(uids) == len(set(uids)) == 30
    assert not Employer.shared_with.through.objects.exists()
    for employer in employers:
        # and the fixed contact and deputy are staff of the employer's own office
        assert employer.fixed_contact.staff_profile.office_id == employer.office_id
        if employer.deputy_contact:
            assert employer.deputy_contact != employer.fixed_contact
            assert employer.deputy_contact.staff_profile.office_id == employer.office_id
        # and its people are kept by its office
        assert {role.person.office_id for role in employer.roles.all()} == {
            employer.office_id
        }
    # and no employer has more than one fixed contact person
    fixed = Employer.objects.annotate(
        n=Count("roles", filter=Q(roles__is_fixed_contact=True))
    )
    assert max(fixed.values_list("n", flat=True)) == 1


def test_latest_assessment_matches_the_employers_current_cooperation(seeded):
    for employer in Employer.objects.all():
        latest = employer.cooperation_history.first()  # ordered by -valid_from
        assert (latest.cooperation_type, latest.intensity) == (
            employer.cooperation_type,
            employer.intensity,
        )
        assert latest.reason


def employers_delete() -> None:
    from cms.models import PortalAccount
    from crm.models import (
        CaseReference,
        Handover,
        JobOpportunity,
        Measure,
        Placement,
        Request,
    )

    # contacts, requests, opportunities and cases protect their employer: history
    portal_users = list(PortalAccount.objects.values_list("user_id", flat=True))
    PortalAccount.objects.all().delete()
    get_user_model().objects.filter(pk__in=portal_users).delete()
    for model in (Contact, Request, Measure, Placement, Handover, CaseReference):
        model.objects.all().delete()
    JobOpportunity.objects.all().delete()
    Employer.objects.all().delete()
    ContactPerson.objects.all().delete()


def test_seeded_contacts_pass_the_model_validators_and_stay_in_their_employer():
    # given a seeded demo with contacts
    demo_seed(employers=40, seed=3)
    contacts = list(
        Contact.objects.select_related(
            "employer", "staff__staff_profile"
        ).prefetch_related("participants__roles")
    )
    assert len(contacts) >= 40 * 5
    for contact in contacts:
        # then every contact is valid, logged by staff of its office
        contact.full_clean()
        assert contact.staff.staff_profile.office_id == contact.office_id
        assert contact.office_id == contact.employer.office_id
        # and its participants work for that employer
        for person in contact.participants.all():
            assert contact.employer_id in {
                role.employer_id for role in person.roles.all()
            }
    for rating in ContactQualityRating.objects.all():
        rating.full_clean()
    for follow_up in FollowUp.objects.select_related("assignee__staff_profile"):
        follow_up.full_clean()
        assert follow_up.assignee.staff_profile.office_id == follow_up.office_id


def test_seeded_derived_fields_match_what_the_contact_service_computes():
    from crm.services.contacts import employer_contact_stats_refresh

    demo_seed(employers=30, seed=5)
    for employer in Employer.objects.select_related("office"):
        seeded = (
            employer.last_contact_on,
            employer.last_case_independent_contact_on,
            employer.quality_score,
            employer.contact_due_on,
        )
        employer_contact_stats_refresh(employer)
        refreshed = (
            employer.last_contact_on,
            employer.last_case_independent_contact_on,
            employer.quality_score,
            employer.contact_due_on,
        )
        if employer.last_case_independent_contact_on is None:
            # without one, the service dates it from the record's creation: today
            seeded, refreshed = seeded[:3], refreshed[:3]
        assert seeded == refreshed, employer


def test_same_seed_gives_the_same_data_in_a_fresh_database():
    # given a demo seeded with seed 7
    demo_seed(employers=30, seed=7)
    first = snapshot()
    # when its employers and people are deleted and it is seeded again
    employers_delete()
    demo_seed(employers=30, seed=7)
    # then the same UIDs, names and addresses come back
    assert snapshot() == first
    # and another seed gives other data
    employers_delete()
    demo_seed(employers=30, seed=8)
    assert snapshot() != first


def test_seeding_twice_duplicates_nothing(seeded):
    # given a seeded demo
    before = counts()
    # when it is seeded again
    output = seed_demo("--employers", "30", "--seed", "7")
    # then nothing was added
    assert counts() == before
    assert "BE had employers already" in output


def test_if_empty_does_nothing_when_an_office_exists():
    # given an office
    OfficeFactory(code="ZH", canton="ZH")
    # when the demo is seeded with --if-empty
    output = seed_demo("--if-empty")
    # then nothing is created and the command says why
    assert list(Office.objects.values_list("code", flat=True)) == ["ZH"]
    assert Employer.objects.count() == 0
    assert "--if-empty" in output


def test_if_empty_seeds_an_empty_database():
    seed_demo("--if-empty", "--employers", "3")
    assert Office.objects.count() == 3
    assert Employer.objects.count() == 3


def test_demo_staff_log_in_with_the_demo_password_and_get_their_role(seeded):
    users = get_user_model().objects
    for username in ("admin", "be.staff", "vd.comms", "ti.lead"):
        assert users.get(username=username).check_password(DEMO_PASSWORD)
    assert users.get(username="be.staff").has_perm("crm.change_employer")
    assert users.get(username="be.staff").has_perm("wagtailadmin.access_admin")
    assert users.get(username="vd.lead").has_perm("crm.merge_employer")
    assert not users.get(username="vd.comms").has_perm("crm.change_employer")
    assert users.get(username="vd.comms").has_perm("crm.view_employer")


@override_settings(SITE_URL="http://demo.example:8123")
def test_default_site_points_at_site_url():
    seed_demo("--employers", "0")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("demo.example", 8123)
    assert site.root_page.full_url.startswith("http://demo.example:8123/")


def test_factories_build_rows_that_pass_full_clean():
    # given rows from the shared factories
    office = OfficeFactory()
    team = TeamFactory(office=office)
    user = StaffUserFactory(
        staff_profile__office=office,
        staff_profile__team=team,
        staff_profile__role="acquisition",
    )
    employer = EmployerFactory(office=office, fixed_contact=user)
    role = EmployerRoleFactory(employer=employer, is_fixed_contact=True)
    # then they are valid, and the staff user has the role's permissions
    for row in (office, team, user.staff_profile, employer, role.person, role):
        row.full_clean()
    assert get_user_model().objects.get(pk=user.pk).has_perm("crm.change_employer")
    assert len({uid_for(n) for n in range(2000)}) == 2000
    assert all(stdnum_uid.is_valid(uid_for(n)) for n in range(2000))


# --- Demo cases (issue 7) ----------------------------------------------------------


@pytest.fixture
def demo_with_cases():
    demo_seed(employers=12, contacts=False)


def test_demo_cases_cover_every_measure_status_and_the_partner_network(
    demo_with_cases,
):
    from crm.case_selectors import opportunities_for_case
    from crm.models import (
        Agreement,
        CaseReference,
        EarlyDetectionReport,
        Handover,
        JobOpportunity,
        Measure,
        PartnerContact,
        PartnerOrganisation,
        Placement,
    )
    from crm.services.partners import handover_re_referral_warning

    # given the small demo
    for office in Office.objects.all():
        cases = CaseReference.objects.filter(office=office)
        # then each office has cases with pseudonymous numbers (no names in them)
        assert cases.count() == 6
        for case in cases:
            assert re.fullmatch(rf"{office.code}-20\d\d-\d{{5}}", case.case_number)
        measures = Measure.objects.filter(office=office)
        # measures in every status, a granted trial placement among them
        assert set(measures.values_list("status", flat=True)) == set(
            Measure.Status.values
        )
        assert measures.filter(kind="trial_placement", status="granted").exists()
        assert any(measure.awaiting_approval for measure in measures)
        # reports, placements with follow-ups, open places a case matches
        assert EarlyDetectionReport.objects.filter(office=office).count() == 3
        placements = Placement.objects.filter(office=office)
        assert set(placements.values_list("outcome", flat=True)) == {
            "contract_signed", "trial_completed",
        }  # fmt: skip
        assert FollowUp.objects.filter(placement__in=placements).exists()
        assert JobOpportunity.objects.filter(office=office, status="open").exists()
        # partners with IIZ contact persons, one of them public
        partners = PartnerOrganisation.objects.filter(office=office)
        assert {"rav", "social_services"} <= set(
            partners.values_list("kind", flat=True)
        )
        iiz = PartnerContact.objects.filter(partner__in=partners, is_iiz_contact=True)
        assert iiz.count() >= 2 and iiz.filter(public=True).exists()
        # agreements, one of them due for its renewal reminder
        kinds = set(Agreement.objects.filter(office=office).values_list("kind"))
        assert kinds == {("iiz",), ("concerto",), ("cooperation",)}
        # handovers, the latest a re-referral the guard warns about
        handovers = Handover.objects.filter(office=office)
        assert handovers.count() == 3
        assert handover_re_referral_warning(handovers.first()) != ""
    # every case row passes the validation a form applies
    for model in (CaseReference, Measure, Placement, Handover, Agreement):
        for row in model.objects.all():
            row.full_clean()
    # matching finds the two open places that fit the case looking in Bern (the
    # building job is too heavy, the filled trial place is not open)
    case = CaseReference.objects.get(
        office__code="BE", phase="integration", aim="placement"
    )
    titles = {o.title for o in opportunities_for_case(case)}
    assert titles == {"Verkäufer/in Detailhandel 60 %", "Mitarbeiter/in Kundendienst"}
    # and seeding again adds no case and no measure
    before = (CaseReference.objects.count(), Measure.objects.count())
    demo_seed(employers=12, contacts=False)
    assert (CaseReference.objects.count(), Measure.objects.count()) == before


def test_demo_portal_user_sees_a_consented_case_and_the_seed_sent_no_notice(
    demo_with_cases, client, mailoutbox
):
    from cms.models import PortalAccount
    from crm.demo.cases import CONSENTED_PORTAL_USER
    from crm.models import CaseReference

    # given the first demo portal user's company
    account = PortalAccount.objects.get(user__username=CONSENTED_PORTAL_USER)
    employer = account.person.employers.get()
    case = CaseReference.objects.get(employer=employer, aim="keep_job")

    # when she logs in with the demo password and opens the case page
    login = client.post(
        "/portal/login/",
        {"username": CONSENTED_PORTAL_USER, "password": DEMO_PASSWORD},
    )
    assert login.status_code == 302
    text = client.get(f"/en/portal/companies/{employer.pk}/cases/").content.decode()

    # then she sees the case, its granted trial placement, and no amount
    assert f"Case {case.case_number}" in text
    assert "Trial placement" in text and "Granted" in text
    assert "3800" not in text and "3,800" not in text
    # and seeding told no employer about a case
    assert not [m for m in mailoutbox if "case" in m.subject.lower()]

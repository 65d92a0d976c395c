"""Case-management systems push contacts and placements and read opportunities and
persons: each through the CRM's services, each only within the token's office."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.case_selectors import cases_for_opportunity, opportunities_for_case
from crm.models import (
    Contact,
    ContactPerson,
    EmployerRole,
    FollowUp,
    JobOpportunity,
    Placement,
)
from crm.services.cases import case_create
from crm.services.opportunities import opportunity_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def be_case(be_staff, be_employer):
    return case_create(
        staff=be_staff, case_number="BE-2025-0042", aim="keep_job", employer=be_employer
    )


@pytest.fixture
def vd_case(vd_staff, vd_employer):
    return case_create(
        staff=vd_staff, case_number="VD-2025-0001", aim="keep_job", employer=vd_employer
    )


@pytest.fixture
def be_person(office_be, be_employer):
    person = ContactPerson.objects.create(
        office=office_be, first_name="Erika", last_name="Muster", email="e@m.ch"
    )
    EmployerRole.objects.create(employer=be_employer, person=person, function="hr")
    return person


def contact_body(employer, **extra):
    return {
        "employer": employer.pk,
        "staff": "be.anna",
        "occurred_on": timezone.localdate().isoformat(),
        "channel": "phone",
        "initiated_by": "office",
        **extra,
    }


def test_case_related_contact_is_logged_with_its_case(
    be_api, be_staff, be_employer, be_case, be_person
):
    follow_up_on = timezone.localdate() + timedelta(days=7)
    response = be_api.post(
        "/api/v1/contacts/",
        contact_body(
            be_employer,
            case="BE-2025-0042",
            topics=["employee_integration"],
            participants=[be_person.pk],
            follow_up_on=follow_up_on.isoformat(),
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["case"] == "BE-2025-0042"
    assert response.json()["case_related"] is True
    contact = Contact.objects.get()
    assert contact.case == be_case
    assert contact.staff == be_staff
    assert contact.office.code == "BE"
    assert list(contact.participants.all()) == [be_person]
    assert FollowUp.objects.get(contact=contact).due_on == follow_up_on
    be_employer.refresh_from_db()
    assert be_employer.last_contact_on == timezone.localdate()  # derived, as in admin


def test_contact_with_a_case_of_another_office_is_refused(
    be_api, be_staff, be_employer, vd_case
):
    response = be_api.post(
        "/api/v1/contacts/",
        contact_body(be_employer, case="VD-2025-0001"),
        format="json",
    )
    assert response.status_code == 400
    assert "case" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_contact_needs_a_staff_member_of_the_office(
    be_api, be_staff, vd_staff, be_employer
):
    missing = be_api.post(
        "/api/v1/contacts/",
        {k: v for k, v in contact_body(be_employer).items() if k != "staff"},
        format="json",
    )
    foreign = be_api.post(
        "/api/v1/contacts/", contact_body(be_employer, staff="vd.luc"), format="json"
    )
    assert missing.status_code == foreign.status_code == 400
    assert "staff" in missing.json()["errors"]
    assert "staff" in foreign.json()["errors"]
    assert not Contact.objects.exists()


def test_contact_with_a_vd_employer_is_refused(be_api, be_staff, vd_employer):
    response = be_api.post(
        "/api/v1/contacts/", contact_body(vd_employer), format="json"
    )
    assert response.status_code == 400
    assert "employer" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_service_rules_apply_to_contacts(be_api, be_staff, be_employer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = be_api.post(
        "/api/v1/contacts/",
        contact_body(be_employer, occurred_on=tomorrow.isoformat()),
        format="json",
    )
    assert response.status_code == 400
    assert "future" in response.json()["errors"]["occurred_on"][0]


def test_idempotent_contact_post_logs_one_contact(be_api, be_staff, be_employer):
    body = contact_body(be_employer, notes="Called about the trial")
    first = be_api.post(
        "/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="cm-77"
    )
    second = be_api.post(
        "/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="cm-77"
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Contact.objects.count() == 1


def test_contacts_list_shows_only_the_office_contacts(
    be_api, vd_api, be_staff, vd_staff, be_employer, vd_employer
):
    be_api.post("/api/v1/contacts/", contact_body(be_employer), format="json")
    vd_api.post(
        "/api/v1/contacts/",
        contact_body(vd_employer, staff="vd.luc"),
        format="json",
    )
    be_rows = be_api.get("/api/v1/contacts/").json()["results"]
    vd_rows = vd_api.get("/api/v1/contacts/").json()["results"]
    assert [row["employer"] for row in be_rows] == [be_employer.pk]
    assert [row["employer"] for row in vd_rows] == [vd_employer.pk]


def test_placement_is_recorded_into_an_opportunity(
    be_api, be_staff, be_employer, be_case
):
    opportunity = opportunity_report(
        employer=be_employer, person=None, kind="trial_place", title="Lager"
    )
    response = be_api.post(
        "/api/v1/placements/",
        {
            "case": "BE-2025-0042",
            "opportunity": opportunity.pk,
            "staff": "be.anna",
            "start_on": "2025-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["employer"] == be_employer.pk
    assert body["kind"] == "trial_place"
    placement = Placement.objects.get()
    assert placement.follow_ups.count() == 2  # retention checks, as in the admin
    opportunity.refresh_from_db()
    assert opportunity.status == JobOpportunity.Status.FILLED
    listed = be_api.get("/api/v1/placements/", {"case": "BE-2025-0042"}).json()
    assert [row["id"] for row in listed["results"]] == [placement.pk]


def test_placement_of_a_vd_case_is_refused(be_api, be_staff, be_employer, vd_case):
    response = be_api.post(
        "/api/v1/placements/",
        {
            "case": "VD-2025-0001",
            "employer": be_employer.pk,
            "staff": "be.anna",
            "start_on": "2025-03-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "case" in response.json()["errors"]
    assert not Placement.objects.exists()


def test_placement_dates_must_be_plausible(be_api, be_staff, be_employer, be_case):
    response = be_api.post(
        "/api/v1/placements/",
        {
            "case": "BE-2025-0042",
            "employer": be_employer.pk,
            "staff": "be.anna",
            "start_on": "9999-12-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "start_on" in response.json()["errors"]
    assert not Placement.objects.exists()


def test_job_opportunity_is_recorded_with_source_api(be_api, be_employer, vd_employer):
    body = {"employer": be_employer.pk, "kind": "job", "title": "Logistiker/in"}
    created = be_api.post("/api/v1/job-opportunities/", body, format="json")
    refused = be_api.post(
        "/api/v1/job-opportunities/",
        {**body, "employer": vd_employer.pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["source"] == "api"
    assert created.json()["status"] == "open"
    assert refused.status_code == 400
    assert JobOpportunity.objects.get().employer == be_employer
    listed = be_api.get("/api/v1/job-opportunities/", {"status": "open"}).json()
    assert listed["count"] == 1


def test_contact_persons_show_only_roles_the_office_sees(
    be_api, vd_api, office_be, be_person, vd_employer
):
    EmployerRole.objects.create(employer=vd_employer, person=be_person, function="ceo")
    be_row = be_api.get(f"/api/v1/contact-persons/{be_person.pk}/").json()
    assert be_row["last_name"] == "Muster"
    assert [role["function"] for role in be_row["roles"]] == ["hr"]
    # VD sees the person through its own employer, with its role only
    vd_row = vd_api.get(f"/api/v1/contact-persons/{be_person.pk}/").json()
    assert [role["function"] for role in vd_row["roles"]] == ["ceo"]
    filtered = be_api.get(
        "/api/v1/contact-persons/", {"employer": vd_employer.pk}
    ).json()
    assert filtered["count"] == 0


def test_contact_persons_of_another_office_are_not_found(vd_api, office_be):
    stranger = ContactPerson.objects.create(
        office=office_be, first_name="Hans", last_name="Nur-Bern"
    )
    assert vd_api.get(f"/api/v1/contact-persons/{stranger.pk}/").status_code == 404
    assert vd_api.get("/api/v1/contact-persons/").json()["count"] == 0


def test_date_filters_validate(be_api):
    response = be_api.get("/api/v1/contacts/", {"occurred_since": "31.12.2025"})
    assert response.status_code == 400
    assert "occurred_since" in response.json()["errors"]


def test_a_nul_character_in_a_case_number_is_a_400_not_a_500(
    be_api, be_staff, be_employer, be_case
):
    # found by schemathesis on PostgreSQL, which refuses NUL in a query parameter
    response = be_api.post(
        "/api/v1/placements/",
        {
            "case": "BE-2025\x00-0042",
            "employer": be_employer.pk,
            "staff": "be.anna",
            "start_on": "2025-03-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "case" in response.json()["errors"]
    assert not Placement.objects.exists()


def test_job_opportunity_from_the_api_carries_its_profile_into_matching(
    be_api, be_staff, be_employer
):
    # given a case looking for a light job as cook in Bern
    case = case_create(
        staff=be_staff, case_number="BE-2025-0077", aim="placement",
        phase="vocational", region="Bern", occupation="Koch", max_physical_load=2,
    )  # fmt: skip
    body = {
        "employer": be_employer.pk, "kind": "trial_place",
        "title": "Küchenhilfe", "occupation": "Koch", "region": "Bern",
        "physical_load": 1, "psychological_load": 2,
    }  # fmt: skip

    # when a system sends the place with its profile
    response = be_api.post("/api/v1/job-opportunities/", body, format="json")

    # then the profile is stored and returned, and the case and place match
    assert response.status_code == 201, response.json()
    row = response.json()
    assert (row["occupation"], row["region"]) == ("Koch", "Bern")
    assert (row["physical_load"], row["psychological_load"]) == (1, 2)
    opportunity = JobOpportunity.objects.get(pk=row["id"])
    assert cases_for_opportunity(opportunity) == [case]
    assert opportunities_for_case(case) == [opportunity]


def test_job_opportunity_with_an_unknown_load_level_is_refused(be_api, be_employer):
    body = {"employer": be_employer.pk, "kind": "job", "title": "Lagerist"}

    response = be_api.post(
        "/api/v1/job-opportunities/", {**body, "physical_load": 7}, format="json"
    )

    assert response.status_code == 400
    assert "physical_load" in response.json()["errors"]
    assert not JobOpportunity.objects.exists()

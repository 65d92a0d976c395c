"""Follow-ups derived from a case (the retention checks of a placement) are case
items: only roles that see cases, in the case's office, see or close them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from crm.models import FollowUp, JobOpportunity, StaffRole
from crm.roles import staff_role_apply
from crm.selectors import dashboard_follow_ups
from crm.services.cases import case_create
from crm.services.contacts import contact_log
from crm.services.placements import placement_record

from .conftest import make_staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def retention_checks(be_staff, be_employer):
    case = case_create(
        staff=be_staff, case_number="BE-2025-60606", aim="placement",
        phase="vocational", employer=be_employer,
    )  # fmt: skip
    place = JobOpportunity.objects.create(
        office=be_employer.office, employer=be_employer, kind="trial_place",
        title="Lagerist",
    )  # fmt: skip
    with translation.override("en"):  # the follow-up notes are written once
        placement_record(
            case=case, staff=be_staff, opportunity=place,
            start_on=TODAY - timedelta(days=190),
        )  # fmt: skip
    return FollowUp.objects.filter(placement__isnull=False).order_by("due_on")


def employer_page(client, user, employer) -> str:
    client.force_login(user)
    response = client.get(reverse("crm_employer_overview", args=[employer.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", [StaffRole.ACQUISITION, StaffRole.COMMUNICATIONS])
def test_roles_that_do_not_see_cases_do_not_see_retention_checks(
    client, office_be, be_staff, be_employer, retention_checks, role
):
    # given a case-independent follow-up next to the retention checks
    contact_log(
        employer=be_employer, staff=be_staff, occurred_on=TODAY, channel="phone",
        case_related=False, initiated_by="office", follow_up_on=TODAY,
        follow_up_note="Send the brochure",
    )  # fmt: skip

    # then the specialist sees both kinds
    page = employer_page(client, be_staff, be_employer)
    assert "Retention check 6 months" in page and "Send the brochure" in page

    # and acquisition / communications only the case-independent one
    page = employer_page(client, make_staff(office_be, "be.other", role), be_employer)
    assert "Send the brochure" in page
    assert "Retention check" not in page


def test_a_retention_check_cannot_be_closed_by_a_role_that_does_not_see_cases(
    client, office_be, retention_checks
):
    check = retention_checks.first()
    client.force_login(make_staff(office_be, "be.acq", StaffRole.ACQUISITION))

    response = client.post(reverse("crm_follow_up_done", args=[check.pk]))

    assert response.status_code == 404
    check.refresh_from_db()
    assert check.done_at is None


def test_dashboard_shows_a_retention_check_only_while_the_role_sees_cases(
    office_be, be_staff, retention_checks
):
    # given the specialist is assigned the overdue 6-month check
    assert [f.note for f in dashboard_follow_ups(be_staff)] == [
        "Retention check 6 months after a placement"
    ]

    # when the specialist moves to acquisition, the check no longer shows
    profile = be_staff.staff_profile
    profile.role = StaffRole.ACQUISITION
    profile.save()
    staff_role_apply(be_staff, StaffRole.ACQUISITION)
    be_staff = type(be_staff).objects.get(pk=be_staff.pk)  # fresh permission cache
    assert dashboard_follow_ups(be_staff) == []


def test_next_appointment_note_of_a_case_related_contact_is_withheld(
    client, office_be, be_staff, be_employer
):
    contact_log(
        employer=be_employer, staff=be_staff, occurred_on=TODAY, channel="visit",
        case_related=True, initiated_by="office", follow_up_on=TODAY,
        follow_up_note="Discuss the reduced workload",
    )  # fmt: skip
    acquisition = make_staff(office_be, "be.acq", StaffRole.ACQUISITION)

    assert "Discuss the reduced workload" in employer_page(
        client, be_staff, be_employer
    )
    page = employer_page(client, acquisition, be_employer)
    assert "Discuss the reduced workload" not in page

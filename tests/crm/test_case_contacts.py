"""Case-related contacts name their case: the "Log contact" form offers the office's
cases to roles that may see cases, and the timeline shows the case number to them
only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from crm.models import Contact, StaffRole
from crm.services.cases import case_create
from crm.services.contacts import contact_log

from .conftest import make_staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def be_case(be_staff, be_employer):
    return case_create(
        staff=be_staff,
        case_number="BE-2025-31415",
        aim="keep_job",
        employer=be_employer,
    )


@pytest.fixture
def vd_case(vd_staff, vd_employer):
    return case_create(
        staff=vd_staff,
        case_number="VD-2025-27182",
        aim="keep_job",
        employer=vd_employer,
    )


@pytest.fixture
def acquisition(office_be):
    return make_staff(office_be, "be.acq", StaffRole.ACQUISITION)


def contact_form(**changes) -> dict:
    return {
        "occurred_on": TODAY.isoformat(),
        "case_related": "1",
        "channel": "phone",
        "initiated_by": "office",
        "outcome": "Workplace visit agreed",
        **changes,
    }


def log_url(employer) -> str:
    return reverse("crm_contact_log", args=[employer.pk])


def test_specialist_logs_a_contact_with_its_case_and_sees_the_case_on_the_timeline(
    client, be_staff, be_employer, be_case, vd_case, acquisition
):
    client.force_login(be_staff)
    # given the form, which offers the office's cases only
    form = client.get(log_url(be_employer)).content.decode()
    assert 'name="case"' in form and "BE-2025-31415" in form
    assert "VD-2025-27182" not in form

    # when the specialist logs a case-related contact about the case
    response = client.post(
        log_url(be_employer), contact_form(case=be_case.pk), follow=True
    )

    # then the contact links to the case and the timeline names it
    assert response.status_code == 200
    assert Contact.objects.get().case == be_case
    page = response.content.decode()
    assert "Workplace visit agreed" in page and "BE-2025-31415" in page

    # and acquisition staff sees the contact, but neither its case nor its outcome
    client.force_login(acquisition)
    page = client.get(reverse("crm_employer_overview", args=[be_employer.pk]))
    text = page.content.decode()
    assert "case-related" in text
    assert "BE-2025-31415" not in text and "Workplace visit agreed" not in text


def test_a_case_of_another_office_is_refused_and_nothing_is_saved(
    client, be_staff, be_employer, vd_case
):
    client.force_login(be_staff)

    response = client.post(log_url(be_employer), contact_form(case=vd_case.pk))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_case_on_a_case_independent_contact_is_refused_at_the_field(
    client, be_staff, be_employer, be_case
):
    client.force_login(be_staff)

    response = client.post(
        log_url(be_employer), contact_form(case=be_case.pk, case_related="0")
    )

    assert "Only a case-related contact has a case." in response.content.decode()
    assert not Contact.objects.exists()


def test_roles_that_do_not_see_cases_get_no_case_field(
    client, be_employer, be_case, acquisition
):
    client.force_login(acquisition)
    form = client.get(log_url(be_employer)).content.decode()
    assert 'name="case"' not in form and "BE-2025-31415" not in form

    # a forged case is ignored: the contact is logged without it
    response = client.post(log_url(be_employer), contact_form(case=be_case.pk))

    assert response.status_code == 302
    assert Contact.objects.get().case is None


def test_the_service_refuses_a_case_from_a_role_that_does_not_see_cases(
    be_employer, be_case, acquisition
):
    with pytest.raises(ValidationError) as error:
        contact_log(
            employer=be_employer, staff=acquisition, occurred_on=TODAY,
            channel="phone", case_related=True, initiated_by="office", case=be_case,
        )  # fmt: skip

    assert "case" in error.value.error_dict
    assert not Contact.objects.exists()

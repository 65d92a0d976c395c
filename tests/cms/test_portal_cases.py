"""The portal's case page: an employer's contact person sees a case only as far as
the insured person's consent covers it, and never another employer's case."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.services.cases import (
    case_consent_record,
    case_consent_withdraw,
    case_create,
)
from crm.services.measures import measure_plan, measure_status_set
from crm.services.placements import placement_record

pytestmark = pytest.mark.django_db

NOTE = "MEASURE-NOTE-4410"  # a staff note on a measure: never on the portal


def cases_url(employer) -> str:
    return f"/en/portal/companies/{employer.pk}/cases/"


@pytest.fixture
def case(staff, employer):
    """A case at the employer with a granted trial placement (CHF 4,321, a staff
    note), a planned coaching measure and a placement."""
    case = case_create(
        staff=staff,
        case_number="IV-2025-0815",
        aim="keep_job",
        employer=employer,
        phase="integration",
    )
    trial = measure_plan(
        case=case,
        staff=staff,
        kind="trial_placement",
        start_on=date(2025, 3, 3),
        end_on=date(2025, 5, 30),
        amount_chf=Decimal("4321"),
        outcome=NOTE,
    )
    measure_status_set(measure=trial, staff=staff, status="granted")
    measure_plan(case=case, staff=staff, kind="coaching")
    placement_record(
        case=case,
        staff=staff,
        employer=employer,
        kind="trial_place",
        start_on=date(2025, 3, 3),
    )
    return case


def page(client, user, employer) -> str:
    client.force_login(user)
    response = client.get(cases_url(employer))
    assert response.status_code == 200
    return response.content.decode()


def test_without_consent_the_page_shows_no_case(client, portal_user, employer, case):
    # given a case without the insured person's consent
    # when the employer's contact person opens the case page
    text = page(client, portal_user, employer)

    # then it says there is nothing to tell, and names no case
    assert 'data-testid="no-cases"' in text
    assert "There is no case the IV office may tell you about" in text
    assert "IV-2025-0815" not in text and "Trial placement" not in text


def test_consent_for_phase_shows_the_phase_only(client, portal_user, employer, case):
    case_consent_record(case=case, given_on=timezone.localdate(), scope="phase")

    text = page(client, portal_user, employer)

    assert "Case IV-2025-0815" in text and "Integration measures" in text
    assert "Trial placement" not in text and "Measures at your company" not in text
    assert "Placements at your company" not in text


def test_consent_for_placements_shows_granted_measures_and_placements_only(
    client, portal_user, employer, case
):
    # given consent that covers phase, measures and placements
    case_consent_record(case=case, given_on=date(2025, 1, 10), scope="placements")

    text = page(client, portal_user, employer)

    # then the granted trial placement and the placement are listed
    assert "Case IV-2025-0815" in text
    assert "Trial placement" in text and "Granted" in text
    assert "Trial place" in text and "Under way" in text
    # the planned measure, the amount and the staff note are not
    assert "Coaching" not in text
    assert "4321" not in text and "4,321" not in text and "4’321" not in text
    assert NOTE not in text


def test_withdrawn_consent_hides_the_case_again(client, portal_user, employer, case):
    case_consent_record(case=case, given_on=date(2025, 1, 10), scope="placements")
    assert "IV-2025-0815" in page(client, portal_user, employer)

    # when the insured person withdraws the consent today
    case_consent_withdraw(case=case, on=timezone.localdate())

    # then the employer sees nothing of the case any more
    text = page(client, portal_user, employer)
    assert "IV-2025-0815" not in text and 'data-testid="no-cases"' in text


def test_consent_given_for_a_later_day_does_not_count_yet(
    client, portal_user, employer, case
):
    case.consent_given_on = timezone.localdate() + timedelta(days=3)
    case.consent_scope = "placements"
    case.save()

    assert "IV-2025-0815" not in page(client, portal_user, employer)


def test_another_employers_cases_are_never_shown(
    client, portal_user, other_portal_user, employer, other_employer, case, staff
):
    # given consent for the employer's case, and a consented case elsewhere
    case_consent_record(case=case, given_on=date(2025, 1, 10), scope="placements")
    elsewhere = case_create(
        staff=staff, case_number="IV-2025-0999", aim="keep_job",
        employer=other_employer,
    )  # fmt: skip
    case_consent_record(case=elsewhere, given_on=date(2025, 1, 10), scope="phase")

    # then the other employer's contact person sees only their own case
    text = page(client, other_portal_user, other_employer)
    assert "IV-2025-0999" in text and "IV-2025-0815" not in text
    # and cannot open the first employer's case page at all
    client.force_login(other_portal_user)
    assert client.get(cases_url(employer)).status_code == 404
    assert client.get(f"/portal/companies/{employer.pk}/cases/").status_code == 404
    # while the first employer's contact person does not see the other case
    text = page(client, portal_user, employer)
    assert "IV-2025-0815" in text and "IV-2025-0999" not in text


def test_host_employer_of_a_placement_sees_only_its_own_part(
    client, staff, employer, other_employer, other_portal_user
):
    # given a case without a current employer, placed with the other employer,
    # and a measure at the first employer
    case = case_create(
        staff=staff, case_number="IV-2025-0777", aim="placement", phase="vocational"
    )  # fmt: skip
    elsewhere = measure_plan(
        case=case, staff=staff, kind="work_training", employer=employer
    )
    measure_status_set(measure=elsewhere, staff=staff, status="granted")
    placement_record(
        case=case, staff=staff, employer=other_employer, kind="trial_place",
        start_on=date(2025, 4, 1),
    )  # fmt: skip
    case_consent_record(case=case, given_on=date(2025, 1, 10), scope="placements")

    # when the host employer's contact person opens the case page
    text = page(client, other_portal_user, other_employer)

    # then the case and the placement there appear, not the other employer's measure
    assert "Case IV-2025-0777" in text and "Trial place" in text
    assert "Work training" not in text


def test_portal_without_a_login_goes_to_the_login(client, employer):
    response = client.get(cases_url(employer))
    assert response.status_code == 302 and "/portal/login/" in response["Location"]


def test_dashboard_links_to_the_case_page(client, portal_user, employer):
    client.force_login(portal_user)
    text = client.get("/en/portal/").content.decode()
    assert f"/en/portal/companies/{employer.pk}/cases/" in text
    assert "Cases supported by the IV office" in text

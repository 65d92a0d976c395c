"""Settings → Office rules: the office head sets their own office's rules, and no
one else's; other roles cannot."""

from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import Office, StaffRole
from crm.services.cases import case_create
from crm.services.measures import measure_plan

from .conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def be_head(office_be):
    return make_staff(office_be, "be.head", StaffRole.OFFICE_HEAD)


def rules_url(office: Office) -> str:
    return reverse("crm_office_rules", args=[office.pk])


def rules_form(office: Office, **changes) -> dict:
    data = {name: getattr(office, name) for name in Office.RULE_FIELDS}
    data.update(changes)
    return data


def test_office_head_raises_the_decision_limit_of_their_office(
    client, office_be, be_head, be_staff, be_employer
):
    client.force_login(be_head)
    # the settings menu leads to the own office's rules, without code or name
    page = client.get(reverse("crm_own_office_rules"), follow=True)
    text = page.content.decode()
    assert page.redirect_chain[-1][0] == rules_url(office_be)
    assert 'name="onsite_decision_limit_chf"' in text
    assert 'name="code"' not in text and 'name="name"' not in text

    # when the head raises the limit to CHF 20,000
    response = client.post(
        rules_url(office_be), rules_form(office_be, onsite_decision_limit_chf="20000")
    )

    # then it is saved, and a measure of CHF 8,000 decided on site needs no approval
    assert response.status_code == 302
    office_be.refresh_from_db()
    assert office_be.onsite_decision_limit_chf == Decimal("20000")
    case = case_create(staff=be_staff, case_number="BE-9", aim="keep_job")
    measure = measure_plan(
        case=case, staff=be_staff, kind="workplace_adaptation",
        amount_chf=Decimal("8000"), decided_on_site=True,
    )  # fmt: skip
    assert not measure.needs_approval


def test_office_head_cannot_open_or_change_another_offices_rules(
    client, office_vd, be_head
):
    client.force_login(be_head)

    assert client.get(rules_url(office_vd)).status_code == 404
    response = client.post(
        rules_url(office_vd), rules_form(office_vd, onsite_decision_limit_chf="1")
    )

    assert response.status_code == 404
    office_vd.refresh_from_db()
    assert office_vd.onsite_decision_limit_chf == Decimal("5000")


@pytest.mark.parametrize("role", [StaffRole.CASE_OFFICER, StaffRole.TEAM_LEAD])
def test_other_roles_cannot_change_the_rules(client, office_be, role):
    client.force_login(make_staff(office_be, "be.other", role))

    response = client.post(
        rules_url(office_be), rules_form(office_be, onsite_decision_limit_chf="1")
    )

    assert response.status_code in (302, 403)
    assert response.get("Location", "") != rules_url(office_be)
    office_be.refresh_from_db()
    assert office_be.onsite_decision_limit_chf == Decimal("5000")


def test_a_re_referral_window_outside_three_to_six_months_is_refused(
    client, office_be, be_head
):
    client.force_login(be_head)

    response = client.post(
        rules_url(office_be), rules_form(office_be, re_referral_window_months="9")
    )

    assert response.status_code == 200
    assert "less than or equal to 6" in response.content.decode()
    office_be.refresh_from_db()
    assert office_be.re_referral_window_months == 6

"""An integration specialist records a trial placement for a case in a real browser,
grants it, and sees it on the employer page; and places a demo case in a trial
place and sees the placement on the employer page."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from crm.demo import DEMO_PASSWORD
from crm.models import (
    CaseReference,
    Employer,
    Measure,
    Office,
    Placement,
    RelationshipStatus,
    StaffProfile,
    StaffRole,
)
from crm.roles import staff_role_apply
from crm.services.cases import case_create

pytestmark = pytest.mark.browser

USERNAME = "anna.keller"
PASSWORD = "Correct-Horse-Battery-9"
CASE_NUMBER = "BE-2025-31415"


@pytest.fixture
def case(transactional_db, wagtail_root):
    """As in the demo: a Bern specialist (admin in English), an employer and a
    case to keep an employee's job there, with consent for measures."""
    bern = Office.objects.create(
        code="BE", name="IV-Stelle Bern", canton="BE", languages=["de"]
    )
    anna = get_user_model().objects.create_user(
        USERNAME, "anna.keller@iv.example.ch", PASSWORD,
        first_name="Anna", last_name="Keller",
    )  # fmt: skip
    StaffProfile.objects.create(user=anna, office=bern, role=StaffRole.INTEGRATION)
    staff_role_apply(anna, StaffRole.INTEGRATION)
    UserProfile.objects.create(user=anna, preferred_language="en")
    aare = Employer.objects.create(
        office=bern, legal_name="Aare Logistik AG", canton="BE",
        language_region="de", relationship_status=RelationshipStatus.ACTIVE,
        fixed_contact=anna,
    )  # fmt: skip
    return case_create(
        staff=anna, case_number=CASE_NUMBER, aim="keep_job", employer=aare,
        phase="integration", integration_specialist=anna,
        consent_given_on=timezone.localdate() - timedelta(days=30),
        consent_scope="measures",
    )  # fmt: skip


def test_staff_records_a_trial_placement_and_sees_it_on_the_employer_page(page, case):
    start = timezone.localdate() + timedelta(days=7)
    end = start + timedelta(days=89)

    # Given Anna logged in through the login page
    page.goto("/admin/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # When she adds a measure from the measures list and chooses the case
    page.goto("/admin/snippets/crm/measure/")
    page.get_by_role("link", name=re.compile("Add measure")).first.click()
    page.get_by_role("button", name=re.compile("Choose case", re.I)).first.click()
    page.get_by_role("link", name=re.compile(CASE_NUMBER)).click()
    expect(page.locator("#id_case-chooser")).to_contain_text(CASE_NUMBER)
    # … records a trial placement of 90 days, CHF 2,400
    page.select_option("select[name=kind]", "trial_placement")
    page.fill("input[name=start_on]", start.isoformat())
    page.fill("input[name=end_on]", end.isoformat())
    page.fill("input[name=amount_chf]", "2400")
    page.keyboard.press("Escape")  # closes the date picker over the footer
    page.locator("label[for=id_amount_chf]").click()
    page.locator("button.action-save").first.click()
    expect(page.locator(".messages")).to_contain_text("created")
    measure = Measure.objects.get(case=case)
    assert (measure.kind, measure.status) == ("trial_placement", "planned")

    # … and grants it in the edit form
    page.goto(f"/admin/snippets/crm/measure/edit/{measure.pk}/")
    page.select_option("select[name=status]", "granted")
    page.locator("button.action-save").first.click()
    expect(page.locator(".messages")).to_contain_text("updated")

    # Then the employer page counts the granted trial placement
    page.goto(f"/admin/crm/employers/{case.employer_id}/overview/")
    expect(page.locator("h1")).to_contain_text("Aare Logistik AG")
    panel = page.locator("[data-testid=case-summary]").locator("..")
    expect(panel).to_contain_text("1 open case")
    expect(panel).to_contain_text("Trial placement: 1")
    # and the timeline shows it with its case and status
    timeline = page.locator("#timeline-section")
    expect(timeline).to_contain_text("Trial placement")
    expect(timeline).to_contain_text(CASE_NUMBER)
    expect(timeline).to_contain_text(re.compile("granted", re.I))
    measure.refresh_from_db()
    assert measure.status == "granted" and measure.granted_on == timezone.localdate()


@pytest.fixture
def demo_case(transactional_db, wagtail_root):
    """The demo as `seed_demo` builds it (small): BE's case looking for a job in
    retail, and an open trial place at another BE demo employer."""
    from crm.demo import demo_seed
    from crm.services.opportunities import opportunity_report

    demo_seed(employers=12, contacts=False)
    specialist = get_user_model().objects.get(username="be.staff")
    UserProfile.objects.update_or_create(
        user=specialist, defaults={"preferred_language": "en"}
    )
    case = CaseReference.objects.get(
        office__code="BE", phase="integration", aim="placement"
    )
    employer = (
        Employer.objects.filter(office__code="BE")
        .exclude(pk=case.employer_id)
        .order_by("pk")
        .last()
    )
    place = opportunity_report(
        employer=employer, person=None, kind="trial_place",
        title="Schnupperplatz Verkauf", occupation="Detailhandel", region="Bern",
        source="staff",
    )  # fmt: skip
    return case, place


def test_staff_places_a_demo_case_in_a_trial_place_and_sees_it_on_the_employer_page(
    page, demo_case
):
    case, place = demo_case
    start = timezone.localdate() + timedelta(days=14)

    # Given the demo's BE integration specialist logged in
    page.goto("/admin/login/")
    page.fill("input[name=username]", "be.staff")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # When she adds a placement: the demo case into the open trial place
    page.goto("/admin/snippets/crm/placement/")
    page.get_by_role("link", name=re.compile("Add placement")).first.click()
    page.get_by_role("button", name=re.compile("Choose case", re.I)).first.click()
    page.get_by_role("link", name=re.compile(case.case_number)).click()
    expect(page.locator("#id_case-chooser")).to_contain_text(case.case_number)
    page.get_by_role(
        "button", name=re.compile("Choose job opportunity", re.I)
    ).first.click()
    page.get_by_role("link", name=re.compile("Schnupperplatz Verkauf")).click()
    expect(page.locator("#id_opportunity-chooser")).to_contain_text("Schnupperplatz")
    page.fill("input[name=start_on]", start.isoformat())
    page.keyboard.press("Escape")  # closes the date picker over the footer
    page.locator("label[for=id_outcome]").click()
    page.locator("button.action-save").first.click()
    expect(page.locator(".messages")).to_contain_text(
        re.compile(r"Placement .* created")
    )
    placement = Placement.objects.get(case=case, opportunity=place)
    assert (placement.kind, placement.employer) == ("trial_place", place.employer)

    # Then the employer page lists the placement with its case and the place
    page.goto(f"/admin/crm/employers/{place.employer_id}/overview/")
    table = page.locator("[data-testid=placements]")
    expect(table).to_contain_text(case.case_number)
    expect(table).to_contain_text("Trial place")
    expect(table).to_contain_text("Schnupperplatz Verkauf")
    expect(table).to_contain_text("Under way")
    place.refresh_from_db()
    assert place.status == "filled"

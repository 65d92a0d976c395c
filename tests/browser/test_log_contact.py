"""A staff member logs a contact with a rating and a follow-up, in a real browser."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from crm.models import (
    ContactPerson,
    Employer,
    EmployerRole,
    Office,
    RelationshipStatus,
    StaffProfile,
    StaffRole,
)
from crm.roles import staff_role_apply

pytestmark = pytest.mark.browser

USERNAME = "anna.keller"
PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def employer(transactional_db):
    """A Bern staff member (admin in English) and her employer, never contacted."""
    bern = Office.objects.create(
        code="BE", name="IV Bern", canton="BE", languages=["de"]
    )
    anna = get_user_model().objects.create_user(
        USERNAME,
        "anna.keller@iv.example.ch",
        PASSWORD,
        first_name="Anna",
        last_name="Keller",
    )
    StaffProfile.objects.create(user=anna, office=bern, role=StaffRole.INTEGRATION)
    staff_role_apply(anna, StaffRole.INTEGRATION)
    UserProfile.objects.create(user=anna, preferred_language="en")
    aare = Employer.objects.create(
        office=bern,
        legal_name="Aare Logistik AG",
        canton="BE",
        language_region="de",
        relationship_status=RelationshipStatus.ACTIVE,
        fixed_contact=anna,
    )
    vreni = ContactPerson.objects.create(
        office=bern, first_name="Vreni", last_name="Zaugg"
    )
    EmployerRole.objects.create(employer=aare, person=vreni, function="hr")
    return aare


def test_staff_logs_a_contact_and_sees_it_on_timeline_and_dashboard(page, employer):
    follow_up_on = timezone.localdate() + timedelta(days=3)

    # Given Anna logged in through the login page
    page.goto("/admin/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # When she opens the employer from the dashboard (it is due for a contact)
    due_panel = page.locator("#crm-employers-due-section")
    due_panel.get_by_role("link", name="Aare Logistik AG").click()
    expect(page.locator("h1")).to_contain_text("Aare Logistik AG")

    # … and logs a visit with a rating and a next appointment
    page.get_by_role("link", name="Log contact").first.click()
    page.select_option("select[name=channel]", "visit")
    page.get_by_label("Vreni Zaugg").check()
    page.fill("textarea[name=outcome]", "Two trial places in the warehouse")
    page.select_option("select[name=trust]", "5")
    page.select_option("select[name=transparency]", "4")
    page.fill("input[name=follow_up_on]", follow_up_on.isoformat())
    page.keyboard.press("Escape")  # closes the date picker
    page.fill("input[name=follow_up_note]", "Send the trial-place agreement")
    page.get_by_role("button", name="Log contact").click()

    # Then the employer page shows the contact with its rating and follow-up
    expect(page.locator("h1")).to_contain_text("Aare Logistik AG")
    expect(page.get_by_text("Contact with Aare Logistik AG logged.")).to_be_visible()
    timeline = page.locator(".crm-timeline")
    expect(timeline).to_contain_text("Two trial places in the warehouse")
    expect(timeline).to_contain_text("Vreni Zaugg")
    expect(timeline).to_contain_text("Contact quality")
    expect(timeline).to_contain_text("4.5 / 5")
    expect(timeline).to_contain_text("Send the trial-place agreement")
    expect(page.locator(".crm-chart")).to_be_visible()
    expect(page.locator("#follow-ups-section")).to_contain_text(
        "Send the trial-place agreement"
    )

    # And the dashboard lists the follow-up and the team's contact
    page.goto("/admin/")
    expect(page.locator("#crm-follow-ups-section")).to_contain_text(
        "Send the trial-place agreement"
    )
    expect(page.locator("#crm-team-contacts-section")).to_contain_text(
        "Aare Logistik AG"
    )
    # … and the employer is no longer due for a case-independent contact
    expect(page.locator("#crm-employers-due-section")).not_to_contain_text(
        "Aare Logistik AG"
    )

"""The employer portal end to end, in Chromium: staff invite a contact person, who
sets a password, logs in and proposes a change that staff approve into the CRM; a
call-back request answered in the admin; the language switcher of the public site."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from crm.demo.site import demo_site_seed
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

STAFF = "anna.keller"
STAFF_PASSWORD = "Correct-Horse-Battery-9"
EMPLOYER_EMAIL = "ruth.meier@aare-logistik.ch"
EMPLOYER_PASSWORD = "Gurten-Bahn-1898!"


@pytest.fixture
def employer(transactional_db, wagtail_root):
    """A Bern staff member (admin in English), her employer and its HR manager, who
    has no portal account yet."""
    bern = Office.objects.create(
        code="BE", name="IV Bern", canton="BE", languages=["de"]
    )
    anna = get_user_model().objects.create_user(
        STAFF, "anna.keller@iv.example.ch", STAFF_PASSWORD, first_name="Anna"
    )
    anna.last_name = "Keller"
    anna.save()
    StaffProfile.objects.create(user=anna, office=bern, role=StaffRole.INTEGRATION)
    staff_role_apply(anna, StaffRole.INTEGRATION)
    UserProfile.objects.create(user=anna, preferred_language="en")
    aare = Employer.objects.create(
        office=bern,
        legal_name="Aare Logistik AG",
        uid="CHE-116.281.710",
        street="Industriestrasse 4",
        postcode="3012",
        municipality="Bern",
        canton="BE",
        language_region="de",
        relationship_status=RelationshipStatus.ACTIVE,
        fixed_contact=anna,
    )
    ruth = ContactPerson.objects.create(
        office=bern,
        first_name="Ruth",
        last_name="Meier",
        email=EMPLOYER_EMAIL,
        languages=["de"],
    )
    EmployerRole.objects.create(employer=aare, person=ruth, function="hr")
    return aare


def staff_log_in(page) -> None:
    page.goto("/admin/login/")
    page.fill("input[name=username]", STAFF)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def portal_log_in(page) -> None:
    page.goto("/en/portal/login/")
    page.fill("input[name=username]", EMPLOYER_EMAIL)
    page.fill("input[name=password]", EMPLOYER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/en/portal/$"))


def invitation_path() -> str:
    link = re.search(r"https?://\S+/portal/invitation/\S+/", mail.outbox[-1].body)[0]
    return re.sub(r"^https?://[^/]+", "", link)


def test_invited_employer_proposes_a_change_that_staff_approve_into_the_crm(
    browser, live_server, employer
):
    staff = browser.new_context(base_url=live_server.url)
    staff.set_default_timeout(15_000)
    admin = staff.new_page()
    portal = browser.new_context(base_url=live_server.url).new_page()

    # Given Anna, logged in to the admin, invites Ruth from the employer list
    staff_log_in(admin)
    admin.goto("/admin/snippets/crm/employer/")
    admin.get_by_role("button", name="More options for 'Aare Logistik AG'").click()
    admin.get_by_role("link", name="Invite to the portal").click()
    admin.get_by_label("Contact person").select_option(
        label=f"Ruth Meier <{EMPLOYER_EMAIL}>"
    )
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text("Invitation sent to Ruth Meier.")).to_be_visible()

    # When Ruth opens the link in the e-mail and sets a password
    assert mail.outbox[-1].to == [EMPLOYER_EMAIL]
    portal.goto(invitation_path())
    expect(portal.locator("main")).to_contain_text("Aare Logistik AG")
    portal.fill("input[name=password1]", EMPLOYER_PASSWORD)
    portal.fill("input[name=password2]", EMPLOYER_PASSWORD)
    portal.click("main button[type=submit]")
    expect(portal.locator("main h2").first).to_have_text("Aare Logistik AG")

    # … logs out, logs in with her e-mail address and proposes a new address
    portal.click("nav.portal-nav button[type=submit]")
    portal_log_in(portal)
    portal.get_by_role("link", name="Propose a change").click()
    portal.fill("input[name=street]", "Weyermannsstrasse 20")
    portal.fill("textarea[name=comment]", "Wir sind im Mai umgezogen.")
    portal.get_by_role("button", name="Send proposal").click()
    expect(portal.get_by_role("status")).to_contain_text("goes to the IV office")
    expect(portal.locator("main")).to_contain_text("waiting for review")

    # Then Anna finds it in the review queue with its diff and approves it
    admin.goto("/admin/")
    admin.get_by_role("button", name="Employer portal").click()
    admin.get_by_role("link", name="Proposed changes").click()
    admin.locator("table.listing a").first.click()
    diff = admin.locator("table.crm-diff")
    expect(diff).to_contain_text("Industriestrasse 4")
    expect(diff).to_contain_text("Weyermannsstrasse 20")
    admin.get_by_role("button", name="Approve and update the employer").click()
    expect(admin.get_by_text("Aare Logistik AG updated")).to_be_visible()

    # And the employer page in the CRM shows the new address and the portal contact
    admin.goto(f"/admin/crm/employers/{employer.pk}/overview/")
    expect(admin.locator("main")).to_contain_text("Weyermannsstrasse 20, 3012 Bern")
    expect(admin.locator(".crm-timeline")).to_contain_text(
        "Company data changed in the portal"
    )
    # … and Ruth sees her proposal approved
    portal.reload()
    expect(portal.locator("main")).to_contain_text("approved")
    staff.close()
    portal.context.close()


def test_call_back_request_answered_by_staff_reaches_the_employer(
    browser, live_server, employer
):
    from cms.models import PortalAccount

    ruth_person = ContactPerson.objects.get(email=EMPLOYER_EMAIL)
    ruth = get_user_model().objects.create_user(
        EMPLOYER_EMAIL, EMPLOYER_EMAIL, EMPLOYER_PASSWORD
    )
    PortalAccount.objects.create(user=ruth, person=ruth_person)
    portal = browser.new_context(base_url=live_server.url).new_page()
    staff = browser.new_context(base_url=live_server.url)
    admin = staff.new_page()

    # Given Ruth asks for a call-back in the portal
    portal_log_in(portal)
    portal.get_by_role("link", name="Ask for advice or a call-back").click()
    portal.get_by_role("radio", name="call-back").check()
    portal.get_by_label("Subject").select_option("return_to_work")
    portal.get_by_label("Your question").fill(
        "Ein Lagerist kommt nach einem Unfall zurück. Wie planen wir den Einstieg?"
    )
    portal.get_by_label("Phone for the call-back").fill("+41 31 300 40 50")
    portal.get_by_label("Best time to call").fill("Dienstagmorgen")
    portal.get_by_role("button", name="Send").click()
    expect(portal.get_by_role("status")).to_contain_text("We answer by")
    expect(portal.locator("main")).to_contain_text("Not answered yet.")
    request_url = portal.url

    # When Anna answers it from the queue in the admin
    staff_log_in(admin)
    admin.goto("/admin/")
    admin.get_by_role("button", name="Employer portal").click()
    admin.get_by_role("link", name="Employer requests").click()
    admin.get_by_role("link", name="Aare Logistik AG").first.click()
    expect(admin.locator("#w-editor-form")).to_contain_text(
        "Wie planen wir den Einstieg?"
    )
    admin.locator("select[name=status]").select_option("answered")
    admin.locator("textarea[name=answer]").fill(
        "Ich rufe Sie am Dienstag um 9 Uhr an; wir planen einen Arbeitsversuch."
    )
    admin.locator("textarea[name=internal_note]").fill("STAFF-ONLY-4411")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_role("status")).to_contain_text("updated")
    expect(admin.locator("table.listing")).to_contain_text("answered")

    # Then Ruth sees the answer and the new status, but not the internal note
    portal.goto(request_url)
    main = portal.locator("main")
    expect(main).to_contain_text("Ich rufe Sie am Dienstag um 9 Uhr an")
    expect(main.locator(".status")).to_have_text("Answered")
    assert "STAFF-ONLY-4411" not in portal.content()
    assert mail.outbox[-1].to == [EMPLOYER_EMAIL]
    staff.close()
    portal.context.close()


def test_visitor_switches_a_public_page_from_german_to_french(page, home_pages):
    demo_site_seed()

    page.goto("/arbeitgebende/arbeitsversuch/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text("Arbeitsversuch")

    page.get_by_role("navigation", name="Sprache").get_by_role(
        "link", name=re.compile("français", re.I)
    ).click()

    expect(page).to_have_url(re.compile(r"/fr/employeurs/placement-a-lessai/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Placement à l'essai")
    switcher = page.get_by_role("navigation", name="Langue")
    expect(switcher.locator("[aria-current=true]")).to_have_text("FR")
    expect(
        switcher.get_by_role("link", name=re.compile("deutsch", re.I))
    ).to_have_attribute("href", "/arbeitgebende/arbeitsversuch/")

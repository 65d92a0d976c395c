"""A staff member imports employers from XLSX through the admin, in a real browser:
a file with a bad row is previewed and left alone, a clean one is imported."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from crm.models import Employer, Office, StaffProfile, StaffRole
from crm.roles import staff_role_apply
from tests.crm.conftest import VALID_UIDS

pytestmark = pytest.mark.browser

USERNAME = "anna.keller"
PASSWORD = "Correct-Horse-Battery-9"
HEADER = ["UID", "Firma", "PLZ", "Ort", "Kanton"]


def xlsx(rows: list[list]) -> dict:
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return {
        "name": "arbeitgeber.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": out.getvalue(),
    }


@pytest.fixture
def anna(transactional_db, wagtail_root):
    bern = Office.objects.create(
        code="BE", name="IV Bern", canton="BE", languages=["de"]
    )
    user = get_user_model().objects.create_user(
        USERNAME, "anna.keller@iv.example.ch", PASSWORD, first_name="Anna"
    )
    StaffProfile.objects.create(user=user, office=bern, role=StaffRole.INTEGRATION)
    staff_role_apply(user, StaffRole.INTEGRATION)
    UserProfile.objects.create(user=user, preferred_language="en")
    return user


def upload(page, file: dict) -> None:
    page.get_by_role("button", name="CRM").click()
    page.get_by_role("link", name="Import").click()
    expect(page.locator("h1")).to_contain_text("Import")
    page.select_option("select[name=resource]", "employers")
    page.set_input_files("input[name=file]", files=[file])
    page.get_by_role("button", name="Upload and check").click()


def test_xlsx_with_a_bad_row_is_previewed_then_a_clean_one_imported(page, anna):
    page.goto("/admin/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # When Anna uploads a workbook whose second row has a wrong UID
    upload(
        page,
        xlsx(
            [
                [VALID_UIDS[0], "Aare Logistik AG", "3011", "Bern", "BE"],
                ["CHE-123.456.789", "Falsche UID AG", "3000", "Bern", "BE"],
            ]
        ),
    )
    # Then the preview shows the error on that row and cannot be confirmed as is
    expect(page.get_by_test_id("import-status")).to_have_text("preview ready")
    expect(page.get_by_test_id("import-counts")).to_contain_text("Error: 1")
    error_row = page.get_by_test_id("import-rows").locator("tr.error")
    expect(error_row).to_contain_text("3")
    expect(error_row).to_contain_text("check digit")
    expect(
        page.get_by_label(re.compile("Write the valid rows only"))
    ).not_to_be_checked()
    expect(page.get_by_test_id("import-error-report")).to_be_visible()

    # When she fixes nothing, confirms nothing and leaves
    page.goto("/admin/")
    # Then nothing was written
    assert not Employer.objects.exists()

    # When she uploads a clean workbook and confirms it
    upload(
        page,
        xlsx(
            [
                [VALID_UIDS[0], "Aare Logistik AG", "3011", "Bern", "BE"],
                [VALID_UIDS[1], "Gürbetal Holzbau GmbH", "3125", "Toffen", "BE"],
            ]
        ),
    )
    expect(page.get_by_test_id("import-counts")).to_contain_text("New: 2")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_test_id("import-result")).to_contain_text("2 created")

    # Then the employer list shows both
    page.get_by_role("button", name="CRM").click()
    page.get_by_role("link", name="Employers", exact=True).click()
    listing = page.locator("table.listing")
    expect(listing).to_contain_text("Aare Logistik AG")
    expect(listing).to_contain_text("Gürbetal Holzbau GmbH")
    assert Employer.objects.filter(office__code="BE").count() == 2

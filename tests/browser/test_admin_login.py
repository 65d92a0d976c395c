"""Staff log in to the Wagtail admin through the real login page, in a browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

USERNAME = "anna.muster"
PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        USERNAME, "anna.muster@iv.example.ch", PASSWORD
    )


def log_in(page, password: str) -> None:
    page.goto("/admin/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_staff_log_in_and_see_the_dashboard(page, staff, wagtail_root):
    log_in(page, PASSWORD)

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("h1")).to_contain_text("Passerelle")
    expect(page.get_by_role("button", name=re.compile("anna.muster"))).to_be_visible()


def test_a_wrong_password_keeps_staff_on_the_login_page(page, staff):
    log_in(page, "not-the-password")

    expect(page).to_have_url(re.compile(r"/admin/login/"))
    # The form's error, in whatever language the admin speaks.
    expect(page.get_by_role("status").locator("li.error")).to_be_visible()
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/"))

"""WCAG 2.1 AA (eCH-0059) checks with axe-core on the public site and the portal.

axe-core comes from npm (`npm ci` installs package-lock.json's version into
node_modules/); Playwright injects it into each page and runs every rule axe has for
WCAG 2.0/2.1 A and AA plus its best practices (landmarks, one h1, heading order).
Without node_modules/axe-core the tests skip, and fail under REQUIRE_SERVICES=1.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from crm.demo import DEMO_PASSWORD, demo_seed
from crm.demo.portal import PORTAL_USERS
from tests.conftest import require_service

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture
def axe_page(page):
    require_service("axe-core", AXE.is_file(), f"no {AXE} (run `npm ci`)")
    return page


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results["violations"]
    ]


def assert_accessible(page, url: str) -> None:
    page.goto(url)
    violations = axe_violations(page)
    assert not violations, f"{url}\n{json.dumps(violations, indent=2)}"


@pytest.fixture
def demo(home_pages):
    """The demo site and portal users (few employers: the pages are the same)."""
    demo_seed(employers=12, contacts=False)
    from cms.models import ContactDirectoryPage, PortalAccount

    account = PortalAccount.objects.get(user__username=PORTAL_USERS[0][0])
    return {
        "directory": ContactDirectoryPage.objects.get(locale__language_code="de").url,
        "employer": account.person.employers.get(),
    }


def test_public_pages_have_no_accessibility_violations(axe_page, demo):
    for url in ["/", "/arbeitgebende/arbeitsversuch/", demo["directory"], "/fr/"]:
        assert_accessible(axe_page, url)


def test_portal_pages_have_no_accessibility_violations(axe_page, demo):
    page = axe_page
    assert_accessible(page, "/portal/login/")
    page.fill("input[name=username]", PORTAL_USERS[0][0])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/portal/$"))

    employer = demo["employer"].pk
    for url in [
        "/portal/",
        f"/portal/companies/{employer}/",
        f"/portal/companies/{employer}/requests/new/",
    ]:
        assert_accessible(page, url)


def test_form_errors_are_accessible(axe_page, demo):
    """The request form sent empty: errors shown next to their fields."""
    page = axe_page
    page.goto("/portal/login/")
    page.fill("input[name=username]", PORTAL_USERS[0][0])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"/portal/companies/{demo['employer'].pk}/requests/new/")
    page.click("main form button[type=submit]")

    expect(page.locator("p.error").first).to_be_visible()
    assert not axe_violations(page)

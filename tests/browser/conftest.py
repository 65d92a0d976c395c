"""Playwright's sync API driving Debian's Chromium (no browser download needed).

Chromium comes from `apt-get install chromium` (CHROMIUM_PATH to use another); tests
skip without it, and fail under REQUIRE_SERVICES=1. Tests use pytest-django's
`live_server`, a real HTTP server on the test database in a background thread.
"""

from importlib import import_module

import pytest
from django.conf import settings

from tests.conftest import chromium_path, chromium_problem, require_service

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI containers run as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers have a tiny /dev/shm
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    problem = chromium_problem()
    require_service("Chromium", problem is None, problem or "")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio loop running in this thread, and
        # Django would then refuse ORM calls from the test as "async context".
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, request, tmp_path_factory):
    """A fresh browser context (no cookies) pointed at the live server. When the
    test fails, the page's screenshot and HTML are kept (path printed) for CI."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = tmp_path_factory.mktemp("browser-failure")
        page.screenshot(path=str(folder / "page.png"), full_page=True)
        (folder / "page.html").write_text(page.content(), encoding="utf-8")
        print(f"\nBrowser failure artefacts: {folder} (url {page.url})")
    context.close()


@pytest.fixture
def wagtail_root(transactional_db):
    """The page tree's root, which the admin dashboard needs.

    The migrations create it, but live_server tests are transactional: any
    transactional test that ran before has flushed it away.
    """
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


@pytest.fixture
def home_pages(wagtail_root):
    """The German and French home pages and the default site, as the migrations
    make them (a transactional test before may have flushed them), and an empty
    page cache."""
    from django.apps import apps
    from django.core.cache import cache

    from cms.models import HomePage

    cache.clear()
    if not HomePage.objects.exists():
        migration = import_module("cms.migrations.0002_home_pages")
        migration.create_home_pages(apps, None)
    return HomePage.objects.get(locale__language_code=settings.LANGUAGE_CODE)

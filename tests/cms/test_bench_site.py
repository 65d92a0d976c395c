"""`manage.py bench site`: server times of public pages and the portal, and a short
load test against a real gunicorn on loopback."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from crm.demo import demo_seed
from tests.browser.conftest import home_pages, wagtail_root  # noqa: F401 - fixtures


@pytest.fixture
def demo(home_pages):  # noqa: F811 - the imported fixture
    demo_seed(employers=12, contacts=False)


def test_bench_site_measures_pages_and_a_load_without_errors(demo):
    out = StringIO()

    call_command(
        "bench",
        "site",
        "--json",
        "--requests=3",
        "--seconds=2",
        "--users=3",
        "--workers=1",
        "--threads=2",
        stdout=out,
    )

    figures = json.loads(out.getvalue())
    assert figures["employers"] == 12
    for name in ("home", "instrument_page", "portal_dashboard"):
        assert figures[name]["median_ms"] > 0, name
        assert figures[name]["goal_ms"] in (50, 150)
    load = figures["load"]
    assert load["users"] == 3
    assert load["requests"] > 3
    assert load["errors"] == 0, load["error_kinds"]
    assert load["p95_ms"] >= load["median_ms"]

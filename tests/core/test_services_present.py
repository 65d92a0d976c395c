"""Under REQUIRE_SERVICES=1 (`.ci/run`) the suite runs on PostgreSQL and Redis.

Without these, CI could pass on SQLite and the embedded broker after a typo in
DATABASE_URL or CELERY_BROKER_URL, and the PostgreSQL/Redis paths would go untested.
"""

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from tests.conftest import (
    chromium_problem,
    postgres_problem,
    redis_problem,
    services_required,
)

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not services_required(), reason="only enforced with REQUIRE_SERVICES=1"
    ),
]


@pytest.mark.django_db
def test_ci_tests_run_on_postgresql():
    assert postgres_problem() is None, postgres_problem()
    assert connection.vendor == "postgresql"


def test_ci_broker_is_redis_and_answers():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert app.conf.broker_url.startswith("redis://")
    assert redis_problem(app.conf.broker_url) is None, redis_problem(
        app.conf.broker_url
    )


def test_ci_has_chromium_for_browser_tests():
    assert chromium_problem() is None, chromium_problem()

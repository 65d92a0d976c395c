"""Shared test helpers: which outside services (PostgreSQL, Redis, Chromium) are here.

`make test` passes on a bare machine: tests that need a service skip without it.
`.ci/run` sets REQUIRE_SERVICES=1, and then a missing service fails the test instead,
so CI cannot go green by skipping.
"""

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(name: str, available: bool, reason: str = "") -> None:
    """Skips the calling test when `name` is missing, fails it if REQUIRE_SERVICES=1."""
    if available:
        return
    message = f"{name} is not available" + (f": {reason}" if reason else "")
    if services_required():
        pytest.fail(f"{message} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def redis_url() -> str:
    """The broker URL when it is Redis (CI), else a spare database on a local one."""
    configured = os.environ.get("CELERY_BROKER_URL", "")
    return configured if configured.startswith("redis://") else DEFAULT_REDIS_URL


def redis_problem(url: str | None = None) -> str | None:
    """None when a Redis server answers PING at `url`, else why not."""
    import redis

    try:
        client = redis.Redis.from_url(
            url or redis_url(), socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return f"{url or redis_url()}: {exc}"
    return None


def postgres_problem() -> str | None:
    """None when the tests run on PostgreSQL (DATABASE_URL), else why not."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        return f"the test database is {engine.rsplit('.', 1)[-1]} (set DATABASE_URL)"
    return None


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH


def chromium_problem() -> str | None:
    path = Path(chromium_path())
    if not (path.is_file() and os.access(path, os.X_OK)):
        return f"no executable at {path} (apt-get install chromium, or CHROMIUM_PATH)"
    return None


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for another process to reach the database this one uses.

    Built from the live connection, so under pytest-django it names the *test*
    database.
    """
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = str(settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise ValueError("An in-memory SQLite database is not shared with others")
        return f"sqlite:///{Path(name).resolve()}"
    if "postgresql" in engine:
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = (
            f"{user}:{password}@" if password else (f"{user}@" if user else "")
        )
        host = settings_dict.get("HOST") or "localhost"
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'])}"
    raise ValueError(f"No DATABASE_URL form for {engine}")


@pytest.fixture(name="require_service")
def require_service_fixture() -> Callable[[str, bool, str], None]:
    """The `require_service` helper as a fixture, for tests that prefer fixtures."""
    return require_service


@pytest.fixture
def redis_broker_url() -> str:
    """A reachable Redis URL, or the test skips (fails under REQUIRE_SERVICES=1)."""
    problem = redis_problem()
    require_service("Redis", problem is None, problem or "")
    return redis_url()

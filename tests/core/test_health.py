"""/healthz tells a load balancer the truth; the public entry pages answer."""

import copy
import html

import pytest
from django.db import connection, connections

from config.celery import app

# Nothing listens on port 1: connecting is refused at once.
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch):
    """Points the Celery app at a broker nobody runs, and back afterwards."""
    # Celery reads CELERY_BROKER_URL from the environment before its own conf (CI
    # sets it), so both have to point at the dead broker.
    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_BROKER_URL)
    previous = app.conf["broker_url"]
    app.conf.broker_url = DEAD_BROKER_URL
    yield
    app.conf.broker_url = previous


@pytest.fixture
def database_down(monkeypatch, tmp_path):
    """Hands the health check a real connection to a database that cannot be opened."""
    broken = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        broken["NAME"] = str(tmp_path / "no-such-directory" / "db.sqlite3")
    else:
        broken["HOST"], broken["PORT"] = "127.0.0.1", "1"
    unreachable = type(connections["default"])(broken, alias="unreachable")
    monkeypatch.setattr("core.health.connection", unreachable)
    yield
    unreachable.close()


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client, broker_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")
    assert body["broker_transport"] == "redis"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "error: OperationalError"
    assert body["broker"] == "ok"


@pytest.mark.django_db
def test_home_page_answers_in_german_without_prefix(client):
    response = client.get("/")

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "<title>Gemeinsam für Arbeit trotz Gesundheitsproblemen" in page
    assert '<html lang="de">' in page


@pytest.mark.django_db
def test_french_home_page_answers_under_fr(client):
    response = client.get("/fr/")

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "<title>Ensemble pour l'emploi malgré les problèmes de santé" in page
    assert '<html lang="fr">' in page


@pytest.mark.django_db
def test_admin_login_page_answers(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()

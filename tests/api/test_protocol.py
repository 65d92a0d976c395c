"""What every client sees: problem details, pagination, rate limits, CSRF, schema."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.settings import api_settings

from crm.models import Employer

from .conftest import make_employer

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def test_validation_problem_names_each_field(be_api):
    response = be_api.post(
        "/api/v1/employers/",
        {"canton": "XX", "email": "not-an-address"},
        format="json",
    )
    body = response.json()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == 400
    assert body["instance"] == "/api/v1/employers/"
    assert set(body["errors"]) >= {"legal_name", "canton", "email", "language_region"}
    assert all(isinstance(messages, list) for messages in body["errors"].values())


def test_malformed_json_is_a_problem(be_api):
    response = be_api.generic(
        "POST", "/api/v1/employers/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["title"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/employers/999999/", 404),
        ("get", "/api/v1/no-such-thing/", 404),
        ("delete", "/api/v1/employers/1/", 405),
        ("put", "/api/v1/contacts/1/", 405),
    ],
)
def test_http_errors_are_problems(be_api, be_employer, method, path, status):
    response = getattr(be_api, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"] == "about:blank"


def test_problem_type_uri_explains_itself(be_api, client):
    response = be_api.post("/api/v1/employers/", {}, format="json")
    explained = client.get(response.json()["type"])
    assert explained.status_code == 200
    assert explained.json()["title"]


def test_errors_follow_accept_language(client, be_token):
    auth = f"Bearer {be_token}"
    german = client.get("/api/v1/employers/1/", HTTP_AUTHORIZATION=auth)
    french = client.get(
        "/api/v1/employers/1/", HTTP_AUTHORIZATION=auth, HTTP_ACCEPT_LANGUAGE="fr"
    )
    english = client.get(
        "/api/v1/employers/1/", HTTP_AUTHORIZATION=auth, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert german.json()["title"] == french.json()["title"] == "Not Found"
    assert english.json()["detail"] == "Not found."
    assert len({german.json()["detail"], french.json()["detail"], "Not found."}) == 3


@pytest.mark.parametrize(
    "since", ["9319-12-15T06:29:23-21:46", "9999-12-31T23:59:59-23:00", "2000-01-01"]
)
def test_updated_since_takes_any_iso_offset(be_api, be_employer, since):
    response = be_api.get("/api/v1/employers/", {"updated_since": since})
    assert response.status_code == 200
    assert response.json()["count"] == (1 if since.startswith("2000") else 0)


def test_pagination_with_limit_and_offset(be_api, office_be):
    for n in range(5):
        make_employer(office_be, f"Firma {n}")
    page = be_api.get("/api/v1/employers/", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 5
    assert [row["legal_name"] for row in page["results"]] == ["Firma 2", "Firma 3"]
    assert "offset=4" in page["next"]
    assert "limit=2" in page["previous"]
    beyond = be_api.get("/api/v1/employers/", {"offset": 10**30}).json()
    assert beyond["results"] == []


def test_rate_limit_answers_429_with_retry_after(be_api, settings, office_be):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
    assert api_settings.DEFAULT_THROTTLE_RATES == {"api": "3/min"}
    statuses = [be_api.get("/api/v1/employers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = be_api.get("/api/v1/employers/")
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["type"].endswith("/problems/rate-limited")
    assert int(limited["Retry-After"]) > 0
    cache.clear()


def test_token_calls_need_no_csrf_token(office_be, be_token):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/employers/",
        {"legal_name": "Ohne Cookie AG", "canton": "BE", "language_region": "de"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {be_token}",
    )
    assert response.status_code == 201


def test_session_calls_without_csrf_token_are_refused(be_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(be_staff)
    body = {"legal_name": "Session AG", "canton": "BE", "language_region": "de"}
    refused = client.post("/api/v1/employers/", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Employer.objects.filter(legal_name="Session AG").exists()
    # with the CSRF token, the same staff member may write
    client.get("/admin/")
    accepted = client.post(
        "/api/v1/employers/",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert accepted.status_code == 201, accepted.json()


def test_session_reads_are_scoped_to_the_staff_office(
    client, be_staff, be_employer, vd_employer
):
    client.force_login(be_staff)
    names = [
        row["legal_name"] for row in client.get("/api/v1/employers/").json()["results"]
    ]
    assert names == [be_employer.legal_name]


def test_schema_is_openapi_with_bearer_security(client):
    response = client.get("/api/v1/openapi.json")
    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert {"/api/v1/employers/", "/api/v1/contacts/", "/api/v1/placements/"} <= set(
        schema["paths"]
    )
    assert not any(path.startswith("/admin/") for path in schema["paths"])
    post = schema["paths"]["/api/v1/contacts/"]["post"]
    assert "application/problem+json" in post["responses"]["422"]["content"]
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])


def test_docs_page_loads_the_schema(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.content.decode()

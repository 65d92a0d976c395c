"""Idempotency-Key on POST: a retried request creates one record, not two."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import Employer
from integrations.api.models import IdempotencyKey

from .conftest import bearer_client, token_for

pytestmark = pytest.mark.django_db

BODY = {"legal_name": "Einmal AG", "canton": "BE", "language_region": "de"}


def post(api, body=BODY, key="key-1"):
    return api.post("/api/v1/employers/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_and_body_replays_the_response_and_creates_one_row(be_api):
    first = post(be_api)
    again = post(be_api, body=dict(reversed(list(BODY.items()))))  # key order differs
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Employer.objects.filter(legal_name="Einmal AG").count() == 1


def test_same_key_with_another_body_is_refused(be_api):
    post(be_api)
    response = post(be_api, body={**BODY, "legal_name": "Zweimal AG"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/api/v1/problems/idempotency-key-reused")
    assert not Employer.objects.filter(legal_name="Zweimal AG").exists()


def test_same_key_on_another_endpoint_is_refused(be_api, be_employer):
    post(be_api)
    response = be_api.post(
        "/api/v1/job-opportunities/",
        BODY,
        format="json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )
    assert response.status_code == 422


def test_keys_are_per_token(be_api, office_be):
    other = bearer_client(token_for(office_be, name="other system"))
    post(be_api)
    response = post(other, body={**BODY, "legal_name": "Andere AG"})
    assert response.status_code == 201
    assert Employer.objects.filter(legal_name="Andere AG").count() == 1


def test_without_a_key_each_post_creates(be_api):
    be_api.post("/api/v1/employers/", BODY, format="json")
    be_api.post("/api/v1/employers/", BODY, format="json")
    assert Employer.objects.filter(legal_name="Einmal AG").count() == 2


def test_a_failed_request_is_not_stored_so_it_can_be_retried(be_api):
    failed = post(be_api, body={**BODY, "canton": "XX"})
    fixed = post(be_api, body={**BODY, "canton": "XX"})
    assert failed.status_code == fixed.status_code == 400
    assert not IdempotencyKey.objects.exists()


def test_keys_expire_after_24_hours(be_api):
    post(be_api)
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = post(be_api)
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Employer.objects.filter(legal_name="Einmal AG").count() == 2
    assert IdempotencyKey.objects.count() == 1

"""API tokens: the create command, hashed storage, expiry, revocation, read-only."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from crm.models import Employer
from integrations.api.models import ApiToken
from integrations.api.services import api_token_revoke

from .conftest import bearer_client

pytestmark = pytest.mark.django_db


def create_token(*args: str) -> tuple[str, str]:
    out = StringIO()
    call_command("api_token_create", *args, stdout=out)
    return out.getvalue(), out.getvalue().strip().splitlines()[-1]


def test_command_prints_the_token_alone_on_the_last_line(office_be, be_employer):
    # when a token is created for BE on the command line
    output, raw = create_token("--office", "BE", "--name", "case management")
    # then the last line is the token, and it works for the API
    assert raw.startswith("psg_") and " " not in raw
    response = bearer_client(raw).get("/api/v1/employers/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_only_a_hash_of_the_token_is_stored(office_be):
    _output, raw = create_token("--office", "BE", "--name", "case management")
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:12]
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert raw not in stored


def test_command_options_read_only_and_expires(office_be):
    create_token(
        "--office", "be", "--name", "reports", "--read-only", "--expires", "30"
    )
    token = ApiToken.objects.get()
    assert token.read_only
    assert token.office == office_be
    expected = timezone.now() + timedelta(days=30)
    assert abs((token.expires_at - expected).total_seconds()) < 60


def test_command_refuses_an_unknown_office(office_be):
    with pytest.raises(CommandError, match="No office 'XX'"):
        create_token("--office", "XX", "--name", "x")
    assert not ApiToken.objects.exists()


def test_expired_token_is_refused_with_a_problem(office_be):
    _output, raw = create_token("--office", "BE", "--name", "x", "--expires", "1")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer_client(raw).get("/api/v1/employers/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"] == "This token has expired."


def test_revoked_token_is_refused(office_be):
    _output, raw = create_token("--office", "BE", "--name", "x")
    api_token_revoke(token=ApiToken.objects.get())
    response = bearer_client(raw).get("/api/v1/employers/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


@pytest.mark.parametrize("header", ["Bearer psg_wrong", "Bearer", "Bearer a b"])
def test_unknown_or_malformed_token_is_refused(client, office_be, header):
    response = client.get("/api/v1/employers/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_no_credentials_is_401(client):
    response = client.get("/api/v1/employers/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_use_is_recorded(be_api):
    assert ApiToken.objects.get().last_used_at is None
    be_api.get("/api/v1/employers/")
    assert ApiToken.objects.get().last_used_at is not None


def test_read_only_token_reads_but_gets_403_on_writes(be_read_only_api, be_employer):
    read = be_read_only_api.get("/api/v1/employers/")
    created = be_read_only_api.post(
        "/api/v1/employers/",
        {"legal_name": "Nope AG", "canton": "BE", "language_region": "de"},
        format="json",
    )
    changed = be_read_only_api.patch(
        f"/api/v1/employers/{be_employer.pk}/", {"legal_name": "Nope"}, format="json"
    )
    assert read.status_code == 200
    assert created.status_code == 403
    assert changed.status_code == 403
    assert created["Content-Type"] == "application/problem+json"
    assert created.json()["detail"] == "This token may only read."
    assert not Employer.objects.filter(legal_name__startswith="Nope").exists()


def test_a_token_expires_after_a_year_by_default(office_be, be_employer, settings):
    # Given the default of 365 days
    assert settings.API_TOKEN_DEFAULT_DAYS == 365
    # When a token is created without --expires
    output, raw = create_token("--office", "BE", "--name", "case management")
    # Then it expires in 365 days, the line before the token says when
    token = ApiToken.objects.get()
    expected = timezone.now() + timedelta(days=365)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    lines = output.strip().splitlines()
    assert f"expires {token.expires_at.date().isoformat()}" in lines[-2]
    assert lines[-1] == raw
    # and it works until then, not after
    assert bearer_client(raw).get("/api/v1/employers/").status_code == 200
    with time_machine.travel(expected + timedelta(minutes=2)):
        assert bearer_client(raw).get("/api/v1/employers/").status_code == 401


def test_the_default_lifetime_is_a_setting(office_be, settings):
    settings.API_TOKEN_DEFAULT_DAYS = 30
    create_token("--office", "BE", "--name", "x")
    expected = timezone.now() + timedelta(days=30)
    assert abs((ApiToken.objects.get().expires_at - expected).total_seconds()) < 60


def test_expires_0_makes_a_token_that_never_expires(office_be):
    output, raw = create_token("--office", "BE", "--name", "x", "--expires", "0")
    assert ApiToken.objects.get().expires_at is None
    assert "expires never" in output.strip().splitlines()[-2]
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert bearer_client(raw).get("/api/v1/employers/").status_code == 200


def test_a_negative_lifetime_is_refused(office_be):
    with pytest.raises(CommandError, match="at least one day"):
        create_token("--office", "BE", "--name", "x", "--expires", "-1")
    assert not ApiToken.objects.exists()

"""Employers an import creates are looked up in the UID register after the commit,
as suggestions, within the client's rate limit; nothing is asked when the register
is not configured. HTTP is faked as in tests/integrations/test_uid_register.py."""

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation

from crm.models import Employer
from integrations.imports.reading import table_read
from integrations.imports.services import import_run
from integrations.uid_register import client as uid_client
from integrations.uid_register.models import UidRegisterSuggestion
from integrations.uid_register.services import uid_register_lookup_batch
from tests.crm.conftest import VALID_UIDS, make_employer
from tests.integrations.test_uid_register import TEST_URL, FakeRegister

pytestmark = pytest.mark.django_db
Status = UidRegisterSuggestion.Status

HEADER = "UID;Firma;PLZ;Ort;Kanton\n"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def register(monkeypatch, settings):
    settings.UID_REGISTER_URL = TEST_URL
    settings.UID_REGISTER_RATE_LIMIT = 20
    fake = FakeRegister()
    monkeypatch.setattr(uid_client, "urlopen", fake)
    return fake


def run(content: str, office):
    with translation.override("en"):
        table = table_read(content.encode("utf-8"), fmt="csv")
        return import_run(resource="employers", table=table, office=office)


def test_new_employers_of_an_import_are_looked_up_after_the_commit(
    register, office_be, django_capture_on_commit_callbacks
):
    # Given an employer the file updates, and a file with two new ones with a UID
    # and one without
    make_employer(office_be, "Alte Firma AG", VALID_UIDS[2], postcode="3000")
    content = (
        HEADER
        + f"{VALID_UIDS[0]};Neue Firma AG;3011;Bern;BE\n"
        + f"{VALID_UIDS[1]};Zweite Firma AG;3011;Bern;BE\n"
        + ";Ohne UID GmbH;3011;Bern;BE\n"
        + f"{VALID_UIDS[2]};Alte Firma AG;3012;Bern;BE\n"
    )
    # When it is imported
    with django_capture_on_commit_callbacks(execute=True):
        result = run(content, office_be)
        assert result.written and register.requests == []  # not before the commit
    # Then the two new employers with a UID were asked about, once each
    new = Employer.objects.filter(uid__in=VALID_UIDS[:2])
    assert len(register.requests) == 2
    suggestions = UidRegisterSuggestion.objects.filter(employer__in=new)
    assert suggestions.count() == 2
    assert {s.status for s in suggestions} == {Status.PENDING}
    assert {s.legal_name for s in suggestions} == {"Berner Maschinenbau AG"}
    # as suggestions only: the employers keep the file's values
    assert sorted(new.values_list("legal_name", flat=True)) == [
        "Neue Firma AG",
        "Zweite Firma AG",
    ]
    # and neither the updated employer nor the one without a UID was asked about
    assert not UidRegisterSuggestion.objects.exclude(employer__in=new).exists()


def test_nothing_is_asked_while_the_register_is_not_configured(
    register, settings, office_be, django_capture_on_commit_callbacks
):
    settings.UID_REGISTER_URL = ""
    content = HEADER + f"{VALID_UIDS[0]};Neue Firma AG;3011;Bern;BE\n"
    with django_capture_on_commit_callbacks(execute=True):
        assert run(content, office_be).created == 1
    assert register.requests == []
    assert not UidRegisterSuggestion.objects.exists()


def test_lookups_keep_to_the_rate_limit_and_the_rest_wait_for_a_free_slot(
    register, settings, office_be, django_capture_on_commit_callbacks
):
    # Given a limit of two lookups a minute and a file of three new employers
    settings.UID_REGISTER_RATE_LIMIT = 2
    content = HEADER + "".join(
        f"{uid};Firma {i} AG;3011;Bern;BE\n" for i, uid in enumerate(VALID_UIDS[:3])
    )
    with time_machine.travel("2026-03-02 09:00:00 +0100", tick=False) as clock:
        # When it is imported (the eager task stops at the limit)
        with django_capture_on_commit_callbacks(execute=True):
            result = run(content, office_be)
        # Then two were asked about, and the third has no failed suggestion
        assert len(register.requests) == 2
        assert UidRegisterSuggestion.objects.count() == 2
        assert not UidRegisterSuggestion.objects.filter(status=Status.FAILED).exists()
        # and a batch run now waits for a free slot instead of asking
        remaining, wait = uid_register_lookup_batch(result.created_ids)
        third = result.created_ids[2]
        assert remaining == [third] and 0 < wait <= 61
        assert len(register.requests) == 2
        # When the minute has passed, the rest is looked up
        clock.shift(62)
        assert uid_register_lookup_batch(remaining) == ([], 0.0)
    assert len(register.requests) == 3
    assert UidRegisterSuggestion.objects.get(employer_id=third).status == (
        Status.PENDING
    )

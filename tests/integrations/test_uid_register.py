"""The UID register client (issue 8) against recorded answers, with HTTP faked.

`urlopen` in integrations/uid_register/client.py is the only network call; the fake
below answers it with the files in fixtures/uid_register/ and keeps every request,
so the tests also see what the register would have received.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.error import HTTPError, URLError

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from crm.models import Employer
from crm.services.employers import employer_save
from integrations.uid_register import client as uid_client
from integrations.uid_register.client import (
    RateLimiter,
    UidRegisterClient,
    UidRegisterInvalidUid,
    UidRegisterNotFound,
    UidRegisterRateLimited,
    parse_get_by_uid,
)
from integrations.uid_register.models import UidRegisterSuggestion
from integrations.uid_register.services import (
    uid_register_suggestion_accept,
    uid_register_suggestion_fetch,
)
from integrations.uid_register.tasks import uid_register_suggestion_fetch_task
from tests.conftest import redis_problem, redis_url, require_service
from tests.crm.conftest import VALID_UIDS, make_employer, make_office, make_staff

FIXTURES = Path(__file__).parent / "fixtures" / "uid_register"
TEST_URL = "https://www.uid-wse-a.admin.ch/V5.0/PublicServices.svc"
Status = UidRegisterSuggestion.Status


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class FakeRegister:
    """Stands in for urlopen: answers with recorded files, remembers each request."""

    def __init__(self) -> None:
        self.requests = []
        self.answers: list[tuple[str, int] | Exception] = [("found.xml", 200)]

    def answer(self, name: str, status: int = 200) -> None:
        self.answers = [(name, status)]

    def fail(self, error: Exception) -> None:
        self.answers = [error]

    def __call__(self, request, timeout=None):
        self.requests.append(request)
        answer = self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        name, status = answer
        if status != 200:
            raise HTTPError(
                request.full_url,
                status,
                "Internal Server Error",
                {},
                io.BytesIO(fixture(name)),
            )
        return io.BytesIO(fixture(name))


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


@pytest.fixture
def office_be(db):
    return make_office("BE", "BE", "de")


@pytest.fixture
def office_vd(db):
    return make_office("VD", "VD", "fr")


@pytest.fixture
def anna(office_be):
    return make_staff(office_be, "be.anna")


@pytest.fixture
def employer(office_be):
    """Known to the register as "Berner Maschinenbau AG", Freiburgstrasse 251."""
    return make_employer(office_be, "Berner Maschinenbau", VALID_UIDS[0])


@pytest.fixture
def vd_employer(office_vd):
    return make_employer(office_vd, "Horlogerie Vaudoise", VALID_UIDS[1])


@pytest.fixture
def staff_client(anna) -> Client:
    client = Client()
    client.force_login(anna)
    return client


def review_url(employer: Employer) -> str:
    return reverse("uid_register_employer", args=[employer.pk])


# --- Reading the register's answers ---------------------------------------------------


def test_recorded_answer_of_a_federal_office_is_read_into_employer_terms():
    record = parse_get_by_uid(fixture("found_federal_office.xml"), "CHE-116.068.369")

    assert record.uid == "CHE-116.068.369"
    assert record.legal_name == "Bundesamt für Landestopografie (swisstopo)"
    assert record.street_line == "Seftigenstrasse 264"  # the seat, not the PO box
    assert (record.postcode, record.town, record.canton) == ("3084", "Wabern", "BE")
    assert record.legal_form_code == "0220"
    assert record.legal_form == "public"
    assert record.noga_code == ""  # the public service withholds it
    assert record.register_status == "active"


def test_seat_address_legal_name_noga_and_liquidation_are_read():
    record = parse_get_by_uid(fixture("found_noga_pobox_first.xml"), "CHE-419.390.716")

    assert record.legal_name == "Horlogerie Vaudoise Sàrl en liquidation"
    assert record.street_line == "Grand-Rue 12a"
    assert (record.postcode, record.town, record.canton) == ("1347", "Le Sentier", "VD")
    assert record.legal_form == "gmbh"
    assert record.noga_code == "265200"
    assert record.register_status == "liquidation"


@pytest.mark.parametrize("status_code", ["5", "6", "7"])
def test_deleted_entries_read_as_deleted(status_code):
    xml = fixture("found.xml").replace(
        b"<uidregStatusEnterpriseDetail>3<",
        f"<uidregStatusEnterpriseDetail>{status_code}<".encode(),
    )

    assert parse_get_by_uid(xml, "CHE-116.281.710").register_status == "deleted"


@pytest.mark.parametrize(
    ("name", "error", "says"),
    [
        ("not_found.xml", UidRegisterNotFound, "no entry"),
        ("fault_invalid_uid.xml", UidRegisterInvalidUid, "checksum is invalid"),
        ("fault_rate_limit.xml", UidRegisterRateLimited, "Request_limit_exceeded"),
    ],
)
def test_unknown_uids_and_faults_raise_clear_errors(name, error, says):
    with pytest.raises(error, match=says):
        parse_get_by_uid(fixture(name), "CHE-116.281.710")


# --- Looking up: the request, the suggestion ------------------------------------------


def test_lookup_sends_one_soap_get_by_uid_to_the_configured_url(register, employer):
    uid_register_suggestion_fetch(employer=employer)

    (request,) = register.requests
    body = request.data.decode()
    assert request.full_url == TEST_URL
    assert request.get_method() == "POST"
    assert request.get_header("Soapaction") == (
        '"http://www.uid.admin.ch/xmlns/uid-wse/IPublicServices/GetByUID"'
    )
    assert request.get_header("Content-type") == "text/xml; charset=utf-8"
    assert "<GetByUID" in body
    assert ">CHE</uidOrganisationIdCategorie>" in body
    assert ">116281710</uidOrganisationId>" in body


def test_answer_is_a_pending_suggestion_and_the_employer_stays_unchanged(
    register, employer, anna
):
    suggestion = uid_register_suggestion_fetch(employer=employer, by=anna)

    stored = UidRegisterSuggestion.objects.get()
    employer.refresh_from_db()
    assert stored.pk == suggestion.pk
    assert stored.status == Status.PENDING
    assert stored.requested_by == anna
    assert (stored.legal_name, stored.street_line) == (
        "Berner Maschinenbau AG",
        "Freiburgstrasse 251",
    )
    assert (stored.postcode, stored.town, stored.canton) == ("3018", "Bern", "BE")
    assert (stored.legal_form, stored.register_status) == ("ag", "active")
    assert employer.legal_name == "Berner Maschinenbau"
    assert employer.street == ""


def test_an_answer_that_agrees_with_the_employer_waits_for_nobody(register, office_be):
    employer = make_employer(
        office_be,
        "Berner Maschinenbau AG",
        VALID_UIDS[0],
        street="Freiburgstrasse 251",
        postcode="3018",
        legal_form="ag",
    )

    suggestion = uid_register_suggestion_fetch(employer=employer)

    assert suggestion.status == Status.MATCHING


def test_accepting_writes_the_values_and_the_change_history_names_who(
    register, employer, anna, staff_client
):
    suggestion = uid_register_suggestion_fetch(employer=employer, by=anna)

    uid_register_suggestion_accept(suggestion=suggestion, by=anna)

    employer.refresh_from_db()
    suggestion.refresh_from_db()
    assert employer.legal_name == "Berner Maschinenbau AG"
    assert employer.street == "Freiburgstrasse 251"
    assert (employer.postcode, employer.municipality) == ("3018", "Bern")
    assert employer.legal_form == "ag"
    assert suggestion.status == Status.ACCEPTED
    assert suggestion.decided_by == anna
    latest = employer.history.latest()
    assert latest.history_user == anna
    assert latest.history_change_reason == "UID register"
    changes = staff_client.get(reverse("crm_employer_changes", args=[employer.pk]))
    assert "Freiburgstrasse 251" in changes.content.decode()
    assert "Anna" in changes.content.decode()


def test_a_decided_suggestion_cannot_be_accepted_again(register, employer, anna):
    suggestion = uid_register_suggestion_fetch(employer=employer, by=anna)
    uid_register_suggestion_accept(suggestion=suggestion, by=anna)

    from django.core.exceptions import ValidationError

    # the message in English, Anna's language
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="already decided"),
    ):
        uid_register_suggestion_accept(suggestion=suggestion, by=anna)


# --- Off unless configured, never blocks saving ---------------------------------------


def new_employer(office, name="Neue Firma AG", uid=VALID_UIDS[0]) -> Employer:
    return Employer(
        office=office,
        legal_name=name,
        uid=uid,
        canton="BE",
        language_region="de",
    )


def test_switched_off_nothing_is_asked_and_nothing_is_shown(
    register,
    settings,
    office_be,
    employer,
    staff_client,
    django_capture_on_commit_callbacks,
):
    settings.UID_REGISTER_URL = ""

    with django_capture_on_commit_callbacks(execute=True):
        employer_save(employer=new_employer(office_be, uid=VALID_UIDS[2]), by=None)
    lookup = staff_client.post(
        reverse("uid_register_lookup", args=[employer.pk]), follow=True
    )
    overview = staff_client.get(reverse("crm_employer_overview", args=[employer.pk]))

    assert register.requests == []
    assert not UidRegisterSuggestion.objects.exists()
    assert "The UID register is not configured." in lookup.content.decode()
    assert 'data-testid="uid-register-panel"' not in overview.content.decode()
    assert "Look up in the UID register" not in overview.content.decode()


def test_a_new_employer_is_looked_up_after_the_commit(
    register, office_be, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        employer = employer_save(employer=new_employer(office_be), by=None)

    suggestion = UidRegisterSuggestion.objects.get(employer=employer)
    assert len(register.requests) == 1
    assert suggestion.status == Status.PENDING
    assert suggestion.legal_name == "Berner Maschinenbau AG"
    page = staff_client.get(review_url(employer)).content.decode()
    assert "automatically, on creation" in page


def test_register_unreachable_when_creating_in_the_admin_still_saves_the_employer(
    register, office_be, staff_client, django_capture_on_commit_callbacks
):
    register.fail(URLError("Name or service not known"))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("wagtailsnippets_crm_employer:add"),
            {
                "office": office_be.pk,
                "legal_name": "Neue Firma AG",
                "uid": VALID_UIDS[3],
                "canton": "BE",
                "language_region": "de",
                "register_status": "active",
                "relationship_status": "new",
            },
        )

    employer = Employer.objects.get(uid=VALID_UIDS[3])
    suggestion = UidRegisterSuggestion.objects.get(employer=employer)
    assert response.status_code == 302
    assert len(register.requests) == 1
    assert suggestion.status == Status.FAILED
    assert suggestion.error_code == "unavailable"
    assert "Name or service not known" in suggestion.error
    page = staff_client.get(review_url(employer)).content.decode()
    assert "The UID register cannot be reached right now." in page


def test_the_task_skips_an_employer_deleted_before_it_ran(register, employer):
    employer_id = employer.pk
    employer.delete()

    result = uid_register_suggestion_fetch_task.delay(employer_id=employer_id)

    assert result.get() == "skipped"
    assert register.requests == []


def test_an_http_error_page_is_a_failed_lookup(register, employer):
    register.answer("not_found.xml", status=503)

    suggestion = uid_register_suggestion_fetch(employer=employer)

    assert suggestion.status == Status.FAILED
    assert "HTTP 503" in suggestion.error


# --- Rate limit -----------------------------------------------------------------------


def test_the_configured_rate_is_never_exceeded_and_frees_up_after_a_minute(
    register, settings, employer
):
    settings.UID_REGISTER_RATE_LIMIT = 3

    with time_machine.travel("2026-03-02 09:00:00 +0100", tick=False) as clock:
        results = [uid_register_suggestion_fetch(employer=employer) for _ in range(5)]
        assert len(register.requests) == 3
        assert [s.status for s in results][3:] == [Status.FAILED, Status.FAILED]
        assert results[4].error_code == "rate_limited"

        clock.shift(30)
        uid_register_suggestion_fetch(employer=employer)
        assert len(register.requests) == 3  # still inside the minute

        clock.shift(32)
        later = uid_register_suggestion_fetch(employer=employer)
        assert len(register.requests) == 4
        assert later.status == Status.PENDING


def test_the_registers_own_limit_pauses_every_lookup_for_a_minute(register, employer):
    register.answer("fault_rate_limit.xml", status=500)

    with time_machine.travel("2026-03-02 09:00:00 +0100", tick=False) as clock:
        refused = uid_register_suggestion_fetch(employer=employer)
        register.answer("found.xml")
        paused = uid_register_suggestion_fetch(employer=employer)
        clock.shift(62)
        resumed = uid_register_suggestion_fetch(employer=employer)

    assert refused.error_code == "rate_limited"
    assert paused.error_code == "rate_limited"
    assert resumed.status == Status.PENDING
    assert len(register.requests) == 2


def test_the_limit_is_shared_by_every_client_through_the_cache(register, employer):
    first, second = UidRegisterClient(rate_limit=2), UidRegisterClient(rate_limit=2)

    with time_machine.travel("2026-03-02 09:00:00 +0100", tick=False):
        first.get_by_uid(employer.uid)
        second.get_by_uid(employer.uid)
        with pytest.raises(UidRegisterRateLimited) as refused:
            first.get_by_uid(employer.uid)

    assert len(register.requests) == 2
    assert 1 <= refused.value.retry_after <= 61


# --- The staff UI ---------------------------------------------------------------------


def test_staff_look_up_and_see_current_and_register_values_side_by_side(
    register, employer, staff_client
):
    response = staff_client.post(
        reverse("uid_register_lookup", args=[employer.pk]), follow=True
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Compare and decide below" in page
    assert 'data-testid="uid-register-comparison"' in page
    assert "<td>Berner Maschinenbau</td>" in page
    assert "<strong>Berner Maschinenbau AG</strong>" in page
    assert "<strong>Freiburgstrasse 251</strong>" in page
    assert "<strong>Company limited by shares (AG/SA)</strong>" in page
    assert 'value="legal_name"' in page and 'value="street"' in page
    assert 'value="canton"' not in page  # the register agrees: nothing to tick


def test_overview_and_edit_page_lead_to_the_uid_register(
    register, employer, anna, staff_client
):
    uid_register_suggestion_fetch(employer=employer, by=anna)

    overview = staff_client.get(reverse("crm_employer_overview", args=[employer.pk]))
    edit = staff_client.get(
        reverse("wagtailsnippets_crm_employer:edit", args=[employer.pk])
    )
    listing = staff_client.get(reverse("wagtailsnippets_crm_employer:list"))

    assert overview.status_code == 200
    assert 'data-testid="uid-register-panel"' in overview.content.decode()
    assert "Compare and decide" in overview.content.decode()
    assert review_url(employer) in overview.content.decode()
    assert edit.status_code == 200
    assert "Look up in the UID register" in edit.content.decode()
    assert review_url(employer) in edit.content.decode()
    assert review_url(employer) in listing.content.decode()


def test_accepting_only_the_ticked_values(register, employer, anna, staff_client):
    suggestion = uid_register_suggestion_fetch(employer=employer, by=anna)

    response = staff_client.post(
        reverse("uid_register_accept", args=[employer.pk, suggestion.pk]),
        {"fields": ["street", "postcode"]},
        follow=True,
    )

    employer.refresh_from_db()
    suggestion.refresh_from_db()
    assert response.status_code == 200
    assert "values are now" in response.content.decode()
    assert (employer.street, employer.postcode) == ("Freiburgstrasse 251", "3018")
    assert employer.legal_name == "Berner Maschinenbau"  # not ticked
    assert suggestion.applied_fields == ["postcode", "street"]


def test_accepting_nothing_ticked_changes_nothing(
    register, employer, anna, staff_client
):
    suggestion = uid_register_suggestion_fetch(employer=employer, by=anna)

    response = staff_client.post(
        reverse("uid_register_accept", args=[employer.pk, suggestion.pk]), follow=True
    )

    suggestion.refresh_from_db()
    assert "Choose at least one value" in response.content.decode()
    assert suggestion.status == Status.PENDING
    assert Employer.objects.get(pk=employer.pk).street == ""


def test_dismissing_keeps_the_employer_as_it_is(register, employer, anna, staff_client):
    suggestion = uid_register_suggestion_fetch(employer=employer, by=anna)

    response = staff_client.post(
        reverse("uid_register_dismiss", args=[employer.pk, suggestion.pk]), follow=True
    )

    suggestion.refresh_from_db()
    page = response.content.decode()
    assert "Dismissed. The employer&#x27;s data stays as it is." in page
    assert 'data-testid="uid-register-comparison"' not in page
    assert suggestion.status == Status.DISMISSED
    assert suggestion.decided_by == anna
    assert Employer.objects.get(pk=employer.pk).legal_name == "Berner Maschinenbau"


def test_another_offices_employer_and_its_suggestion_are_404(
    register, vd_employer, staff_client
):
    suggestion = uid_register_suggestion_fetch(employer=vd_employer)

    pages = [
        staff_client.get(review_url(vd_employer)),
        staff_client.post(reverse("uid_register_lookup", args=[vd_employer.pk])),
        staff_client.post(
            reverse("uid_register_accept", args=[vd_employer.pk, suggestion.pk]),
            {"fields": ["legal_name"]},
        ),
        staff_client.post(
            reverse("uid_register_dismiss", args=[vd_employer.pk, suggestion.pk])
        ),
    ]

    assert [page.status_code for page in pages] == [404, 404, 404, 404]
    assert len(register.requests) == 1  # only the set-up lookup above
    suggestion.refresh_from_db()
    assert suggestion.status == Status.PENDING


def test_a_suggestion_cannot_be_reached_through_another_employer(
    register, employer, vd_employer, staff_client
):
    foreign = uid_register_suggestion_fetch(employer=vd_employer)

    response = staff_client.post(
        reverse("uid_register_accept", args=[employer.pk, foreign.pk]),
        {"fields": ["legal_name"]},
    )

    assert response.status_code == 404
    assert Employer.objects.get(pk=vd_employer.pk).legal_name == "Horlogerie Vaudoise"


def test_posts_without_a_csrf_token_are_refused(register, employer, anna):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)

    response = client.post(reverse("uid_register_lookup", args=[employer.pk]))

    assert response.status_code == 403
    assert register.requests == []


def test_lookup_is_a_post_only(register, employer, staff_client):
    response = staff_client.get(reverse("uid_register_lookup", args=[employer.pk]))

    assert response.status_code == 405
    assert register.requests == []


def test_two_processes_share_the_limit_through_a_redis_cache(settings):
    """The web process and a worker count against the same slots (CACHE_URL=redis)."""
    problem = redis_problem()
    require_service("Redis", problem is None, problem or "")
    url = redis_url()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
        }
    }
    prefix = f"uid_register:test:{uuid.uuid4().hex}"
    other_process = (
        "import django; django.setup()\n"
        "from integrations.uid_register.client import RateLimiter\n"
        f"RateLimiter.prefix = {prefix!r}\n"
        "RateLimiter(3).acquire(); RateLimiter(3).acquire()\n"
    )
    subprocess.run(
        [sys.executable, "-c", other_process],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CACHE_URL": url,
        },
        cwd=settings.BASE_DIR,
        check=True,
        timeout=120,
    )
    limiter = RateLimiter(3)
    limiter.prefix = prefix

    try:
        limiter.acquire()  # the third request of the minute
        with pytest.raises(UidRegisterRateLimited):
            limiter.acquire()
    finally:
        cache.delete_many([limiter._slot_key(i) for i in range(3)])

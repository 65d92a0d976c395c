"""Staff in the Wagtail admin record job opportunities with their full profile and
enter requests that came by phone, e-mail or the hotline; employers give a place's
load profile and region in the portal. Through the browser's requests: what is
stored, what the user sees, and what another office or role cannot do."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from crm.models import (
    ContactPerson,
    EmployerRole,
    JobOpportunity,
    Request,
    StaffRole,
)
from crm.services.cases import case_create
from crm.services.requests import request_submit
from tests.crm.conftest import VALID_UIDS, make_employer, make_office, make_staff
from tests.pages import page_text

from .conftest import make_portal_user

pytestmark = pytest.mark.django_db

OPPORTUNITY_ADD = reverse("wagtailsnippets_crm_jobopportunity:add")
REQUEST_ADD = reverse("wagtailsnippets_crm_request:add")
REQUEST_LIST = reverse("wagtailsnippets_crm_request:list")
EMPLOYER_CHOOSER = reverse("wagtailsnippetchoosers_crm_employer:choose")


@pytest.fixture
def office_be(db):
    return make_office("BE", "BE", "de")


@pytest.fixture
def office_vd(db):
    return make_office("VD", "VD", "fr")


@pytest.fixture
def be_staff(office_be):
    return make_staff(office_be, "be.anna", StaffRole.PLACEMENT)


@pytest.fixture
def be_employer(office_be):
    return make_employer(office_be, "Berner Maschinenbau AG", VALID_UIDS[0])


@pytest.fixture
def vd_employer(office_vd):
    return make_employer(office_vd, "Horlogerie Vaudoise SA", VALID_UIDS[1])


def matching_table(client, case) -> str:
    """The matching page's table (messages of earlier posts are above it)."""
    text = page_text(client.get(reverse("crm_case_matching", args=[case.pk])))
    return text.split('data-testid="matching"', 1)[1].split("</table>", 1)[0]


def opportunity_form(employer, **changes) -> dict:
    """The staff add form as the browser posts it."""
    data = {
        "employer": employer.pk,
        "kind": "trial_place",
        "title": "Mitarbeiter Spedition",
        "occupation": "Logistiker EFZ",
        "description": "Waren annehmen, Lieferscheine prüfen; Staplerausweis.",
        "physical_load": "1",
        "psychological_load": "2",
        "adapted_work_possible": "on",
        "workload_percent": "50",
        "region": "Bern-Mittelland",
        "location": "Ostermundigen",
        "start_on": "2027-02-01",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def request_form(employer, **changes) -> dict:
    data = {
        "channel": "phone",
        "received_at": "2025-05-28 10:00",
        "employer": employer.pk,
        "person": "",
        "kind": "callback",
        "subject": "hiring",
        "message": "Möchte eine Lernende mit Unterstützung der IV einstellen.",
        "callback_phone": "031 300 00 00",
        "callback_time": "vormittags",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Job opportunities recorded by staff ------------------------------------------


def test_staff_records_a_job_opportunity_which_then_fits_a_case(
    client, office_be, be_staff, be_employer
):
    # given a case in placement phase in the same region, able to take a light
    # physical and a medium psychological load at 60 %
    case = case_create(
        staff=be_staff, case_number="IV-2026-0815", aim="placement",
        phase="vocational", region="bern-mittelland", max_physical_load=2,
        max_psychological_load=2, max_workload_percent=60,
    )  # fmt: skip
    client.force_login(be_staff)
    assert "Load profile" in page_text(client.get(OPPORTUNITY_ADD))

    # when the specialist records the place the employer mentioned on the phone
    response = client.post(OPPORTUNITY_ADD, opportunity_form(be_employer))

    # then it is stored for the office, as recorded by staff, with its profile
    assert response.status_code == 302, response.content.decode()[:3000]
    place = JobOpportunity.objects.get()
    assert (place.office, place.employer, place.source, place.status) == (
        office_be, be_employer, "staff", "open",
    )  # fmt: skip
    assert (place.physical_load, place.psychological_load) == (1, 2)
    assert place.occupation == "Logistiker EFZ"
    assert place.region == "Bern-Mittelland" and place.workload_percent == 50
    assert place.start_on == date(2027, 2, 1) and place.adapted_work_possible
    assert place.reported_by is None

    # and it shows in the list and in the case's matching list
    listing = page_text(client.get(reverse("wagtailsnippets_crm_jobopportunity:list")))
    assert "Mitarbeiter Spedition" in listing and "recorded by staff" in listing
    matching = matching_table(client, case)
    assert "Mitarbeiter Spedition" in matching and "Berner Maschinenbau AG" in matching


def test_a_place_too_heavy_for_the_case_is_not_in_its_matching_list(
    client, be_staff, be_employer
):
    case = case_create(
        staff=be_staff, case_number="IV-2026-0816", aim="placement",
        phase="vocational", region="Bern-Mittelland", max_physical_load=1,
    )  # fmt: skip
    client.force_login(be_staff)

    client.post(
        OPPORTUNITY_ADD,
        opportunity_form(be_employer, title="Bauarbeiter", physical_load="3"),
    )

    assert JobOpportunity.objects.get().physical_load == 3
    matching = matching_table(client, case)
    assert "Bauarbeiter" not in matching and "No open job opportunity fits" in matching


def test_the_office_is_the_staff_members_never_chosen(
    client, office_be, office_vd, be_staff, vd_employer
):
    # given a Vaud employer that its lead office shares with Bern
    vd_employer.shared_with.add(office_be)
    client.force_login(be_staff)

    # when Bern records a place for it, with a forged office field
    response = client.post(
        OPPORTUNITY_ADD,
        opportunity_form(vd_employer, office=office_vd.pk, source="portal"),
    )

    # then the place belongs to Bern (whose cases it may fit) and came from staff
    assert response.status_code == 302, response.content.decode()[:3000]
    place = JobOpportunity.objects.get()
    assert place.office == office_be and place.source == "staff"
    assert place.employer == vd_employer


def test_another_offices_employer_can_be_neither_chosen_nor_forged(
    client, be_staff, be_employer, vd_employer
):
    client.force_login(be_staff)

    # the employer chooser lists only the office's employers
    chooser = page_text(client.get(EMPLOYER_CHOOSER))
    assert "Berner Maschinenbau AG" in chooser
    assert "Horlogerie Vaudoise SA" not in chooser

    # and a forged id is refused on the form, nothing saved
    text = page_text(client.post(OPPORTUNITY_ADD, opportunity_form(vd_employer)))
    assert "Select a valid choice" in text
    assert not JobOpportunity.objects.exists()


def test_staff_edit_a_reported_place_with_its_full_profile(
    client, be_staff, be_employer, vd_employer
):
    place = JobOpportunity.objects.create(
        office=be_employer.office, employer=be_employer, kind="job",
        title="Lagerist", source="portal",
    )  # fmt: skip
    client.force_login(be_staff)
    url = reverse("wagtailsnippets_crm_jobopportunity:edit", args=[place.pk])
    form = page_text(client.get(url))
    for label in ("Occupation", "Physical load", "Psychological load", "Region"):
        assert label in form

    response = client.post(
        url,
        opportunity_form(
            vd_employer, kind="job", title="Lagerist", status="proposed",
            physical_load="2", psychological_load="1", region="Emmental",
            occupation="Logistiker", workload_percent="80",
        ),
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:3000]
    place.refresh_from_db()
    assert place.status == "proposed" and place.occupation == "Logistiker"
    assert (place.physical_load, place.psychological_load) == (2, 1)
    assert place.region == "Emmental" and place.workload_percent == 80
    # the employer is read-only and the source stays the portal
    assert place.employer == be_employer and place.source == "portal"


@pytest.mark.parametrize("role", [StaffRole.CASE_OFFICER, StaffRole.COMMUNICATIONS])
def test_roles_without_the_permission_get_403(client, office_be, be_employer, role):
    user = make_staff(office_be, f"be.{role}", role)
    place = JobOpportunity.objects.create(
        office=office_be, employer=be_employer, kind="job", title="Lagerist"
    )
    client.force_login(user)
    edit = reverse("wagtailsnippets_crm_jobopportunity:edit", args=[place.pk])

    refused = client.get(OPPORTUNITY_ADD)
    assert refused.status_code == 403
    assert "Your role does not allow this." in refused.content.decode()
    assert client.post(OPPORTUNITY_ADD, opportunity_form(be_employer)).status_code == (
        403
    )
    assert client.post(edit, opportunity_form(be_employer)).status_code == 403
    assert client.post(REQUEST_ADD, request_form(be_employer)).status_code == 403
    assert JobOpportunity.objects.get().title == "Lagerist"
    assert JobOpportunity.objects.count() == 1 and not Request.objects.exists()


@pytest.mark.parametrize(
    "role", [StaffRole.INTEGRATION, StaffRole.ACQUISITION, StaffRole.TEAM_LEAD]
)
def test_roles_that_edit_employers_may_record_places(client, office_be, role):
    user = make_staff(office_be, f"be.{role}", role)
    assert user.has_perm("crm.add_jobopportunity")
    assert user.has_perm("crm.change_jobopportunity")
    assert user.has_perm("crm.add_request")


# --- The portal's vacancy form -------------------------------------------------------


def test_employer_gives_the_load_profile_and_region_in_the_portal(client, office_be):
    employer = make_employer(office_be, "Aare Logistik AG", VALID_UIDS[2])
    user = make_portal_user(employer, "vreni.zaugg@aare-logistik.ch")
    client.force_login(user)
    url = f"/en/portal/companies/{employer.pk}/opportunities/new/"

    form = page_text(client.get(url))
    assert "How physically demanding is the work? (optional)" in form
    assert "Light: mostly sitting, or light work" in form
    assert "How mentally demanding is the work? (optional)" in form

    response = client.post(
        url,
        {
            "kind": "job", "title": "Chauffeur C1", "workload_percent": "80",
            "region": "Emmental", "physical_load": "3", "psychological_load": "1",
        },
    )  # fmt: skip

    assert response.status_code == 302
    place = JobOpportunity.objects.get()
    assert (place.physical_load, place.psychological_load) == (3, 1)
    assert place.region == "Emmental" and place.source == "portal"
    detail = page_text(client.get(f"/en/portal/opportunities/{place.pk}/"))
    assert "Emmental" in detail and "High" in detail


def test_the_portal_load_profile_is_optional(client, office_be):
    employer = make_employer(office_be, "Aare Logistik AG", VALID_UIDS[2])
    client.force_login(make_portal_user(employer, "vreni.zaugg@aare-logistik.ch"))

    response = client.post(
        f"/en/portal/companies/{employer.pk}/opportunities/new/",
        {"kind": "trial_place", "title": "Lager", "physical_load": ""},
    )

    assert response.status_code == 302
    place = JobOpportunity.objects.get()
    assert place.physical_load is None and place.psychological_load is None
    assert place.region == ""


# --- Requests by phone, e-mail and hotline -------------------------------------------


def test_phone_request_entered_by_staff_heads_the_queue_with_its_working_day_clock(
    client, office_be, be_staff, be_employer
):
    # given a request that came through the portal today
    request_submit(
        employer=be_employer, person=None, kind="advice", subject="other",
        message="Eine Frage zur Früherfassung.",
    )  # fmt: skip
    client.force_login(be_staff)
    form = page_text(client.get(REQUEST_ADD))
    assert 'value="hotline"' in form and 'value="portal"' not in form

    # when a call from the Wednesday before Ascension 2025 is entered
    response = client.post(REQUEST_ADD, request_form(be_employer))

    # then it is stored as a phone request taken by this staff member, its clock
    # counted in Bern's working days: Ascension (29 May) and Whit Monday (9 June)
    # do not count towards the office's seven days
    assert response.status_code == 302, response.content.decode()[:3000]
    phoned = Request.objects.get(channel="phone")
    assert phoned.received_at == datetime(
        2025, 5, 28, 10, 0, tzinfo=ZoneInfo("Europe/Zurich")
    )
    assert phoned.due_on == date(2025, 6, 10)
    assert (phoned.office, phoned.recorded_by, phoned.status) == (
        office_be, be_staff, "open",
    )  # fmt: skip
    assert phoned.callback_phone == "031 300 00 00"
    assert phoned.callback_time == "vormittags"

    # and the queue shows it first, overdue, before today's portal request
    page = page_text(client.get(REQUEST_LIST))
    listing = page.split('class="listing', 1)[1]
    rows = listing.split("<tbody", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    with translation.override("en"):
        due = formats.date_format(phoned.due_on, "SHORT_DATE_FORMAT")
    assert due in rows[0] and "overdue" in rows[0] and "phone" in rows[0]
    assert "portal" in rows[1] and "overdue" not in rows[1]


def test_email_request_with_its_contact_person(client, be_staff, be_employer):
    person = ContactPerson.objects.create(
        office=be_employer.office, first_name="Ruth", last_name="Gerber"
    )
    EmployerRole.objects.create(employer=be_employer, person=person, function="hr")
    client.force_login(be_staff)
    before = timezone.now()

    response = client.post(
        REQUEST_ADD,
        request_form(
            be_employer, channel="email", person=person.pk, kind="advice",
            callback_phone="", received_at=timezone.localtime().strftime(
                "%Y-%m-%d %H:%M"
            ),
        ),
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:3000]
    request = Request.objects.get()
    assert request.channel == "email" and request.person == person
    assert request.received_at >= before.replace(second=0, microsecond=0)
    assert request.due_on > timezone.localdate()


def test_forged_employer_person_or_portal_channel_is_refused(
    client, be_staff, be_employer, vd_employer
):
    stranger = ContactPerson.objects.create(
        office=be_employer.office, first_name="Hans", last_name="Muster"
    )
    client.force_login(be_staff)

    forged_employer = page_text(client.post(REQUEST_ADD, request_form(vd_employer)))
    foreign_person = page_text(
        client.post(REQUEST_ADD, request_form(be_employer, person=stranger.pk))
    )
    portal = page_text(
        client.post(REQUEST_ADD, request_form(be_employer, channel="portal"))
    )
    future = page_text(
        client.post(
            REQUEST_ADD,
            request_form(
                be_employer,
                received_at=(timezone.localtime() + timedelta(days=2)).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            ),
        )
    )

    assert "Select a valid choice" in forged_employer
    assert "This person does not work for the employer." in foreign_person
    assert "Select a valid choice" in portal
    assert "The receipt time cannot be in the future." in future
    assert not Request.objects.exists()


def test_a_call_back_needs_the_number(client, be_staff, be_employer):
    client.force_login(be_staff)

    text = page_text(
        client.post(REQUEST_ADD, request_form(be_employer, callback_phone=""))
    )

    assert "Give the number to call back for a call-back." in text
    assert not Request.objects.exists()


def test_the_request_form_is_csrf_protected(be_staff, be_employer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(be_staff)

    refused = client.post(REQUEST_ADD, request_form(be_employer))
    assert refused.status_code == 403
    assert not Request.objects.exists()

    form = page_text(client.get(REQUEST_ADD))
    assert "csrfmiddlewaretoken" in form
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        REQUEST_ADD, {**request_form(be_employer), "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert Request.objects.get().channel == "phone"

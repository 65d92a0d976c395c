"""The employer page (360°), logging a contact from it, and the dashboard panels."""

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from crm.models import (
    Contact,
    ContactPerson,
    CooperationAssessment,
    Employer,
    EmployerRole,
    FollowUp,
    Office,
    RelationshipStatus,
    StaffProfile,
    StaffRole,
    Team,
)
from crm.roles import staff_role_apply
from crm.selectors import TimelineFilters, TimelineItem, employer_timeline
from crm.services.contacts import contact_log

TODAY = date(2026, 3, 16)
pytestmark = pytest.mark.django_db


# --- Local builders (until tests/factories.py exists) -------------------------


def an_office(code: str) -> Office:
    return Office.objects.create(
        code=code, name=f"IV-Stelle {code}", canton=code, languages=["de"]
    )


def a_staff_member(office, username, role=StaffRole.INTEGRATION, team=None):
    user = get_user_model().objects.create_user(
        username=username,
        password="a-long-test-password",
        first_name=username.title(),
        last_name="Muster",
        email=f"{username}@example.ch",
    )
    StaffProfile.objects.create(user=user, office=office, role=role, team=team)
    staff_role_apply(user, role)
    # The admin speaks the user's language; the assertions read English.
    UserProfile.objects.create(user=user, preferred_language="en")
    return user


def an_employer(office, name="Aare Logistik AG", **extra) -> Employer:
    extra.setdefault("relationship_status", RelationshipStatus.ACTIVE)
    return Employer.objects.create(
        office=office,
        legal_name=name,
        canton=office.code,
        language_region="de",
        **extra,
    )


def a_person(employer, first, last, function="hr", fixed=False) -> ContactPerson:
    person = ContactPerson.objects.create(
        office=employer.office, first_name=first, last_name=last
    )
    EmployerRole.objects.create(
        employer=employer, person=person, function=function, is_fixed_contact=fixed
    )
    return person


def log(employer, staff, **extra) -> Contact:
    fields = {
        "occurred_on": TODAY,
        "channel": Contact.Channel.PHONE,
        "case_related": False,
        "initiated_by": Contact.InitiatedBy.OFFICE,
        **extra,
    }
    return contact_log(employer=employer, staff=staff, **fields)


def page_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def timeline_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<li class="crm-timeline-item[^"]*" data-kind="(\w+)"', html)


def overview_url(employer, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    url = reverse("crm_employer_overview", args=[employer.pk])
    return f"{url}?{query}" if query else url


@pytest.fixture(autouse=True)
def in_english():
    """Assertions read the English source texts, whatever translations exist."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 3, 16, 9, 0), tick=False):
        yield


@pytest.fixture
def bern():
    return an_office("BE")


@pytest.fixture
def anna(bern):
    return a_staff_member(bern, "anna")


@pytest.fixture
def aare(bern, anna):
    deputy = a_staff_member(bern, "beat")
    return an_employer(
        bern,
        uid="CHE-116.281.710",
        municipality="Thun",
        fixed_contact=anna,
        deputy_contact=deputy,
        cooperation_type="B",
        intensity="align",
    )


@pytest.fixture
def client_anna(client, anna):
    client.force_login(anna)
    return client


# --- The page -----------------------------------------------------------------


def test_employer_page_shows_facts_people_cooperation_follow_ups_and_chart(
    client_anna, anna, aare
):
    # Given contact persons, a cooperation history, a rated contact with a follow-up
    a_person(aare, "Vreni", "Keller", function="hr", fixed=True)
    a_person(aare, "Urs", "Brunner", function="ceo")
    CooperationAssessment.objects.create(
        employer=aare,
        valid_from=date(2025, 5, 1),
        cooperation_type="C",
        intensity="inform",
        reason="First trial placement",
    )
    log(
        aare,
        anna,
        rating={"transparency": 4, "trust": 5},
        follow_up_on=date(2026, 3, 30),
        follow_up_note="Call about the apprenticeship",
    )

    # When Anna opens the employer page
    response = client_anna.get(overview_url(aare))

    # Then she sees the whole picture
    assert response.status_code == 200
    text = page_text(response)
    assert "Aare Logistik AG" in text
    assert "CHE-116.281.710" in text
    assert "Fixed contact Anna Muster" in text
    assert "Deputy Beat Muster" in text
    assert "B – coordination-oriented" in text
    assert "First trial placement" in text  # the history
    assert "Vreni Keller fixed contact human resources" in text
    assert "Urs Brunner management / CEO" in text
    assert "Call about the apprenticeship" in text  # open follow-up
    assert "Quality score 4.50 / 5" in text
    html = response.content.decode()
    assert '<svg class="crm-chart"' in html
    assert "Transparency" in text and "4.0" in text
    assert "Log contact" in text
    assert reverse("crm_contact_log", args=[aare.pk]) in html


def test_employer_page_shows_when_a_case_independent_contact_is_due(
    client_anna, anna, aare
):
    with time_machine.travel(date(2024, 2, 1), tick=False):
        log(aare, anna, occurred_on=date(2024, 2, 1))

    text = page_text(client_anna.get(overview_url(aare)))

    assert "Case-independent contact due since 02/01/2025" in text


def test_employer_of_another_office_is_not_found(client_anna):
    vaud = an_office("VD")
    leman = an_employer(vaud, "Léman Services SA")

    assert client_anna.get(overview_url(leman)).status_code == 404
    assert (
        client_anna.get(reverse("crm_contact_log", args=[leman.pk])).status_code == 404
    )


def test_shared_employer_shows_each_office_only_its_own_contacts(client, anna, aare):
    vaud = an_office("VD")
    aare.shared_with.add(vaud)
    luc = a_staff_member(vaud, "luc")
    log(aare, anna, outcome="Bern spoke to HR")
    log(aare, luc, outcome="Vaud met the branch manager")

    client.force_login(luc)
    text = page_text(client.get(overview_url(aare)))

    assert "Vaud met the branch manager" in text
    assert "Bern spoke to HR" not in text


def test_superuser_sees_contacts_of_every_office(client, anna, aare):
    vaud = an_office("VD")
    aare.shared_with.add(vaud)
    log(aare, anna, outcome="Bern spoke to HR")
    log(aare, a_staff_member(vaud, "luc"), outcome="Vaud met the branch manager")
    admin = get_user_model().objects.create_superuser("root", "root@example.ch", "pw")
    UserProfile.objects.create(user=admin, preferred_language="en")

    client.force_login(admin)
    text = page_text(client.get(overview_url(aare)))

    assert "Bern spoke to HR" in text and "Vaud met the branch manager" in text


# --- Timeline -----------------------------------------------------------------


def test_timeline_is_newest_first_and_filters_by_kind_and_channel(
    client_anna, anna, aare
):
    log(aare, anna, occurred_on=date(2026, 1, 5), outcome="January call")
    log(
        aare,
        anna,
        occurred_on=date(2026, 2, 9),
        channel="visit",
        case_related=True,
        outcome="February case visit",
    )
    log(
        aare, anna, occurred_on=date(2026, 3, 2), channel="visit", outcome="March visit"
    )

    everything = page_text(client_anna.get(overview_url(aare)))
    assert (
        everything.index("March visit")
        < everything.index("February case visit")
        < everything.index("January call")
    )

    case_independent = page_text(
        client_anna.get(overview_url(aare, kind="case_independent"))
    )
    assert "January call" in case_independent and "March visit" in case_independent
    assert "February case visit" not in case_independent

    case_related = page_text(client_anna.get(overview_url(aare, kind="case_related")))
    assert "February case visit" in case_related
    assert "January call" not in case_related

    visits = page_text(client_anna.get(overview_url(aare, channel="visit")))
    assert "March visit" in visits and "February case visit" in visits
    assert "January call" not in visits

    case_visits = page_text(
        client_anna.get(overview_url(aare, kind="case_independent", channel="visit"))
    )
    assert "March visit" in case_visits
    assert "February case visit" not in case_visits


def test_timeline_is_paginated(client_anna, anna, aare):
    for day in range(1, 26):
        log(aare, anna, occurred_on=date(2026, 1, day), outcome=f"Call no. {day}")

    first = client_anna.get(overview_url(aare))
    second = client_anna.get(overview_url(aare, page=2))

    assert len(timeline_titles(first)) == 20
    assert "Call no. 25" in page_text(first) and "Call no. 6 " in page_text(first)
    assert "Page 1 of 2" in page_text(first)
    assert len(timeline_titles(second)) == 5
    assert "Call no. 5 " in page_text(second) and "Call no. 25" not in page_text(second)
    # A page out of range shows the last one
    assert len(timeline_titles(client_anna.get(overview_url(aare, page=99)))) == 5


def test_case_related_notes_only_for_staff_allowed_to_see_case_related_items(
    client, bern, anna, aare
):
    log(
        aare,
        anna,
        case_related=True,
        outcome="Return to work at 50 %",
        notes="Round table with the line manager",
    )
    log(aare, anna, outcome="Presented the onboarding subsidy")
    acquisition = a_staff_member(bern, "carla", role=StaffRole.ACQUISITION)

    client.force_login(acquisition)
    text = page_text(client.get(overview_url(aare)))
    assert "case-related" in text
    assert "Return to work at 50 %" not in text
    assert "Round table" not in text
    assert "Presented the onboarding subsidy" in text

    client.force_login(anna)
    text = page_text(client.get(overview_url(aare)))
    assert "Return to work at 50 %" in text
    assert "Round table with the line manager" in text


def test_timeline_merges_items_of_every_source_by_date(anna, aare):
    """A later issue adds events, mailings … as one more source; they interleave."""
    log(aare, anna, occurred_on=date(2026, 1, 10), outcome="Call")
    log(aare, anna, occurred_on=date(2026, 3, 10), outcome="Visit")

    class FakeEventSource:
        kind = "event"

        def queryset(self, employer, *, office_id, filters: TimelineFilters):
            if filters.case_related:
                return None
            return [date(2026, 2, 10), date(2025, 12, 1)]

        def sort_key(self, day):
            return (day, timezone.make_aware(datetime(2026, 1, 1)))

        def item(self, day, *, may_see_case_related):
            return TimelineItem(
                kind=self.kind,
                kind_label="Event",
                occurred_on=day,
                recorded_at=timezone.make_aware(datetime(2026, 1, 1)),
                title="Employer breakfast",
            )

    class CountableList(list):
        def count(self):
            return len(self)

    class Source(FakeEventSource):
        def queryset(self, employer, *, office_id, filters):
            rows = super().queryset(employer, office_id=office_id, filters=filters)
            return None if rows is None else CountableList(rows)

    from crm.selectors import TIMELINE_SOURCES

    sources = [*TIMELINE_SOURCES, Source()]
    timeline = employer_timeline(aare, user=anna, sources=sources, per_page=3)

    assert [(item.kind, item.occurred_on) for item in timeline.items] == [
        ("contact", date(2026, 3, 10)),
        ("event", date(2026, 2, 10)),
        ("contact", date(2026, 1, 10)),
    ]
    assert timeline.total == 4
    assert timeline.has_next
    case_related = employer_timeline(
        aare, user=anna, sources=sources, case_related=True
    )
    assert case_related.items == []


def test_employer_page_query_count_does_not_grow_with_contacts(
    client_anna,
    bern,
    anna,
    aare,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    # Given an employer with people and history, and contacts that each have
    # participants, colleagues, topics, a rating and a follow-up
    people = [a_person(aare, f"P{index}", "Keller") for index in range(3)]
    colleague = a_staff_member(bern, "beat2")
    CooperationAssessment.objects.create(
        employer=aare, valid_from=date(2025, 1, 1), cooperation_type="C", reason="x"
    )

    def add_contacts(numbers):
        for index in numbers:
            log(
                aare,
                anna,
                occurred_on=TODAY - timedelta(days=index),
                case_related=bool(index % 2),
                topics=["information"],
                participants=people,
                staff_participants=[colleague],
                rating={"trust": 1 + index % 5, "empathy": 3},
                follow_up_on=TODAY + timedelta(days=index),
            )

    # When the page is opened with 5 contacts
    add_contacts(range(5))
    with (
        django_assert_max_num_queries(EMPLOYER_PAGE_MAX_QUERIES),
        CaptureQueriesContext(connection) as with_5,
    ):
        response = client_anna.get(overview_url(aare))
    assert len(timeline_titles(response)) == 5

    # Then it takes exactly as many queries with 50
    add_contacts(range(5, 50))
    with django_assert_num_queries(len(with_5.captured_queries)):
        response = client_anna.get(overview_url(aare))
    assert len(timeline_titles(response)) == 20


#: Measured: 20. Seven are the request's own (session, user, OTP device, two for
#: permissions, Wagtail and staff profiles), three Wagtail's menu; the page itself
#: takes ten: employer, timeline count, contacts, their participants, colleagues and
#: follow-ups, ratings for the chart, cooperation history, contact persons, open
#: follow-ups; the portal adds a COUNT per timeline source (requests, job
#: opportunities) and the job-opportunity list; cases add a COUNT per case source
#: (measures, placements) and the case panel's four (open cases, granted measures
#: by kind, awaiting approval, placements). The margin leaves room for other apps'
#: menu items.
EMPLOYER_PAGE_MAX_QUERIES = 34


# --- Logging a contact from the page ------------------------------------------


def test_contact_logged_through_the_form_appears_on_the_timeline(
    client_anna, bern, anna, aare
):
    vreni = a_person(aare, "Vreni", "Keller")
    beat = get_user_model().objects.get(username="beat")

    form = client_anna.get(reverse("crm_contact_log", args=[aare.pk]))
    assert form.status_code == 200
    assert "Vreni Keller" in page_text(form)

    response = client_anna.post(
        reverse("crm_contact_log", args=[aare.pk]),
        {
            "occurred_on": "2026-03-16",
            "case_related": "0",
            "channel": "visit",
            "initiated_by": "office",
            "topics": ["job_acquisition"],
            "participants": [vreni.pk],
            "staff_participants": [beat.pk],
            "outcome": "Offers a trial place in logistics",
            "trust": "5",
            "transparency": "4",
            "follow_up_on": "2026-03-25",
            "follow_up_assignee": "",
            "follow_up_note": "Send the agreement",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == overview_url(aare)
    text = page_text(response)
    assert "Contact with Aare Logistik AG logged." in text
    assert "Offers a trial place in logistics" in text
    assert "Vreni Keller" in text
    assert "Contact quality 4.5 / 5" in text
    assert "Next appointment 03/25/2026 – Anna Muster: Send the agreement" in text
    assert FollowUp.objects.get().assignee == anna


def test_form_shows_the_services_errors_and_saves_nothing(client_anna, aare):
    response = client_anna.post(
        reverse("crm_contact_log", args=[aare.pk]),
        {
            "occurred_on": "2026-03-20",
            "case_related": "1",
            "channel": "phone",
            "initiated_by": "employer",
            "follow_up_on": "2026-03-01",
        },
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "The contact was not saved" in text
    assert "A contact cannot be in the future" in text
    assert "is in the past" in text
    assert not Contact.objects.exists()


def test_staff_without_office_access_cannot_log(client, aare):
    outsider = get_user_model().objects.create_user("eve", password="x-long-password")
    client.force_login(outsider)

    response = client.get(reverse("crm_contact_log", args=[aare.pk]))

    assert response.status_code in (302, 403)


def test_search_with_one_match_goes_straight_to_the_form(client_anna, aare):
    response = client_anna.get(reverse("crm_contact_log_choose"), {"q": "aare"})

    assert response.status_code == 302
    assert response.url == reverse("crm_contact_log", args=[aare.pk])


def test_search_lists_only_employers_of_the_office(client_anna, bern, aare):
    an_employer(bern, "Aarberg Bau AG")
    an_employer(an_office("VD"), "Aarau Horlogerie SA")

    text = page_text(client_anna.get(reverse("crm_contact_log_choose"), {"q": "aar"}))

    assert "Aare Logistik AG" in text and "Aarberg Bau AG" in text
    assert "Aarau Horlogerie SA" not in text


# --- Follow-ups, settings, dashboard ------------------------------------------


def test_marking_a_follow_up_done_removes_it_from_the_page(client_anna, anna, aare):
    log(aare, anna, follow_up_on=date(2026, 3, 18), follow_up_note="Send brochure")
    follow_up = FollowUp.objects.get()

    response = client_anna.post(
        reverse("crm_follow_up_done", args=[follow_up.pk]),
        {"next": overview_url(aare)},
        follow=True,
    )

    assert "Follow-up done." in page_text(response)
    assert "No open follow-ups." in page_text(response)


def test_follow_up_of_another_office_cannot_be_closed(client, anna, aare):
    log(aare, anna, follow_up_on=date(2026, 3, 18))
    client.force_login(a_staff_member(an_office("VD"), "luc"))

    response = client.post(
        reverse("crm_follow_up_done", args=[FollowUp.objects.get().pk])
    )

    assert response.status_code == 404
    assert FollowUp.objects.open().exists()


def test_staff_member_switches_the_daily_mail_off(client_anna, anna):
    page = client_anna.get(reverse("crm_my_settings"))
    assert "Daily e-mail with my follow-ups" in page_text(page)

    client_anna.post(reverse("crm_my_settings"), {})

    anna.staff_profile.refresh_from_db()
    assert anna.staff_profile.follow_up_digest is False


def test_dashboard_shows_my_follow_ups_due_employers_and_team_contacts(
    client, bern, anna, aare
):
    # Given Anna and Beat in one team, Carla in another
    team = Team.objects.create(office=bern, name="Arbeitgeberteam")
    other_team = Team.objects.create(office=bern, name="Eingliederung")
    StaffProfile.objects.filter(user=anna).update(team=team)
    beat = get_user_model().objects.get(username="beat")
    StaffProfile.objects.filter(user=beat).update(team=team)
    carla = a_staff_member(bern, "carla", team=other_team)
    emme = an_employer(bern, "Emme Holzbau GmbH")
    an_employer(bern, "Ruhende AG", relationship_status=RelationshipStatus.DORMANT)
    # An employer contacted case-independently recently is not due
    log(
        aare,
        anna,
        occurred_on=date(2026, 3, 10),
        follow_up_on=date(2026, 3, 17),
        follow_up_note="Send the trial-place agreement",
    )
    log(emme, beat, occurred_on=date(2026, 3, 12), case_related=True)
    log(emme, carla, occurred_on=date(2026, 3, 13), case_related=True)
    log(
        emme,
        anna,
        occurred_on=date(2026, 3, 1),
        case_related=True,
        follow_up_on=date(2026, 5, 1),
        follow_up_note="Far away",
    )

    client.force_login(anna)
    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(response)
    # My follow-ups: the one due tomorrow, not the one in May
    assert "Send the trial-place agreement" in text
    assert "Far away" not in text
    # Due for a case-independent contact: Emme (only case-related and far contacts)
    due_rows = re.findall(r'<tr class="crm-employer-due">(.*?)</tr>', html, flags=re.S)
    assert len(due_rows) == 1 and "Emme Holzbau GmbH" in due_rows[0]
    # Recent contacts of my team: Beat's and mine, not Carla's
    team_rows = re.findall(r'<tr class="crm-team-contact">(.*?)</tr>', html, flags=re.S)
    assert len(team_rows) == 3
    assert not any("Carla" in row for row in team_rows)
    # Logging a contact is one search away
    assert reverse("crm_contact_log_choose") in html
    assert reverse("crm_contact_log", args=[aare.pk]) in html


# --- The contacts list ------------------------------------------------------------


def test_contacts_list_shows_the_offices_contacts_and_filters_them(
    client_anna, anna, aare
):
    vaud = an_office("VD")
    aare.shared_with.add(vaud)
    emme = an_employer(anna.staff_profile.office, "Emme Holzbau GmbH")
    log(aare, anna, channel="visit")
    log(emme, anna, channel="phone", case_related=True, occurred_on=date(2026, 3, 1))
    log(aare, a_staff_member(vaud, "luc"), channel="email")
    url = reverse("crm_contacts:index")

    def listed(**filters) -> list[str]:
        """The text of each row of the contacts table."""
        html = client_anna.get(url, filters).content.decode()
        table = re.search(r'<table class="listing.*?<tbody>(.*?)</tbody>', html, re.S)
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1) if table else "", re.S)
        return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]

    everything = listed()
    assert len(everything) == 2  # not Vaud's contact with the shared employer
    assert "Aare Logistik AG" in everything[0]  # newest first
    assert "Emme Holzbau GmbH" in everything[1]
    assert listed(channel="email") == []
    visits = listed(channel="visit")
    assert len(visits) == 1 and "Aare Logistik AG" in visits[0]
    case_related = listed(case_related="true")
    assert len(case_related) == 1 and "Emme Holzbau GmbH" in case_related[0]


def test_contacts_are_not_added_or_edited_past_the_log_form(client_anna, anna, aare):
    contact = log(aare, anna, occurred_on=date(2026, 3, 2))

    add = client_anna.get(reverse("crm_contacts:add"))
    edit = client_anna.post(
        reverse("crm_contacts:edit", args=[contact.pk]), {"occurred_on": "2026-01-01"}
    )

    # Wagtail sends people without permission back to the dashboard
    assert (add.status_code, add.url) == (302, reverse("wagtailadmin_home"))
    assert (edit.status_code, edit.url) == (302, reverse("wagtailadmin_home"))
    contact.refresh_from_db()
    assert contact.occurred_on == date(2026, 3, 2)


def test_employer_list_leads_to_the_employer_page_and_the_log_form(client_anna, aare):
    html = client_anna.get(
        reverse("wagtailsnippets_crm_employer:list")
    ).content.decode()

    assert reverse("crm_employer_overview", args=[aare.pk]) in html
    assert reverse("crm_contact_log", args=[aare.pk]) in html

"""Logging contacts (`contact_log`) and what it derives per employer."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from crm.models import (
    Contact,
    ContactPerson,
    ContactQualityRating,
    Employer,
    EmployerRole,
    FollowUp,
    Office,
    RelationshipStatus,
    StaffProfile,
    StaffRole,
)
from crm.roles import staff_role_apply
from crm.selectors import employers_due_for_contact
from crm.services.contacts import (
    contact_log,
    employer_contact_stats_refresh,
    follow_up_complete,
    office_contact_dates_refresh,
)

TODAY = date(2026, 3, 16)
pytestmark = pytest.mark.django_db


# --- Local builders (until tests/factories.py exists) -------------------------


def an_office(code: str = "BE", **extra) -> Office:
    return Office.objects.create(
        code=code, name=f"IV-Stelle {code}", canton=code, languages=["de"], **extra
    )


def a_staff_member(office: Office, username: str, role: str = StaffRole.INTEGRATION):
    user = get_user_model().objects.create_user(
        username=username,
        password="a-long-test-password",
        first_name=username.title(),
        last_name=office.code,
        email=f"{username}@example.ch",
    )
    StaffProfile.objects.create(user=user, office=office, role=role)
    staff_role_apply(user, role)
    return user


def an_employer(office: Office, name: str = "Aare Logistik AG", **extra) -> Employer:
    extra.setdefault("relationship_status", RelationshipStatus.ACTIVE)
    return Employer.objects.create(
        office=office,
        legal_name=name,
        canton=office.code,
        language_region="de",
        **extra,
    )


def a_person(employer: Employer, first: str = "Vreni", last: str = "Keller"):
    person = ContactPerson.objects.create(
        office=employer.office, first_name=first, last_name=last
    )
    EmployerRole.objects.create(employer=employer, person=person, function="hr")
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


@pytest.fixture
def bern():
    return an_office("BE")


@pytest.fixture
def anna(bern):
    return a_staff_member(bern, "anna")


@pytest.fixture
def aare(bern):
    return an_employer(bern)


@pytest.fixture(autouse=True)
def in_english():
    """Assertions read the English source texts, whatever translations exist."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 3, 16), tick=False):
        yield


# --- Logging ------------------------------------------------------------------


def test_logged_contact_keeps_participants_rating_and_creates_follow_up(
    bern, anna, aare
):
    # Given a contact person at the employer and a colleague
    vreni = a_person(aare)
    beat = a_staff_member(bern, "beat")

    # When Anna logs a visit with both, a rating and a next appointment for Beat
    contact = log(
        aare,
        anna,
        channel=Contact.Channel.VISIT,
        topics=["job_acquisition", "information"],
        starting_point="acquisition",
        participants=[vreni],
        staff_participants=[beat],
        outcome="Two trial places offered.",
        rating={"transparency": 4, "trust": 5, "empathy": None},
        follow_up_on=date(2026, 4, 1),
        follow_up_assignee=beat,
        follow_up_note="Send the trial-place contract",
    )

    # Then everything is stored as given, in Anna's office
    contact.refresh_from_db()
    assert contact.office == bern
    assert list(contact.participants.all()) == [vreni]
    assert list(contact.staff_participants.all()) == [beat]
    assert contact.topics == ["job_acquisition", "information"]
    assert contact.rating.transparency == 4
    assert contact.rating.trust == 5
    assert contact.rating.empathy is None
    follow_up = FollowUp.objects.get()
    assert (follow_up.due_on, follow_up.assignee, follow_up.employer) == (
        date(2026, 4, 1),
        beat,
        aare,
    )
    assert follow_up.contact == contact
    assert follow_up.office == bern
    assert follow_up.note == "Send the trial-place contract"


def test_follow_up_is_assigned_to_the_staff_member_by_default(anna, aare):
    log(aare, anna, follow_up_on=date(2026, 3, 20))

    assert FollowUp.objects.get().assignee == anna


def test_contact_without_any_mark_has_no_rating(anna, aare):
    contact = log(aare, anna, rating={"trust": None, "empathy": ""})

    assert not ContactQualityRating.objects.filter(contact=contact).exists()


def test_contact_with_shared_employer_belongs_to_the_logging_office(bern, aare):
    # Given the employer is shared with Vaud
    vaud = an_office("VD")
    aare.shared_with.add(vaud)
    luc = a_staff_member(vaud, "luc")

    # When a Vaud staff member logs a contact
    contact = log(aare, luc)

    # Then it is Vaud's contact
    assert contact.office == vaud


def test_office_cannot_log_contact_with_employer_it_does_not_see(aare):
    vaud = an_office("VD")
    luc = a_staff_member(vaud, "luc")

    with pytest.raises(ValidationError) as error:
        log(aare, luc)

    assert "neither led by nor shared with VD" in str(
        error.value.message_dict["employer"]
    )
    assert not Contact.objects.exists()


# --- Bad input: clear messages, nothing saved half-way ------------------------


def assert_nothing_saved():
    assert not Contact.objects.exists()
    assert not ContactQualityRating.objects.exists()
    assert not FollowUp.objects.exists()


def test_contact_in_the_future_is_rejected(anna, aare):
    with pytest.raises(ValidationError) as error:
        log(aare, anna, occurred_on=date(2026, 3, 17), follow_up_on=date(2026, 4, 1))

    assert "cannot be in the future" in error.value.message_dict["occurred_on"][0]
    assert_nothing_saved()


@pytest.mark.parametrize("mark", [0, 6, -1])
def test_rating_outside_1_to_5_is_rejected(anna, aare, mark):
    with pytest.raises(ValidationError) as error:
        log(aare, anna, rating={"trust": 4, "reliability": mark})

    messages = error.value.message_dict
    assert list(messages) == ["reliability"]
    assert_nothing_saved()


def test_participant_from_another_employer_is_rejected(bern, anna, aare):
    other = an_employer(bern, "Emme Holzbau GmbH")
    vreni = a_person(aare)
    hans = a_person(other, "Hans", "Zaugg")

    with pytest.raises(ValidationError) as error:
        log(aare, anna, participants=[vreni, hans])

    message = error.value.message_dict["participants"][0]
    assert "Hans Zaugg" in message
    assert "Vreni" not in message
    assert "Aare Logistik AG" in message
    assert_nothing_saved()


def test_follow_up_date_in_the_past_is_rejected(anna, aare):
    with pytest.raises(ValidationError) as error:
        log(aare, anna, follow_up_on=date(2026, 3, 15))

    assert "is in the past" in error.value.message_dict["follow_up_on"][0]
    assert_nothing_saved()


def test_follow_up_today_is_accepted(anna, aare):
    log(aare, anna, follow_up_on=TODAY)

    assert FollowUp.objects.get().due_on == TODAY


def test_follow_up_assignee_from_another_office_is_rejected(anna, aare):
    luc = a_staff_member(an_office("VD"), "luc")

    with pytest.raises(ValidationError) as error:
        log(aare, anna, follow_up_on=date(2026, 4, 1), follow_up_assignee=luc)

    assert (
        "Luc VD does not work for BE"
        in error.value.message_dict["follow_up_assignee"][0]
    )
    assert_nothing_saved()


def test_follow_up_assignee_without_date_is_rejected(bern, anna, aare):
    with pytest.raises(ValidationError) as error:
        log(aare, anna, follow_up_assignee=a_staff_member(bern, "beat"))

    assert "Give the date" in error.value.message_dict["follow_up_on"][0]
    assert_nothing_saved()


def test_all_problems_are_reported_at_once(anna, aare):
    with pytest.raises(ValidationError) as error:
        log(
            aare,
            anna,
            occurred_on=date(2027, 1, 1),
            channel="carrier pigeon",
            rating={"trust": 9},
            follow_up_on=date(2020, 1, 1),
        )

    assert set(error.value.message_dict) == {
        "occurred_on",
        "channel",
        "trust",
        "follow_up_on",
    }


# --- Derived fields -----------------------------------------------------------


def test_last_contact_and_last_case_independent_contact_are_derived(anna, aare):
    # Given a case-independent phone call in January and a case-related visit in March
    log(aare, anna, occurred_on=date(2026, 1, 12), case_related=False)
    log(aare, anna, occurred_on=date(2026, 3, 2), case_related=True)

    # Then the employer knows both dates
    aare.refresh_from_db()
    assert aare.last_contact_on == date(2026, 3, 2)
    assert aare.last_case_independent_contact_on == date(2026, 1, 12)


def test_contacts_of_every_office_count_for_the_derived_fields(aare):
    vaud = an_office("VD")
    aare.shared_with.add(vaud)
    log(aare, a_staff_member(vaud, "luc"), occurred_on=date(2026, 2, 3))

    aare.refresh_from_db()
    assert aare.last_contact_on == date(2026, 2, 3)


def test_quality_score_weighs_recent_ratings_more(anna, aare):
    # Given all marks 5 today and all marks 1 a year (365.25 days ≈ half-life) ago
    log(aare, anna, occurred_on=date(2025, 3, 16), rating={"trust": 1, "empathy": 1})
    log(aare, anna, occurred_on=TODAY, rating={"trust": 5})

    # Then the score is the weighted mean: (1 × 5 + ~0.5 × 1) / ~1.5
    aare.refresh_from_db()
    assert aare.quality_score == Decimal("3.67")


def test_quality_score_averages_only_the_marks_given(anna, aare):
    log(aare, anna, rating={"trust": 5, "empathy": 4, "continuity": None})

    aare.refresh_from_db()
    assert aare.quality_score == Decimal("4.50")


def test_employer_without_ratings_has_no_quality_score(anna, aare):
    log(aare, anna)

    aare.refresh_from_db()
    assert aare.quality_score is None


def test_quality_score_does_not_change_as_time_passes(anna, aare):
    log(aare, anna, occurred_on=date(2025, 9, 1), rating={"trust": 2})
    log(aare, anna, occurred_on=TODAY, rating={"trust": 4})
    aare.refresh_from_db()
    score_today = aare.quality_score

    with time_machine.travel(date(2029, 6, 1), tick=False):
        employer_contact_stats_refresh(aare)

    assert aare.quality_score == score_today


# --- Due / overdue by the office's rule (time frozen) -------------------------


def employer_with_case_independent_contact_on(day, staff, employer):
    with time_machine.travel(day, tick=False):
        log(employer, staff, occurred_on=day)
    employer.refresh_from_db()
    return employer


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 1, 9), "ok"),
        (date(2026, 1, 10), "due"),
        (date(2028, 1, 9), "due"),
        (date(2028, 1, 10), "overdue"),
    ],
)
def test_contact_is_due_after_12_and_overdue_after_36_months(anna, aare, today, status):
    # Given the office's rule 12 / 36 months and a case-independent contact
    employer_with_case_independent_contact_on(date(2025, 1, 10), anna, aare)

    # When time passes
    with time_machine.travel(today, tick=False):
        # Then the status follows the rule
        assert aare.contact_status == status
        due = employers_due_for_contact(aare.office)
        assert list(due.values_list("contact_state", flat=True)) == (
            [] if status == "ok" else [status]
        )


def test_office_rule_decides_the_due_date(anna):
    bern = anna.staff_profile.office
    bern.contact_due_months, bern.contact_overdue_months = 6, 24
    bern.save()
    employer = an_employer(bern)

    employer_with_case_independent_contact_on(date(2025, 8, 31), anna, employer)

    assert employer.contact_due_on == date(2026, 2, 28)
    assert employer.contact_overdue_on == date(2027, 8, 31)


def test_case_related_contacts_do_not_make_a_case_independent_one(anna, aare):
    employer_with_case_independent_contact_on(date(2024, 1, 10), anna, aare)

    log(aare, anna, occurred_on=TODAY, case_related=True)

    aare.refresh_from_db()
    assert aare.contact_status == "due"
    assert aare.contact_due_on == date(2025, 1, 10)


@pytest.mark.parametrize(
    "status", [RelationshipStatus.DORMANT, RelationshipStatus.STOPPED]
)
def test_employers_outside_the_portfolio_are_never_due(bern, anna, status):
    employer = an_employer(bern, relationship_status=status)
    employer_with_case_independent_contact_on(date(2020, 1, 1), anna, employer)

    assert employer.contact_due_on is None
    assert employer.contact_status == ""
    assert not employers_due_for_contact(bern).exists()


def test_portfolio_employer_never_contacted_is_due(bern, aare):
    # Derived fields not worked out yet (e.g. just created): due
    assert aare.contact_status == "due"
    assert list(employers_due_for_contact(bern)) == [aare]

    # Worked out: due since recorded, overdue 36 months after
    employer_contact_stats_refresh(aare)
    assert aare.contact_due_on == TODAY
    assert aare.contact_overdue_on == date(2029, 3, 16)


def test_due_list_holds_only_the_offices_own_employers(bern, anna, aare):
    vaud = an_office("VD")
    an_employer(vaud, "Léman Services SA")
    aare.shared_with.add(vaud)

    assert list(employers_due_for_contact(bern)) == [aare]
    assert list(
        employers_due_for_contact(vaud).values_list("legal_name", flat=True)
    ) == ["Léman Services SA"]


def test_changing_the_office_rule_moves_the_due_dates(bern, anna, aare):
    employer_with_case_independent_contact_on(date(2025, 6, 1), anna, aare)
    assert aare.contact_status == "ok"

    bern.contact_due_months = 6
    bern.save()
    office_contact_dates_refresh(bern)

    aare.refresh_from_db()
    assert aare.contact_due_on == date(2025, 12, 1)
    assert aare.contact_status == "due"


# --- Follow-ups ---------------------------------------------------------------


def test_completing_a_follow_up_closes_it_once(anna, aare):
    log(aare, anna, follow_up_on=date(2026, 3, 20))
    follow_up = FollowUp.objects.get()

    follow_up_complete(follow_up=follow_up, done_by=anna)
    first_done_at = follow_up.done_at
    follow_up_complete(follow_up=follow_up, done_by=anna)

    follow_up.refresh_from_db()
    assert follow_up.done_by == anna
    assert follow_up.done_at == first_done_at
    assert not FollowUp.objects.open().exists()

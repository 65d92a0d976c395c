"""The daily e-mail with each staff member's follow-ups due (crm.tasks)."""

from datetime import date, datetime

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation
from wagtail.users.models import UserProfile

from crm.models import (
    Contact,
    Employer,
    FollowUp,
    Office,
    RelationshipStatus,
    StaffProfile,
    StaffRole,
)
from crm.roles import staff_role_apply
from crm.services.contacts import contact_log, follow_up_complete
from crm.tasks import follow_up_digest_task

pytestmark = pytest.mark.django_db


def an_office(code: str) -> Office:
    return Office.objects.create(
        code=code, name=f"IV-Stelle {code}", canton=code, languages=["de"]
    )


def a_staff_member(office, username, *, digest=True, email=None, language="en"):
    user = get_user_model().objects.create_user(
        username=username,
        password="a-long-test-password",
        first_name=username.title(),
        last_name="Muster",
        email=f"{username}@example.ch" if email is None else email,
    )
    StaffProfile.objects.create(
        user=user, office=office, role=StaffRole.INTEGRATION, follow_up_digest=digest
    )
    staff_role_apply(user, StaffRole.INTEGRATION)
    UserProfile.objects.create(user=user, preferred_language=language)
    return user


def an_employer(office, name) -> Employer:
    return Employer.objects.create(
        office=office,
        legal_name=name,
        canton=office.code,
        language_region="de",
        relationship_status=RelationshipStatus.ACTIVE,
    )


def follow_up(employer, staff, due_on, note="", logged_on=date(2026, 3, 2)):
    """A follow-up created the normal way: logging a contact with a next appointment."""
    with time_machine.travel(logged_on, tick=False):
        contact_log(
            employer=employer,
            staff=staff,
            occurred_on=logged_on,
            channel=Contact.Channel.PHONE,
            case_related=False,
            initiated_by=Contact.InitiatedBy.OFFICE,
            follow_up_on=due_on,
            follow_up_note=note,
        )
    return FollowUp.objects.latest("pk")


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def bern():
    return an_office("BE")


@pytest.fixture
def anna(bern):
    return a_staff_member(bern, "anna")


@pytest.fixture
def aare(bern):
    return an_employer(bern, "Aare Logistik AG")


def run_digest_on(day: date) -> int:
    mail.outbox.clear()
    with time_machine.travel(datetime(day.year, day.month, day.day, 6, 30), tick=False):
        return follow_up_digest_task.delay().get()


def test_staff_member_gets_their_follow_ups_due_today_and_overdue(bern, anna, aare):
    # Given one follow-up overdue, one due today, one due tomorrow
    emme = an_employer(bern, "Emme Holzbau GmbH")
    follow_up(aare, anna, date(2026, 3, 10), note="Send the trial-place contract")
    follow_up(emme, anna, date(2026, 3, 16), note="Call HR about the apprenticeship")
    follow_up(aare, anna, date(2026, 3, 17), note="Not yet")

    # When the morning run happens on 16 March
    sent = run_digest_on(date(2026, 3, 16))

    # Then Anna gets one mail with the two that are due
    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.ch"]
    assert message.subject == "Passerelle: 2 follow-ups due"
    assert "Send the trial-place contract" in message.body
    assert "Call HR about the apprenticeship" in message.body
    assert "Not yet" not in message.body
    assert "03/10/2026 (overdue): Aare Logistik AG" in message.body
    assert (
        f"http://127.0.0.1:8000/admin/crm/employers/{aare.pk}/overview/" in message.body
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Emme Holzbau GmbH" in html
    assert "/admin/crm/my-settings/" in message.body  # how to switch it off


def test_each_staff_member_gets_only_their_own_follow_ups(bern, anna, aare):
    beat = a_staff_member(bern, "beat")
    follow_up(aare, anna, date(2026, 3, 16), note="Anna's task")
    follow_up(aare, beat, date(2026, 3, 16), note="Beat's task")

    run_digest_on(date(2026, 3, 16))

    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_recipient) == {"anna@example.ch", "beat@example.ch"}
    assert "Beat's task" not in by_recipient["anna@example.ch"]
    assert "Anna's task" not in by_recipient["beat@example.ch"]


def test_staff_member_who_switched_it_off_gets_no_mail(bern, aare):
    carla = a_staff_member(bern, "carla", digest=False)
    follow_up(aare, carla, date(2026, 3, 16))

    assert run_digest_on(date(2026, 3, 16)) == 0
    assert mail.outbox == []


def test_no_mail_without_follow_ups_due(anna, aare):
    follow_up(aare, anna, date(2026, 3, 20))

    run_digest_on(date(2026, 3, 16))

    assert mail.outbox == []


def test_done_follow_ups_are_not_mailed(anna, aare):
    done = follow_up(aare, anna, date(2026, 3, 16))
    follow_up_complete(follow_up=done, done_by=anna)

    run_digest_on(date(2026, 3, 16))

    assert mail.outbox == []


def test_inactive_staff_and_staff_without_address_get_no_mail(bern, aare):
    gone = a_staff_member(bern, "gone")
    follow_up(aare, gone, date(2026, 3, 16))
    get_user_model().objects.filter(pk=gone.pk).update(is_active=False)
    follow_up(aare, a_staff_member(bern, "noaddress", email=""), date(2026, 3, 16))

    run_digest_on(date(2026, 3, 16))

    assert mail.outbox == []


def test_digest_runs_every_morning_at_half_past_six():
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "crm.tasks.follow_up_digest_task"
    )

    assert entry["schedule"] == crontab(hour=6, minute=30)

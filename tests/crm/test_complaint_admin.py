"""Complaints in the Wagtail admin, through the browser's requests: recorded and
worked on by the staff member's office only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import Complaint
from crm.services.complaints import complaint_record

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ADD_URL = reverse("wagtailsnippets_crm_complaint:add")
LIST_URL = reverse("wagtailsnippets_crm_complaint:list")


def edit_url(complaint: Complaint) -> str:
    return reverse("wagtailsnippets_crm_complaint:edit", args=[complaint.pk])


def complaint_form(employer, **changes) -> dict:
    return {
        "employer": employer.pk,
        "received_on": (TODAY - timedelta(days=5)).isoformat(),
        "channel": "phone",
        "subject": "Nobody called back about the trial place",
        "measures_taken": "",
        "employer_informed_on": "",
        **changes,
    }


def test_staff_records_a_complaint_and_later_tells_the_employer(
    client, be_staff, be_employer
):
    client.force_login(be_staff)

    # when the complaint is recorded in the add form
    response = client.post(ADD_URL, complaint_form(be_employer))

    # then it belongs to the staff member's office and shows in the list
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.office == be_staff.staff_profile.office
    assert complaint.recorded_by == be_staff
    assert "Berner Maschinenbau AG" in client.get(LIST_URL).content.decode()

    # when the edit form records what was done and when the employer was told
    response = client.post(
        edit_url(complaint),
        complaint_form(be_employer, measures_taken="Call-back rule agreed",
                       employer_informed_on=TODAY.isoformat()),
    )  # fmt: skip

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.measures_taken == "Call-back rule agreed"
    assert complaint.employer_informed_on == TODAY


def test_the_employer_cannot_be_told_before_the_complaint_came_in(
    client, be_staff, be_employer
):
    client.force_login(be_staff)

    response = client.post(
        ADD_URL,
        complaint_form(be_employer,
                       employer_informed_on=(TODAY - timedelta(days=9)).isoformat()),
    )  # fmt: skip

    assert response.status_code == 200
    assert "cannot be told before the complaint came in" in response.content.decode()
    assert not Complaint.objects.exists()


def test_complaints_stay_within_the_office(
    client, be_staff, vd_staff, be_employer, vd_employer
):
    vd_complaint = complaint_record(
        employer=vd_employer, staff=vd_staff, received_on=TODAY, channel="email",
        subject="Retard de réponse",
    )  # fmt: skip
    client.force_login(be_staff)

    # another office's complaint is neither listed nor editable
    assert "Retard de réponse" not in client.get(LIST_URL).content.decode()
    assert client.get(edit_url(vd_complaint)).status_code == 404
    # and another office's employer cannot be chosen
    response = client.post(ADD_URL, complaint_form(vd_employer))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Complaint.objects.count() == 1

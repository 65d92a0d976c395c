"""More of the case admin, through the browser's requests: the outcome and end of a
placement in its edit form (and on the employer page), a moved start moving the
retention follow-ups and the advice window, the write-only AHV number of an IIZ
handover and the re-referral guard it feeds, and early-detection report edits
keeping the holiday-aware due date right."""

import logging
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from crm.ahv import ahv_hash
from crm.models import (
    EarlyDetectionReport,
    FollowUp,
    Handover,
    PartnerOrganisation,
    Placement,
)
from crm.services.cases import case_create, early_detection_report_record
from crm.services.placements import placement_record
from tests.pages import page_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_case(staff, employer, number="IV-2025-0201", **fields):
    fields.setdefault("aim", "placement")
    return case_create(staff=staff, case_number=number, employer=employer, **fields)


# --- Placements: outcome, end and a moved start ---------------------------------------


@pytest.fixture
def placement(be_staff, be_employer):
    case = make_case(be_staff, be_employer)
    return placement_record(
        case=case, staff=be_staff, employer=be_employer, kind="trial_place",
        start_on=date(2025, 3, 31),
    )  # fmt: skip


def placement_form(placement: Placement, **changes) -> dict:
    """The placement edit form as the browser posts it."""
    data = {
        "case": placement.case_id,
        "opportunity": placement.opportunity_id or "",
        "employer": placement.employer_id,
        "kind": placement.kind,
        "start_on": placement.start_on.isoformat(),
        "end_on": placement.end_on.isoformat() if placement.end_on else "",
        "outcome": placement.outcome,
    }
    data.update(changes)
    return data


def edit_placement(client, placement, **changes):
    url = reverse("wagtailsnippets_crm_placement:edit", args=[placement.pk])
    return client.post(url, placement_form(placement, **changes))


def retention_checks(placement) -> list[tuple[date, bool]]:
    return [
        (follow_up.due_on, follow_up.done_at is not None)
        for follow_up in FollowUp.objects.filter(placement=placement).order_by("pk")
    ]


def test_staff_records_a_signed_contract_and_the_employer_page_shows_it(
    client, be_staff, be_employer, placement
):
    client.force_login(be_staff)
    edit = reverse("wagtailsnippets_crm_placement:edit", args=[placement.pk])
    assert 'name="outcome"' in page_text(client.get(edit))

    # when the trial ends with a contract, recorded in the edit form
    response = edit_placement(
        client, placement, outcome="contract_signed", end_on="2025-09-30"
    )

    # then the outcome and end are stored, the advice window runs from the end
    assert response.status_code == 302, response.content.decode()[:3000]
    placement.refresh_from_db()
    assert placement.outcome == "contract_signed"
    assert placement.end_on == date(2025, 9, 30)
    assert placement.advice_until == date(2028, 9, 30)
    # and the employer page lists the placement with its outcome
    page = page_text(
        client.get(reverse("crm_employer_overview", args=[be_employer.pk]))
    )
    placements = page.split('data-testid="placements"', 1)[1].split("</table>")[0]
    assert "Employment contract signed" in placements
    assert "IV-2025-0201" in placements


def test_ending_a_placement_early_drops_the_retention_check_still_to_come(
    client, be_staff, placement
):
    client.force_login(be_staff)

    response = edit_placement(
        client, placement, outcome="ended_early", end_on="2025-11-01"
    )

    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.outcome == "ended_early"
    assert placement.advice_until == date(2028, 11, 1)
    # the 6-month check (30 Sep) stays, the 12-month one is dropped
    assert retention_checks(placement) == [(date(2025, 9, 30), False)]


def test_an_outcome_without_its_end_date_is_refused(client, be_staff, placement):
    client.force_login(be_staff)

    text = page_text(edit_placement(client, placement, outcome="trial_completed"))

    assert "Enter the end date together with the outcome." in text
    placement.refresh_from_db()
    assert placement.outcome == "pending" and placement.end_on is None


def test_a_recorded_outcome_cannot_be_set_back_to_under_way(
    client, be_staff, placement
):
    client.force_login(be_staff)
    edit_placement(client, placement, outcome="ended_early", end_on="2025-05-01")
    placement.refresh_from_db()

    text = page_text(edit_placement(client, placement, outcome="pending"))

    assert "A recorded outcome cannot be set back to “under way”." in text
    placement.refresh_from_db()
    assert placement.outcome == "ended_early"


def test_moving_the_start_moves_the_open_retention_checks_and_the_advice_window(
    client, be_staff, placement
):
    # given the 6-month check of a placement starting 31 March is already done
    first = FollowUp.objects.filter(placement=placement).order_by("due_on").first()
    first.done_at = timezone.now()
    first.save()
    client.force_login(be_staff)

    # when the start is corrected to 15 May in the edit form
    response = edit_placement(client, placement, start_on="2025-05-15")

    # then the open 12-month check follows the start, the done one stays as it was
    assert response.status_code == 302, response.content.decode()[:3000]
    assert retention_checks(placement) == [
        (date(2025, 9, 30), True),
        (date(2026, 5, 15), False),
    ]
    # and the three-year advice window runs from the new start
    placement.refresh_from_db()
    assert placement.start_on == date(2025, 5, 15)
    assert placement.advice_until == date(2028, 5, 15)


def test_moving_the_start_of_a_placement_moves_both_retention_checks(
    client, be_staff, placement
):
    client.force_login(be_staff)

    assert edit_placement(client, placement, start_on="2025-01-31").status_code == 302

    assert retention_checks(placement) == [
        (date(2025, 7, 31), False),
        (date(2026, 1, 31), False),
    ]


def test_a_placement_recorded_after_the_fact_is_closed_with_its_outcome(
    client, be_staff, be_employer
):
    case = make_case(be_staff, be_employer)
    client.force_login(be_staff)

    response = client.post(
        reverse("wagtailsnippets_crm_placement:add"),
        {"case": case.pk, "employer": be_employer.pk, "kind": "trial_place",
         "start_on": "2025-01-06", "end_on": "2025-03-28",
         "outcome": "trial_completed"},
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:3000]
    placement = Placement.objects.get(case=case)
    assert placement.outcome == "trial_completed"
    assert placement.advice_until == date(2028, 3, 28)


# --- IIZ handovers: the write-only AHV number --------------------------------------

AHV = "756.1234.5678.97"
AHV_COMPACT = "7561234567897"


@pytest.fixture
def social(office_be):
    return PartnerOrganisation.objects.create(
        office=office_be, name="Sozialdienst Bern", kind="social_services"
    )


def add_handover(client, partner, **fields):
    data = {
        "partner": partner.pk,
        "situation": "partner_to_both",
        "direction": "from_partner",
        "referred_on": TODAY.isoformat(),
        "support_outcome": "ongoing",
        **fields,
    }
    return client.post(reverse("wagtailsnippets_crm_handover:add"), data, follow=True)


def database_text() -> str:
    """Every row of every table, as text: where a clear number would show."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table names come from the schema, not from input.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows)


def test_an_ahv_number_with_a_wrong_check_digit_is_refused_at_the_field(
    client, be_staff, social
):
    client.force_login(be_staff)

    text = page_text(add_handover(client, social, ahv_number="756.1234.5678.98"))

    assert "The AHV number&#x27;s check digit is wrong (EAN-13)." in text
    assert "756.1234.5678.98" not in text and "7561234567898" not in text
    assert not Handover.objects.exists()


def test_a_valid_ahv_number_is_kept_only_as_a_keyed_hash_and_never_shown(
    client, be_staff, social, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(be_staff)

    # when a handover without a case is recorded with the person's AHV number
    response = add_handover(client, social, ahv_number=AHV)

    # then only the keyed hash is stored
    handover = Handover.objects.get()
    assert handover.case is None and handover.ahv_hash == ahv_hash(AHV)
    assert handover.ahv_hash != AHV_COMPACT and len(handover.ahv_hash) == 64
    stored = database_text()
    assert handover.ahv_hash in stored
    assert AHV not in stored and AHV_COMPACT not in stored
    # and the number shows nowhere: the page after saving, the edit form, the logs
    edit = reverse("wagtailsnippets_crm_handover:edit", args=[handover.pk])
    for text in (page_text(response), page_text(client.get(edit))):
        assert AHV not in text and AHV_COMPACT not in text
    assert "An AHV number is on file" in page_text(client.get(edit))
    assert AHV not in caplog.text and AHV_COMPACT not in caplog.text


def test_a_form_shown_again_after_an_error_does_not_repeat_the_ahv_number(
    client, be_staff, social
):
    client.force_login(be_staff)

    # a valid number, but the referral date is missing
    text = page_text(add_handover(client, social, ahv_number=AHV, referred_on=""))

    assert "This field is required." in text
    assert AHV not in text and AHV_COMPACT not in text


def test_same_partner_referring_the_same_ahv_number_again_sees_the_warning(
    client, office_be, be_staff, social
):
    # given social services referred a person without a case, with the AHV number,
    # and placement support ended without a job 40 days ago
    client.force_login(be_staff)
    add_handover(
        client, social, ahv_number=AHV, referred_on=TODAY - timedelta(days=200),
        support_outcome="ended_without_job",
        support_ended_on=TODAY - timedelta(days=40),
    )  # fmt: skip
    rav = PartnerOrganisation.objects.create(office=office_be, name="RAV", kind="rav")

    # when another person, and the same person through another partner, are referred
    other_person = page_text(add_handover(client, social, ahv_number="7569217076985"))
    other_partner = page_text(add_handover(client, rav, ahv_number=AHV))
    # and social services refer the same person again (number typed without dots)
    again = page_text(add_handover(client, social, ahv_number=AHV_COMPACT))

    # then only the last one warns, naming the rule
    assert "Re-referral" not in other_person and "Re-referral" not in other_partner
    assert "Re-referral within 6 months" in again
    assert "IIZ agreement" in again and "relevant measures were taken" in again
    assert Handover.objects.count() == 4
    assert AHV not in again and AHV_COMPACT not in again


def test_an_ahv_number_entered_when_editing_a_handover_feeds_the_guard(
    client, be_staff, social
):
    client.force_login(be_staff)
    add_handover(
        client, social, ahv_number=AHV, referred_on=TODAY - timedelta(days=200),
        support_outcome="ended_without_job",
        support_ended_on=TODAY - timedelta(days=40),
    )  # fmt: skip
    add_handover(client, social)
    second = Handover.objects.get(ahv_hash="")

    response = client.post(
        reverse("wagtailsnippets_crm_handover:edit", args=[second.pk]),
        {"partner": social.pk, "situation": "partner_to_both",
         "direction": "from_partner", "referred_on": TODAY.isoformat(),
         "support_outcome": "ongoing", "ahv_number": AHV},
        follow=True,
    )  # fmt: skip

    assert "Re-referral within 6 months" in page_text(response)
    second.refresh_from_db()
    assert second.ahv_hash == ahv_hash(AHV)


# --- Early-detection reports: edits keep the due date right -------------------------


def report_row(text: str, case_number: str) -> str:
    rows = re.findall(r"<tr.*?</tr>", text, flags=re.S)
    return next(row for row in rows if case_number in row)


def test_editing_the_received_date_moves_the_due_date_and_the_target(
    client, office_be, be_staff, be_employer
):
    # given a 2-day target in Bern, a report received Thursday 10 April 2025 and
    # first contact on Wednesday 23 April: due on Monday 14, so missed
    office_be.early_detection_target_days = 2
    office_be.save()
    case = make_case(be_staff, be_employer, number="IV-2025-0301")
    report = early_detection_report_record(
        case=case, reporter="employer", received_on=date(2025, 4, 10),
        first_contact_on=date(2025, 4, 23),
    )  # fmt: skip
    assert report.target_met is False
    client.force_login(be_staff)
    listing = reverse("wagtailsnippets_crm_earlydetectionreport:list")
    assert re.search(
        r">\s*missed\s*<", report_row(page_text(client.get(listing)), "IV-2025-0301")
    )

    # when the received date is corrected to Thursday 17 April (before Easter)
    response = client.post(
        reverse("wagtailsnippets_crm_earlydetectionreport:edit", args=[report.pk]),
        {"case": case.pk, "reporter": "employer", "received_on": "2025-04-17",
         "first_contact_on": "2025-04-23"},
    )  # fmt: skip

    # then Good Friday and Easter Monday do not count: due Wednesday 23, met
    assert response.status_code == 302, response.content.decode()[:3000]
    report = EarlyDetectionReport.objects.get(pk=report.pk)
    assert report.first_contact_due_on == date(2025, 4, 23)
    assert report.target_met is True
    row = report_row(page_text(client.get(listing)), "IV-2025-0301")
    assert re.search(r">\s*met\s*<", row)

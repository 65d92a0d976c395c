"""Case references, consent, measures and case items on the employer timeline."""

import logging
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from crm.models import (
    CaseReference,
    Complaint,
    Contact,
    EarlyDetectionReport,
    EmployerRole,
    Handover,
    JobOpportunity,
    Measure,
    Placement,
    StaffProfile,
    StaffRole,
)
from crm.selectors import employer_timeline
from crm.services.cases import (
    case_consent_record,
    case_consent_withdraw,
    case_create,
    case_employer_view,
    early_detection_report_record,
)
from crm.services.contacts import contact_log
from crm.services.measures import measure_approve, measure_plan, measure_status_set
from tests.factories import ContactPersonFactory

from .conftest import make_staff

pytestmark = pytest.mark.django_db

VALID_AHV = "756.9217.0769.85"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


TODAY = date.today()


def make_case(staff, employer, number="IV-2024-0001", **fields):
    return case_create(
        staff=staff, case_number=number, aim="keep_job", employer=employer, **fields
    )


# --- No health data, AHV only as a hash ------------------------------------------


#: Every field of the models that touch a case, reverse relations included. A new
#: field fails the test below until it is added here, after checking it holds no
#: health data.
CASE_MODEL_FIELDS = {
    CaseReference: {
        "id", "office", "case_number", "employer", "aim", "phase",
        "integration_specialist", "case_officer",
        "consent_given_on", "consent_scope", "consent_withdrawn_on",
        "region", "occupation", "max_physical_load", "max_psychological_load",
        "max_workload_percent", "ahv_hash", "created_at",
        "reports", "measures", "placements", "handovers", "contacts",
    },
    EarlyDetectionReport: {
        "id", "office", "case", "reporter", "received_on", "first_contact_on",
        "first_contact_due_on", "created_at",
    },
    Measure: {
        "id", "office", "case", "employer", "kind", "status", "start_on", "end_on",
        "granted_on", "amount_chf", "provider", "placement", "decided_on_site",
        "decided_by", "needs_approval", "approved_by", "approved_at", "outcome",
        "created_at",
    },
    Placement: {
        "id", "office", "case", "employer", "opportunity", "kind", "start_on",
        "end_on", "outcome", "advice_until", "staff", "created_at",
        "follow_ups", "measures",
    },
    Handover: {
        "id", "office", "partner", "case", "ahv_hash", "situation", "direction",
        "referred_on", "office_coordinator", "partner_coordinator",
        "network_meeting_on", "joint_goal_agreement", "written_request",
        "partner_measures", "support_outcome", "support_ended_on", "created_at",
    },
    JobOpportunity: {
        "id", "office", "employer", "reported_by", "kind", "title", "description",
        "occupation", "physical_load", "psychological_load", "region",
        "workload_percent", "location", "start_on", "adapted_work_possible",
        "status", "source", "reported_on", "created_at", "placements",
    },
    Contact: {
        "id", "office", "employer", "staff", "occurred_on", "channel",
        "case_related", "case", "initiated_by", "starting_point", "topics",
        "outcome", "notes", "created_at",
        "participants", "staff_participants", "rating", "follow_ups",
    },
}  # fmt: skip

#: Parts of a field name that would mean a person's identity or health.
HEALTH_WORDS = re.compile(
    r"name|birth|ahv_n|diagnos|health|ill|sick|medic|disab|impair|therap|treat|"
    r"symptom|patient|doctor|psychiatr|krank|gesund|maladie|sante|malattia"
)


@pytest.mark.parametrize("model", CASE_MODEL_FIELDS, ids=lambda m: m.__name__)
def test_models_about_cases_have_no_name_diagnosis_or_health_fields(model):
    # given the fields the model holds
    names = {field.name for field in model._meta.get_fields()}

    # then they are exactly the reviewed ones, none named for identity or health
    assert names == CASE_MODEL_FIELDS[model]
    assert [name for name in names if HEALTH_WORDS.search(name)] == []


@pytest.mark.parametrize(
    ("model", "field"),
    [(Measure, "outcome"), (Contact, "outcome"), (Contact, "notes"),
     (Complaint, "subject"), (Complaint, "measures_taken")],
)  # fmt: skip
def test_free_text_fields_tell_staff_not_to_enter_health_data(model, field):
    help_text = str(model._meta.get_field(field).help_text)

    assert help_text.startswith("No health data: no diagnosis")


def test_ahv_number_is_checked_and_kept_only_as_a_keyed_hash(
    be_staff, be_employer, caplog
):
    # given a valid AHV number entered once
    caplog.set_level(logging.DEBUG)
    case = make_case(be_staff, be_employer, ahv_number=VALID_AHV)

    # then only a 64-character hash is stored, and the number appears nowhere
    case.refresh_from_db()
    assert len(case.ahv_hash) == 64 and "7569217076985" not in case.ahv_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM crm_casereference")
        rows = repr(cursor.fetchall())
    assert "7569217076985" not in rows and "9217" not in rows
    assert "7569217076985" not in caplog.text and "9217.0769" not in caplog.text
    # and the same number gives the same hash (a partner can be matched)
    other = make_case(be_staff, be_employer, number="IV-2", ahv_number="7569217076985")
    assert other.ahv_hash == case.ahv_hash


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("756.9217.0769.84", "ahv_checksum"),
        ("123.9217.0769.85", "ahv_prefix"),
        ("756.9217", "ahv_format"),
    ],
)
def test_invalid_ahv_number_is_refused_without_echoing_it(
    be_staff, be_employer, number, code
):
    # when a wrong number is entered
    with pytest.raises(ValidationError) as error:
        make_case(be_staff, be_employer, ahv_number=number)

    # then the rule is named, the number is not repeated, and nothing is saved
    assert error.value.code == code
    assert "9217" not in " ".join(error.value.messages)
    assert not CaseReference.objects.exists()


# --- Consent ------------------------------------------------------------------------


def test_employer_sees_nothing_without_consent_and_only_its_scope_with_it(
    be_staff, be_employer
):
    # given a case with a granted trial placement at the employer
    case = make_case(be_staff, be_employer)
    measure = measure_plan(case=case, staff=be_staff, kind="trial_placement")
    measure_status_set(measure=measure, staff=be_staff, status="granted")

    # then without consent the employer sees nothing
    assert case_employer_view(case, employer=be_employer) is None

    # with consent for the phase only, no measures
    case_consent_record(case=case, given_on=TODAY, scope="phase")
    view = case_employer_view(case, employer=be_employer)
    assert view.phase == "early detection" and view.measures == ()

    # with consent for measures, the measure without any amount
    case_consent_record(case=case, given_on=TODAY, scope="measures")
    view = case_employer_view(case, employer=be_employer)
    assert [row[0] for row in view.measures] == ["trial placement"]

    # and after withdrawal, nothing again
    case_consent_withdraw(case=case, on=TODAY)
    assert case_employer_view(case, employer=be_employer) is None


def test_employer_mail_goes_out_only_as_far_as_consent_covers(
    be_staff, be_employer, django_capture_on_commit_callbacks
):
    # given the employer's fixed contact person
    person = ContactPersonFactory(office=be_employer.office, email="hr@berner.ch")
    EmployerRole.objects.create(
        employer=be_employer, person=person, function="hr", is_fixed_contact=True
    )
    case = make_case(be_staff, be_employer, number="IV-77")
    first = measure_plan(case=case, staff=be_staff, kind="workplace_adaptation")

    # when a measure is granted without consent: no mail
    with django_capture_on_commit_callbacks(execute=True):
        measure_status_set(measure=first, staff=be_staff, status="granted")
    assert mail.outbox == []

    # when consent covers measures and the next one is granted: one mail, no amount
    case_consent_record(case=case, given_on=TODAY, scope="measures")
    second = measure_plan(
        case=case, staff=be_staff, kind="training", amount_chf=Decimal("1200")
    )
    with django_capture_on_commit_callbacks(execute=True):
        measure_status_set(measure=second, staff=be_staff, status="granted")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["hr@berner.ch"]
    assert "IV-77" in body and "1200" not in body and "1'200" not in body


# --- Measures -----------------------------------------------------------------------


def test_measure_moves_only_along_its_status_flow(be_staff, be_employer):
    case = make_case(be_staff, be_employer)
    measure = measure_plan(case=case, staff=be_staff, kind="coaching")

    # a planned measure cannot end
    with pytest.raises(ValidationError):
        measure_status_set(measure=measure, staff=be_staff, status="ended")

    # granted, running, ended: it counts from the day it was granted
    measure_status_set(measure=measure, staff=be_staff, status="granted", on=TODAY)
    measure_status_set(measure=measure, staff=be_staff, status="running")
    measure_status_set(measure=measure, staff=be_staff, status="ended")
    assert measure.granted_on == TODAY and measure.is_counted
    assert Measure.objects.counted().count() == 1


def test_only_granted_measures_count(be_staff, be_employer):
    case = make_case(be_staff, be_employer)
    measure_plan(case=case, staff=be_staff, kind="coaching")
    cancelled = measure_plan(case=case, staff=be_staff, kind="retraining")
    measure_status_set(measure=cancelled, staff=be_staff, status="cancelled")

    assert Measure.objects.counted().count() == 0


def test_measure_decided_on_site_above_the_limit_needs_approval(
    office_be, be_staff, be_employer
):
    # given the office limit of CHF 5,000
    case = make_case(be_staff, be_employer)

    # when a staff member decides CHF 6,000 on site
    measure = measure_plan(
        case=case,
        staff=be_staff,
        kind="workplace_adaptation",
        amount_chf=Decimal("6000"),
        decided_on_site=True,
    )

    # then it is flagged and cannot be granted before a team lead approves it
    assert measure.needs_approval and measure.awaiting_approval
    with pytest.raises(ValidationError) as error:
        measure_status_set(measure=measure, staff=be_staff, status="granted")
    assert "needs approval" in str(error.value)
    with pytest.raises(ValidationError):
        measure_approve(measure=measure, staff=be_staff)
    lead = make_staff(office_be, "be.lead", StaffRole.TEAM_LEAD)
    measure_approve(measure=measure, staff=lead)
    measure_status_set(measure=measure, staff=be_staff, status="granted")
    assert measure.status == "granted"


def test_staff_member_with_a_higher_limit_decides_alone(office_be, be_employer):
    # given an office at CHF 20,000 and a staff member without an own limit
    office_be.onsite_decision_limit_chf = Decimal("20000")
    office_be.save()
    staff = make_staff(office_be, "be.hugo")
    case = make_case(staff, be_employer)

    below = measure_plan(
        case=case, staff=staff, kind="training", amount_chf=Decimal("15000"),
        decided_on_site=True,
    )  # fmt: skip
    # and a colleague whose own limit is CHF 3,000
    StaffProfile.objects.filter(user=staff).update(decision_limit_chf=3000)
    above = measure_plan(
        case=case, staff=staff, kind="training", amount_chf=Decimal("3500"),
        decided_on_site=True,
    )  # fmt: skip

    assert not below.needs_approval
    assert above.needs_approval


def test_duration_rules_are_office_settings(office_be, be_staff, be_employer):
    case = make_case(be_staff, be_employer)
    start = date(2025, 1, 6)

    # a trial placement of 181 days breaks the default rule of 180
    with pytest.raises(ValidationError) as error:
        measure_plan(
            case=case, staff=be_staff, kind="trial_placement", start_on=start,
            end_on=start + timedelta(days=180),
        )  # fmt: skip
    assert "at most 180 days" in str(error.value)
    assert "to verify against the law in force" in str(error.value)

    # 180 days pass; an office with a stricter setting refuses them
    measure_plan(
        case=case, staff=be_staff, kind="onboarding_subsidy", start_on=start,
        end_on=start + timedelta(days=179),
    )  # fmt: skip
    office_be.onboarding_subsidy_max_days = 90
    office_be.save()
    case.office.refresh_from_db()
    with pytest.raises(ValidationError):
        measure_plan(
            case=case, staff=be_staff, kind="onboarding_subsidy", start_on=start,
            end_on=start + timedelta(days=179),
        )  # fmt: skip


def test_early_detection_report_counts_business_days_with_holidays(
    be_staff, be_employer
):
    # given a report received on Thursday before Easter 2025 in Bern, target 2 days
    case = make_case(be_staff, be_employer)
    case.office.early_detection_target_days = 2
    received = date(2025, 4, 17)

    report = early_detection_report_record(
        case=case, reporter="employer", received_on=received
    )

    # then Good Friday and Easter Monday do not count: due on Wednesday
    assert report.first_contact_due_on == date(2025, 4, 23)
    report.first_contact_on = date(2025, 4, 23)
    assert report.target_met is True
    report.first_contact_on = date(2025, 4, 24)
    assert report.target_met is False


def test_case_related_contact_links_to_its_case(be_staff, be_employer, vd_staff):
    case = make_case(be_staff, be_employer)

    contact = contact_log(
        employer=be_employer, staff=be_staff, occurred_on=TODAY, channel="phone",
        case_related=True, initiated_by="office", case=case,
    )  # fmt: skip
    assert list(case.contacts.all()) == [contact]

    with pytest.raises(ValidationError):
        contact_log(
            employer=be_employer, staff=be_staff, occurred_on=TODAY, channel="phone",
            case_related=False, initiated_by="office", case=case,
        )  # fmt: skip


# --- Timeline visibility --------------------------------------------------------------


def _kinds(employer, user):
    return [item.kind for item in employer_timeline(employer, user=user).items]


def test_case_items_on_the_timeline_by_role_and_office(
    office_be, office_vd, be_staff, be_employer
):
    # given a measure for a case of the BE office, at an employer shared with VD
    be_employer.shared_with.add(office_vd)
    case = make_case(be_staff, be_employer)
    measure_plan(case=case, staff=be_staff, kind="coaching", start_on=TODAY)
    acquisition = make_staff(office_be, "be.acq", StaffRole.ACQUISITION)
    vd_specialist = make_staff(office_vd, "vd.spec", StaffRole.INTEGRATION)

    # then the BE integration specialist sees it
    assert "measure" in _kinds(be_employer, be_staff)
    # acquisition staff of the same office does not (no case-related permission)
    assert "measure" not in _kinds(be_employer, acquisition)
    # nor does a specialist of the other office that shares the employer
    assert "measure" not in _kinds(be_employer, vd_specialist)
    # and filtering for case-independent items leaves it out
    items = employer_timeline(be_employer, user=be_staff, case_related=False).items
    assert "measure" not in [item.kind for item in items]

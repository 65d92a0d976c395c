"""The case rules hold in the services and in the admin forms alike: a measure's
placement belongs to its case, consent is recorded as it happened, and the
trial-placement duration rule covers placements into trial places but never stops
staff from recording how an over-running measure or placement ended."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from crm.models import CaseReference, JobOpportunity, Measure, Placement
from crm.services.cases import case_consent_record, case_consent_withdraw, case_create
from crm.services.measures import (
    measure_duration_warning,
    measure_plan,
    measure_status_set,
)
from crm.services.placements import (
    placement_close,
    placement_duration_warning,
    placement_record,
    placement_update,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_case(staff, employer, number="BE-2025-0301", **fields):
    fields.setdefault("aim", "placement")
    fields.setdefault("phase", "vocational")
    return case_create(staff=staff, case_number=number, employer=employer, **fields)


# --- A measure's placement is one of its case's -------------------------------------


@pytest.fixture
def two_cases_placed(be_staff, be_employer):
    """Two cases, each placed in a job two years ago that lasted a year."""
    cases = [make_case(be_staff, be_employer, number=n) for n in ("BE-1", "BE-2")]
    placements = [
        placement_record(
            case=case,
            staff=be_staff,
            employer=be_employer,
            kind="job",
            start_on=TODAY - timedelta(days=730),
            end_on=TODAY - timedelta(days=365),
            outcome="contract_signed",
        )  # fmt: skip
        for case in cases
    ]
    return cases, placements


def test_compensation_for_another_cases_placement_is_refused(
    be_staff, two_cases_placed
):
    (case, _other), (own, others) = two_cases_placed

    with pytest.raises(ValidationError) as error:
        measure_plan(
            case=case, staff=be_staff, kind="compensation_bvg", placement=others,
            start_on=TODAY,
        )  # fmt: skip

    assert "another case" in " ".join(error.value.message_dict["placement"])
    measure_plan(
        case=case, staff=be_staff, kind="compensation_bvg", placement=own,
        start_on=TODAY,
    )  # fmt: skip


def test_the_measure_form_refuses_another_cases_placement(
    client, be_staff, be_employer, two_cases_placed
):
    (case, _other), (_own, others) = two_cases_placed
    client.force_login(be_staff)

    response = client.post(
        reverse("wagtailsnippets_crm_measure:add"),
        {"case": case.pk, "employer": be_employer.pk, "kind": "compensation_ktg",
         "status": "planned", "start_on": TODAY.isoformat(),
         "placement": others.pk},
    )  # fmt: skip

    assert "The placement belongs to another case" in page_text(response)
    assert not Measure.objects.exists()


# --- Consent as it happened ---------------------------------------------------------


def case_form(case: CaseReference, **changes) -> dict:
    data = {
        "case_number": case.case_number,
        "employer": case.employer_id or "",
        "aim": case.aim,
        "phase": case.phase,
        "consent_given_on": "",
        "consent_scope": "",
        "consent_withdrawn_on": "",
        "region": "",
        "occupation": "",
        **changes,
    }
    return data


@pytest.mark.parametrize(
    ("consent", "message"),
    [
        ({"consent_given_on": (TODAY + timedelta(days=3)).isoformat(),
          "consent_scope": "phase"},
         "Consent cannot be given in the future."),
        ({"consent_given_on": TODAY.isoformat(), "consent_scope": "phase",
          "consent_withdrawn_on": (TODAY - timedelta(days=1)).isoformat()},
         "Consent can only be withdrawn on or after the day it was given."),
        ({"consent_withdrawn_on": TODAY.isoformat()},
         "Consent can only be withdrawn on or after the day it was given."),
    ],
    ids=["future", "withdrawn before given", "withdrawn without consent"],
)  # fmt: skip
def test_the_case_form_refuses_consent_that_did_not_happen(
    client, be_staff, be_employer, consent, message
):
    case = make_case(be_staff, be_employer)
    client.force_login(be_staff)
    url = reverse("wagtailsnippets_crm_casereference:edit", args=[case.pk])

    text = page_text(client.post(url, case_form(case, **consent)))

    assert message in text
    case.refresh_from_db()
    assert (case.consent_given_on, case.consent_withdrawn_on) == (None, None)


def test_the_case_form_saves_a_consent_and_its_later_withdrawal(
    client, be_staff, be_employer
):
    case = make_case(be_staff, be_employer)
    client.force_login(be_staff)
    url = reverse("wagtailsnippets_crm_casereference:edit", args=[case.pk])
    given = TODAY - timedelta(days=30)

    response = client.post(
        url,
        case_form(case, consent_given_on=given.isoformat(), consent_scope="phase",
                  consent_withdrawn_on=TODAY.isoformat()),
    )  # fmt: skip

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.consent_given_on, case.consent_withdrawn_on) == (given, TODAY)


def test_the_services_refuse_a_withdrawal_before_the_consent(be_staff, be_employer):
    case = make_case(be_staff, be_employer)
    case_consent_record(case=case, given_on=TODAY, scope="measures")

    with pytest.raises(ValidationError) as error:
        case_consent_withdraw(case=case, on=TODAY - timedelta(days=1))

    assert "consent_withdrawn_on" in error.value.message_dict


def test_the_database_refuses_a_withdrawal_before_the_consent(be_staff, be_employer):
    case = make_case(be_staff, be_employer)
    case_consent_record(case=case, given_on=TODAY, scope="measures")

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseReference.objects.filter(pk=case.pk).update(
            consent_withdrawn_on=TODAY - timedelta(days=1)
        )


# --- Duration rules: trial places, and ending what ran over ------------------------


def test_a_trial_place_placement_over_the_rule_is_refused(be_staff, be_employer):
    case = make_case(be_staff, be_employer)
    start = TODAY - timedelta(days=600)

    with pytest.raises(ValidationError) as error:
        placement_record(
            case=case, staff=be_staff, employer=be_employer, kind="trial_place",
            start_on=start, end_on=start + timedelta(days=516),
            outcome="trial_completed",
        )  # fmt: skip

    assert "at most 180 days" in str(error.value) and "lasts 517" in str(error.value)
    assert not Placement.objects.exists()
    # a job has no such rule
    placement_record(
        case=case, staff=be_staff, employer=be_employer, kind="job", start_on=start,
        end_on=start + timedelta(days=516), outcome="contract_signed",
    )  # fmt: skip


def test_the_placement_form_refuses_a_trial_place_of_517_days(
    client, be_staff, be_employer
):
    case = make_case(be_staff, be_employer)
    client.force_login(be_staff)

    response = client.post(
        reverse("wagtailsnippets_crm_placement:add"),
        {"case": case.pk, "employer": be_employer.pk, "kind": "trial_place",
         "start_on": "2024-01-08", "end_on": "2025-06-07",
         "outcome": "trial_completed"},
    )  # fmt: skip

    assert "at most 180 days" in page_text(response)
    assert not Placement.objects.exists()


@pytest.fixture
def running_trial_place(be_staff, be_employer):
    """A trial-place placement that started 200 days ago and is still under way."""
    return placement_record(
        case=make_case(be_staff, be_employer), staff=be_staff, employer=be_employer,
        kind="trial_place", start_on=TODAY - timedelta(days=200),
    )  # fmt: skip


def test_a_trial_place_that_ran_over_can_be_closed_with_a_warning(
    be_staff, running_trial_place
):
    placement = placement_close(
        placement=running_trial_place, staff=be_staff, outcome="trial_completed",
        end_on=TODAY,
    )  # fmt: skip

    placement.refresh_from_db()
    assert (placement.outcome, placement.end_on) == ("trial_completed", TODAY)
    assert "at most 180 days" in placement_duration_warning(placement)


def test_the_placement_form_closes_an_over_running_trial_place_and_warns(
    client, be_staff, running_trial_place
):
    placement = running_trial_place
    client.force_login(be_staff)
    url = reverse("wagtailsnippets_crm_placement:edit", args=[placement.pk])

    response = client.post(
        url,
        {"case": placement.case_id, "employer": placement.employer_id,
         "kind": "trial_place", "start_on": placement.start_on.isoformat(),
         "end_on": TODAY.isoformat(), "outcome": "ended_early"},
        follow=True,
    )  # fmt: skip

    assert "at most 180 days" in page_text(response)
    placement.refresh_from_db()
    assert placement.outcome == "ended_early"


def test_moving_the_start_of_a_trial_place_beyond_the_rule_is_refused(
    be_staff, running_trial_place
):
    placement = running_trial_place

    with pytest.raises(ValidationError):
        placement_update(
            placement=placement, staff=be_staff, case=placement.case,
            employer=placement.employer, kind="trial_place",
            start_on=TODAY - timedelta(days=400), end_on=TODAY,
            outcome="trial_completed",
        )  # fmt: skip


@pytest.fixture
def running_trial_measure(be_staff, be_employer):
    """A running trial placement that started 200 days ago, no end recorded."""
    case = make_case(be_staff, be_employer)
    measure = measure_plan(
        case=case, staff=be_staff, kind="trial_placement",
        start_on=TODAY - timedelta(days=200),
    )  # fmt: skip
    measure_status_set(measure=measure, staff=be_staff, status="granted")
    return measure_status_set(measure=measure, staff=be_staff, status="running")


def test_a_measure_that_ran_over_can_be_ended_with_a_warning(
    be_staff, running_trial_measure
):
    measure = measure_status_set(
        measure=running_trial_measure, staff=be_staff, status="ended", on=TODAY
    )

    measure.refresh_from_db()
    assert (measure.status, measure.end_on) == ("ended", TODAY)
    assert "at most 180 days" in measure_duration_warning(measure)


def test_a_measure_that_ran_over_can_be_cancelled(be_staff, running_trial_measure):
    measure = running_trial_measure
    measure.end_on = TODAY  # the end it had when it was stopped

    measure_status_set(measure=measure, staff=be_staff, status="cancelled")

    measure.refresh_from_db()
    assert measure.status == "cancelled"


def test_the_measure_form_ends_an_over_running_trial_placement_and_warns(
    client, be_staff, running_trial_measure
):
    measure = running_trial_measure
    client.force_login(be_staff)

    response = client.post(
        reverse("wagtailsnippets_crm_measure:edit", args=[measure.pk]),
        {"case": measure.case_id, "employer": measure.employer_id, "kind":
         "trial_placement", "status": "ended",
         "start_on": measure.start_on.isoformat(), "end_on": TODAY.isoformat(),
         "amount_chf": "", "provider": "", "placement": "", "outcome": ""},
        follow=True,
    )  # fmt: skip

    text = page_text(response)
    assert "at most 180 days" in text
    measure.refresh_from_db()
    assert (measure.status, measure.end_on) == ("ended", TODAY)


def test_a_planned_trial_placement_over_the_rule_is_still_refused(
    be_staff, be_employer
):
    with pytest.raises(ValidationError):
        measure_plan(
            case=make_case(be_staff, be_employer), staff=be_staff,
            kind="trial_placement", start_on=TODAY,
            end_on=TODAY + timedelta(days=300),
        )  # fmt: skip


def test_the_placement_form_takes_employer_and_kind_from_the_job_opportunity(
    client, be_staff, be_employer
):
    case = make_case(be_staff, be_employer)
    place = JobOpportunity.objects.create(
        office=be_employer.office, employer=be_employer, kind="trial_place",
        title="Lagerist",
    )  # fmt: skip
    client.force_login(be_staff)
    url = reverse("wagtailsnippets_crm_placement:add")
    form = {"case": case.pk, "start_on": TODAY.isoformat(), "outcome": "pending"}

    refused = client.post(url, {**form, "opportunity": ""})
    assert "Choose the job opportunity or the employer." in page_text(refused)

    response = client.post(url, {**form, "opportunity": place.pk})
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.employer, placement.kind) == (be_employer, "trial_place")

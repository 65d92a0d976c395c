"""The clear AHV number never reaches an error report: the views taking it mark the
posted field sensitive, and the code handling it hides its variables, so the
500 mail and the debug page show stars where the number was."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from crm.models import PartnerOrganisation
from crm.services.cases import case_create
from crm.services.partners import handover_record

pytestmark = pytest.mark.django_db

AHV = "756.9217.0769.85"
AHV_DIGITS = "7569217076985"
STARS = SafeExceptionReporterFilter.cleansed_substitute


@pytest.fixture
def staff_client(be_staff):
    # An error in a view becomes a 500 response here, as in production.
    client = Client(raise_request_exception=False)
    client.force_login(be_staff)
    return client


@pytest.fixture
def social(office_be):
    return PartnerOrganisation.objects.create(
        office=office_be, name="Sozialdienst Bern", kind="social_services"
    )


@pytest.fixture
def broken_hash_key(settings):
    """Hashing fails half-way, with the clear number in the variables."""
    settings.AHV_HASH_KEY = None


def error_report(response) -> str:
    """The text of the error mail Django's AdminEmailHandler would send."""
    assert response.status_code == 500
    reporter = ExceptionReporter(response.wsgi_request, *response.exc_info)
    return reporter.get_traceback_text()


def case_form(**fields) -> dict:
    return {"case_number": "BE-2025-0815", "aim": "keep_job", "ahv_number": AHV,
            "phase": "early_detection", **fields}  # fmt: skip


def handover_form(partner, **fields) -> dict:
    return {"partner": partner.pk, "situation": "direct",
            "direction": "from_partner",
            "referred_on": timezone.localdate().isoformat(),
            "support_outcome": "ongoing", "ahv_number": AHV, **fields}  # fmt: skip


def assert_no_clear_number(report: str) -> None:
    assert AHV not in report and AHV_DIGITS not in report
    assert "ahv_number" in report and STARS in report


def test_error_report_of_the_case_form_hides_the_ahv_number(
    staff_client, broken_hash_key
):
    response = staff_client.post(
        reverse("wagtailsnippets_crm_casereference:add"), case_form()
    )

    report = error_report(response)
    assert "BE-2025-0815" in report  # the rest of the request is still there
    assert_no_clear_number(report)


def test_error_report_of_the_case_edit_form_hides_the_ahv_number(
    staff_client, be_staff, broken_hash_key
):
    case = case_create(staff=be_staff, case_number="BE-2025-0815", aim="keep_job")
    url = reverse("wagtailsnippets_crm_casereference:edit", args=[case.pk])

    assert_no_clear_number(error_report(staff_client.post(url, case_form())))


def test_error_report_of_the_handover_forms_hides_the_ahv_number(
    staff_client, be_staff, social, broken_hash_key
):
    add = staff_client.post(
        reverse("wagtailsnippets_crm_handover:add"), handover_form(social)
    )
    assert_no_clear_number(error_report(add))

    handover, _warning = handover_record(
        staff=be_staff, partner=social, situation="direct", direction="from_partner",
        referred_on=timezone.localdate(),
    )  # fmt: skip
    edit = staff_client.post(
        reverse("wagtailsnippets_crm_handover:edit", args=[handover.pk]),
        handover_form(social),
    )
    assert_no_clear_number(error_report(edit))


def test_posted_ahv_number_is_starred_in_the_request_part_of_the_report(
    staff_client,
):
    response = staff_client.post(
        reverse("wagtailsnippets_crm_casereference:add"), case_form()
    )

    assert response.status_code == 302  # saved
    posted = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert posted["ahv_number"] == STARS
    assert posted["case_number"] == "BE-2025-0815"

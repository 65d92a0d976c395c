"""Placements and matching, the partner network (IIZ), staff-entered requests and
complaints, and what the employer page and the public directory show of them."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from crm.case_selectors import cases_for_opportunity, opportunities_for_case
from crm.models import (
    Agreement,
    FollowUp,
    JobOpportunity,
    PartnerContact,
    PartnerOrganisation,
    Request,
    StaffRole,
)
from crm.services.cases import case_create
from crm.services.complaints import complaint_inform, complaint_record
from crm.services.measures import measure_plan, measure_status_set
from crm.services.partners import (
    agreement_renewal_reminders,
    handover_record,
)
from crm.services.placements import placement_close, placement_record
from crm.services.requests import request_record

from .conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_case(staff, employer, number="IV-1", **fields):
    fields.setdefault("phase", "vocational")
    return case_create(
        staff=staff, case_number=number, aim="placement", employer=employer, **fields
    )


def make_opportunity(employer, **fields):
    values = {"kind": "trial_place", "title": "Lagerist", "region": "Bern"}
    values.update(fields)
    return JobOpportunity.objects.create(
        office=employer.office, employer=employer, **values
    )


# --- Placements ---------------------------------------------------------------------


def test_placement_plans_retention_follow_ups_and_the_advice_window(
    be_staff, be_employer
):
    case = make_case(be_staff, be_employer)
    opportunity = make_opportunity(be_employer)

    placement = placement_record(
        case=case, staff=be_staff, opportunity=opportunity, start_on=date(2025, 3, 31)
    )

    due = sorted(FollowUp.objects.filter(placement=placement).values_list("due_on"))
    assert due == [(date(2025, 9, 30),), (date(2026, 3, 31),)]
    assert placement.advice_until == date(2028, 3, 31)
    opportunity.refresh_from_db()
    assert opportunity.status == "filled" and placement.kind == "trial_place"

    # ended early: the 12-month check is dropped, the advice window runs from the end
    placement_close(
        placement=placement, staff=be_staff, outcome="ended_early",
        end_on=date(2025, 11, 1),
    )  # fmt: skip
    assert FollowUp.objects.filter(placement=placement).count() == 1
    assert placement.advice_until == date(2028, 11, 1)


def test_compensation_needs_a_placement_of_over_three_months_within_three_years(
    be_staff, be_employer
):
    case = make_case(be_staff, be_employer)
    short = placement_record(
        case=case, staff=be_staff, employer=be_employer, kind="job",
        start_on=date(2024, 1, 1), end_on=date(2024, 3, 15),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        measure_plan(
            case=case, staff=be_staff, kind="compensation_bvg", placement=short,
            start_on=date(2024, 6, 1),
        )  # fmt: skip
    assert "more than 3 months" in str(error.value)

    long = placement_record(
        case=case, staff=be_staff, employer=be_employer, kind="job",
        start_on=date(2020, 1, 1), end_on=date(2022, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        measure_plan(
            case=case, staff=be_staff, kind="compensation_ktg", placement=long,
            start_on=date(2023, 2, 1),
        )  # fmt: skip
    assert "within 36 months" in str(error.value)
    measure_plan(
        case=case, staff=be_staff, kind="compensation_ktg", placement=long,
        start_on=date(2022, 6, 1),
    )  # fmt: skip


def test_matching_works_both_ways_within_office_region_and_load(
    be_staff, be_employer, vd_employer
):
    case = make_case(
        be_staff, be_employer, region="Bern", max_physical_load=2,
        max_workload_percent=60,
    )  # fmt: skip
    fits = make_opportunity(be_employer, physical_load=1, workload_percent=50)
    make_opportunity(be_employer, title="Bauarbeiter", physical_load=3)
    make_opportunity(be_employer, title="Thun", region="Thun")
    make_opportunity(be_employer, title="Vollzeit", workload_percent=100)
    make_opportunity(vd_employer, title="Other office")
    make_case(be_staff, be_employer, number="IV-closed", phase="closed")

    assert [o.title for o in opportunities_for_case(case)] == ["Lagerist"]
    assert [c.case_number for c in cases_for_opportunity(fits)] == ["IV-1"]


def test_employer_page_shows_placements_only_to_case_roles(
    client, office_be, be_staff, be_employer
):
    case = make_case(be_staff, be_employer, number="IV-2025-42")
    placement_record(
        case=case, staff=be_staff, opportunity=make_opportunity(be_employer),
        start_on=date(2025, 5, 5),
    )  # fmt: skip
    url = reverse("crm_employer_overview", args=[be_employer.pk])

    client.force_login(be_staff)
    page = client.get(url).content.decode()
    assert 'data-testid="placements"' in page and "IV-2025-42" in page
    assert "Trial place" in page and "Lagerist" in page

    client.force_login(make_staff(office_be, "be.acq", StaffRole.ACQUISITION))
    page = client.get(url).content.decode()
    assert "IV-2025-42" not in page and 'data-testid="placements"' not in page


def test_case_admin_never_shows_the_ahv_number_again(client, be_staff, be_employer):
    client.force_login(be_staff)
    response = client.post(
        reverse("wagtailsnippets_crm_casereference:add"),
        {"case_number": "IV-9", "employer": be_employer.pk, "aim": "keep_job",
         "phase": "early_detection", "ahv_number": "756.9217.0769.85"},
    )  # fmt: skip
    assert response.status_code == 302
    case = be_employer.cases.get()
    edit = client.get(reverse("wagtailsnippets_crm_casereference:edit", args=[case.pk]))
    assert edit.status_code == 200
    assert "9217" not in edit.content.decode() and len(case.ahv_hash) == 64


# --- Partners and IIZ -----------------------------------------------------------------


def test_re_referral_within_the_window_warns_unless_a_new_measure_is_recorded(
    office_be, be_staff, be_employer
):
    social = PartnerOrganisation.objects.create(
        office=office_be, name="Sozialdienst Bern", kind="social_services"
    )
    first, warning = handover_record(
        staff=be_staff, partner=social, situation="partner_to_both",
        direction="from_partner", referred_on=date(2025, 1, 10),
        ahv_number="756.9217.0769.85", support_outcome="ended_without_job",
        support_ended_on=date(2025, 3, 31),
    )  # fmt: skip
    assert warning == ""

    _again, warning = handover_record(
        staff=be_staff, partner=social, situation="partner_to_both",
        direction="from_partner", referred_on=date(2025, 6, 1),
        ahv_number="7569217076985",
    )  # fmt: skip
    assert "Re-referral within 6 months" in warning and "IIZ agreement" in warning

    # with a relevant measure by the partner in between: no warning
    _again, warning = handover_record(
        staff=be_staff, partner=social, situation="partner_to_both",
        direction="from_partner", referred_on=date(2025, 6, 2),
        ahv_number="7569217076985", partner_measures=["training"],
    )  # fmt: skip
    assert warning == ""

    # after the window (office setting: 3 months): no warning
    office_be.re_referral_window_months = 3
    office_be.save()
    _late, warning = handover_record(
        staff=be_staff, partner=social, situation="partner_to_both",
        direction="from_partner", referred_on=date(2025, 7, 15),
        ahv_number="7569217076985",
    )  # fmt: skip
    assert warning == ""


def test_re_referral_guard_is_lifted_by_a_granted_iv_measure(
    office_be, be_staff, be_employer
):
    case = make_case(be_staff, be_employer)
    rav = PartnerOrganisation.objects.create(office=office_be, name="RAV", kind="rav")
    handover_record(
        staff=be_staff, partner=rav, situation="direct", direction="from_partner",
        referred_on=date(2025, 1, 1), case=case,
        support_outcome="ended_without_job", support_ended_on=date(2025, 2, 1),
    )  # fmt: skip
    measure = measure_plan(case=case, staff=be_staff, kind="coaching")
    measure_status_set(
        measure=measure, staff=be_staff, status="granted", on=date(2025, 3, 1)
    )

    _again, warning = handover_record(
        staff=be_staff, partner=rav, situation="direct", direction="from_partner",
        referred_on=date(2025, 4, 1), case=case,
    )  # fmt: skip
    assert warning == ""


def test_agreement_renewal_reminder_goes_out_once(office_be, be_staff):
    Agreement.objects.create(
        office=office_be, kind="concerto", title="ConCerto Migros",
        valid_from=date(2023, 1, 1), valid_until=date(2025, 12, 31),
        responsible=be_staff,
    )  # fmt: skip

    assert agreement_renewal_reminders(date(2025, 9, 1)) == 0
    assert agreement_renewal_reminders(date(2025, 10, 15)) == 1
    assert agreement_renewal_reminders(date(2025, 10, 16)) == 0
    assert len(mail.outbox) == 1 and "ConCerto Migros" in mail.outbox[0].subject


def test_public_iiz_contacts_of_partners_appear_in_the_directory(office_be):
    social = PartnerOrganisation.objects.create(
        office=office_be, name="Sozialdienst Bern", kind="social_services"
    )
    PartnerContact.objects.create(
        partner=social, first_name="Rita", last_name="Public",
        is_iiz_contact=True, public=True,
    )  # fmt: skip
    PartnerContact.objects.create(
        partner=social, first_name="Hans", last_name="Hidden", is_iiz_contact=True
    )
    with pytest.raises(ValidationError):
        PartnerContact(
            partner=social, first_name="No", last_name="Iiz", public=True
        ).full_clean()

    from cms.models.pages import partner_iiz_entries

    names = [entry.name for entry in partner_iiz_entries(office_be.pk)]
    assert names == ["Rita Public"]
    assert partner_iiz_entries(None) == []


def test_the_directory_page_lists_only_its_own_offices_partners(client, office_vd):
    from cms.models import ContactDirectoryPage
    from crm.demo import DemoResult
    from crm.demo.site import site_and_portal_seed

    from .conftest import make_office

    # given the demo site of the BE office, and public IIZ contacts in BE and VD
    office_be = make_office("BE", "BE", "de")
    site_and_portal_seed(DemoResult())
    for office, name in ((office_be, "Rita Bernerin"), (office_vd, "Luc Vaudois")):
        partner = PartnerOrganisation.objects.create(
            office=office, name=f"RAV {office.code}", kind="rav"
        )
        first, last = name.split()
        PartnerContact.objects.create(
            partner=partner, first_name=first, last_name=last,
            is_iiz_contact=True, public=True,
        )  # fmt: skip
    german, french = (
        ContactDirectoryPage.objects.get(locale__language_code=code)
        for code in ("de", "fr")
    )

    # then both language versions list BE's partner contact and not VD's
    for page in (german, french):
        assert page.office == office_be
        text = client.get(page.url + "?area=iiz").content.decode()
        assert "Rita Bernerin" in text and "Luc Vaudois" not in text

    # and a directory page without an office lists no partner contact
    german.office = None
    german.save_revision().publish()
    text = client.get(german.url + "?area=iiz").content.decode()
    assert "Rita Bernerin" not in text


# --- Requests and complaints -----------------------------------------------------


def test_phone_request_entered_by_staff_runs_on_the_holiday_clock(
    be_staff, be_employer
):
    # received on the Wednesday before Ascension 2025 (29 May) in Bern, target 7 days
    received = datetime(2025, 5, 28, 10, 0, tzinfo=ZoneInfo("Europe/Zurich"))

    request = request_record(
        staff=be_staff, employer=be_employer, channel="phone", kind="callback",
        subject="hiring", message="Rückruf bitte", callback_phone="031 300 00 00",
        received_at=received,
    )  # fmt: skip

    # Ascension (Thu 29 May) and Whit Monday (9 June) do not count
    assert request.due_on == date(2025, 6, 10)
    assert request.channel == "phone" and request.recorded_by == be_staff
    with pytest.raises(ValidationError):
        request_record(
            staff=be_staff, employer=be_employer, channel="portal", kind="advice",
            subject="other", message="x",
        )  # fmt: skip
    assert list(Request.objects.queue_order())[0] == request


def test_complaint_records_measures_and_when_the_employer_was_told(
    be_staff, be_employer
):
    complaint = complaint_record(
        employer=be_employer, staff=be_staff, received_on=date(2025, 2, 3),
        channel="phone", subject="Nobody called back",
    )  # fmt: skip

    complaint_inform(
        complaint=complaint, measures_taken="Fixed contact assigned",
        informed_on=date(2025, 2, 5),
    )  # fmt: skip

    complaint.refresh_from_db()
    assert complaint.employer_informed_on == date(2025, 2, 5)
    assert complaint.office == be_employer.office
    with pytest.raises(ValidationError):
        complaint_inform(
            complaint=complaint, measures_taken="x", informed_on=date(2025, 1, 1)
        )


def test_granted_measure_amount_is_not_on_the_portal_view(be_staff, be_employer):
    from crm.services.cases import case_consent_record, employer_case_views

    case = make_case(be_staff, be_employer)
    measure = measure_plan(
        case=case, staff=be_staff, kind="training", amount_chf=Decimal("4321")
    )
    measure_status_set(measure=measure, staff=be_staff, status="granted")
    case_consent_record(case=case, given_on=date(2024, 1, 1), scope="placements")

    views = employer_case_views(be_employer)
    assert len(views) == 1 and "4321" not in repr(views)

"""Cases in the Wagtail admin, through the browser's requests: the measure status
flow and the decision-limit approval, the re-referral warning in the handover form,
both matching pages, agreements with their renewal reminder, partner contact
persons, and case items on the employer page by role and office."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from crm.models import (
    Agreement,
    CaseReference,
    JobOpportunity,
    Measure,
    PartnerContact,
    PartnerOrganisation,
    StaffRole,
)
from crm.services.cases import case_create
from crm.services.measures import measure_plan, measure_status_set
from crm.services.partners import agreement_renewal_reminders, handover_record
from tests.cms.conftest import make_portal_user
from tests.pages import page_text

from .conftest import make_staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_case(staff, employer, number="IV-2025-0101", **fields):
    fields.setdefault("aim", "keep_job")
    return case_create(staff=staff, case_number=number, employer=employer, **fields)


def measure_form(measure: Measure, **changes) -> dict:
    """The measure edit form as the browser posts it."""
    data = {
        "case": measure.case_id,
        "employer": measure.employer_id or "",
        "kind": measure.kind,
        "status": measure.status,
        "start_on": measure.start_on or "",
        "end_on": measure.end_on or "",
        "amount_chf": measure.amount_chf if measure.amount_chf is not None else "",
        "provider": measure.provider_id or "",
        "placement": measure.placement_id or "",
        "outcome": measure.outcome,
    }
    if measure.decided_on_site:
        data["decided_on_site"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_measure(client, measure, **changes):
    url = reverse("wagtailsnippets_crm_measure:edit", args=[measure.pk])
    return client.post(url, measure_form(measure, **changes))


# --- Measures: status flow and decision limit ----------------------------------------


def test_staff_moves_a_measure_planned_granted_running_ended_in_the_edit_form(
    client, be_staff, be_employer
):
    # given a planned trial placement
    case = make_case(be_staff, be_employer)
    measure = measure_plan(
        case=case, staff=be_staff, kind="trial_placement",
        start_on=TODAY, end_on=TODAY + timedelta(days=90),
    )  # fmt: skip
    client.force_login(be_staff)

    # when the status is set step by step in the edit form
    for status in ("granted", "running", "ended"):
        response = edit_measure(client, measure, status=status)
        assert response.status_code == 302, response.content.decode()[:2000]
        measure.refresh_from_db()
        assert measure.status == status

    # then it counts from the day it was granted
    assert measure.granted_on == TODAY and measure.is_counted


def test_the_edit_form_refuses_a_jump_in_the_status_flow(client, be_staff, be_employer):
    measure = measure_plan(
        case=make_case(be_staff, be_employer), staff=be_staff, kind="coaching"
    )
    client.force_login(be_staff)

    text = page_text(edit_measure(client, measure, status="ended"))

    assert "A measure cannot go from planned to ended." in text
    measure.refresh_from_db()
    assert measure.status == "planned"


def test_measure_decided_on_site_above_the_limit_waits_for_a_team_leads_approval(
    client, office_be, be_staff, be_employer
):
    # given the office's limit of CHF 5,000
    case = make_case(be_staff, be_employer)
    client.force_login(be_staff)

    # when the specialist records CHF 6,500 decided on site in the add form
    response = client.post(
        reverse("wagtailsnippets_crm_measure:add"),
        measure_form(
            Measure(case=case, employer=be_employer, kind="workplace_adaptation",
                    status="planned", amount_chf=Decimal("6500"),
                    decided_on_site=True),
        ),
    )  # fmt: skip
    assert response.status_code == 302
    measure = Measure.objects.get(case=case)

    # then it is flagged in the list, and granting it is refused with the reason
    listing = page_text(client.get(reverse("wagtailsnippets_crm_measure:list")))
    assert measure.needs_approval and measure.decided_by == be_staff
    text = page_text(edit_measure(client, measure, status="granted"))
    assert "it needs approval before it is granted" in text
    # the specialist has no approve button and may not approve
    assert reverse("crm_measure_approval", args=[measure.pk]) not in listing
    approval = reverse("crm_measure_approval", args=[measure.pk])
    refused = client.post(approval, follow=True)
    assert refused.redirect_chain[0][0] != reverse(
        "wagtailsnippets_crm_measure:edit", args=[measure.pk]
    )
    measure.refresh_from_db()
    assert measure.approved_at is None

    # when the team lead approves it
    lead = make_staff(office_be, "be.lead", StaffRole.TEAM_LEAD)
    client.force_login(lead)
    listing = page_text(client.get(reverse("wagtailsnippets_crm_measure:list")))
    assert approval in listing
    assert "CHF 6500" in page_text(client.get(approval))
    assert client.post(approval).status_code == 302

    # then the specialist can grant it
    client.force_login(be_staff)
    measure.refresh_from_db()
    assert measure.approved_by == lead
    assert edit_measure(client, measure, status="granted").status_code == 302
    measure.refresh_from_db()
    assert measure.status == "granted"


def test_raising_the_amount_in_the_edit_form_needs_approval_again(
    client, be_staff, be_employer
):
    # given a measure decided on site within the limit
    case = make_case(be_staff, be_employer)
    measure = measure_plan(
        case=case, staff=be_staff, kind="training", amount_chf=Decimal("4000"),
        decided_on_site=True,
    )  # fmt: skip
    assert not measure.needs_approval
    client.force_login(be_staff)

    # when its amount is raised above the limit and it is granted in the same edit
    text = page_text(edit_measure(client, measure, amount_chf="8000", status="granted"))

    # then nothing is saved: it needs approval first
    assert "it needs approval before it is granted" in text
    measure.refresh_from_db()
    assert measure.amount_chf == Decimal("4000") and measure.status == "planned"

    # and raising it alone flags it
    assert edit_measure(client, measure, amount_chf="8000").status_code == 302
    measure.refresh_from_db()
    assert measure.needs_approval and measure.awaiting_approval


def test_the_edit_form_applies_the_duration_rule(client, be_staff, be_employer):
    measure = measure_plan(
        case=make_case(be_staff, be_employer), staff=be_staff,
        kind="trial_placement", start_on=date(2025, 1, 6), end_on=date(2025, 3, 31),
    )  # fmt: skip
    client.force_login(be_staff)

    text = page_text(edit_measure(client, measure, end_on="2025-12-31"))

    assert "at most 180 days" in text and "to verify against the law in force" in text
    measure.refresh_from_db()
    assert measure.end_on == date(2025, 3, 31)


# --- IIZ handovers: the re-referral guard in the form ----------------------------


def test_handover_form_warns_about_a_re_referral_naming_the_rule(
    client, office_be, be_staff, be_employer
):
    # given social services referred the case, and support ended without a job
    case = make_case(be_staff, be_employer, aim="placement")
    social = PartnerOrganisation.objects.create(
        office=office_be, name="Sozialdienst Bern", kind="social_services"
    )
    handover_record(
        staff=be_staff, partner=social, situation="partner_to_both",
        direction="from_partner", referred_on=TODAY - timedelta(days=200), case=case,
        support_outcome="ended_without_job",
        support_ended_on=TODAY - timedelta(days=40),
    )  # fmt: skip
    client.force_login(be_staff)

    # when the same partner refers the same case again in the handover form
    response = client.post(
        reverse("wagtailsnippets_crm_handover:add"),
        {"partner": social.pk, "case": case.pk, "situation": "partner_to_both",
         "direction": "from_partner", "referred_on": TODAY.isoformat(),
         "support_outcome": "ongoing"},
        follow=True,
    )  # fmt: skip

    # then it is recorded, and the staff member sees the warning naming the rule
    text = page_text(response)
    assert case.handovers.count() == 2
    assert "Re-referral within 6 months" in text
    assert "IIZ agreement" in text and "relevant measures were taken" in text


def test_handover_form_shows_no_warning_for_a_first_referral(
    client, office_be, be_staff, be_employer
):
    case = make_case(be_staff, be_employer, aim="placement")
    rav = PartnerOrganisation.objects.create(office=office_be, name="RAV", kind="rav")
    client.force_login(be_staff)

    response = client.post(
        reverse("wagtailsnippets_crm_handover:add"),
        {"partner": rav.pk, "case": case.pk, "situation": "direct",
         "direction": "from_partner", "referred_on": TODAY.isoformat(),
         "support_outcome": "ongoing"},
        follow=True,
    )  # fmt: skip

    text = page_text(response)
    assert case.handovers.count() == 1 and "Re-referral" not in text


# --- Matching pages -----------------------------------------------------------------


@pytest.fixture
def matching_data(office_vd, be_staff, be_employer, vd_employer):
    case = make_case(
        be_staff, be_employer, number="IV-MATCH-1", aim="placement",
        phase="vocational", region="Bern", max_physical_load=2,
        max_workload_percent=60,
    )  # fmt: skip
    make_case(be_staff, be_employer, number="IV-CLOSED", phase="closed", region="Bern")

    def place(employer, title, **fields):
        return JobOpportunity.objects.create(
            office=employer.office, employer=employer, kind="job", title=title,
            region=fields.pop("region", "Bern"), **fields,
        )  # fmt: skip

    fits = place(be_employer, "Lagerist 50 %", physical_load=1, workload_percent=50)
    place(be_employer, "Bauarbeiter", physical_load=3)
    place(be_employer, "Lagerist Thun", region="Thun")
    place(vd_employer, "Magasinier Lausanne")
    return case, fits


def test_matching_page_of_a_case_lists_fitting_open_places(
    client, be_staff, matching_data
):
    case, _fits = matching_data
    client.force_login(be_staff)

    text = page_text(client.get(reverse("crm_case_matching", args=[case.pk])))

    assert "Lagerist 50 %" in text and "Berner Maschinenbau AG" in text
    for other in ("Bauarbeiter", "Lagerist Thun", "Magasinier Lausanne"):
        assert other not in text


def test_matching_page_of_a_place_lists_fitting_cases(client, be_staff, matching_data):
    _case, fits = matching_data
    client.force_login(be_staff)

    text = page_text(client.get(reverse("crm_opportunity_matching", args=[fits.pk])))

    assert "IV-MATCH-1" in text and "IV-CLOSED" not in text


def test_matching_pages_are_closed_to_other_offices_and_roles(
    client, office_be, vd_staff, matching_data
):
    case, fits = matching_data
    urls = [
        reverse("crm_case_matching", args=[case.pk]),
        reverse("crm_opportunity_matching", args=[fits.pk]),
    ]
    # another office's specialist: not found
    client.force_login(vd_staff)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    # acquisition staff of the same office: sent back with "no permission"
    client.force_login(make_staff(office_be, "be.acq", StaffRole.ACQUISITION))
    for url in urls:
        response = client.get(url, follow=True)
        assert response.redirect_chain and "IV-MATCH-1" not in page_text(response)
        assert "Lagerist 50 %" not in response.content.decode()


# --- Agreements and partner contact persons -------------------------------------------


def test_agreement_form_records_parties_and_its_renewal_reminder_goes_out(
    client, office_be, office_vd, be_staff, be_employer
):
    # given a partner and a colleague of another office, and a portal user
    chamber = PartnerOrganisation.objects.create(
        office=office_be, name="Handelskammer Bern", kind="chamber_of_commerce"
    )
    other_office = make_staff(office_vd, "vd.lea")
    make_portal_user(be_employer, "hr@berner.example")
    client.force_login(be_staff)
    add = reverse("wagtailsnippets_crm_agreement:add")

    # then the form offers only staff of the own office as responsible
    form = page_text(client.get(add))
    assert be_staff.get_full_name() in form
    assert other_office.get_full_name() not in form
    assert "hr@berner.example" not in form

    # when a ConCerto-like agreement ending in 80 days is recorded
    ends = TODAY + timedelta(days=80)
    response = client.post(
        add,
        {"kind": "concerto", "title": "ConCerto Berner Maschinenbau",
         "employers": [be_employer.pk], "partners": [chamber.pk],
         "scope": "Früherfassung in allen Werken", "interfaces": "HR Zentrale",
         "channels": "Telefon", "deadlines": "Rückmeldung in 5 Tagen",
         "valid_from": "2023-01-01", "valid_until": ends.isoformat(),
         "renewal_notice_days": "90", "responsible": be_staff.pk},
    )  # fmt: skip
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.office == office_be
    assert list(agreement.employers.all()) == [be_employer]
    assert list(agreement.partners.all()) == [chamber]

    # then the daily reminder mails the responsible person once
    assert agreement_renewal_reminders(TODAY) == 1
    assert agreement_renewal_reminders(TODAY) == 0
    assert mail.outbox[-1].to == [be_staff.email]
    assert "ConCerto Berner Maschinenbau" in mail.outbox[-1].subject


def test_agreement_form_refuses_an_end_before_the_start(client, be_staff):
    client.force_login(be_staff)

    text = page_text(
        client.post(
            reverse("wagtailsnippets_crm_agreement:add"),
            {
                "kind": "cooperation",
                "title": "Kurz",
                "valid_from": "2025-06-01",
                "valid_until": "2025-01-01",
                "renewal_notice_days": "90",
                "responsible": be_staff.pk,
            },
        )  # fmt: skip
    )

    assert "An agreement cannot end before it starts." in text
    assert not Agreement.objects.exists()


def test_staff_adds_a_public_iiz_contact_person_to_a_partner(
    client, office_be, office_vd, be_staff
):
    # given a partner of the own office and one of another office
    rav = PartnerOrganisation.objects.create(
        office=office_be, name="RAV Bern", kind="rav"
    )
    other = PartnerOrganisation.objects.create(
        office=office_vd, name="ORP Lausanne", kind="rav"
    )
    client.force_login(be_staff)
    add = reverse("wagtailsnippets_crm_partnercontact:add")
    assert "ORP Lausanne" not in page_text(client.get(add))

    # when a public IIZ contact person is added
    response = client.post(
        add,
        {"partner": rav.pk, "first_name": "Ursula", "last_name": "Moser",
         "function": "IIZ-Koordinatorin", "email": "ursula.moser@rav.example",
         "is_iiz_contact": "on", "public": "on"},
    )  # fmt: skip

    # then the person is on file with the partner and listed
    assert response.status_code == 302
    person = PartnerContact.objects.get()
    assert (person.partner, person.is_iiz_contact, person.public) == (rav, True, True)
    listing = client.get(reverse("wagtailsnippets_crm_partnercontact:list"))
    assert "Moser" in page_text(listing)

    # and public without being the IIZ contact is refused, as is the other office
    text = page_text(
        client.post(add, {"partner": rav.pk, "first_name": "Reto",
                          "last_name": "Käser", "public": "on"})
    )  # fmt: skip
    assert "Only IIZ contact persons are shown in the public directory." in text
    text = page_text(
        client.post(add, {"partner": other.pk, "first_name": "Claire",
                          "last_name": "Dubois"})
    )  # fmt: skip
    assert PartnerContact.objects.count() == 1


# --- Case items on the employer page -------------------------------------------------


def test_case_items_on_the_employer_page_only_for_case_roles_of_the_cases_office(
    client, office_be, office_vd, be_staff, be_employer
):
    # given an employer shared with VD, and a granted trial placement of a BE case
    be_employer.shared_with.add(office_vd)
    case = make_case(be_staff, be_employer, number="IV-2025-4711")
    measure = measure_plan(
        case=case, staff=be_staff, kind="trial_placement", start_on=TODAY,
        amount_chf=Decimal("1234"),
    )  # fmt: skip
    measure_status_set(measure=measure, staff=be_staff, status="granted")
    url = reverse("crm_employer_overview", args=[be_employer.pk])

    def seen_by(user) -> str:
        client.force_login(user)
        return page_text(client.get(url))

    # then the BE specialist and case officer see the case panel and the measure
    for user in (be_staff, make_staff(office_be, "be.co", StaffRole.CASE_OFFICER)):
        text = seen_by(user)
        assert 'id="cases"' in text or 'data-testid="case-summary"' in text
        assert "IV-2025-4711" in text and "Trial placement" in text
    # BE acquisition and communications see the employer, not the case items
    for role in (StaffRole.ACQUISITION, StaffRole.COMMUNICATIONS):
        text = seen_by(make_staff(office_be, f"be.{role}", role))
        assert "Berner Maschinenbau AG" in text
        assert "IV-2025-4711" not in text and "Trial placement" not in text
        assert 'data-testid="case-summary"' not in text
    # a VD specialist sees the shared employer but nothing of the BE case
    text = seen_by(make_staff(office_vd, "vd.spec", StaffRole.INTEGRATION))
    assert "Berner Maschinenbau AG" in text
    assert "IV-2025-4711" not in text and "Trial placement" not in text
    assert "1 open case" not in text
    assert CaseReference.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["measure", "handover", "agreement", "partnercontact", "placement"]
)
def test_case_forms_never_offer_the_office_or_the_approval_fields(
    client, be_staff, name
):
    client.force_login(be_staff)

    form = client.get(reverse(f"wagtailsnippets_crm_{name}:add")).context["form"]

    forbidden = {"office", "needs_approval", "approved_by", "approved_at",
                 "decided_by", "granted_on", "renewal_reminded_on"}  # fmt: skip
    assert not forbidden & set(form.fields), name


# --- Fixed query counts (bench case_views measures the same pages at size) ----------


def _case_items(staff, employer, start: int, stop: int) -> None:
    from crm.services.placements import placement_record

    for n in range(start, stop):
        case = make_case(staff, employer, number=f"IV-Q-{n}", aim="placement")
        for kind in ("trial_placement", "coaching"):
            measure = measure_plan(case=case, staff=staff, kind=kind, start_on=TODAY)
            measure_status_set(measure=measure, staff=staff, status="granted")
        placement_record(
            case=case, staff=staff, employer=employer, kind="trial_place",
            start_on=TODAY - timedelta(days=n),
        )  # fmt: skip


def test_employer_page_query_count_does_not_grow_with_cases_measures_placements(
    client, be_staff, be_employer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(be_staff)
    url = reverse("crm_employer_overview", args=[be_employer.pk])
    _case_items(be_staff, be_employer, 0, 2)
    client.get(url)  # caches warm (menus, permissions)
    with CaptureQueriesContext(connection) as with_2:
        first = page_text(client.get(url))
    assert "IV-Q-1" in first

    _case_items(be_staff, be_employer, 2, 12)
    with django_assert_num_queries(len(with_2.captured_queries)):
        text = page_text(client.get(url))
    assert "IV-Q-11" in text


def test_matching_list_query_count_does_not_grow_with_open_places(
    client, be_staff, be_employer, matching_data, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case, _fits = matching_data
    client.force_login(be_staff)
    url = reverse("crm_case_matching", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    JobOpportunity.objects.bulk_create(
        JobOpportunity(
            office=be_employer.office, employer=be_employer, kind="job",
            title=f"Passend {n}", region="Bern", physical_load=1, workload_percent=50,
        )
        for n in range(30)
    )  # fmt: skip
    with django_assert_num_queries(len(few.captured_queries)):
        text = page_text(client.get(url))
    assert "Passend 29" in text

"""Outreach campaigns: targets from a segment, assignment, one-click outcomes logged
as case-independent contacts, progress, call sheet."""

import pytest

from campaigns.models import OutreachCampaign, OutreachTarget, Segment
from campaigns.services.outreach import (
    outreach_outcome_record,
    outreach_progress,
    outreach_targets_build,
)
from crm.models import Contact, EmployerRole
from tests.crm.conftest import make_employer, make_staff

from .conftest import person_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(office):
    anna = make_staff(office, "be.anna", "acquisition")
    luc = make_staff(office, "be.luc", "acquisition")
    luc.staff_profile.languages = ["fr"]
    luc.staff_profile.save()
    anna.staff_profile.languages = ["de"]
    anna.staff_profile.save()
    return anna, luc


def _campaign(office, team, assignment):
    campaign = OutreachCampaign.objects.create(
        office=office, name="Reaktivierung 2026", kind="reactivation",
        segment=Segment.objects.create(office=office, name="Alle"),
        assignment=assignment,
    )  # fmt: skip
    campaign.staff.set(team)
    return campaign


def test_targets_are_assigned_by_region_fixed_contact_or_evenly(office, team):
    anna, luc = team
    for n in range(2):
        make_employer(office, f"Deutsch {n}", language_region="de")
        make_employer(office, f"Français {n}", language_region="fr")
    make_employer(office, "Fixed AG", language_region="fr", fixed_contact=anna)
    by_region = _campaign(office, team, "region")
    assert outreach_targets_build(by_region) == 5
    assignee = dict(by_region.targets.values_list("employer__legal_name", "assignee"))
    assert assignee["Deutsch 0"] == anna.pk and assignee["Français 1"] == luc.pk
    fixed = _campaign(office, team, "fixed_contact")
    outreach_targets_build(fixed)
    assert fixed.targets.get(employer__legal_name="Fixed AG").assignee == anna
    evenly = _campaign(office, team, "evenly")
    outreach_targets_build(evenly)
    counts = sorted(
        evenly.targets.filter(assignee=user).count() for user in (anna, luc)
    )
    assert counts == [2, 3]
    # building again adds nobody twice
    assert outreach_targets_build(evenly) == 0


def test_outcome_is_logged_as_a_case_independent_contact(office, team):
    anna, _luc = team
    employer = make_employer(office, "Ziel AG")
    person_at(office, email="hr@ziel.ch", employer=employer)
    campaign = _campaign(office, team, "evenly")
    outreach_targets_build(campaign)
    target = campaign.targets.get()
    outreach_outcome_record(target, status="meeting", staff=anna)
    contact = Contact.objects.get()
    assert contact.case_related is False
    assert contact.employer == employer and contact.staff == anna
    # written in the active language: German, the default
    assert "Termin vereinbart" in contact.outcome
    employer.refresh_from_db()
    assert employer.last_case_independent_contact_on == contact.occurred_on
    progress = outreach_progress(campaign)
    assert progress["overall"]["meeting"] == 1 and progress["overall"]["percent"] == 100


def test_outcome_button_and_call_sheet_in_the_admin(client, office, team):
    anna, _luc = team
    make_employer(office, "Ruf AG", phone="+41 31 300 00 00")
    campaign = _campaign(office, team, "evenly")
    outreach_targets_build(campaign)
    target = campaign.targets.get()
    client.force_login(anna)
    page = client.get(f"/admin/campaigns/outreach/{campaign.pk}/")
    assert page.status_code == 200 and "Ruf AG" in page.content.decode()
    client.post(
        f"/admin/campaigns/outreach/{campaign.pk}/targets/{target.pk}/",
        {"status": "reached"},
    )
    assert OutreachTarget.objects.get().status == "reached"
    assert Contact.objects.count() == 1
    sheet = client.get(f"/admin/campaigns/outreach/{campaign.pk}/call-sheet.csv")
    text = sheet.content.decode("utf-8-sig")
    assert "Ruf AG" in text and "+41" in text


def _sheet(client, campaign, mine=False) -> list[list[str]]:
    import csv
    import io

    url = f"/admin/campaigns/outreach/{campaign.pk}/call-sheet.csv"
    response = client.get(url + ("?mine=1" if mine else ""))
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_call_sheet_cells_cannot_run_as_formulas(client, office, team):
    anna, _luc = team
    employer = make_employer(office, "=HYPERLINK(\"https://evil.example\")",
                             phone="+41 31 300 00 00")  # fmt: skip
    person_at(office, email="hr@formel.ch", employer=employer)
    campaign = _campaign(office, team, "evenly")
    outreach_targets_build(campaign)
    client.force_login(anna)
    (_header, row) = _sheet(client, campaign)
    assert row[0] == '\'=HYPERLINK("https://evil.example")'
    assert row[1] == "'+41313000000"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_target_gets_the_fixed_contact_else_an_opted_in_person(
    office, team, newsletter_list
):
    from .conftest import subscriber

    fixed_employer = make_employer(office, "Fix AG")
    person_at(office, email="first@fix.ch", employer=fixed_employer)
    fixed = person_at(office, email="fixed@fix.ch", employer=fixed_employer)
    EmployerRole.objects.filter(person=fixed).update(is_fixed_contact=True)
    open_employer = make_employer(office, "Offen AG")
    person_at(office, email="first@offen.ch", employer=open_employer)
    opted = subscriber(office, newsletter_list, "news@offen.ch", employer=open_employer)
    lone_employer = make_employer(office, "Allein AG")
    lone = person_at(office, email="only@allein.ch", employer=lone_employer)
    campaign = _campaign(office, team, "evenly")
    outreach_targets_build(campaign)
    persons = dict(campaign.targets.values_list("employer__legal_name", "person"))
    assert persons == {"Fix AG": fixed.pk, "Offen AG": opted.pk,
                       "Allein AG": lone.pk}  # fmt: skip


def test_a_reactivation_outcome_is_logged_as_such(office, team):
    from crm.models import StartingPoint, Topic

    anna, _luc = team
    make_employer(office, "Schlaf AG")
    campaign = _campaign(office, team, "evenly")  # kind "reactivation"
    outreach_targets_build(campaign)
    outreach_outcome_record(campaign.targets.get(), status="reached", staff=anna)
    contact = Contact.objects.get()
    assert contact.starting_point != StartingPoint.ACQUISITION
    assert contact.starting_point == StartingPoint.OCCASION
    assert list(contact.topics) == [Topic.INTENSIFY_COOPERATION]
    campaign.kind = "acquisition"
    campaign.save()
    target = campaign.targets.get()
    outreach_outcome_record(target, status="meeting", staff=anna)
    newest = Contact.objects.order_by("-pk").first()
    assert newest.starting_point == StartingPoint.ACQUISITION


def test_work_list_pages_progress_per_staff_and_only_mine_sheet(client, office, team):
    anna, luc = team
    for n in range(130):
        make_employer(office, f"Firma {n:03d}")
    campaign = _campaign(office, team, "evenly")
    assert outreach_targets_build(campaign) == 130
    client.force_login(anna)
    base = f"/admin/campaigns/outreach/{campaign.pk}/"
    # the work list pages through all targets, 100 a page
    first = client.get(base).content.decode()
    second = client.get(f"{base}?page=2").content.decode()
    assert "Firma 000" in first and "Firma 099" in first and "Firma 100" not in first
    assert "Firma 100" in second and "Firma 129" in second
    assert "Page 2 of 2 (130 targets)" in second
    # "only mine" pages through anna's 65
    mine = client.get(f"{base}?mine=1&page=1").content.decode()
    assert "(65 targets)" not in mine  # one page only
    # an outcome recorded from page 2 lands back on page 2
    target = campaign.targets.get(employer__legal_name="Firma 120")
    response = client.post(f"{base}targets/{target.pk}/",
                           {"status": "reached", "page": "2"})  # fmt: skip
    assert response["Location"].endswith("?page=2")
    # progress per staff member: anna's and luc's rows
    progress = outreach_progress(campaign)
    rows = {row["name"]: row for row in progress["per_staff"]}
    reached_by = target.assignee
    assert rows[reached_by.get_full_name() or reached_by.username]["reached"] == 1
    assert sorted(row["total"] for row in rows.values()) == [65, 65]
    # the "only mine" call sheet lists exactly anna's targets
    sheet = _sheet(client, campaign, mine=True)[1:]
    expected = set(
        campaign.targets.filter(assignee=anna).values_list(
            "employer__legal_name", flat=True
        )
    )
    assert {row[0] for row in sheet} == expected and len(sheet) == 65
    assert all(row[6] == anna.get_full_name() for row in sheet)

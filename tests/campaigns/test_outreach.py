"""Outreach campaigns: targets from a segment, assignment, one-click outcomes logged
as case-independent contacts, progress, call sheet."""

import pytest

from campaigns.models import OutreachCampaign, OutreachTarget, Segment
from campaigns.services.outreach import (
    outreach_outcome_record,
    outreach_progress,
    outreach_targets_build,
)
from crm.models import Contact
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

"""Merging two employers or two persons moves everything, and undo puts it back."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from campaigns.models import MailingList, Subscription
from crm.dedupe.models import DuplicateCandidate, Kind, Merge
from crm.dedupe.services import (
    MergeError,
    contact_person_merge,
    duplicate_scan,
    employer_merge,
    merge_undo,
)
from crm.models import (
    CaseReference,
    Contact,
    ContactPerson,
    Employer,
    EmployerRole,
    JobOpportunity,
)
from crm.services.contacts import employer_contact_stats_refresh
from tests.crm.conftest import make_staff

from .conftest import employer, person


def _contact(employer_, staff, day, participants=()):
    contact = Contact.objects.create(
        office=employer_.office,
        employer=employer_,
        staff=staff,
        occurred_on=day,
        channel=Contact.Channel.PHONE,
        case_related=False,
        initiated_by="office",
    )
    contact.participants.set(participants)
    return contact


@pytest.fixture
def pair(office_be, lead):
    """Two records of one employer with people, contacts, a case and a job."""
    survivor = employer(office_be, "Bergbahnen Gantrisch AG", uid="CHE-116.281.710")
    duplicate = employer(
        office_be,
        "Bergbahnen Gantrisch",
        street="Gurnigelstrasse 1",
        email="info@gantrisch-bahnen.ch",
    )
    anna = person(office_be, "Anna", "Zürcher", "anna@gantrisch.ch", employer=survivor)
    anna_role = EmployerRole.objects.get(person=anna)
    anna_role.is_fixed_contact = True
    anna_role.save()
    # Anna is at both records; Beat only at the duplicate, as its fixed contact.
    EmployerRole.objects.create(employer=duplicate, person=anna, function="ceo")
    beat = person(office_be, "Beat", "Moser", "beat@gantrisch.ch")
    EmployerRole.objects.create(
        employer=duplicate, person=beat, function="hr", is_fixed_contact=True
    )
    old = _contact(survivor, lead, date(2025, 3, 1))
    moved = _contact(duplicate, lead, date(2026, 5, 4), participants=[beat])
    case = CaseReference.objects.create(
        office=office_be, employer=duplicate, case_number="IV-77", aim="keep_job"
    )
    job = JobOpportunity.objects.create(
        office=office_be, employer=duplicate, kind="trial_place", title="Kasse"
    )
    branch = employer(office_be, "Gantrisch Gastro GmbH", parent=duplicate)
    employer_contact_stats_refresh(survivor)
    employer_contact_stats_refresh(duplicate)
    return {
        "survivor": survivor, "duplicate": duplicate, "anna": anna, "beat": beat,
        "contacts": [old, moved], "case": case, "job": job, "branch": branch,
    }  # fmt: skip


def _snapshot(employer_id):
    """What hangs on an employer, as a user of the employer page sees it."""

    def values(model, *fields, key="employer_id"):
        rows = model.objects.filter(**{key: employer_id})
        return set(rows.values_list(*fields, flat=len(fields) == 1))

    return {
        "contacts": values(Contact, "pk"),
        "roles": values(EmployerRole, "person_id", "function", "is_fixed_contact"),
        "cases": values(CaseReference, "case_number"),
        "jobs": values(JobOpportunity, "title"),
        "branches": values(Employer, "legal_name", key="parent_id"),
    }


def test_employer_merge_moves_everything_and_records_it(pair, lead):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    # when: staff keep the survivor but take the duplicate's street and e-mail
    # (in English, the lead's language: the history notes are written in it)
    with translation.override("en"):
        merge = employer_merge(
            survivor=survivor,
            duplicate=duplicate,
            staff=lead,
            field_values=["street", "email"],
        )
    # then: the duplicate is gone and the survivor has all of it
    assert not Employer.objects.filter(pk=duplicate.pk).exists()
    after = _snapshot(survivor.pk)
    assert after["contacts"] == {c.pk for c in pair["contacts"]}
    assert after["cases"] == {"IV-77"}
    assert after["jobs"] == {"Kasse"}
    assert after["branches"] == {"Gantrisch Gastro GmbH"}
    # Anna's second role was dropped (she is already there); Beat came along but
    # the survivor keeps Anna as its one fixed contact.
    assert after["roles"] == {
        (pair["anna"].pk, "hr", True),
        (pair["beat"].pk, "hr", False),
    }
    survivor.refresh_from_db()
    assert survivor.street == "Gurnigelstrasse 1"
    assert survivor.email == "info@gantrisch-bahnen.ch"
    assert survivor.uid == "CHE-116.281.710"
    assert survivor.last_contact_on == date(2026, 5, 4)  # derived from moved contacts
    # and the record says exactly what happened
    merge.refresh_from_db()
    assert merge.moved["crm.Contact.employer"] == [pair["contacts"][1].pk]
    assert merge.moved["crm.CaseReference.employer"] == [pair["case"].pk]
    assert merge.moved["crm.Employer.parent"] == [pair["branch"].pk]
    assert len(merge.removed) == 1
    assert merge.removed[0]["model"] == "crm.employerrole"
    assert merge.survivor_old == {"street": "", "email": ""}
    assert merge.duplicate_data["fields"]["legal_name"] == "Bergbahnen Gantrisch"
    # the history of both records names the merge
    reasons = list(survivor.history.values_list("history_change_reason", flat=True))
    assert f"Merged with Bergbahnen Gantrisch (#{merge.duplicate_id})" in reasons
    gone = Employer.history.filter(id=duplicate.pk, history_type="-").get()
    assert gone.history_change_reason.startswith("Merged into Bergbahnen Gantrisch AG")


def test_undo_restores_exactly(pair, lead):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    before = {"survivor": _snapshot(survivor.pk), "duplicate": _snapshot(duplicate.pk)}
    row_before = Employer.objects.filter(pk=duplicate.pk).values().get()
    merge = employer_merge(
        survivor=survivor, duplicate=duplicate, staff=lead, field_values=["street"]
    )
    # when
    restored = merge_undo(merge=merge, staff=lead)
    # then
    assert restored.pk == duplicate.pk
    assert _snapshot(survivor.pk) == before["survivor"]
    assert _snapshot(duplicate.pk) == before["duplicate"]
    row_after = Employer.objects.filter(pk=duplicate.pk).values().get()
    assert row_after == row_before
    survivor.refresh_from_db()
    assert survivor.street == ""
    assert set(pair["contacts"][1].participants.all()) == {pair["beat"]}
    merge.refresh_from_db()
    assert merge.undone_at is not None
    with pytest.raises(MergeError):
        merge_undo(merge=merge, staff=lead)


def test_undo_is_refused_after_30_days(pair, lead):
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        merge = employer_merge(
            survivor=pair["survivor"], duplicate=pair["duplicate"], staff=lead
        )
    with translation.override("en"), pytest.raises(MergeError, match="30 days"):
        merge_undo(merge=merge, staff=lead)
    assert not Employer.objects.filter(pk=pair["duplicate"].pk).exists()


def test_undo_works_on_day_29(pair, lead):
    with time_machine.travel(timezone.now() - timedelta(days=29)):
        merge = employer_merge(
            survivor=pair["survivor"], duplicate=pair["duplicate"], staff=lead
        )
    merge_undo(merge=merge, staff=lead)
    assert Employer.objects.filter(pk=pair["duplicate"].pk).exists()


def test_merge_needs_the_permission_and_the_office(pair, office_vd, vd_lead, office_be):
    clerk = make_staff(office_be, "be.ivo")  # integration specialist: no merge right
    with pytest.raises(PermissionDenied):
        employer_merge(
            survivor=pair["survivor"], duplicate=pair["duplicate"], staff=clerk
        )
    with pytest.raises(PermissionDenied):
        employer_merge(
            survivor=pair["survivor"], duplicate=pair["duplicate"], staff=vd_lead
        )
    other = employer(office_vd, "Bergbahnen Gantrisch SA")
    with pytest.raises(MergeError):
        employer_merge(survivor=pair["survivor"], duplicate=other, staff=vd_lead)
    assert Employer.objects.filter(pk=pair["duplicate"].pk).exists()
    assert not Merge.objects.exists()


def test_candidate_is_marked_merged_and_open_again_after_undo(pair, lead, office_be):
    duplicate_scan(office=office_be)
    candidate = DuplicateCandidate.objects.get(kind=Kind.EMPLOYER)
    merge = employer_merge(
        survivor=pair["survivor"], duplicate=pair["duplicate"], staff=lead,
        candidate=candidate,
    )  # fmt: skip
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED
    merge_undo(merge=merge, staff=lead)
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN


def test_person_merge_moves_roles_contacts_subscriptions_and_undo(office_be, lead):
    firm = employer(office_be, "Sägerei Aebi AG")
    other = employer(office_be, "Aebi Holz GmbH", postcode="3600")
    keep = person(office_be, "Ruth", "Aebi", "ruth@aebi.ch", employer=firm)
    dup = person(
        office_be, "Ruth", "Aebi", "r.aebi@aebi.ch", employer=firm, function="ceo"
    )
    EmployerRole.objects.create(employer=other, person=dup, function="ceo")
    both = _contact(firm, lead, date(2026, 1, 5), participants=[keep, dup])
    only_dup = _contact(firm, lead, date(2026, 2, 5), participants=[dup])
    news = MailingList.objects.create(
        office=office_be, name="News", slug="news", consent_text="ok"
    )
    subscription = Subscription.objects.create(
        mailing_list=news, person=dup, email="r.aebi@aebi.ch", language="de",
        status="active", source="staff",
    )  # fmt: skip
    # when
    merge = contact_person_merge(
        survivor=keep,
        duplicate=dup,
        staff=lead,
        field_values={"mobile": "+41791234567"},
    )
    # then
    assert not ContactPerson.objects.filter(pk=dup.pk).exists()
    assert set(keep.roles.values_list("employer__legal_name", "function")) == {
        ("Sägerei Aebi AG", "hr"),
        ("Aebi Holz GmbH", "ceo"),
    }
    assert list(both.participants.all()) == [keep]
    assert list(only_dup.participants.all()) == [keep]
    subscription.refresh_from_db()
    assert subscription.person == keep
    keep.refresh_from_db()
    assert str(keep.mobile) == "+41791234567"
    assert merge.kind == Kind.PERSON
    # when: undone
    merge_undo(merge=merge, staff=lead)
    # then
    dup = ContactPerson.objects.get(pk=dup.pk)
    assert set(dup.roles.values_list("employer__legal_name", "function")) == {
        ("Sägerei Aebi AG", "ceo"),
        ("Aebi Holz GmbH", "ceo"),
    }
    assert set(both.participants.all()) == {keep, dup}
    assert list(only_dup.participants.all()) == [dup]
    subscription.refresh_from_db()
    assert subscription.person == dup
    keep.refresh_from_db()
    assert keep.mobile == ""


def test_survivor_takes_the_duplicates_uid_and_undo_gives_it_back(office_be, lead):
    # given: the record staff keep has no UID yet; the duplicate has it
    keep = employer(office_be, "Käserei Hofer", postcode="3550")
    dup = employer(
        office_be, "Kaeserei Hofer AG", postcode="3550", uid="CHE-109.322.551"
    )
    # when
    merge = employer_merge(
        survivor=keep, duplicate=dup, staff=lead, field_values=["uid"]
    )
    # then
    keep.refresh_from_db()
    assert keep.uid == "CHE-109.322.551"
    # when: undone, the UID is back where it was
    merge_undo(merge=merge, staff=lead)
    keep.refresh_from_db()
    assert keep.uid is None
    assert Employer.objects.get(pk=dup.pk).uid == "CHE-109.322.551"


# --- Everything attached moves, and back --------------------------------------------


@pytest.fixture
def attached(pair, office_be, lead):
    """On the duplicate: a placement (of its case and job), a newsletter delivery,
    an outreach target; on its person Beat a delivery and a target too."""
    from campaigns.models import (
        Delivery,
        MailingList,
        Newsletter,
        OutreachCampaign,
        OutreachTarget,
        Segment,
    )
    from crm.models import Placement

    duplicate, survivor, beat = pair["duplicate"], pair["survivor"], pair["beat"]
    placement = Placement.objects.create(
        office=office_be, case=pair["case"], employer=duplicate,
        opportunity=pair["job"], kind="trial_place", start_on=date(2026, 5, 4),
        advice_until=date(2027, 5, 4), staff=lead,
    )  # fmt: skip
    news = MailingList.objects.create(
        office=office_be, name="News", slug="news", consent_text="ok"
    )
    newsletter = Newsletter.objects.create(
        office=office_be, name="Frühling 2026", mailing_list=news
    )
    delivery = Delivery.objects.create(
        newsletter=newsletter, person=beat, employer=duplicate,
        email="beat@gantrisch.ch", language="de", status="sent",
    )  # fmt: skip
    campaign = OutreachCampaign.objects.create(
        office=office_be, name="Reaktivierung", kind="reactivation",
        segment=Segment.objects.create(office=office_be, name="Alle"),
    )  # fmt: skip
    target = OutreachTarget.objects.create(
        campaign=campaign, employer=duplicate, person=beat, status="reached"
    )
    # a second campaign lists both records: the survivor keeps its own target
    both = OutreachCampaign.objects.create(
        office=office_be, name="Award", kind="reactivation", segment=campaign.segment
    )
    kept = OutreachTarget.objects.create(campaign=both, employer=survivor)
    twin = OutreachTarget.objects.create(campaign=both, employer=duplicate)
    return {
        "placement": placement, "delivery": delivery, "target": target,
        "kept": kept, "twin": twin, "Delivery": Delivery,
        "OutreachTarget": OutreachTarget, "Placement": Placement,
    }  # fmt: skip


def test_merge_moves_placements_jobs_cases_deliveries_and_targets_and_undo_returns_them(
    pair, attached, lead
):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    Placement, Delivery = attached["Placement"], attached["Delivery"]
    OutreachTarget = attached["OutreachTarget"]
    # When the duplicate is merged into the survivor
    merge = employer_merge(survivor=survivor, duplicate=duplicate, staff=lead)
    # Then everything that hung on the duplicate hangs on the survivor
    placement = Placement.objects.get(pk=attached["placement"].pk)
    assert placement.employer_id == survivor.pk
    assert placement.case.employer_id == survivor.pk  # the case moved too
    assert placement.opportunity.employer_id == survivor.pk  # and the job
    assert JobOpportunity.objects.get(pk=pair["job"].pk).employer_id == survivor.pk
    assert CaseReference.objects.get(pk=pair["case"].pk).employer_id == survivor.pk
    assert Delivery.objects.get(pk=attached["delivery"].pk).employer_id == survivor.pk
    target = OutreachTarget.objects.get(pk=attached["target"].pk)
    assert (target.employer_id, target.status) == (survivor.pk, "reached")
    # the survivor's own target in a campaign listing both stays; the twin goes
    assert OutreachTarget.objects.filter(pk=attached["kept"].pk).exists()
    assert not OutreachTarget.objects.filter(pk=attached["twin"].pk).exists()
    assert merge.moved["campaigns.OutreachTarget.employer"] == [target.pk]
    assert merge.moved["crm.Placement.employer"] == [placement.pk]
    assert merge.moved["campaigns.Delivery.employer"] == [attached["delivery"].pk]
    # When the merge is undone
    merge_undo(merge=merge, staff=lead)
    # Then each of them is back on the duplicate, the twin target included
    assert Placement.objects.get(pk=placement.pk).employer_id == duplicate.pk
    assert CaseReference.objects.get(pk=pair["case"].pk).employer_id == duplicate.pk
    assert JobOpportunity.objects.get(pk=pair["job"].pk).employer_id == duplicate.pk
    assert Delivery.objects.get(pk=attached["delivery"].pk).employer_id == duplicate.pk
    assert OutreachTarget.objects.get(pk=target.pk).employer_id == duplicate.pk
    twin = OutreachTarget.objects.get(pk=attached["twin"].pk)
    assert twin.employer_id == duplicate.pk
    assert OutreachTarget.objects.get(pk=attached["kept"].pk).employer_id == survivor.pk


def test_person_merge_moves_deliveries_and_outreach_targets_and_undo_returns_them(
    pair, attached, office_be, lead
):
    Delivery, OutreachTarget = attached["Delivery"], attached["OutreachTarget"]
    beat = pair["beat"]
    twin = person(office_be, "Beat", "Moser", "b.moser@gantrisch.ch")
    # When Beat's record is merged into another record of him
    merge = contact_person_merge(survivor=twin, duplicate=beat, staff=lead)
    # Then his delivery and outreach target name the survivor
    assert Delivery.objects.get(pk=attached["delivery"].pk).person_id == twin.pk
    assert OutreachTarget.objects.get(pk=attached["target"].pk).person_id == twin.pk
    # and undo gives them back
    merge_undo(merge=merge, staff=lead)
    assert Delivery.objects.get(pk=attached["delivery"].pk).person_id == beat.pk
    assert OutreachTarget.objects.get(pk=attached["target"].pk).person_id == beat.pk

"""Segments from CRM fields: each filter, include/exclude, office scope, preview."""

from datetime import date, timedelta

import pytest

from campaigns.models import Segment, Subscription
from campaigns.selectors import (
    segment_count,
    segment_employers,
    segment_persons,
    segment_preview,
)
from crm.models import Contact, JobOpportunity
from tests.crm.conftest import make_employer, make_office

from .conftest import person_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm(office):
    """Three employers of BE and one of VD, each with one contact person."""
    today = date.today()
    big_de = make_employer(office, "Gross AG", size_class="large", canton="ZH",
                           cooperation_type="A", intensity="collaborate",
                           relationship_status="active")  # fmt: skip
    small_fr = make_employer(
        office, "Petit SA", size_class="small", canton="BE", language_region="fr",
        relationship_status="dormant",
    )  # fmt: skip
    medium = make_employer(office, "Mittel GmbH", size_class="medium", canton="BE")
    big_de.last_case_independent_contact_on = today - timedelta(days=30)
    big_de.save()
    medium.last_case_independent_contact_on = today - timedelta(days=800)
    medium.save()
    vd = make_office("VD", "VD", "fr")
    other = make_employer(vd, "Autre SA", size_class="large", canton="VD")
    people = {
        "gross": person_at(
            office, email="ceo@gross.ch", employer=big_de, function="ceo"
        ),
        "petit": person_at(
            office, email="rh@petit.ch", employer=small_fr, languages=["fr"]
        ),  # fmt: skip
        "mittel": person_at(office, email="hr@mittel.ch", employer=medium),
        "autre": person_at(vd, email="rh@autre.ch", employer=other, languages=["fr"]),
    }
    return {"gross": big_de, "petit": small_fr, "mittel": medium, "people": people}


def _segment(office, **criteria) -> Segment:
    return Segment.objects.create(office=office, name="s", **criteria)


def _names(segment) -> set[str]:
    return set(segment_employers(segment).values_list("legal_name", flat=True))


def test_employer_filters(office, crm):
    assert _names(_segment(office)) == {"Gross AG", "Petit SA", "Mittel GmbH"}
    assert _names(_segment(office, cantons=["ZH"])) == {"Gross AG"}
    assert _names(_segment(office, size_classes=["medium", "large"])) == {
        "Gross AG", "Mittel GmbH"}  # fmt: skip
    assert _names(_segment(office, language_regions=["fr"])) == {"Petit SA"}
    assert _names(_segment(office, cooperation_types=["A"])) == {"Gross AG"}
    assert _names(_segment(office, intensities=["collaborate"])) == {"Gross AG"}
    assert _names(_segment(office, relationship_statuses=["dormant"])) == {"Petit SA"}
    assert _names(_segment(office, sector_groups=["ict"])) == set()


def test_last_case_independent_contact_filters(office, crm):
    year_ago = date.today() - timedelta(days=365)
    assert _names(_segment(office, last_contact_before=year_ago)) == {"Mittel GmbH"}
    assert _names(_segment(office, last_contact_after=year_ago)) == {"Gross AG"}
    # never contacted counts as "no contact in the last 365 days"
    assert _names(_segment(office, no_contact_days=365)) == {"Mittel GmbH", "Petit SA"}


def test_event_and_job_opportunity_filters(office, crm, staff):
    Contact.objects.create(
        office=office, employer=crm["petit"], staff=staff, occurred_on=date.today(),
        channel=Contact.Channel.OWN_EVENT, case_related=False, initiated_by="office",
    )  # fmt: skip
    JobOpportunity.objects.create(
        office=office, employer=crm["mittel"], title="Logistiker", kind="job",
        status=JobOpportunity.Status.OPEN, reported_on=date.today(),
    )  # fmt: skip
    assert _names(_segment(office, attended_event=True)) == {"Petit SA"}
    assert _names(_segment(office, has_open_job_opportunity=True)) == {"Mittel GmbH"}


def test_person_filters_language_function_and_list(office, crm, newsletter_list):
    persons = lambda s: set(segment_persons(s).values_list("email", flat=True))  # noqa: E731
    assert persons(_segment(office, person_languages=["fr"])) == {"rh@petit.ch"}
    assert persons(_segment(office, functions=["ceo"])) == {"ceo@gross.ch"}
    Subscription.objects.create(
        mailing_list=newsletter_list, person=crm["people"]["mittel"],
        email="hr@mittel.ch", language="de", status="active", source="staff",
    )  # fmt: skip
    in_list = _segment(office, mailing_list=newsletter_list)
    assert persons(in_list) == {"hr@mittel.ch"}
    assert _names(in_list) == {"Mittel GmbH"}


def test_include_and_exclude_other_segments(office, crm):
    zh = _segment(office, cantons=["ZH"])
    fr = _segment(office, language_regions=["fr"])
    both = _segment(office, cantons=["AG"])
    both.include_segments.set([zh, fr])
    assert _names(both) == {"Gross AG", "Petit SA"}
    all_but_zh = _segment(office)
    all_but_zh.exclude_segments.set([zh])
    assert _names(all_but_zh) == {"Petit SA", "Mittel GmbH"}
    # a cycle does not loop forever
    zh.include_segments.set([both])
    assert _names(both) == {"Gross AG", "Petit SA"}


def test_segment_stays_in_its_office_and_counts_and_previews(office, crm):
    segment = _segment(office, size_classes=["large"])
    assert _names(segment) == {"Gross AG"}  # not the VD employer
    assert segment_count(segment) == {"persons": 1, "employers": 1}
    (row,) = segment_preview(segment)
    assert row["email"] == "ceo@gross.ch" and row["employer"] == "Gross AG"


def test_an_employer_shared_with_the_office_is_in_its_segments(office, crm):
    # given a VD employer shared with BE, with a German-speaking HR person
    vd = crm["people"]["autre"].office
    shared = make_employer(vd, "National AG", size_class="large", canton="ZH")
    shared.shared_with.add(office)
    person_at(vd, email="hr@national.ch", employer=shared)
    # then BE's segments see it, VD's own employer stays out
    segment = _segment(office, size_classes=["large"], person_languages=["de"])
    assert _names(segment) == {"Gross AG", "National AG"}
    assert set(segment_persons(segment).values_list("email", flat=True)) == {
        "ceo@gross.ch", "hr@national.ch"}  # fmt: skip
    assert segment_count(segment) == {"persons": 2, "employers": 2}


def test_counts_equal_the_members_listed_with_and_without_linked_segments(
    office, crm, newsletter_list
):
    # an employer without any contact person, an inactive person, a second role
    make_employer(office, "Leer AG", size_class="large", canton="BE")
    inactive = person_at(office, email="old@gross.ch", employer=crm["gross"])
    inactive.is_active = False
    inactive.save()
    from tests.factories import EmployerRoleFactory

    EmployerRoleFactory(
        employer=crm["mittel"], person=crm["people"]["gross"], function="hr"
    )
    Subscription.objects.create(
        mailing_list=newsletter_list, person=crm["people"]["gross"],
        email="ceo@gross.ch", language="de", status="active", source="staff",
    )  # fmt: skip
    large = _segment(office, size_classes=["large"])
    fr = _segment(office, language_regions=["fr"])
    with_list = _segment(office, mailing_list=newsletter_list)
    linked = _segment(office, size_classes=["medium"])
    linked.include_segments.set([fr])
    linked.exclude_segments.set([with_list])
    for segment in (large, fr, with_list, linked, _segment(office)):
        persons = segment_persons(segment)
        employers = segment_employers(segment)
        assert segment_count(segment) == {
            "persons": persons.count(),
            "employers": employers.count(),
        }
    # no person criteria: an employer needs no person, persons must be active
    assert _names(large) == {"Gross AG", "Leer AG"}
    assert set(segment_persons(large).values_list("email", flat=True)) == {
        "ceo@gross.ch"}  # fmt: skip
    # a list: only its subscribers, and the employers they work for
    assert _names(with_list) == {"Gross AG", "Mittel GmbH"}
    assert segment_count(with_list) == {"persons": 1, "employers": 2}
    # medium, plus French-speaking, minus the list's people and their employers
    assert _names(linked) == {"Petit SA"}

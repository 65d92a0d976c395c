"""Matching help: one fit predicate, the same from a case and from a place."""

import pytest

from crm.case_selectors import cases_for_opportunity, opportunities_for_case
from crm.models import JobOpportunity
from crm.services.cases import case_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(be_staff, be_employer):
    def case(number, **fields):
        fields.setdefault("phase", "vocational")
        return case_create(
            staff=be_staff, case_number=number, aim="placement", **fields
        )

    return {
        "cook in Bern": case("IV-COOK", region="Bern", occupation="Koch"),
        "anything in Bern": case("IV-BERN", region="Bern"),
        "anywhere": case("IV-ANY"),
        "light work only": case(
            "IV-LIGHT", max_physical_load=1, max_workload_percent=50
        ),
        "closed": case("IV-CLOSED", phase="closed"),
    }  # fmt: skip


@pytest.fixture
def places(be_employer, vd_employer):
    def place(title, employer=be_employer, **fields):
        return JobOpportunity.objects.create(
            office=employer.office, employer=employer, kind="job", title=title,
            **fields,
        )  # fmt: skip

    return {
        "warehouse in Bern": place("Lagerist", occupation="Logistik", region="Bern"),
        "kitchen in Bern": place("Küchenhilfe", occupation="Koch", region="Bern"),
        "cook, no region": place("Koch/Köchin 80 %", physical_load=2),
        "warehouse in Thun": place("Lagerist Thun", region="Thun"),
        "heavy full-time": place("Bauarbeiter", physical_load=3, workload_percent=100),
        "filled kitchen": place("Koch", region="Bern", status="filled"),
        "other office": place("Cuisinier", employer=vd_employer, occupation="Koch"),
    }  # fmt: skip


EXPECTED = {
    "cook in Bern": {"kitchen in Bern", "cook, no region"},
    "anything in Bern": {"warehouse in Bern", "kitchen in Bern", "cook, no region",
                         "heavy full-time"},
    "anywhere": {"warehouse in Bern", "kitchen in Bern", "cook, no region",
                 "warehouse in Thun", "heavy full-time"},
    "light work only": {"warehouse in Bern", "kitchen in Bern", "warehouse in Thun"},
    "closed": set(),
}  # fmt: skip


def test_a_case_finds_the_places_that_fit_it(cases, places):
    # when each case looks for places
    found = {
        name: {key for key, place in places.items() if place in found_places}
        for name, case in cases.items()
        for found_places in [opportunities_for_case(case)]
    }

    # then occupation, region, load, workload, status and office decide
    assert found == EXPECTED


def test_a_place_finds_exactly_the_cases_that_find_it(cases, places):
    # when each place looks for cases
    for key, place in places.items():
        found = set(cases_for_opportunity(place))

        # then it lists the cases whose own search lists it, and no others
        expected = {cases[name] for name, keys in EXPECTED.items() if key in keys}
        assert found == expected, key


def test_a_cook_is_not_offered_a_warehouse_place_from_either_side(cases, places):
    cook, warehouse = cases["cook in Bern"], places["warehouse in Bern"]

    assert warehouse not in opportunities_for_case(cook)
    assert cook not in cases_for_opportunity(warehouse)


def test_a_place_without_region_fits_a_case_with_one_from_either_side(cases, places):
    cook, no_region = cases["cook in Bern"], places["cook, no region"]

    assert no_region in opportunities_for_case(cook)
    assert cook in cases_for_opportunity(no_region)

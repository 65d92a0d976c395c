"""Employers through the API: office scoping, the uid filter, writes via the service."""

import pytest

from crm.models import CooperationAssessment, Employer

from .conftest import VALID_UIDS, make_employer

pytestmark = pytest.mark.django_db


def test_be_token_lists_only_be_employers(be_api, be_employer, vd_employer):
    # given a BE and a VD employer
    # when the BE token lists employers
    response = be_api.get("/api/v1/employers/")
    # then it sees only the BE one
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [row["legal_name"] for row in response.json()["results"]] == [
        "Berner Maschinenbau AG"
    ]
    assert response.json()["results"][0]["uid"] == VALID_UIDS[0]
    assert response.json()["results"][0]["office"] == "BE"


def test_be_token_gets_404_for_a_vd_employer(be_api, vd_employer):
    response = be_api.get(f"/api/v1/employers/{vd_employer.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert vd_employer.legal_name not in response.content.decode()


def test_be_token_cannot_modify_a_vd_employer(be_api, vd_employer):
    response = be_api.patch(
        f"/api/v1/employers/{vd_employer.pk}/",
        {"legal_name": "Taken over"},
        format="json",
    )
    assert response.status_code == 404
    vd_employer.refresh_from_db()
    assert vd_employer.legal_name == "Horlogerie Vaudoise SA"


@pytest.mark.parametrize(
    "query", [VALID_UIDS[1], VALID_UIDS[1].replace("CHE-", "").replace(".", "")]
)
def test_uid_filter_does_not_reveal_a_vd_employer(be_api, vd_employer, query):
    response = be_api.get("/api/v1/employers/", {"uid": query})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    "query",
    ["CHE-116.281.710", "116281710", "CHE116281710", "che-116 281 710", "116.281.710"],
)
def test_uid_filter_accepts_the_uid_in_any_form(be_api, be_employer, office_be, query):
    make_employer(office_be, "Other AG", VALID_UIDS[2])
    response = be_api.get("/api/v1/employers/", {"uid": query})
    assert [row["uid"] for row in response.json()["results"]] == ["CHE-116.281.710"]


def test_filters_by_name_canton_and_updated_since(be_api, office_be, be_employer):
    make_employer(office_be, "Thuner Bäckerei GmbH", VALID_UIDS[2], canton="ZH")
    by_name = be_api.get("/api/v1/employers/", {"name": "bäckerei"}).json()
    by_canton = be_api.get("/api/v1/employers/", {"canton": "ZH"}).json()
    future = be_api.get(
        "/api/v1/employers/", {"updated_since": "2999-01-01T00:00:00Z"}
    ).json()
    assert [row["legal_name"] for row in by_name["results"]] == ["Thuner Bäckerei GmbH"]
    assert [row["legal_name"] for row in by_canton["results"]] == [
        "Thuner Bäckerei GmbH"
    ]
    assert future["count"] == 0


def test_create_employer_normalises_the_uid_and_belongs_to_the_token_office(
    be_api, office_be
):
    response = be_api.post(
        "/api/v1/employers/",
        {
            "legal_name": "Neue Firma AG",
            "uid": "419390716",
            "canton": "BE",
            "language_region": "de",
            "fte": "12.0",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["uid"] == "CHE-419.390.716"
    assert response.json()["size_class"] == "small"  # derived as in the admin
    employer = Employer.objects.get(uid="CHE-419.390.716")
    assert employer.office == office_be


def test_create_employer_with_bad_uid_is_a_validation_problem(be_api):
    response = be_api.post(
        "/api/v1/employers/",
        {
            "legal_name": "Falsch AG",
            "uid": "CHE-116.281.711",
            "canton": "BE",
            "language_region": "de",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["status"] == 400
    assert "check digit" in body["errors"]["uid"][0]
    assert not Employer.objects.filter(legal_name="Falsch AG").exists()


def test_fte_and_size_class_rule_of_the_admin_applies(be_api):
    response = be_api.post(
        "/api/v1/employers/",
        {
            "legal_name": "Gross AG",
            "canton": "BE",
            "language_region": "de",
            "fte": "3",
            "size_class": "large",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "FTE" in response.json()["errors"]["fte"][0]


def test_changing_the_cooperation_type_needs_a_reason(be_api, be_employer):
    url = f"/api/v1/employers/{be_employer.pk}/"
    refused = be_api.patch(url, {"cooperation_type": "B"}, format="json")
    accepted = be_api.patch(
        url,
        {"cooperation_type": "B", "cooperation_reason": "Joint project"},
        format="json",
    )
    assert refused.status_code == 400
    assert "cooperation_reason" in refused.json()["errors"]
    assert accepted.status_code == 200
    assert accepted.json()["cooperation_type"] == "B"
    assert CooperationAssessment.objects.get(employer=be_employer).reason == (
        "Joint project"
    )


def test_put_replaces_the_employer(be_api, be_employer):
    response = be_api.put(
        f"/api/v1/employers/{be_employer.pk}/",
        {
            "legal_name": "Berner Maschinenbau Holding AG",
            "uid": be_employer.uid,
            "canton": "BE",
            "language_region": "de",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    be_employer.refresh_from_db()
    assert be_employer.legal_name == "Berner Maschinenbau Holding AG"


def test_shared_employer_is_visible_to_the_sharing_office(
    be_api, vd_employer, office_be
):
    vd_employer.shared_with.add(office_be)
    response = be_api.get(f"/api/v1/employers/{vd_employer.pk}/")
    assert response.status_code == 200

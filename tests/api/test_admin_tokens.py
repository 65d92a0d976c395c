"""API tokens in the Wagtail admin: created with the token shown once, listed per
office, revoked."""

import re

import pytest

from integrations.api.models import ApiToken

from .conftest import bearer_client, make_staff, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def be_head(office_be):
    """The BE office head: the role that issues and revokes the office's tokens."""
    return make_staff(office_be, "be.head", role="office_head")


@pytest.mark.parametrize("role", ["integration", "team_lead", "communications"])
def test_only_the_office_head_role_manages_tokens(client, office_be, role):
    client.force_login(make_staff(office_be, f"be.{role}", role=role))
    assert client.get("/admin/api-tokens/").status_code in (302, 403)
    assert client.post("/admin/api-tokens/new/", {"name": "X"}).status_code in (
        302,
        403,
    )
    assert not ApiToken.objects.exists()


def test_created_token_is_shown_once_and_works(client, be_head, be_employer):
    client.force_login(be_head)
    form = client.get("/admin/api-tokens/new/")
    assert form.status_code == 200
    response = client.post(
        "/admin/api-tokens/new/",
        {"name": "Case management", "office": be_head.staff_profile.office_id},
    )
    assert response.status_code == 200
    page = response.content.decode()
    raw = re.search(r'data-testid="api-token"[^>]*>([^<]+)<', page).group(1)
    assert "cannot be shown again" in page
    token = ApiToken.objects.get()
    assert token.created_by == be_head
    assert token.key_hash != raw
    assert bearer_client(raw).get("/api/v1/employers/").json()["count"] == 1
    listing = client.get("/admin/api-tokens/").content.decode()
    assert "Case management" in listing
    assert raw not in listing


def test_staff_cannot_create_a_token_for_another_office(client, be_head, office_vd):
    client.force_login(be_head)
    response = client.post(
        "/admin/api-tokens/new/", {"name": "Sneaky", "office": office_vd.pk}
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_token_list_is_scoped_to_the_office(client, be_head, office_be, office_vd):
    token_for(office_be, name="BE case management")
    token_for(office_vd, name="VD gestion des cas")
    vd_token = ApiToken.objects.get(office=office_vd)
    client.force_login(be_head)
    listing = client.get("/admin/api-tokens/").content.decode()
    assert "BE case management" in listing
    assert "VD gestion des cas" not in listing
    assert client.get(f"/admin/api-tokens/edit/{vd_token.pk}/").status_code == 404


def test_revoked_in_the_admin_the_token_is_refused(client, be_head, office_be):
    raw = token_for(office_be, name="Old system")
    token = ApiToken.objects.get()
    client.force_login(be_head)
    response = client.post(
        f"/admin/api-tokens/edit/{token.pk}/", {"name": "Old system", "revoke": "on"}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer_client(raw).get("/api/v1/employers/").status_code == 401
    assert "revoked" in client.get("/admin/api-tokens/").content.decode()


def test_staff_without_the_permission_sees_no_tokens(client, be_staff, office_be):
    token_for(office_be)
    client.force_login(be_staff)
    assert client.get("/admin/api-tokens/").status_code in (302, 403)

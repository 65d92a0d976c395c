"""Roles decide what staff may do; crm/roles.py is the one table."""

import pytest
from django.urls import reverse

from crm.models import StaffRole
from crm.roles import ROLE_PERMISSIONS, role_group_name

from .conftest import make_staff


def list_url():
    return reverse("wagtailsnippets_crm_employer:list")


@pytest.mark.parametrize(
    ("role", "edit", "export", "merge", "case_related"),
    [
        (StaffRole.INTEGRATION, True, True, False, True),
        (StaffRole.ACQUISITION, True, True, False, False),
        (StaffRole.CASE_OFFICER, False, False, False, True),
        (StaffRole.TEAM_LEAD, True, True, True, True),
        (StaffRole.OFFICE_HEAD, True, True, True, True),
        (StaffRole.COMMUNICATIONS, False, True, False, False),
    ],
)
def test_role_grants_exactly_its_capabilities(
    office_be, role, edit, export, merge, case_related
):
    user = make_staff(office_be, f"be.{role}", role=role)

    assert user.has_perm("crm.change_employer") is edit
    assert user.has_perm("crm.export_employer") is export
    assert user.has_perm("crm.merge_employer") is merge
    assert user.has_perm("crm.view_case_related") is case_related
    assert user.has_perm("wagtailadmin.access_admin")


def test_changing_the_role_replaces_the_group(office_be):
    from crm.roles import staff_role_apply

    user = make_staff(office_be, "be.moving", role=StaffRole.COMMUNICATIONS)
    staff_role_apply(user, StaffRole.TEAM_LEAD)

    names = set(user.groups.values_list("name", flat=True))
    assert names == {role_group_name(StaffRole.TEAM_LEAD)}


def test_every_role_is_in_the_table():
    assert set(ROLE_PERMISSIONS) == set(StaffRole.values)


def test_communications_cannot_open_the_edit_form(client, office_be, be_employer):
    user = make_staff(office_be, "be.comms", role=StaffRole.COMMUNICATIONS)
    client.force_login(user)

    response = client.get(
        reverse("wagtailsnippets_crm_employer:edit", args=[be_employer.pk])
    )

    assert response.status_code in (302, 403)
    be_employer.refresh_from_db()


def test_case_officer_may_not_export(client, office_be, be_employer):
    user = make_staff(office_be, "be.case", role=StaffRole.CASE_OFFICER)
    client.force_login(user)

    listing = client.get(list_url())
    export = client.get(list_url(), {"export": "csv"})

    assert listing.status_code == 200
    assert "export=csv" not in listing.content.decode()
    assert export.status_code in (302, 403)
    assert not export.streaming
    assert "Berner" not in export.content.decode()


def test_integration_specialist_sees_the_export_buttons(client, be_staff, be_employer):
    client.force_login(be_staff)

    assert "export=csv" in client.get(list_url()).content.decode()


def test_staff_profile_saved_in_the_admin_applies_the_role(
    client, django_user_model, office_be
):
    admin = django_user_model.objects.create_superuser(
        "root", "r@x.ch", "pw-long-enough"
    )
    newcomer = django_user_model.objects.create_user("be.new", password="x" * 12)
    client.force_login(admin)

    response = client.post(
        reverse("wagtailsnippets_crm_staffprofile:add"),
        {
            "user": newcomer.pk,
            "office": office_be.pk,
            "role": "acquisition",
            "languages": ["de"],
            "follow_up_digest": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = django_user_model.objects.get(pk=newcomer.pk)
    assert newcomer.has_perm("crm.change_employer")
    assert not newcomer.has_perm("crm.view_case_related")

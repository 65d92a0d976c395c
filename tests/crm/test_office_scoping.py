"""A staff user sees, searches, exports and changes only their office's records."""

import pytest
from django.urls import reverse

from crm.models import ContactPerson, Employer, EmployerRole, PersonFunction
from crm.services.employers import employer_share

from .conftest import VALID_UIDS, make_employer, make_staff


def url(name, *args):
    return reverse(f"wagtailsnippets_crm_employer:{name}", args=args)


@pytest.mark.parametrize("view", ["edit", "inspect", "delete", "history", "usage"])
def test_staff_gets_404_for_another_offices_employer(
    client, be_staff, vd_employer, view
):
    client.force_login(be_staff)

    response = client.get(url(view, vd_employer.pk))

    assert response.status_code == 404


def test_staff_opens_their_own_offices_employer(client, be_staff, be_employer):
    client.force_login(be_staff)

    response = client.get(url("edit", be_employer.pk))

    assert response.status_code == 200
    assert "Berner Maschinenbau AG" in response.content.decode()


def test_list_and_search_show_only_own_office(
    client, be_staff, be_employer, vd_employer
):
    client.force_login(be_staff)

    listing = client.get(url("list")).content.decode()
    search = client.get(url("list"), {"q": "Horlogerie"}).content.decode()
    by_uid = client.get(url("list"), {"q": vd_employer.uid}).content.decode()

    assert "Berner Maschinenbau AG" in listing
    assert "Horlogerie Vaudoise" not in listing
    assert "Horlogerie Vaudoise" not in search
    assert "Horlogerie Vaudoise" not in by_uid


def test_search_finds_uid_typed_without_punctuation(client, be_staff, be_employer):
    client.force_login(be_staff)

    response = client.get(url("list"), {"q": "116281710"})

    assert "Berner Maschinenbau AG" in response.content.decode()


def test_search_is_right_immediately_after_a_bulk_insert(client, be_staff, office_be):
    Employer.objects.bulk_create(
        [
            Employer(
                office=office_be,
                legal_name=f"Frisch Importiert {i} GmbH",
                canton="BE",
                language_region="de",
                municipality="Thun",
            )
            for i in range(3)
        ]
    )
    client.force_login(be_staff)

    response = client.get(url("list"), {"q": "Frisch Importiert"})

    assert response.content.decode().count("Frisch Importiert") >= 3


def test_csv_export_holds_no_row_of_another_office(
    client, be_staff, be_employer, vd_employer
):
    client.force_login(be_staff)

    response = client.get(url("list"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()

    assert response.status_code == 200
    assert "Berner Maschinenbau AG" in body
    assert vd_employer.uid not in body
    assert "Horlogerie" not in body


def test_xlsx_export_is_scoped_too(client, be_staff, be_employer, vd_employer):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(be_staff)

    response = client.get(url("list"), {"export": "xlsx"})
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    names = [row[0] for row in rows[1:]]

    assert names == ["Berner Maschinenbau AG"]


def test_forged_bulk_action_on_another_offices_employer_is_404(
    client, be_staff, be_employer, vd_employer
):
    client.force_login(be_staff)
    bulk = (
        reverse("wagtail_bulk_action", args=("crm", "employer", "delete"))
        + f"?id={vd_employer.pk}"
    )

    assert client.get(bulk).status_code == 404
    assert client.post(bulk).status_code == 404
    assert Employer.objects.filter(pk=vd_employer.pk).exists()


def test_shared_employer_is_visible_to_the_partner_office(
    client, office_be, office_vd, be_staff, vd_employer
):
    employer_share(employer=vd_employer, offices=[office_be], by_office=office_vd)
    client.force_login(be_staff)

    assert client.get(url("edit", vd_employer.pk)).status_code == 200
    assert "Horlogerie Vaudoise" in client.get(url("list")).content.decode()


def test_only_the_lead_office_may_share(office_be, office_vd, vd_employer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        employer_share(employer=vd_employer, offices=[office_be], by_office=office_be)
    assert not vd_employer.shared_with.exists()


def test_partner_office_cannot_change_sharing_in_the_form(
    client, office_be, office_vd, be_staff, vd_employer
):
    employer_share(employer=vd_employer, offices=[office_be], by_office=office_vd)
    client.force_login(be_staff)

    page = client.get(url("edit", vd_employer.pk)).content.decode()

    assert "Only the lead office can change" in page


def test_contact_persons_are_scoped_through_their_employers(
    client, be_staff, vd_staff, be_employer, vd_employer, office_vd
):
    person = ContactPerson.objects.create(
        office=office_vd, first_name="Claire", last_name="Rochat", email="c@h.ch"
    )
    EmployerRole.objects.create(
        employer=vd_employer, person=person, function=PersonFunction.HR
    )
    client.force_login(be_staff)
    person_url = reverse("wagtailsnippets_crm_contactperson:edit", args=[person.pk])

    assert client.get(person_url).status_code == 404
    listing = client.get(reverse("wagtailsnippets_crm_contactperson:list"))
    assert "Rochat" not in listing.content.decode()
    client.force_login(vd_staff)
    assert client.get(person_url).status_code == 200


def test_superuser_sees_every_office(
    client, django_user_model, be_employer, vd_employer
):
    admin = django_user_model.objects.create_superuser(
        "root", "r@x.ch", "pw-long-enough"
    )
    client.force_login(admin)

    listing = client.get(url("list")).content.decode()

    assert "Berner Maschinenbau" in listing and "Horlogerie Vaudoise" in listing


def test_system_manager_is_unscoped(be_employer, vd_employer):
    # Commands and tasks run as the system (DESIGN.md): Model.objects sees all.
    assert Employer.objects.count() == 2


def test_fixed_contact_choices_are_own_office_staff(
    client, be_staff, vd_staff, be_employer
):
    client.force_login(be_staff)

    page = client.get(url("edit", be_employer.pk)).content.decode()

    assert "be.anna" in page or "Anna" in page
    assert "vd.luc" not in page and "Luc BE" not in page and ">Luc VD<" not in page


def test_new_employer_is_created_in_the_staff_members_office(
    client, be_staff, office_be
):
    client.force_login(be_staff)

    response = client.post(
        url("add"),
        {
            "legal_name": "Neu AG",
            "uid": "CHE-109.322.551",
            "canton": "BE",
            "language_region": "de",
            "register_status": "active",
            "relationship_status": "new",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    employer = Employer.objects.get(legal_name="Neu AG")
    assert employer.office == office_be


def test_staff_of_other_office_cannot_create_with_a_uid_they_cannot_see(
    client, vd_staff, be_employer
):
    client.force_login(vd_staff)

    response = client.post(
        url("add"),
        {
            "legal_name": "Copie SA",
            "uid": VALID_UIDS[0],
            "canton": "VD",
            "language_region": "fr",
            "register_status": "active",
            "relationship_status": "new",
        },
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "already registered by another office" in page
    assert "Berner Maschinenbau" not in page


def test_duplicate_uid_in_own_office_links_to_the_existing_employer(
    client, be_staff, be_employer
):
    client.force_login(be_staff)

    response = client.post(
        url("add"),
        {
            "legal_name": "Doppelt AG",
            "uid": "che 116 281 710",
            "canton": "BE",
            "language_region": "de",
            "register_status": "active",
            "relationship_status": "new",
        },
    )
    page = response.content.decode()

    assert url("edit", be_employer.pk) in page
    assert not Employer.objects.filter(legal_name="Doppelt AG").exists()


def test_office_head_of_vd_cannot_reach_be_even_with_more_rights(
    client, office_vd, be_employer
):
    head = make_staff(office_vd, "vd.head", role="office_head")
    client.force_login(head)

    assert client.get(url("delete", be_employer.pk)).status_code == 404
    make_employer(office_vd, "Autre SA")
    assert "Autre SA" in client.get(url("list")).content.decode()


def test_csv_export_neutralises_spreadsheet_formulas(client, be_staff, office_be):
    make_employer(office_be, '=HYPERLINK("http://evil.example","Klick")')
    client.force_login(be_staff)

    response = client.get(url("list"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()

    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_insurer_partner_choices_are_the_offices_own(
    client, be_staff, be_employer, office_be, office_vd
):
    from crm.models import PartnerOrganisation

    PartnerOrganisation.objects.create(
        office=office_be, name="Berner Taggeld AG", kind="daily_sickness_insurer"
    )
    PartnerOrganisation.objects.create(
        office=office_vd, name="Indemnités Vaud SA", kind="daily_sickness_insurer"
    )
    client.force_login(be_staff)
    chooser = "/admin/snippets/choose/crm/partnerorganisation/"

    edit = client.get(url("edit", be_employer.pk)).content.decode()
    listing = client.get(chooser).content.decode()

    assert "daily_sickness_insurer_partner" in edit
    assert "Berner Taggeld AG" in listing
    assert "Indemnités Vaud SA" not in listing


def test_employer_chooser_lists_and_returns_only_own_office(
    client, be_staff, be_employer, vd_employer
):
    client.force_login(be_staff)

    listing = client.get("/admin/snippets/choose/crm/employer/").content.decode()
    chosen_own = client.get(
        f"/admin/snippets/choose/crm/employer/chosen/{be_employer.pk}/"
    )
    chosen_other = client.get(
        f"/admin/snippets/choose/crm/employer/chosen/{vd_employer.pk}/"
    )

    assert "Berner Maschinenbau" in listing
    assert "Horlogerie" not in listing
    assert chosen_own.status_code == 200
    assert chosen_other.status_code == 404

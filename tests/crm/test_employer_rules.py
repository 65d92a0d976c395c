"""Bad input gets a clear message in the user's language and saves nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from crm.models import CooperationAssessment, Employer
from crm.services.employers import employer_reassign_fixed_contact, employer_save

from .conftest import make_staff


def test_fte_contradicting_the_size_class_is_rejected(be_employer):
    be_employer.fte = 300
    be_employer.size_class = "small"

    with pytest.raises(ValidationError) as error:
        be_employer.full_clean()

    assert "fte" in error.value.message_dict
    assert "300" in error.value.message_dict["fte"][0]


def test_size_class_is_derived_from_fte_when_empty(be_employer):
    be_employer.fte = 75
    be_employer.size_class = ""

    be_employer.full_clean()

    assert be_employer.size_class == "medium"


def test_deputy_cannot_be_the_fixed_contact(be_employer, be_staff):
    be_employer.fixed_contact = be_staff
    be_employer.deputy_contact = be_staff

    with pytest.raises(ValidationError) as error:
        be_employer.full_clean()

    assert "deputy_contact" in error.value.message_dict


def test_unknown_canton_is_rejected(be_employer):
    be_employer.canton = "XX"

    with pytest.raises(ValidationError) as error:
        be_employer.full_clean()

    assert "canton" in error.value.message_dict


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Stellvertretung"),
        ("fr", "suppléant"),
        ("it", "supplente"),
    ],
)
def test_rule_messages_are_translated(be_employer, be_staff, language, text):
    be_employer.fixed_contact = be_staff
    be_employer.deputy_contact = be_staff

    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            be_employer.full_clean()

        assert text in error.value.message_dict["deputy_contact"][0]


def test_invalid_uid_in_the_form_names_the_rule_and_keeps_the_input(
    client, be_staff, be_employer
):
    client.force_login(be_staff)
    edit = reverse("wagtailsnippets_crm_employer:edit", args=[be_employer.pk])

    response = client.post(
        edit,
        {
            "legal_name": "Berner Maschinenbau AG (neu)",
            "uid": "CHE-116.281.711",
            "canton": "BE",
            "language_region": "de",
            "register_status": "active",
            "relationship_status": "active",
        },
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "check digit" in page
    assert "Berner Maschinenbau AG (neu)" in page  # what was typed is still there
    be_employer.refresh_from_db()
    assert be_employer.legal_name == "Berner Maschinenbau AG"


def test_changing_the_cooperation_type_needs_a_reason(be_employer, be_staff):
    be_employer.cooperation_type = "B"

    with pytest.raises(ValidationError) as error:
        employer_save(employer=be_employer, by=be_staff)

    assert "cooperation_reason" in error.value.message_dict
    assert not CooperationAssessment.objects.exists()


def test_cooperation_change_is_kept_in_the_history(be_employer, be_staff):
    be_employer.cooperation_type = "B"
    be_employer.intensity = "align"

    employer_save(
        employer=be_employer, by=be_staff, cooperation_reason="Gemeinsamer Prozess"
    )

    entry = CooperationAssessment.objects.get(employer=be_employer)
    assert (entry.cooperation_type, entry.intensity) == ("B", "align")
    assert entry.reason == "Gemeinsamer Prozess"
    assert entry.recorded_by == be_staff


def test_admin_edit_records_cooperation_history(client, be_staff, be_employer):
    client.force_login(be_staff)
    edit = reverse("wagtailsnippets_crm_employer:edit", args=[be_employer.pk])
    data = {
        "legal_name": be_employer.legal_name,
        "uid": be_employer.uid,
        "canton": "BE",
        "language_region": "de",
        "register_status": "active",
        "relationship_status": "active",
        "cooperation_type": "A",
        "intensity": "collaborate",
    }

    without_reason = client.post(edit, data)
    with_reason = client.post(edit, {**data, "cooperation_reason": "Pilotprojekt"})

    assert without_reason.status_code == 200
    assert "Say why" in without_reason.content.decode()
    assert with_reason.status_code == 302
    assert (
        CooperationAssessment.objects.get(employer=be_employer).reason == "Pilotprojekt"
    )


def test_reassign_fixed_contact_in_bulk(client, office_be, be_staff, be_employer):
    from .conftest import make_employer

    leaving = make_staff(office_be, "be.leaving")
    other = make_employer(office_be, "Zweite GmbH", fixed_contact=leaving)
    be_employer.fixed_contact = leaving
    be_employer.save()
    client.force_login(be_staff)
    bulk = (
        reverse(
            "wagtail_bulk_action", args=("crm", "employer", "reassign_fixed_contact")
        )
        + f"?id={be_employer.pk}&id={other.pk}"
    )

    confirm = client.get(bulk)
    done = client.post(bulk, {"new_contact": be_staff.pk})

    assert confirm.status_code == 200
    assert "Zweite GmbH" in confirm.content.decode()
    assert done.status_code == 302
    assert set(
        Employer.objects.filter(fixed_contact=be_staff).values_list("pk", flat=True)
    ) == {be_employer.pk, other.pk}


def test_reassign_cannot_pick_staff_of_another_office(
    client, be_staff, vd_staff, be_employer
):
    client.force_login(be_staff)
    bulk = (
        reverse(
            "wagtail_bulk_action", args=("crm", "employer", "reassign_fixed_contact")
        )
        + f"?id={be_employer.pk}"
    )

    response = client.post(bulk, {"new_contact": vd_staff.pk})

    assert response.status_code == 200
    be_employer.refresh_from_db()
    assert be_employer.fixed_contact_id is None


def test_reassign_service_clears_a_deputy_equal_to_the_new_contact(
    be_employer, be_staff, office_be
):
    colleague = make_staff(office_be, "be.colleague")
    be_employer.deputy_contact = colleague
    be_employer.save()

    employer_reassign_fixed_contact(employers=[be_employer], new_contact=colleague)

    be_employer.refresh_from_db()
    assert be_employer.fixed_contact == colleague
    assert be_employer.deputy_contact is None

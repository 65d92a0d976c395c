"""The review queue in the Wagtail admin, office by office."""

from datetime import date

import pytest
from django.urls import reverse

from crm.dedupe.models import DuplicateCandidate, Merge
from crm.dedupe.services import duplicate_scan
from crm.models import Contact, Employer, StaffRole
from tests.crm.conftest import make_staff

from .conftest import employer, person


@pytest.fixture
def be_pair(office_be, lead):
    first = employer(office_be, "Zimmerei Gerber AG", street="Aarbergergasse 5")
    second = employer(office_be, "Zimmerei Gerber GmbH", email="info@gerber-holz.ch")
    person(office_be, "Paul", "Gerber", "paul@gerber-holz.ch", employer=second)
    Contact.objects.create(
        office=office_be, employer=second, staff=lead, occurred_on=date(2026, 4, 2),
        channel=Contact.Channel.VISIT, case_related=False, initiated_by="office",
    )  # fmt: skip
    duplicate_scan(office=office_be)
    return DuplicateCandidate.objects.get(kind="employer"), first, second


@pytest.fixture
def vd_pair(office_vd):
    employer(office_vd, "Menuiserie Favre SA", postcode="1003")
    employer(office_vd, "Menuiserie Favre Sàrl", postcode="1003")
    duplicate_scan(office=office_vd)
    return DuplicateCandidate.objects.get(office=office_vd)


def test_queue_lists_only_the_offices_pairs(client, lead, be_pair, vd_pair):
    client.force_login(lead)
    response = client.get(reverse("dedupe_queue"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Zimmerei Gerber AG" in text and "Zimmerei Gerber GmbH" in text
    assert "similar name, same postcode" in text
    assert "Menuiserie Favre" not in text


def test_compare_view_of_another_office_is_404(client, lead, vd_pair, vd_lead):
    client.force_login(lead)
    url = reverse("dedupe_compare", args=[vd_pair.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "dismiss"}).status_code == 404
    vd_pair.refresh_from_db()
    assert vd_pair.status == DuplicateCandidate.Status.OPEN
    client.force_login(vd_lead)
    assert client.get(url).status_code == 200


def test_compare_shows_both_records_side_by_side(client, lead, be_pair):
    candidate, first, second = be_pair
    client.force_login(lead)
    response = client.get(reverse("dedupe_compare", args=[candidate.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Aarbergergasse 5" in text and "info@gerber-holz.ch" in text
    rows = {row.name: (row.left, row.right) for row in response.context["rows"]}
    assert rows["street"] == ("Aarbergergasse 5", "")
    assert rows["email"] == ("", "info@gerber-holz.ch")
    counts = {label: (a, b) for label, a, b in response.context["counts"]}
    assert counts["contacts"] == (0, 1)
    assert counts["roles at employers"] == (0, 1)
    assert 'name="survivor"' in text and "Merge" in text


def test_merge_through_the_admin_and_see_it_on_the_timeline(client, lead, be_pair):
    candidate, first, second = be_pair
    client.force_login(lead)
    # when: keep the first, take the second's e-mail
    response = client.post(
        reverse("dedupe_compare", args=[candidate.pk]),
        {"action": "merge", "survivor": "left", "take": ["email"]},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("crm_employer_overview", args=[first.pk])
    assert not Employer.objects.filter(pk=second.pk).exists()
    first.refresh_from_db()
    assert first.email == "info@gerber-holz.ch"
    assert Contact.objects.filter(employer=first).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert f"Merged with Zimmerei Gerber GmbH (#{second.pk})" in page
    assert "Paul Gerber" in page
    assert client.get(reverse("dedupe_queue")).context["rows"] == []


def test_undo_from_the_merge_list(client, lead, be_pair):
    candidate, first, second = be_pair
    client.force_login(lead)
    client.post(
        reverse("dedupe_compare", args=[candidate.pk]),
        {"action": "merge", "survivor": "right"},
    )
    merge = Merge.objects.get()
    listing = client.get(reverse("dedupe_merges")).content.decode()
    assert "Zimmerei Gerber AG" in listing and "Undo" in listing
    response = client.post(reverse("dedupe_undo", args=[merge.pk]))
    assert response.status_code == 302
    assert Employer.objects.filter(pk=first.pk).exists()
    assert "undone on" in client.get(reverse("dedupe_merges")).content.decode()


def test_undo_of_another_offices_merge_is_404(client, lead, vd_pair, vd_lead):
    client.force_login(vd_lead)
    client.post(
        reverse("dedupe_compare", args=[vd_pair.pk]),
        {"action": "merge", "survivor": "left"},
    )
    merge = Merge.objects.get()
    client.force_login(lead)
    assert client.get(reverse("dedupe_merges")).context["rows"] == []
    assert client.post(reverse("dedupe_undo", args=[merge.pk])).status_code == 404
    assert Merge.objects.get().undone_at is None


def test_dismiss_keeps_the_pair_out_of_the_queue(client, lead, be_pair, office_be):
    candidate, _first, _second = be_pair
    client.force_login(lead)
    client.post(reverse("dedupe_compare", args=[candidate.pk]), {"action": "dismiss"})
    assert client.get(reverse("dedupe_queue")).context["rows"] == []
    assert duplicate_scan(office=office_be) == 0
    assert client.get(reverse("dedupe_queue")).context["rows"] == []


def test_staff_without_the_merge_right_can_look_but_not_merge(
    client, be_pair, office_be
):
    candidate, first, second = be_pair
    clerk = make_staff(office_be, "be.ivo", role=StaffRole.INTEGRATION)
    client.force_login(clerk)
    url = reverse("dedupe_compare", args=[candidate.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="survivor"' not in page.content.decode()
    response = client.post(url, {"action": "merge", "survivor": "left"})
    # Wagtail answers a PermissionDenied with a redirect to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert Employer.objects.filter(pk=second.pk).exists()


def test_scan_button_finds_new_pairs(
    client, lead, office_be, django_capture_on_commit_callbacks
):
    employer(office_be, "Druckerei Lüthi AG")
    employer(office_be, "Druckerei Luethi")
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dedupe_scan"))
    assert response.status_code == 302
    text = client.get(reverse("dedupe_queue")).content.decode()
    assert "Druckerei Lüthi AG" in text and "Druckerei Luethi" in text


def test_person_pair_compared_and_merged_in_the_admin(client, lead, office_be):
    firm = employer(office_be, "Metzgerei Schär AG")
    keep = person(office_be, "Urs", "Schär", "urs@schaer.ch", employer=firm)
    dup = person(office_be, "Urs", "Schaer", "urs@schaer.ch", mobile="+41791112233")
    duplicate_scan(office=office_be)
    candidate = DuplicateCandidate.objects.get(kind="person")
    client.force_login(lead)
    page = client.get(reverse("dedupe_compare", args=[candidate.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Urs Schär" in text and "Urs Schaer" in text and "+41791112233" in text
    response = client.post(
        reverse("dedupe_compare", args=[candidate.pk]),
        {"action": "merge", "survivor": "left", "take": ["mobile"]},
    )
    assert response["Location"] == reverse(
        "wagtailsnippets_crm_contactperson:edit", args=[keep.pk]
    )
    keep.refresh_from_db()
    assert str(keep.mobile) == "+41791112233"
    assert not type(keep).objects.filter(pk=dup.pk).exists()

from django.urls import reverse


def test_change_history_shows_who_changed_which_field(client, be_staff, be_employer):
    client.force_login(be_staff)
    edit = reverse("wagtailsnippets_crm_employer:edit", args=[be_employer.pk])
    client.post(
        edit,
        {
            "legal_name": be_employer.legal_name,
            "uid": be_employer.uid,
            "canton": "BE",
            "language_region": "de",
            "register_status": "active",
            "relationship_status": "dormant",
            "municipality": "Biel/Bienne",
        },
    )

    page = client.get(reverse("crm_employer_changes", args=[be_employer.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert "Biel/Bienne" in text
    assert "dormant" in text
    assert "Anna" in text or "be.anna" in text


def test_change_history_of_another_office_is_404(client, be_staff, vd_employer):
    client.force_login(be_staff)

    page = client.get(reverse("crm_employer_changes", args=[vd_employer.pk]))

    assert page.status_code == 404

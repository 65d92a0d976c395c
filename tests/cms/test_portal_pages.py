"""Portal pages: company data, proposed changes, requests, job opportunities, and
that a portal user sees only their own employers and never staff-only data."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.models import ChangeProposal
from crm.models import Contact, Employer, JobOpportunity, Request
from crm.selectors import employer_timeline
from crm.services.requests import reaction_due_on, request_submit
from tests.cms.conftest import SECRETS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def portal_urls(employer: Employer) -> list[str]:
    """Every portal URL that carries an id of this employer or of its records."""
    urls = [
        f"/portal/companies/{employer.pk}/",
        f"/portal/companies/{employer.pk}/change/",
        f"/portal/companies/{employer.pk}/colleagues/",
        f"/portal/companies/{employer.pk}/requests/new/",
        f"/portal/companies/{employer.pk}/opportunities/new/",
    ]
    urls += [
        f"/portal/requests/{pk}/"
        for pk in employer.requests.values_list("pk", flat=True)
    ]
    urls += [
        f"/portal/opportunities/{pk}/"
        for pk in employer.job_opportunities.values_list("pk", flat=True)
    ]
    urls += [
        f"/portal/changes/{pk}/"
        for pk in employer.change_proposals.values_list("pk", flat=True)
    ]
    return urls


@pytest.fixture
def busy(portal_user, employer, staff):
    """The employer with a request, an opportunity and a proposal on file."""
    request = request_submit(
        employer=employer,
        person=portal_user.portal_account.person,
        kind="advice",
        subject="unclear_situation",
        message="Ein Mitarbeiter fehlt oft.",
    )
    request.internal_note = SECRETS[0]
    request.save()
    JobOpportunity.objects.create(
        office=employer.office, employer=employer, kind="trial_place", title="Lager"
    )
    ChangeProposal.objects.create(
        office=employer.office,
        employer=employer,
        proposed_by=portal_user.portal_account,
        changes={"street": {"old": "A", "new": "B"}},
    )
    return employer


def test_every_portal_url_of_another_employer_is_a_404(
    client, busy, other_portal_user, portal_user
):
    client.force_login(other_portal_user)

    answers = {url: client.get(url).status_code for url in portal_urls(busy)}
    posts = {url: client.post(url, {}).status_code for url in portal_urls(busy)}

    assert set(answers.values()) == {404}, answers
    assert set(posts.values()) == {404}, posts
    client.force_login(portal_user)
    assert {client.get(url).status_code for url in portal_urls(busy)} == {200}


def test_staff_only_data_never_reaches_portal_pages(client, busy, portal_user):
    client.force_login(portal_user)
    pages = [
        "/portal/",
        "/portal/requests/",
        "/en/portal/",
        *portal_urls(busy),
        *("/en" + url for url in portal_urls(busy)),
    ]

    for url in pages:
        text = client.get(url).content.decode()
        for secret in SECRETS:
            assert secret not in text, (url, secret)
        assert "quality" not in text.lower() and "Qualität" not in text, url
        assert "case-related" not in text and "fallbezogen" not in text, url


def test_my_company_shows_data_on_file_and_fixed_contact(
    client, portal_user, employer, staff
):
    client.force_login(portal_user)

    text = client.get(f"/en/portal/companies/{employer.pk}/").content.decode()

    assert "Industriestrasse 4" in text
    assert "CHE-116.281.710" in text
    assert staff.get_full_name() in text
    assert "cooperation" not in text.lower()


def test_proposed_change_is_approved_by_staff_and_logged_as_contact(
    client, portal_user, employer, staff, django_capture_on_commit_callbacks
):
    client.force_login(portal_user)
    form = {
        "street": "Freiburgstrasse 100",
        "postcode": "3008",
        "municipality": "Bern",
        "phone": "031 300 40 50",
        "email": "",
        "website": "",
        "fte": "",
        "company_language": "",
        "occupations": "",
        "comment": "Umzug",
    }
    client.post(f"/portal/companies/{employer.pk}/change/", form)
    proposal = ChangeProposal.objects.get()
    assert set(proposal.changes) == {"street", "postcode", "phone"}
    employer.refresh_from_db()
    assert employer.street == "Industriestrasse 4"  # not before review

    client.force_login(staff)
    review = client.get(reverse("cms_proposal_review", args=[proposal.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cms_proposal_review", args=[proposal.pk]), {"action": "approve"}
        )

    assert "Freiburgstrasse 100" in review.content.decode()
    assert "Industriestrasse 4" in review.content.decode()
    employer.refresh_from_db()
    assert employer.street == "Freiburgstrasse 100"
    assert str(employer.phone) == "+41313004050"
    contact = Contact.objects.filter(channel="portal").get()
    assert contact.case_related is False
    assert contact.participants.get() == portal_user.portal_account.person
    assert mail.outbox[-1].to == [portal_user.email]
    for secret in SECRETS:
        assert secret not in mail.outbox[-1].body


def test_a_change_that_changes_nothing_is_refused(client, portal_user, employer):
    client.force_login(portal_user)
    form = {
        "street": employer.street,
        "postcode": employer.postcode,
        "municipality": employer.municipality,
        "comment": "",
    }

    response = client.post(f"/en/portal/companies/{employer.pk}/change/", form)

    assert "Nothing differs" in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_call_back_request_is_answered_in_the_admin(
    client, portal_user, employer, staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 12, 24)):  # Thursday before Christmas
        client.force_login(portal_user)
        response = client.post(
            f"/portal/companies/{employer.pk}/requests/new/",
            {
                "kind": "callback",
                "subject": "return_to_work",
                "message": "Wie gehen wir die Rückkehr an?",
                "callback_phone": "031 300 40 50",
            },
        )
    item = Request.objects.get()
    assert response.status_code == 302
    # 7 business days from Thursday 24.12.: Christmas (Fri), New Year (Fri) and the
    # weekends do not count (Berchtoldstag falls on a Saturday in 2027)
    assert item.due_on == date(2027, 1, 6)

    client.force_login(staff)
    queue = client.get("/admin/snippets/crm/request/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/snippets/crm/request/edit/{item.pk}/",
            {
                "status": "answered",
                "answer": "Wir rufen Sie am Montag an.",
                "internal_note": SECRETS[0],
            },
        )
    client.force_login(portal_user)
    page = client.get(f"/portal/requests/{item.pk}/").content.decode()

    assert "Wie gehen wir" in queue.content.decode() or employer.legal_name in (
        queue.content.decode()
    )
    assert "Wir rufen Sie am Montag an." in page
    assert SECRETS[0] not in page
    assert mail.outbox[-1].to == [portal_user.email]
    assert "Montag" not in mail.outbox[-1].body  # the answer stays behind the login
    assert Contact.objects.filter(channel="portal", case_related=False).exists()


def test_request_queue_shows_overdue_first(client, staff, employer, portal_user):
    person = portal_user.portal_account.person
    with time_machine.travel(date(2026, 3, 2)):
        old = request_submit(
            employer=employer,
            person=person,
            kind="advice",
            subject="other",
            message="alt",
        )
    new = request_submit(
        employer=employer, person=person, kind="advice", subject="other", message="neu"
    )
    client.force_login(staff)

    text = client.get("/admin/snippets/crm/request/").content.decode()

    assert text.index(f"/edit/{old.pk}/") < text.index(f"/edit/{new.pk}/")
    assert "overdue" in text


def test_empty_request_message_is_refused(client, portal_user, employer):
    client.force_login(portal_user)

    response = client.post(
        f"/en/portal/companies/{employer.pk}/requests/new/",
        {"kind": "advice", "subject": "other", "message": "   "},
    )

    assert "Write your question" in response.content.decode()
    assert not Request.objects.exists()


def test_oversized_or_fake_upload_is_refused(client, portal_user, employer, settings):
    client.force_login(portal_user)
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, "application/pdf")
    fake = SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    form = {"kind": "advice", "subject": "other", "message": "Bitte Rückruf"}

    too_big = client.post(
        f"/en/portal/companies/{employer.pk}/requests/new/", {**form, "attachment": big}
    )
    wrong = client.post(
        f"/en/portal/companies/{employer.pk}/requests/new/",
        {**form, "attachment": fake},
    )

    assert "files up to 1.0" in too_big.content.decode()
    assert "Attach a PDF, JPEG or PNG file" in wrong.content.decode()
    assert not Request.objects.exists()


def test_reported_trial_place_shows_on_the_employer_page(
    client, portal_user, employer, staff
):
    client.force_login(portal_user)
    client.post(
        f"/portal/companies/{employer.pk}/opportunities/new/",
        {"kind": "trial_place", "title": "Mitarbeiter Lager", "workload_percent": "50"},
    )
    opportunity = JobOpportunity.objects.get()
    assert opportunity.source == "portal"
    assert opportunity.reported_by == portal_user.portal_account.person

    client.force_login(staff)
    page = client.get(f"/admin/crm/employers/{employer.pk}/overview/").content.decode()
    timeline = employer_timeline(employer, user=staff)

    assert "Mitarbeiter Lager" in page
    assert any(item.kind == "opportunity" for item in timeline.items)


def test_reaction_time_counts_cantonal_holidays():
    # Vaud has Berchtoldstag too; Ticino has Epiphany (6.1.) but not Berchtoldstag.
    assert reaction_due_on(date(2026, 12, 31), days=2, canton="BE") == date(2027, 1, 5)
    assert reaction_due_on(date(2027, 1, 4), days=2, canton="TI") == date(2027, 1, 7)

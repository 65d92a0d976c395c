"""Once sending started, a newsletter's content and links are frozen: the edit page
refuses, a test send changes nothing, old click tokens keep their URL."""

import re

import pytest

from campaigns.models import Delivery, NewsletterVersion
from campaigns.services.sending import newsletter_send, newsletter_test_send

from .conftest import newsletter_make, subscriber

pytestmark = pytest.mark.django_db


def _tracked_links(received) -> list[str]:
    html = received.message.get_body(("html",)).get_content()
    return re.findall(r'href="https?://[^"]+(/t/c/[^"]+/)"', html)


def test_a_sent_newsletter_cannot_be_edited_and_its_click_links_stay(
    client,
    staff,
    smtp_sink,
    office,
    newsletter_list,
    django_capture_on_commit_callbacks,
):
    # given a sent newsletter whose mail links to /arbeit
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    newsletter = newsletter_make(office, newsletter_list, languages=("de",))
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_send(newsletter)
    (mail,) = smtp_sink.to("anna@muster.ch")
    first_link = _tracked_links(mail)[0]
    client.force_login(staff)
    # when staff open its edit page, or post a changed version
    edit = f"/admin/snippets/campaigns/newsletter/edit/{newsletter.pk}/"
    response = client.get(edit, follow=True)
    # then they land on the newsletter's page with the reason
    assert response.redirect_chain[-1][0] == (
        f"/admin/campaigns/newsletters/{newsletter.pk}/"
    )
    assert "can no longer be changed" in response.content.decode()
    assert client.post(edit, {"name": "changed"}).status_code == 302
    newsletter.refresh_from_db()
    assert newsletter.name == "Frühling 2026"
    # and a test send after the content changed underneath (as the old edit page
    # allowed) renders the new content but keeps the link list as sent
    version = NewsletterVersion.objects.get(newsletter=newsletter)
    links_sent = list(version.links)
    version.body = [
        {"type": "button", "value": {"text": "Neu", "url": "https://evil.example/"}}
    ]
    version.save()
    newsletter_test_send(newsletter, language="de", user=staff)
    (test_mail,) = smtp_sink.to(staff.email)
    assert (
        "https://evil.example/" in test_mail.message.get_body(("html",)).get_content()
    )
    version.refresh_from_db()
    assert version.links == links_sent
    # the click token in Anna's mail still goes where it went
    assert client.get(first_link)["Location"] == "https://www.iv-be.ch/arbeit"
    assert Delivery.objects.get().clicks == 1


def test_a_draft_newsletter_can_still_be_edited(client, staff, office, newsletter_list):
    newsletter = newsletter_make(office, newsletter_list, languages=("de",))
    client.force_login(staff)
    response = client.get(f"/admin/snippets/campaigns/newsletter/edit/{newsletter.pk}/")
    assert response.status_code == 200

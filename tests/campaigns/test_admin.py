"""The staff pages: segment live count, newsletter preview / test / send / progress,
office scope."""

import json

import pytest

from campaigns.models import Delivery, Newsletter, Segment
from tests.crm.conftest import make_office, make_staff

from .conftest import newsletter_make, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def comms(client, staff):
    client.force_login(staff)
    return client


def test_segment_live_count_counts_the_unsaved_form(comms, office, newsletter_list):
    subscriber(office, newsletter_list, "a@muster.ch", "de", size_class="large")
    subscriber(office, newsletter_list, "b@muster.ch", "de", size_class="small")
    response = comms.post(
        "/admin/campaigns/segments/count/",
        {"name": "Gross", "office": office.pk, "size_classes": ["large"]},
    )
    data = json.loads(response.content)
    assert data["persons"] == 1 and data["employers"] == 1
    assert data["preview"][0]["email"] == "a@muster.ch"


def test_segment_edit_page_shows_the_live_panel(comms, office):
    segment = Segment.objects.create(office=office, name="Alle")
    page = comms.get(f"/admin/snippets/campaigns/segment/edit/{segment.pk}/")
    assert page.status_code == 200
    assert "data-segment-live" in page.content.decode()


def test_preview_test_send_send_and_progress(
    comms, smtp_sink, office, newsletter_list, staff, django_capture_on_commit_callbacks
):
    subscriber(office, newsletter_list, "a@muster.ch", "de")
    newsletter = newsletter_make(office, newsletter_list)
    base = f"/admin/campaigns/newsletters/{newsletter.pk}/"
    page = comms.get(base).content.decode()
    assert "Desktop" in page and "Phone" in page
    preview = comms.get(f"{base}preview/fr/").content.decode()
    assert "Nouvelles" in preview or "Titel fr" in preview
    assert "https://www.iv-be.ch/arbeit" in preview
    # test send to myself
    comms.post(f"{base}test/", {"language": "de"})
    (test_mail,) = smtp_sink.to(staff.email)
    assert test_mail.message["Subject"] == "Neues von der IV"
    assert not Delivery.objects.exists()
    # send to the list
    with django_capture_on_commit_callbacks(execute=True):
        comms.post(f"{base}send/")
    assert len(smtp_sink.to("a@muster.ch")) == 1
    progress = json.loads(comms.get(f"{base}progress.json").content)
    assert progress["percent"] == 100 and progress["sent"] == 1
    assert progress["status"] == Newsletter.Status.SENT


def test_other_office_newsletter_is_a_404(client, office, newsletter_list):
    newsletter = newsletter_make(office, newsletter_list)
    vd_user = make_staff(make_office("VD", "VD", "fr"), "vd.comms", "communications")
    client.force_login(vd_user)
    assert (
        client.get(f"/admin/campaigns/newsletters/{newsletter.pk}/").status_code == 404
    )
    listing = client.get("/admin/snippets/campaigns/newsletter/").content.decode()
    assert "Frühling 2026" not in listing


def test_listing_links_to_the_newsletter_page(comms, office, newsletter_list):
    newsletter = newsletter_make(office, newsletter_list)
    listing = comms.get("/admin/snippets/campaigns/newsletter/").content.decode()
    assert f"/admin/campaigns/newsletters/{newsletter.pk}/" in listing


def test_staff_add_a_subscriber_only_with_a_legal_basis(comms, office, newsletter_list):
    from campaigns.models import Subscription

    from .conftest import person_at

    person = person_at(office, email="neu@muster.ch")
    response = comms.get("/admin/snippets/campaigns/subscription/add/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/campaigns/subscriptions/add/"
    form = {"mailing_list": newsletter_list.pk, "person": person.pk, "language": "de"}
    page = comms.post("/admin/campaigns/subscriptions/add/", form)
    assert page.status_code == 200 and not Subscription.objects.exists()
    comms.post(
        "/admin/campaigns/subscriptions/add/", {**form, "legal_basis": "consent"}
    )
    subscription = Subscription.objects.get()
    assert subscription.legal_basis == "consent" and subscription.status == "active"


def test_results_show_opens_clicks_and_bounces_by_region_and_size(
    comms,
    client,
    smtp_sink,
    office,
    newsletter_list,
    django_capture_on_commit_callbacks,
):
    import re

    from campaigns.services.bounces import bounce_process

    from .test_sending import DSN

    # given a newsletter sent to two German-speaking large employers' people and
    # one French-speaking small employer's
    subscriber(office, newsletter_list, "anna@muster.ch", "de", size_class="large")
    subscriber(office, newsletter_list, "zoe@muster.ch", "de", size_class="large")
    subscriber(office, newsletter_list, "marc@exemple.ch", "fr",
               language_region="fr", size_class="small")  # fmt: skip
    newsletter = newsletter_make(office, newsletter_list, tracking=True)
    with django_capture_on_commit_callbacks(execute=True):
        comms.post(f"/admin/campaigns/newsletters/{newsletter.pk}/send/")

    def urls(email: str, kind: str) -> list[str]:
        (received,) = smtp_sink.to(email)
        html = received.message.get_body(("html",)).get_content()
        return re.findall(rf'https?://[^/"]+(/t/{kind}/[^"]+)"', html)

    # when anna opens and clicks, marc opens, and zoe's address bounces
    assert comms.get(urls("anna@muster.ch", "o")[0]).status_code == 200
    assert comms.get(urls("anna@muster.ch", "c")[0]).status_code == 302
    assert comms.get(urls("marc@exemple.ch", "o")[0]).status_code == 200
    zoe = Delivery.objects.get(email="zoe@muster.ch")
    dsn = DSN.format(id=zoe.pk, status="5.1.1").replace("anna@", "zoe@")
    assert bounce_process(dsn.encode())
    # then the results name all four figures and chart them per region and size
    page = comms.get(f"/admin/campaigns/newsletters/{newsletter.pk}/").content.decode()
    assert "3 sent, 2 opened, 1 clicked, 1 bounced." in page
    region = page.split("by language region</title>")[1].split("</svg>")[0]
    german, french = region.split("French-speaking Switzerland")
    assert "German-speaking Switzerland" in german
    # German-speaking: 2 sent, 1 opened, 1 clicked, 1 bounced
    assert german.count(">50 % (1/2)</text>") == 3
    # French-speaking: 1 sent, opened, not clicked, not bounced
    assert french.count(">100 % (1/1)</text>") == 1
    assert french.count(">0 % (0/1)</text>") == 2
    size = page.split("by size class</title>")[1].split("</svg>")[0]
    assert "large" in size and "small" in size and ">clicked<" in size

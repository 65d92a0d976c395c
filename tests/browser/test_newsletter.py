"""Marketing writes a newsletter, previews it, sends a test, sends it to a segment and
watches the progress reach 100 % (Chromium, a live server, a real SMTP sink)."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import Delivery, MailingList, MailSettings, Newsletter, Segment
from tests.campaigns.conftest import subscriber
from tests.campaigns.sink import SmtpSink
from tests.crm.conftest import make_office, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def sink(settings):
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield sink
    sink.stop()


def test_write_preview_test_send_and_watch_progress(page, wagtail_root, sink):
    office = make_office("BE", "BE", "de")
    MailSettings.objects.create(
        office=office, sender_name="IV-Stelle Bern", sender_email="news@ivbe.example",
        postal_address="Chutzenstrasse 10, 3007 Bern", messages_per_minute=0,
    )  # fmt: skip
    mailing_list = MailingList.objects.create(
        office=office, name="Arbeitgeber-Newsletter", slug="ag", consent_text="ok"
    )
    for n in range(3):
        subscriber(office, mailing_list, f"hr{n}@muster.ch", "de", size_class="large")
    subscriber(office, mailing_list, "klein@muster.ch", "de", size_class="micro")
    Segment.objects.create(office=office, name="Grosse", size_classes=["large"])
    make_staff(office, "be.comms", "communications")

    page.goto("/admin/login/")
    page.fill("input[name=username]", "be.comms")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.goto("/admin/snippets/campaigns/newsletter/add/")
    page.fill("input[name=name]", "Frühling")
    page.select_option("select[name=mailing_list]", label="Arbeitgeber-Newsletter")
    page.select_option("select[name=segment]", label="Grosse")
    page.select_option("select[name='versions-0-language']", "de")
    page.fill("input[name='versions-0-subject']", "Neues von der IV")
    page.locator("#versions-0-body-root .c-sf-add-button").first.click()
    page.get_by_role("option", name="Heading").click()
    page.locator("input[name='versions-0-body-0-value']").fill("Willkommen im Frühling")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("created")).to_be_visible()

    newsletter = Newsletter.objects.get(name="Frühling")
    manage_url = f"/admin/campaigns/newsletters/{newsletter.pk}/"
    page.goto("/admin/snippets/campaigns/newsletter/")
    page.get_by_role("button", name="More options for 'Frühling'").click()
    page.get_by_role("link", name="Preview, test and send").click()
    expect(page).to_have_url(re.compile(f"{manage_url}$"))
    preview = page.frame_locator("iframe[title='Desktop preview']").first
    expect(preview.get_by_text("Willkommen im Frühling")).to_be_visible()

    page.get_by_role("button", name=re.compile("Send a test")).click()
    expect(page.get_by_text("A test mail was sent")).to_be_visible()
    assert sink.to("be.comms@example.ch")

    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("[data-field=percent]")).to_have_text("100", timeout=30_000)
    newsletter_recipients = sorted(
        r.recipients[0] for r in sink.received if r.recipients[0].startswith("hr")
    )
    assert newsletter_recipients == ["hr0@muster.ch", "hr1@muster.ch", "hr2@muster.ch"]
    assert not sink.to("klein@muster.ch")
    assert Delivery.objects.filter(status="sent").count() == 3

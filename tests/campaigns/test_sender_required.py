"""UWG Art. 3 lit. o: no send and no test send before the office's sender (name,
address, postal address) is complete."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from campaigns.models import Delivery, MailSettings, Newsletter

from .conftest import newsletter_make, subscriber

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("missing", ["row", "postal_address", "sender_name"])
def test_no_send_without_a_complete_sender(
    client, staff, smtp_sink, office, newsletter_list, missing
):
    # given an office whose sender is incomplete
    if missing == "row":
        MailSettings.objects.filter(office=office).delete()
    else:
        MailSettings.objects.filter(office=office).update(**{missing: "  "})
    subscriber(office, newsletter_list, "anna@muster.ch", "de")
    newsletter = newsletter_make(office, newsletter_list, languages=("de",))
    client.force_login(staff)
    base = f"/admin/campaigns/newsletters/{newsletter.pk}/"
    # when staff send a test and then the newsletter
    test = client.post(f"{base}test/", {"language": "de"}, follow=True)
    send = client.post(f"{base}send/", follow=True)
    # then nothing is sent, and the page says why
    assert smtp_sink.received == []
    assert not Delivery.objects.exists()
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.DRAFT
    for response in (test, send):
        assert "postal address" in response.content.decode()
        assert "UWG Art. 3 lit. o" in response.content.decode()


def test_scheduling_needs_a_complete_sender_too(office, newsletter_list):
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.services.sending import newsletter_send

    MailSettings.objects.filter(office=office).update(postal_address="")
    newsletter = newsletter_make(office, newsletter_list, languages=("de",))
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="postal address"),
    ):
        newsletter_send(newsletter, at=timezone.now() + timedelta(hours=1))

"""Double opt-in, staff-added subscriptions, the preference centre."""

import re

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import LegalBasis, Subscription, SubscriptionSource, Suppression
from campaigns.services.subscriptions import (
    preferences_token_make,
    subscription_add_by_staff,
)
from campaigns.services.suppression import unsubscribe

from .conftest import person_at

pytestmark = pytest.mark.django_db


def _confirm_link(received) -> str:
    text = received.message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/newsletter/confirm/\S+/", text).group(0)


def test_site_signup_is_pending_until_the_link_in_the_mail_is_confirmed(
    client, smtp_sink, newsletter_list, django_capture_on_commit_callbacks
):
    # given the public sign-up form of the list
    url = "/newsletter/subscribe/be/arbeitgeber/?lang=fr"
    # when someone signs up
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"email": "Marie@Example.CH", "first_name": "Marie", "language": "fr"},
        )
    # then they are pending and a confirmation mail arrived at the sink
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.email == "marie@example.ch"
    (mail,) = smtp_sink.to("marie@example.ch")
    assert "IV-Stelle Bern" in mail.message["From"]
    link = _confirm_link(mail)
    path = link.split("://", 1)[1].split("/", 1)[1]
    # a GET (e.g. a link scanner) does not confirm
    assert client.get(f"/{path}").status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING
    # when they confirm with the button
    client.post(f"/{path}")
    # then the consent evidence is kept: time, source, text and its version
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.confirmed_at and subscription.requested_at
    assert subscription.source == SubscriptionSource.SITE
    assert subscription.consent_text == newsletter_list.consent_text
    assert subscription.consent_text_version == "2026-1"


def test_a_forged_confirmation_link_confirms_nothing(client, newsletter_list):
    response = client.post("/newsletter/confirm/1:forged:signature/")
    assert response.status_code == 400


def test_staff_added_subscription_needs_and_keeps_its_legal_basis(
    office, newsletter_list, staff
):
    person = person_at(office, email="hr@muster.ch")
    with pytest.raises(ValidationError):
        subscription_add_by_staff(
            mailing_list=newsletter_list, person=person, language="de",
            legal_basis="", staff=staff,
        )  # fmt: skip
    subscription = subscription_add_by_staff(
        mailing_list=newsletter_list, person=person, language="de",
        legal_basis=LegalBasis.CUSTOMER, staff=staff,
    )  # fmt: skip
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.legal_basis == LegalBasis.CUSTOMER
    assert subscription.added_by == staff


def test_staff_cannot_resubscribe_someone_who_unsubscribed(
    office, newsletter_list, staff
):
    person = person_at(office, email="left@muster.ch")
    unsubscribe(email=person.email, mailing_list=newsletter_list)
    with pytest.raises(ValidationError):
        subscription_add_by_staff(
            mailing_list=newsletter_list, person=person, language="de",
            legal_basis=LegalBasis.CONSENT, staff=staff,
        )  # fmt: skip


def test_preference_centre_behind_a_signed_link_changes_subscriptions(
    client, office, newsletter_list, staff
):
    person = person_at(office, email="pref@muster.ch")
    subscription_add_by_staff(
        mailing_list=newsletter_list, person=person, language="de",
        legal_basis=LegalBasis.CONSENT, staff=staff,
    )  # fmt: skip
    token = preferences_token_make(office.pk, "pref@muster.ch")
    page = client.get(f"/newsletter/preferences/{token}/?lang=en")
    assert "Arbeitgeber-Newsletter" in page.content.decode()
    # when the box is unticked and saved
    client.post(f"/newsletter/preferences/{token}/?lang=en", {})
    # then the person is unsubscribed and suppressed on that list
    assert Subscription.objects.get().status == Subscription.Status.UNSUBSCRIBED
    assert Suppression.objects.filter(
        email="pref@muster.ch", reason=Suppression.Reason.UNSUBSCRIBED
    ).exists()
    # a forged token shows nothing
    assert client.get("/newsletter/preferences/forged/").status_code == 400


def test_portal_page_shows_and_changes_the_contact_persons_subscriptions(
    client, office, newsletter_list
):
    from tests.cms.conftest import make_portal_user
    from tests.crm.conftest import make_employer

    user = make_portal_user(make_employer(office, "Portal AG"), "vreni@portal.ch")
    client.force_login(user)
    page = client.get("/en/portal/newsletter/")
    assert "Arbeitgeber-Newsletter" in page.content.decode()
    client.post("/en/portal/newsletter/", {"list": [newsletter_list.pk]})
    subscription = Subscription.objects.get(email="vreni@portal.ch")
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.source == SubscriptionSource.PORTAL

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


def _portal_login(client, office, login_email="vreni@portal.ch", person_email=None):
    """A portal user; staff may since have changed the contact person's address."""
    from tests.cms.conftest import make_portal_user
    from tests.crm.conftest import make_employer

    user = make_portal_user(make_employer(office, "Portal AG"), login_email)
    if person_email is not None:
        person = user.portal_account.person
        person.email = person_email
        person.save()
    client.force_login(user)
    return user


def test_portal_signup_is_double_opt_in_to_the_contact_persons_address(
    client, smtp_sink, office, newsletter_list, django_capture_on_commit_callbacks
):
    # given a portal user whose contact person now has another address than the login
    _portal_login(client, office, person_email="V.Zaugg@Portal.ch")
    page = client.get("/en/portal/newsletter/").content.decode()
    assert "Arbeitgeber-Newsletter" in page and newsletter_list.consent_text in page
    # when the list is ticked and saved
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/portal/newsletter/", {"list": [newsletter_list.pk]})
    # then the subscription waits for confirmation, and the page says so
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == "v.zaugg@portal.ch"
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.source == SubscriptionSource.PORTAL
    assert subscription.confirmed_at is None
    # and the confirmation went to the contact person's address, not the login
    (mail,) = smtp_sink.received
    assert mail.recipients == ["v.zaugg@portal.ch"]
    # saving again with the box still ticked does not mail again
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/en/portal/newsletter/", {"list": [newsletter_list.pk]})
    assert "awaiting your confirmation" in again.content.decode()
    assert len(smtp_sink.received) == 1
    # when the link in the mail is confirmed
    path = "/" + _confirm_link(mail).split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 200
    # then it is active, with the consent evidence: time, source, text version
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.requested_at <= subscription.confirmed_at
    assert subscription.source == SubscriptionSource.PORTAL
    assert subscription.consent_text == newsletter_list.consent_text
    assert subscription.consent_text_version == "2026-1"
    # and unticking in the portal unsubscribes at once, with no mail
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/portal/newsletter/", {})
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert Suppression.objects.get(email="v.zaugg@portal.ch").reason == (
        Suppression.Reason.UNSUBSCRIBED
    )
    assert len(smtp_sink.received) == 1


def test_portal_signup_withdrawn_before_confirming_leaves_the_link_dead(
    client, smtp_sink, office, newsletter_list, django_capture_on_commit_callbacks
):
    _portal_login(client, office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/portal/newsletter/", {"list": [newsletter_list.pk]})
    (mail,) = smtp_sink.to("vreni@portal.ch")
    # when the box is unticked before the link is clicked
    client.post("/en/portal/newsletter/", {})
    assert not Subscription.objects.exists()
    # then the link in the mail subscribes nobody
    path = "/" + _confirm_link(mail).split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 400
    assert not Subscription.objects.exists()


def test_portal_user_without_an_address_on_file_cannot_subscribe(
    client, smtp_sink, office, newsletter_list, django_capture_on_commit_callbacks
):
    # the login e-mail is not used in place of the contact person's address
    _portal_login(client, office, person_email="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/portal/newsletter/", {"list": [newsletter_list.pk]})
    assert response.status_code == 200
    assert "We have no e-mail address for you" in response.content.decode()
    assert not Subscription.objects.exists()
    assert smtp_sink.received == []


def test_a_mail_server_refusing_for_now_delays_the_confirmation_not_the_page(
    client, smtp_sink, newsletter_list, django_capture_on_commit_callbacks, monkeypatch
):
    from config.celery import app

    # eager Celery runs a task's retries in place only when it does not propagate
    # the Retry (as a worker would, minus the countdown)
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    # given a mail server that answers "try later" twice
    smtp_sink.handler.answers = {"marie@example.ch": ["451 4.3.0 Try later"] * 2}
    # when someone signs up
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletter/subscribe/be/arbeitgeber/",
            {"email": "marie@example.ch", "language": "de"},
        )
    # then the page answers normally, the request is pending, and the worker's
    # retries deliver exactly one confirmation mail
    assert response.status_code == 200
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    (mail,) = smtp_sink.to("marie@example.ch")
    assert _confirm_link(mail)


def test_with_the_mail_server_down_the_signup_is_kept_and_mailed_later(
    client, smtp_sink, newsletter_list, settings, django_capture_on_commit_callbacks
):
    from campaigns.tasks import subscription_confirmation_send_task

    from .sink import free_port

    # given no mail server at all
    settings.EMAIL_PORT = free_port()
    # when someone signs up
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletter/subscribe/be/arbeitgeber/",
            {"email": "marie@example.ch", "language": "de"},
        )
    # then no 500: the page says "check your inbox", the subscription is pending
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.PENDING
    assert smtp_sink.received == []
    # and when the mail server is back, the task's next retry mails the link
    settings.EMAIL_PORT = smtp_sink.port
    subscription_confirmation_send_task.delay(subscription_id=subscription.pk)
    (mail,) = smtp_sink.to("marie@example.ch")
    assert _confirm_link(mail)

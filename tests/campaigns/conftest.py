"""Campaign tests: a real SMTP sink, an office with mail settings, a list."""

import pytest
from wagtail.users.models import UserProfile

from campaigns.models import MailingList, MailSettings
from tests.crm.conftest import make_employer, make_office, make_staff
from tests.factories import ContactPersonFactory, EmployerRoleFactory

from .sink import SmtpSink


@pytest.fixture
def smtp_sink(settings):
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield sink
    from campaigns.transport import transport_get

    transport_get().close()
    sink.stop()


@pytest.fixture
def office(db):
    office = make_office("BE", "BE", "de")
    MailSettings.objects.create(
        office=office,
        sender_name="IV-Stelle Bern",
        sender_email="newsletter@ivbe.example",
        postal_address="Chutzenstrasse 10\n3007 Bern",
        bounce_email="bounces@ivbe.example",
        messages_per_minute=0,
    )
    return office


@pytest.fixture
def newsletter_list(office):
    return MailingList.objects.create(
        office=office,
        name="Arbeitgeber-Newsletter",
        slug="arbeitgeber",
        consent_text="I agree to receive the employer newsletter four times a year.",
        consent_text_version="2026-1",
    )


@pytest.fixture
def staff(office):
    user = make_staff(office, "be.comms", role="communications")
    return user


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser(
        "admin", "admin@ivbe.example", "a-long-test-password"
    )
    UserProfile.objects.create(user=user, preferred_language="en")
    return user


def person_at(office, *, email, languages=("de",), employer=None, function="hr", **kw):
    employer = employer or make_employer(office, f"Firma {email}", **kw)
    person = ContactPersonFactory(
        office=office, email=email, languages=list(languages), first_name="Anna",
        last_name=email.split("@")[0].title(),
    )  # fmt: skip
    EmployerRoleFactory(employer=employer, person=person, function=function)
    return person


def newsletter_make(office, mailing_list, *, languages=("de", "fr"), **kw):
    from campaigns.models import Newsletter, NewsletterVersion

    newsletter = Newsletter.objects.create(
        office=office, name="Frühling 2026", mailing_list=mailing_list, **kw
    )
    subjects = {"de": "Neues von der IV", "fr": "Nouvelles de l'AI", "en": "News"}
    for language in languages:
        NewsletterVersion.objects.create(
            newsletter=newsletter,
            language=language,
            subject=subjects[language],
            preheader="Frühling",
            body=[
                {"type": "heading", "value": f"Titel {language}"},
                {
                    "type": "text",
                    "value": '<p>Mehr auf <a href="https://www.iv-be.ch/arbeit">'
                    "unserer Seite</a>.</p>",
                },
                {
                    "type": "button",
                    "value": {"text": "Anmelden", "url": "https://www.iv-be.ch/anlass"},
                },
                {"type": "divider", "value": None},
            ],
        )
    return newsletter


def subscriber(office, mailing_list, email, language="de", **kw):
    from campaigns.models import Subscription

    person = person_at(office, email=email, languages=[language], **kw)
    Subscription.objects.create(
        mailing_list=mailing_list,
        person=person,
        email=email,
        first_name=person.first_name,
        last_name=person.last_name,
        language=language,
        status=Subscription.Status.ACTIVE,
        source="staff",
        legal_basis="consent",
    )
    return person

"""Staff logins are throttled (django-axes, AXES_FAILURE_LIMIT = 5).

Given a staff account, when someone fails its password five times from one address,
then the login answers with our lockout page, even for the right password.
"""

import re

import pytest
from django.conf import settings
from django.utils import translation

LOGIN_URL = "/admin/login/"
PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        "anna.muster", "anna.muster@iv.example.ch", PASSWORD
    )


def attempt(client, password: str):
    return client.post(LOGIN_URL, {"username": "anna.muster", "password": password})


def shows_lockout_page(response) -> bool:
    """True when the page carries the lockout heading, in the page's own language."""
    page = response.content.decode()
    language = re.search(r'<html lang="([\w-]+)"', page).group(1)
    with translation.override(language):
        heading = translation.gettext("Too many failed logins")
    return f"<h1>{heading}</h1>" in page


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account(client, staff):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        refused = attempt(client, "wrong-password")
        assert refused.status_code == 200  # the login form again, with an error
        assert not shows_lockout_page(refused)

    fifth = attempt(client, "wrong-password")
    right_password = attempt(client, PASSWORD)

    assert fifth.status_code == 429
    assert shows_lockout_page(fifth)
    assert right_password.status_code == 429
    assert shows_lockout_page(right_password)
    assert client.get("/admin/").status_code == 302  # still not logged in


@pytest.mark.django_db
def test_four_wrong_passwords_still_allow_the_right_one(client, staff):
    for _ in range(4):
        attempt(client, "wrong-password")

    response = attempt(client, PASSWORD)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200

"""Portal accounts: invitations, access requests, login, reset, 2FA, sessions."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.models import AccessRequest, PortalAccount, PortalInvitation
from cms.portal.services import access_request_approve, invitation_send
from crm.models import ContactPerson, EmployerRole
from tests.cms.conftest import PORTAL_PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Gurten-Bahn-1898!"


def invitation_link() -> str:
    return re.search(r"https?://\S+/portal/invitation/\S+/", mail.outbox[-1].body)[0]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def invited(employer, staff, django_capture_on_commit_callbacks):
    person = ContactPerson.objects.create(
        office=employer.office,
        first_name="Ruth",
        last_name="Meier",
        email="ruth.meier@aare-logistik.ch",
        languages=["de"],
    )
    EmployerRole.objects.create(employer=employer, person=person, function="ceo")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(person=person, employer=employer, invited_by=staff)
    return person


def test_staff_invitation_mail_sets_password_and_logs_in(client, invited):
    link = path_of(invitation_link())

    page = client.get(link)
    response = client.post(
        link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )

    assert "Ruth Meier" in page.content.decode()
    assert mail.outbox[-1].to == ["ruth.meier@aare-logistik.ch"]
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert "Aare Logistik AG" in response.content.decode()
    user = get_user_model().objects.get(username="ruth.meier@aare-logistik.ch")
    assert not user.is_staff and not user.is_superuser
    assert not user.groups.exists() and not user.user_permissions.exists()
    assert PortalAccount.objects.get(user=user).person == invited


def test_invitation_link_works_only_once(client, invited):
    link = path_of(invitation_link())
    client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()

    again = client.get("/en" + link)

    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert PortalAccount.objects.count() == 1


def test_expired_invitation_says_so_and_saves_nothing(client, invited):
    link = path_of(invitation_link())
    later = timezone.now() + timedelta(days=8)

    with time_machine.travel(later):
        expired = client.get("/en" + link)
        posted = client.post(
            link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )

    assert expired.status_code == 410
    assert "This invitation has expired" in expired.content.decode()
    assert posted.status_code == 410
    assert not PortalAccount.objects.exists()


def test_tampered_invitation_link_is_refused(client, invited):
    link = path_of(invitation_link())

    response = client.get(link.replace("/invitation/", "/invitation/x"))

    assert response.status_code == 410
    assert not PortalAccount.objects.exists()


def test_weak_password_keeps_the_invitation_open(client, invited):
    link = path_of(invitation_link())

    response = client.post(
        "/en" + link, {"password1": "12345678", "password2": "12345678"}
    )

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not PortalAccount.objects.exists()
    assert PortalInvitation.objects.get().accepted_at is None


def test_access_request_with_uid_is_approved_by_staff(
    client, employer, staff, django_capture_on_commit_callbacks
):
    response = client.post(
        reverse("portal:access_request"),
        {
            "uid": "che116281710",
            "first_name": "Marco",
            "last_name": "Bühler",
            "email": "marco.buehler@aare-logistik.ch",
            "function": "line_manager",
        },
    )
    assert response.status_code == 200
    item = AccessRequest.objects.get()
    assert item.employer == employer

    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cms_access_review", args=[item.pk]), {"action": "approve"})

    item.refresh_from_db()
    assert item.status == "approved"
    person = ContactPerson.objects.get(email="marco.buehler@aare-logistik.ch")
    assert EmployerRole.objects.filter(employer=employer, person=person).exists()
    assert mail.outbox[-1].to == ["marco.buehler@aare-logistik.ch"]
    assert "/portal/invitation/" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("uid", "message"),
    [
        ("CHE-116.281.711", "not a valid UID"),
        ("CHE-109.322.551", "no employer with this UID"),
    ],
)
def test_wrong_uid_is_refused_and_nothing_saved(client, employer, uid, message):
    response = client.post(
        "/en/portal/access/",
        {
            "uid": uid,
            "first_name": "Marco",
            "last_name": "Bühler",
            "email": "marco@aare-logistik.ch",
            "function": "hr",
        },
    )

    assert message in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_access_request_needs_a_work_address(client, employer):
    response = client.post(
        "/en/portal/access/",
        {
            "uid": employer.uid,
            "first_name": "Marco",
            "last_name": "Bühler",
            "email": "marco@gmail.com",
            "function": "hr",
        },
    )

    assert "work e-mail" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_portal_login_and_dashboard(client, portal_user):
    response = client.post(
        reverse("portal:login"),
        {"username": "Vreni.Zaugg@aare-logistik.ch", "password": PORTAL_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_portal_users_never_reach_the_admin(client, portal_user):
    client.force_login(portal_user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_cannot_use_the_portal_login(client, staff):
    response = client.post(
        "/en/portal/login/",
        {"username": staff.email, "password": "a-long-test-password"},
    )

    assert response.status_code == 200
    assert "do not match a portal account" in response.content.decode()
    client.force_login(staff)
    assert client.get(reverse("portal:dashboard")).status_code == 404


def test_five_failed_portal_logins_lock_the_account(client, portal_user):
    for _ in range(5):
        last = client.post(
            reverse("portal:login"),
            {"username": portal_user.email, "password": "wrong-password"},
        )
    right = client.post(
        reverse("portal:login"),
        {"username": portal_user.email, "password": PORTAL_PASSWORD},
    )

    assert last.status_code == 429
    assert right.status_code == 429


def test_password_reset_by_mail(client, portal_user, staff):
    client.post(reverse("portal:password_reset"), {"email": portal_user.email})
    client.post(reverse("portal:password_reset"), {"email": staff.email})

    assert len(mail.outbox) == 1  # staff reset theirs in the admin
    link = re.search(r"https?://\S+/portal/password/reset/\S+/", mail.outbox[0].body)[0]
    form = client.get(path_of(link), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    portal_user.refresh_from_db()
    assert portal_user.check_password(NEW_PASSWORD)


def test_portal_session_expires_after_idle_time(client, portal_user, settings):
    client.post(
        reverse("portal:login"),
        {"username": portal_user.email, "password": PORTAL_PASSWORD},
    )
    client.get(reverse("portal:dashboard"))

    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.PORTAL_SESSION_SECONDS + 60)
    ):
        response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_two_factor_is_asked_for_once_set_up(client, portal_user):
    device = TOTPDevice.objects.create(user=portal_user, name="phone", confirmed=True)
    client.post(
        reverse("portal:login"),
        {"username": portal_user.email, "password": PORTAL_PASSWORD},
    )

    blocked = client.get(reverse("portal:dashboard"))
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    client.post(reverse("portal:verify"), {"token": f"{code:06d}"})
    after = client.get(reverse("portal:dashboard"))

    assert blocked.status_code == 302
    assert reverse("portal:verify") in blocked["Location"]
    assert after.status_code == 200


def test_colleague_proposed_in_the_portal_needs_staff_approval(
    client, portal_user, employer, staff, django_capture_on_commit_callbacks
):
    client.force_login(portal_user)
    client.post(
        reverse("portal:colleagues", args=[employer.pk]),
        {
            "first_name": "Lea",
            "last_name": "Graf",
            "email": "lea.graf@aare-logistik.ch",
            "function": "line_manager",
        },
    )
    item = AccessRequest.objects.get()
    assert item.proposed_by == portal_user.portal_account
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        access_request_approve(access_request=item, staff=staff)

    assert mail.outbox[-1].to == ["lea.graf@aare-logistik.ch"]

"""Optional TOTP two-factor login for staff."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


@pytest.fixture
def staff(django_user_model):
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.create_superuser(
        "boss", "b@x.ch", "pw-long-enough"
    )
    UserProfile.objects.create(user=user, preferred_language="en")  # reads English
    return user


def test_without_a_device_the_admin_opens_directly(client, staff):
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


def test_setting_up_a_device_needs_a_valid_code(client, staff):
    client.force_login(staff)
    setup = reverse("core_2fa_setup")

    page = client.get(setup)
    device = TOTPDevice.objects.get(user=staff)
    wrong = client.post(
        setup, {"token": "000000" if current_code(device) != "000000" else "111111"}
    )
    device.throttle_reset()  # django-otp slows down guessing after a failure
    right = client.post(setup, {"token": current_code(device)})

    assert "<svg" in page.content.decode()
    assert "not valid" in wrong.content.decode()
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_a_confirmed_device_is_asked_for_after_the_password(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)  # password step done, second factor not yet

    blocked = client.get("/admin/")
    verify = client.post(
        reverse("core_2fa_verify") + "?next=/admin/", {"token": current_code(device)}
    )
    after = client.get("/admin/")

    assert blocked.status_code == 302
    assert reverse("core_2fa_verify") in blocked["Location"]
    assert verify.status_code == 302
    assert after.status_code == 200


def test_a_wrong_code_keeps_the_admin_closed(client, staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)

    response = client.post(reverse("core_2fa_verify"), {"token": "123456"})

    assert "not valid" in response.content.decode()
    assert client.get("/admin/").status_code == 302

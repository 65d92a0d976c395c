"""Optional TOTP two-factor login for staff (django-otp), inside the Wagtail admin."""

import segno
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/admin/"


def verify(request: HttpRequest) -> HttpResponse:
    """Asks for the current TOTP code of a user whose device is confirmed."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"].strip()):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", _("This code is not valid. Check your device's clock."))
    return TemplateResponse(
        request, "core/2fa_verify.html", {"form": form, "next": _safe_next(request)}
    )


def setup(request: HttpRequest) -> HttpResponse:
    """Creates an unconfirmed device, shows its QR code, confirms it with one code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if request.method == "POST" and request.POST.get("action") == "disable":
        TOTPDevice.objects.filter(user=user).delete()
        messages.success(request, _("Two-factor login is switched off."))
        return redirect("core_2fa_setup")
    if confirmed:
        return TemplateResponse(request, "core/2fa_setup.html", {"enabled": True})
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor login is now on."))
            return redirect("core_2fa_setup")
        form.add_error("token", _("This code is not valid. Check your device's clock."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    return TemplateResponse(
        request,
        "core/2fa_setup.html",
        {"enabled": False, "form": form, "qr_svg": qr_svg, "device": device},
    )

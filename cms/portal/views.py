"""The employer portal's pages. Every view that takes an id loads it through the
portal user's employers (`selectors.portal_*`), so a forged id is a 404."""

from __future__ import annotations

from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.models import Employer, EmployerRole
from crm.services.cases import employer_case_views
from crm.services.opportunities import opportunity_report
from crm.services.requests import request_submit

from . import forms as portal_forms
from .selectors import (
    PUBLIC_EMPLOYER_FIELDS,
    portal_account,
    portal_employer_get,
    portal_employers,
    portal_opportunities,
    portal_proposals,
    portal_requests,
)
from .services import (
    InvitationInvalid,
    access_request_submit,
    change_propose,
    invitation_accept,
    invitation_from_token,
)


def _form_errors(form, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form's fields where it can."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def portal_required(view):
    """Logged in with a portal account (and the second factor, if set up).

    Staff are not portal users: they get a 404 here, and portal users never pass
    the admin (they have no staff status and no permissions). Each request renews
    the idle timeout of the session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        account = portal_account(request.user)
        if account is None:
            raise Http404
        if not request.user.is_verified() and user_has_device(
            request.user, confirmed=True
        ):
            return redirect(f"{reverse('portal:verify')}?next={request.path}")
        request.session.set_expiry(settings.PORTAL_SESSION_SECONDS)
        request.portal_account = account
        return view(request, *args, **kwargs)

    return wrapper


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- Account: login, invitation, access request, password reset, 2FA ---------------


class PortalLoginView(auth_views.LoginView):
    template_name = "cms/portal/login.html"
    authentication_form = portal_forms.PortalLoginForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return reverse("portal:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.set_expiry(settings.PORTAL_SESSION_SECONDS)
        return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout as auth_logout

    auth_logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("portal:login")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invited person sets a password; the link works once, until it expires."""
    try:
        invite = invitation_from_token(token)
    except InvitationInvalid as problem:
        return TemplateResponse(
            request,
            "cms/portal/invitation_invalid.html",
            {"problem": problem.message},
            status=410,
        )
    form = portal_forms.SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token, password=form.cleaned_data["password1"]
            )
        except InvitationInvalid as problem:
            return TemplateResponse(
                request,
                "cms/portal/invitation_invalid.html",
                {"problem": problem.message},
                status=410,
            )
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            auth_login(
                request, user, backend="django.contrib.auth.backends.ModelBackend"
            )
            request.session.set_expiry(settings.PORTAL_SESSION_SECONDS)
            messages.success(request, _("Welcome! Your portal account is ready."))
            return redirect("portal:dashboard")
    return TemplateResponse(
        request, "cms/portal/invitation.html", {"form": form, "invitation": invite}
    )


def access_request(request: HttpRequest) -> HttpResponse:
    form = portal_forms.AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_request_submit(**form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return TemplateResponse(request, "cms/portal/access_requested.html", {})
    return TemplateResponse(request, "cms/portal/access_request.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "cms/portal/password_reset.html"
    form_class = portal_forms.PortalPasswordResetForm
    email_template_name = "cms/email/password_reset.txt"
    subject_template_name = "cms/email/password_reset.subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")
    extra_email_context = {"site_url": settings.SITE_URL}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "cms/portal/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "cms/portal/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and portal_account(user) else None


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "cms/portal/password_reset_complete.html"


def verify(request: HttpRequest) -> HttpResponse:
    """The second factor after the password, for users who set one up."""
    if not request.user.is_authenticated or portal_account(request.user) is None:
        return redirect("portal:login")
    next_url = _safe_next(request, reverse("portal:dashboard"))
    form = portal_forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"].strip()):
                otp_login(request, device)
                return redirect(next_url)
        form.add_error("token", _("This code is not valid. Check your device's clock."))
    return TemplateResponse(
        request, "cms/portal/verify.html", {"form": form, "next": next_url}
    )


@portal_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Optional TOTP: set up with a QR code and one code, or switch off."""
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "disable":
        TOTPDevice.objects.filter(user=user).delete()
        messages.success(request, _("Two-factor login is switched off."))
        return redirect("portal:two_factor")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return TemplateResponse(
            request, "cms/portal/two_factor.html", {"enabled": True}
        )
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = portal_forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor login is now on."))
            return redirect("portal:two_factor")
        form.add_error("token", _("This code is not valid. Check your device's clock."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=str(_("QR code for your authenticator app"))
    )
    return TemplateResponse(
        request,
        "cms/portal/two_factor.html",
        {"enabled": False, "form": form, "qr_svg": qr_svg, "device": device},
    )


# --- Portal pages ------------------------------------------------------------------


@portal_required
def dashboard(request: HttpRequest) -> HttpResponse:
    employers = list(
        portal_employers(request.user).select_related("fixed_contact__staff_card")
    )
    context = {
        "employers": employers,
        "requests": portal_requests(request.user).order_by("-received_at")[:5],
        "opportunities": portal_opportunities(request.user).order_by(
            "-reported_on", "-created_at"
        )[:5],
        "proposals": portal_proposals(request.user).order_by("-created_at")[:5],
    }
    return TemplateResponse(request, "cms/portal/dashboard.html", context)


def _company_facts(employer: Employer) -> list[tuple[str, str]]:
    facts = []
    for name in PUBLIC_EMPLOYER_FIELDS:
        field = Employer._meta.get_field(name)
        value = getattr(employer, name)
        if field.choices:
            value = getattr(employer, f"get_{name}_display")()
        elif name == "phone" and value:
            value = value.as_international
        facts.append((str(field.verbose_name), "" if value is None else str(value)))
    return facts


@portal_required
def company(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = portal_employer_get(request.user, employer_id)
    context = {
        "employer": employer,
        "facts": _company_facts(employer),
        "fixed_contact": employer.fixed_contact,
        "card": getattr(employer.fixed_contact, "staff_card", None)
        if employer.fixed_contact
        else None,
        "proposals": portal_proposals(request.user)
        .filter(employer=employer)
        .order_by("-created_at")[:5],
    }
    return TemplateResponse(request, "cms/portal/company.html", context)


@portal_required
def cases(request: HttpRequest, employer_id: int) -> HttpResponse:
    """Cases the employer may be told about. What each shows is decided by
    `crm.services.cases.case_employer_view` alone: nothing without the insured
    person's consent, never amounts or notes."""
    employer = portal_employer_get(request.user, employer_id)
    return TemplateResponse(
        request,
        "cms/portal/cases.html",
        {"employer": employer, "cases": employer_case_views(employer)},
    )


@portal_required
def change(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = portal_employer_get(request.user, employer_id)
    on_file = Employer.objects.get(pk=employer.pk)  # the form edits a copy
    form = portal_forms.ChangeProposalForm(request.POST or None, instance=on_file)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            change_propose(
                account=request.portal_account,
                employer=employer,
                values=values,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your change goes to the IV office for review; you "
                    "see its status on this page."
                ),
            )
            return redirect("portal:company", employer_id=employer.pk)
    return TemplateResponse(
        request, "cms/portal/change.html", {"employer": employer, "form": form}
    )


@portal_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(portal_proposals(request.user), pk=pk)
    rows = [
        (str(Employer._meta.get_field(name).verbose_name), change["old"], change["new"])
        for name, change in proposal.changes.items()
    ]
    return TemplateResponse(
        request, "cms/portal/proposal.html", {"proposal": proposal, "rows": rows}
    )


@portal_required
def colleagues(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = portal_employer_get(request.user, employer_id)
    form = portal_forms.ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_request_submit(
                uid="",
                employer=employer,
                proposed_by=request.portal_account,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. The IV office checks the request and then sends "
                    "your colleague an invitation."
                ),
            )
            return redirect("portal:colleagues", employer_id=employer.pk)
    roles = (
        EmployerRole.objects.filter(employer=employer, person__is_active=True)
        .select_related("person", "person__portal_account")
        .order_by("person__last_name", "person__first_name")
    )
    pending = employer.portal_access_requests.filter(status="pending").order_by(
        "created_at"
    )
    return TemplateResponse(
        request,
        "cms/portal/colleagues.html",
        {"employer": employer, "roles": roles, "pending": pending, "form": form},
    )


@portal_required
def request_new(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = portal_employer_get(request.user, employer_id)
    form = portal_forms.RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                created = request_submit(
                    employer=employer,
                    person=request.portal_account.person,
                    **form.cleaned_data,
                )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. We answer by %(date)s at the latest.")
                % {"date": created.due_on.strftime("%d.%m.%Y")},
            )
            return redirect("portal:request", pk=created.pk)
    return TemplateResponse(
        request, "cms/portal/request_form.html", {"employer": employer, "form": form}
    )


@portal_required
def requests_list(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "cms/portal/requests.html",
        {"requests": portal_requests(request.user).order_by("-received_at")},
    )


@portal_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        portal_requests(request.user).select_related("person"), pk=pk
    )
    return TemplateResponse(request, "cms/portal/request.html", {"item": item})


@portal_required
def opportunity_new(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = portal_employer_get(request.user, employer_id)
    form = portal_forms.OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = opportunity_report(
                employer=employer,
                person=request.portal_account.person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your IV contact will get in touch about it."),
            )
            return redirect("portal:opportunity", pk=created.pk)
    return TemplateResponse(
        request,
        "cms/portal/opportunity_form.html",
        {"employer": employer, "form": form},
    )


@portal_required
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(portal_opportunities(request.user), pk=pk)
    return TemplateResponse(request, "cms/portal/opportunity.html", {"item": item})

"""Staff UI: look an employer up, compare side by side, accept or dismiss.

Every view loads the employer through `visible_to(user)`: another office's employer
(and its suggestions) is a 404. Changes are POSTs, CSRF-protected by Django.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.widgets import Button
from wagtail.log_actions import log

from crm.models import Employer

from .client import uid_register_enabled
from .models import UidRegisterSuggestion
from .selectors import suggestion_comparison, suggestion_pending, suggestions_for
from .services import (
    uid_register_suggestion_accept,
    uid_register_suggestion_dismiss,
    uid_register_suggestion_fetch,
)

Status = UidRegisterSuggestion.Status


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _visible_employer(request: HttpRequest, pk: int) -> Employer:
    return get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)


def _suggestion(employer: Employer, suggestion_pk: int) -> UidRegisterSuggestion:
    return get_object_or_404(employer.uid_register_suggestions, pk=suggestion_pk)


def _review_url(employer: Employer) -> str:
    return reverse("uid_register_employer", args=[employer.pk])


def employer_uid_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer's UID register page: pending values side by side, past lookups."""
    _require(request, "crm.view_employer")
    employer = _visible_employer(request, pk)
    pending = suggestion_pending(employer)
    context = {
        "employer": employer,
        "enabled": uid_register_enabled(),
        "can_change": request.user.has_perm("crm.change_employer"),
        "pending": pending,
        "rows": suggestion_comparison(pending, employer) if pending else [],
        "suggestions": suggestions_for(employer),
    }
    return TemplateResponse(request, "uid_register/employer_uid_register.html", context)


@require_POST
def employer_uid_register_lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks the register now; the answer waits on the page for a decision."""
    _require(request, "crm.change_employer")
    employer = _visible_employer(request, pk)
    if not uid_register_enabled():
        messages.error(request, _gettext("The UID register is not configured."))
    elif not employer.uid:
        messages.error(request, _gettext("This employer has no UID to look up."))
    else:
        suggestion = uid_register_suggestion_fetch(employer=employer, by=request.user)
        if suggestion.status == Status.FAILED:
            messages.error(request, suggestion.error_message)
        elif suggestion.status == Status.MATCHING:
            messages.success(
                request, _gettext("The UID register agrees with this employer's data.")
            )
        else:
            messages.success(
                request,
                _gettext("The UID register answered. Compare and decide below."),
            )
    return redirect(_review_url(employer))


@require_POST
def suggestion_accept(
    request: HttpRequest, pk: int, suggestion_pk: int
) -> HttpResponse:
    _require(request, "crm.change_employer")
    employer = _visible_employer(request, pk)
    suggestion = _suggestion(employer, suggestion_pk)
    try:
        employer = uid_register_suggestion_accept(
            suggestion=suggestion,
            by=request.user,
            fields=request.POST.getlist("fields"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_review_url(employer))
    log(instance=employer, action="wagtail.edit", user=request.user)
    messages.success(
        request,
        _gettext("The UID register's values are now %(employer)s's data.")
        % {"employer": employer},
    )
    return redirect("crm_employer_overview", pk=employer.pk)


@require_POST
def suggestion_dismiss(
    request: HttpRequest, pk: int, suggestion_pk: int
) -> HttpResponse:
    _require(request, "crm.change_employer")
    employer = _visible_employer(request, pk)
    suggestion = _suggestion(employer, suggestion_pk)
    try:
        uid_register_suggestion_dismiss(suggestion=suggestion, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _gettext("Dismissed. The employer's data stays as it is.")
        )
    return redirect(_review_url(employer))


def employer_header_buttons(employer: Employer, user) -> list[Button]:
    """The "UID register" entry of the employer edit page's header menu."""
    if employer.pk is None or not user.has_perm("crm.view_employer"):
        return []
    if not uid_register_enabled() and suggestion_pending(employer) is None:
        return []
    return [
        Button(
            _("Look up in the UID register"),
            url=reverse("uid_register_employer", args=[employer.pk]),
            icon_name="search",
            priority=40,
        )
    ]

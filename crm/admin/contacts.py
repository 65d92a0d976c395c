"""Staff UI for contacts: the employer page (360°), logging a contact, follow-ups,
the dashboard panels and the follow-up digest setting.

The employer page is a custom view because no declarative viewset can show an
employer's whole history on one page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button, ListingButton

from ..case_selectors import employer_cases
from ..models import Channel, Employer, EmployerRole, StaffProfile
from ..querysets import user_office_id
from ..selectors import (
    employer_job_opportunities,
    employer_open_follow_ups,
    employer_quality_profile,
    employer_timeline,
    follow_ups_visible_to,
)
from ..services.contacts import contact_log, follow_up_complete
from . import contact_list  # noqa: F401  (registers the contacts list)
from .charts import quality_chart
from .contact_forms import ContactLogForm, EmployerSearchForm, FollowUpDigestForm
from .dashboard import (
    EmployersDuePanel,
    FollowUpsPanel,
    LogContactPanel,
    TeamContactsPanel,
)

TIMELINE_KINDS = {"case_related": True, "case_independent": False}


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _visible_employer(request: HttpRequest, pk: int) -> Employer:
    """The employer if the user's office sees it, else a 404 (no hint it exists)."""
    employers = Employer.objects.visible_to(request.user).select_related(
        "office", "fixed_contact", "deputy_contact", "parent"
    )
    return get_object_or_404(employers, pk=pk)


def _page_number(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


# --- The employer page --------------------------------------------------------


def employer_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Key facts, people, cooperation, quality, follow-ups and the timeline."""
    _require(request, "crm.view_employer")
    employer = _visible_employer(request, pk)
    kind = request.GET.get("kind", "")
    kind = kind if kind in TIMELINE_KINDS else ""
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    timeline = employer_timeline(
        employer,
        user=request.user,
        case_related=TIMELINE_KINDS.get(kind),
        channel=channel,
        page=_page_number(request.GET.get("page")),
    )
    filter_query = urlencode(
        [
            (name, value)
            for name, value in (("kind", kind), ("channel", channel))
            if value
        ]
    )
    context = {
        "employer": employer,
        "contact_status": employer.contact_status,
        "roles": EmployerRole.objects.filter(employer=employer)
        .select_related("person")
        .order_by("-is_fixed_contact", "person__last_name", "person__first_name"),
        "cooperation_history": employer.cooperation_history.select_related(
            "recorded_by"
        ),
        "follow_ups": employer_open_follow_ups(employer, user=request.user),
        "job_opportunities": employer_job_opportunities(employer, user=request.user),
        "cases": employer_cases(employer, user=request.user),
        "quality_chart": quality_chart(employer_quality_profile(employer)),
        "timeline": timeline,
        "kind": kind,
        "channel": channel,
        "channels": Channel.choices,
        "filter_query": filter_query,
        "can_log": request.user.has_perm("crm.add_contact"),
        "can_edit": request.user.has_perm("crm.change_employer"),
    }
    return TemplateResponse(request, "crm/employer_overview.html", context)


# --- Logging a contact --------------------------------------------------------


def _contact_office_id(request: HttpRequest, employer: Employer) -> int:
    return user_office_id(request.user) or employer.office_id


def contact_log_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Log contact" form; on success back to the employer page."""
    _require(request, "crm.add_contact")
    employer = _visible_employer(request, pk)
    form = ContactLogForm(
        request.POST if request.method == "POST" else None,
        employer=employer,
        user=request.user,
        office_id=_contact_office_id(request, employer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact_log(employer=employer, staff=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _gettext("Contact with %(employer)s logged.") % {"employer": employer},
            )
            return redirect("crm_employer_overview", pk=employer.pk)
    profile = StaffProfile.objects.filter(user=request.user).first()
    return TemplateResponse(
        request,
        "crm/contact_log.html",
        {"employer": employer, "form": form, "profile": profile},
    )


def contact_log_choose(request: HttpRequest) -> HttpResponse:
    """Step one from the dashboard or the menu: find the employer. One match goes
    straight to the form."""
    _require(request, "crm.add_contact")
    form = EmployerSearchForm(request.GET or None)
    form.fields["q"].widget.attrs["autofocus"] = True
    visible = Employer.objects.visible_to(request.user)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        employers = list(
            visible.filter(
                Q(legal_name__icontains=query)
                | Q(other_names__icontains=query)
                | Q(uid__icontains=query)
                | Q(municipality__icontains=query)
            ).order_by("legal_name")[:25]
        )
        if len(employers) == 1:
            return redirect("crm_contact_log", pk=employers[0].pk)
    else:
        employers = list(
            visible.filter(
                Q(fixed_contact=request.user) | Q(deputy_contact=request.user)
            ).order_by("legal_name")[:25]
        )
    return TemplateResponse(
        request,
        "crm/contact_log_choose.html",
        {"form": form, "query": query, "employers": employers},
    )


# --- Follow-ups and the digest setting ----------------------------------------


@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "crm.change_followup")
    follow_up = get_object_or_404(follow_ups_visible_to(request.user), pk=pk)
    follow_up_complete(follow_up=follow_up, done_by=request.user)
    messages.success(request, _gettext("Follow-up done."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("crm_employer_overview", args=[follow_up.employer_id])
    return redirect(target)


def my_settings(request: HttpRequest) -> HttpResponse:
    """Each staff member's own switch for the daily follow-up e-mail."""
    profile = get_object_or_404(StaffProfile, user=request.user)
    # An unticked box posts nothing: bind on POST even when the data is empty.
    data = request.POST if request.method == "POST" else None
    form = FollowUpDigestForm(data, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _gettext("Your settings are saved."))
        return redirect("crm_my_settings")
    return TemplateResponse(request, "crm/my_settings.html", {"form": form})


# --- Hooks --------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_contact_urls():
    return [
        path(
            "crm/employers/<int:pk>/overview/",
            employer_overview,
            name="crm_employer_overview",
        ),
        path(
            "crm/employers/<int:pk>/log-contact/",
            contact_log_view,
            name="crm_contact_log",
        ),
        path("crm/contacts/log/", contact_log_choose, name="crm_contact_log_choose"),
        path(
            "crm/follow-ups/<int:pk>/done/",
            follow_up_done,
            name="crm_follow_up_done",
        ),
        path("crm/my-settings/", my_settings, name="crm_my_settings"),
    ]


class LogContactMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("crm.add_contact")


@hooks.register("register_admin_menu_item")
def register_log_contact_menu_item():
    return LogContactMenuItem(
        _("Log a contact"),
        reverse("crm_contact_log_choose"),
        icon_name="comment",
        order=99,
    )


@hooks.register("register_account_menu_item")
def register_my_settings_menu_item(request):
    if not StaffProfile.objects.filter(user=request.user).exists():
        return None
    return {
        "url": reverse("crm_my_settings"),
        "label": _("Follow-up e-mail"),
        "help_text": _("Switch the daily e-mail with your follow-ups on or off."),
    }


@hooks.register("construct_homepage_panels")
def add_contact_panels(request, panels) -> None:
    if not request.user.has_perm("crm.view_contact"):
        return
    panels[:0] = [
        LogContactPanel(),
        FollowUpsPanel(),
        EmployersDuePanel(),
        TeamContactsPanel(),
    ]


@hooks.register("register_snippet_listing_buttons")
def employer_listing_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Employer):
        return []
    buttons = [
        ListingButton(
            _("Overview"),
            reverse("crm_employer_overview", args=[snippet.pk]),
            icon_name="view",
            priority=5,
        )
    ]
    if user.has_perm("crm.add_contact"):
        buttons.append(
            Button(
                _("Log contact"),
                reverse("crm_contact_log", args=[snippet.pk]),
                icon_name="comment",
                priority=6,
            )
        )
    return buttons

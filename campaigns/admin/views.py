"""Custom admin pages where a declarative viewset cannot serve: the segment's live
count, adding a subscriber with a legal basis, a newsletter's preview / test / send /
progress / results page, and an outreach campaign's work list."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from crm.admin.scoping import csv_cell_neutralise
from crm.models import LanguageRegion, SizeClass

from ..charts import grouped_bar_chart
from ..models import (
    Newsletter,
    NewsletterVersion,
    OutreachCampaign,
    OutreachTarget,
    Segment,
)
from ..selectors import (
    newsletter_progress,
    newsletter_results,
    segment_count,
    segment_preview,
)
from ..services import sending
from ..services.outreach import (
    call_sheet_rows,
    outreach_outcome_record,
    outreach_progress,
    outreach_targets_build,
)
from ..services.rendering import preview_html
from ..services.subscriptions import subscription_add_by_staff
from ..transport import SendFailure
from .forms import OfficeScopedForm, StaffSubscriptionForm


def _need(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


# --- Segments -------------------------------------------------------------------------


class _SegmentForm(OfficeScopedForm):
    class Meta:
        model = Segment
        exclude = ["created_at"]


@require_POST
def segment_count_view(request: HttpRequest) -> HttpResponse:
    """Count and first recipients of the segment as currently filled in (unsaved)."""
    _need(request, "campaigns.view_segment")
    form = _SegmentForm(request.POST, for_user=request.user)
    form.is_valid()  # count what is valid so far; errors are shown on save
    linked = ("include_segments", "exclude_segments")
    segment = Segment(**{k: v for k, v in form.cleaned_data.items() if k not in linked})
    if not segment.office_id:
        return JsonResponse({"persons": 0, "employers": 0, "preview": []})
    segment.draft_include = form.cleaned_data.get("include_segments")
    segment.draft_exclude = form.cleaned_data.get("exclude_segments")
    if segment.draft_include is None:
        segment.draft_include = Segment.objects.none()
    if segment.draft_exclude is None:
        segment.draft_exclude = Segment.objects.none()
    counts = segment_count(segment)
    return JsonResponse(
        {**counts, "preview": segment_preview(segment, limit=10)}, safe=False
    )


# --- Subscriptions --------------------------------------------------------------------


def subscription_add(request: HttpRequest) -> HttpResponse:
    _need(request, "campaigns.add_subscription")
    form = StaffSubscriptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            subscription_add_by_staff(staff=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The person is subscribed."))
            return redirect("wagtailsnippets_campaigns_subscription:list")
    return TemplateResponse(
        request, "campaigns/admin/subscription_add.html", {"form": form}
    )


# --- Newsletters ---------------------------------------------------------------------


def _newsletter(request: HttpRequest, pk: int) -> Newsletter:
    _need(request, "campaigns.view_newsletter")
    return get_object_or_404(Newsletter.objects.visible_to(request.user), pk=pk)


def newsletter_manage(request: HttpRequest, pk: int) -> HttpResponse:
    newsletter = _newsletter(request, pk)
    results = newsletter_results(newsletter)
    return TemplateResponse(
        request,
        "campaigns/admin/newsletter_manage.html",
        {
            "newsletter": newsletter,
            "versions": list(newsletter.versions.all()),
            "progress": newsletter_progress(newsletter),
            "results": results,
            "charts": _charts(results),
            "can_send": request.user.has_perm("campaigns.change_newsletter"),
        },
    )


def _charts(results: dict) -> list:
    """Opened, clicked and bounced (% of sent) per language region and size class."""
    labels = {
        "language_region": dict(LanguageRegion.choices),
        "size_class": dict(SizeClass.choices),
    }
    titles = {
        "language_region": _("Opened, clicked and bounced, by language region"),
        "size_class": _("Opened, clicked and bounced, by size class"),
    }
    series = [("opened", _("opened")), ("clicked", _("clicked")),
              ("bounced", _("bounced"))]  # fmt: skip
    charts = []
    for key, rows in results["splits"].items():
        groups = []
        for row in rows:
            label = str(labels[key].get(row["key"], row["key"] or _("unknown")))
            bars = []
            for name, _label in series:
                rate = 100 * row[name] / row["sent"] if row["sent"] else 0
                bars.append((rate, f"{rate:.0f} % ({row[name]}/{row['sent']})"))
            groups.append((label, bars))
        if groups:
            names = [str(label) for _name, label in series]
            charts.append(grouped_bar_chart(str(titles[key]), names, groups))
    return charts


@xframe_options_sameorigin
def newsletter_preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    newsletter = _newsletter(request, pk)
    version = get_object_or_404(newsletter.versions, language=language)
    name = request.user.get_full_name()
    return HttpResponse(
        preview_html(version, name=_("Hello %(name)s,") % {"name": name})
    )


def newsletter_progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(newsletter_progress(_newsletter(request, pk)))


@require_POST
def newsletter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    newsletter = _newsletter(request, pk)
    _need(request, "campaigns.change_newsletter")
    try:
        if action == "test":
            sending.newsletter_test_send(
                newsletter, language=request.POST.get("language", ""), user=request.user
            )
            messages.success(request, _("A test mail was sent to %(email)s.")
                             % {"email": request.user.email})  # fmt: skip
        elif action == "send":
            at = parse_datetime(request.POST.get("at", "") or "")
            if at is not None and timezone.is_naive(at):
                at = timezone.make_aware(at)
            sending.newsletter_send(newsletter, user=request.user, at=at)
            messages.success(request, _("The newsletter is being sent."))
        elif action == "pause":
            sending.newsletter_pause(newsletter)
        elif action == "resume":
            sending.newsletter_resume(newsletter)
        elif action == "cancel":
            sending.newsletter_cancel(newsletter)
        else:
            raise PermissionDenied
    except (ValidationError, NewsletterVersion.DoesNotExist) as e:
        messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
    except SendFailure as failure:
        messages.error(
            request, _("The test mail failed: %(error)s") % {"error": failure}
        )
    return redirect("campaigns_admin:newsletter", pk=newsletter.pk)


# --- Outreach ------------------------------------------------------------------------


def _campaign(request: HttpRequest, pk: int) -> OutreachCampaign:
    _need(request, "campaigns.view_outreachcampaign")
    return get_object_or_404(OutreachCampaign.objects.visible_to(request.user), pk=pk)


WORK_LIST_PAGE = 100


def outreach_manage(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    mine = request.GET.get("mine") == "1"
    targets = campaign.targets.select_related("employer", "person", "assignee")
    if mine:
        targets = targets.filter(assignee=request.user)
    page = Paginator(
        targets.order_by("employer__legal_name", "pk"), WORK_LIST_PAGE
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "campaigns/admin/outreach_manage.html",
        {
            "campaign": campaign,
            "targets": page,
            "page": page,
            "mine": mine,
            "progress": outreach_progress(campaign),
            "outcomes": [
                choice
                for choice in OutreachTarget.Status.choices
                if choice[0] != "open"
            ],
            "statuses": OutreachTarget.Status.choices,
        },
    )


@require_POST
def outreach_build(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _need(request, "campaigns.change_outreachcampaign")
    try:
        added = outreach_targets_build(campaign)
        messages.success(request, _("%(count)d employers added.") % {"count": added})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("campaigns_admin:outreach", pk=pk)


@require_POST
def outreach_outcome(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _need(request, "campaigns.change_outreachtarget")
    target = get_object_or_404(campaign.targets, pk=target_pk)
    try:
        outreach_outcome_record(
            target, status=request.POST.get("status", ""), staff=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(employer)s: %(status)s, logged as a contact.")
            % {"employer": target.employer, "status": target.get_status_display()},
        )
    url = reverse("campaigns_admin:outreach", args=[pk])
    query = urlencode(
        {key: request.POST[key] for key in ("mine", "page") if request.POST.get(key)}
    )
    return redirect(url + (f"?{query}" if query else ""))


def outreach_call_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="call-sheet-{pk}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    assignee = request.user if request.GET.get("mine") == "1" else None
    # A cell starting with = + - @ would run as a formula in a spreadsheet (OWASP
    # CSV injection): the CRM exports' neutraliser puts a ' before it.
    csv.writer(response, delimiter=";").writerows(
        [csv_cell_neutralise(cell) for cell in row]
        for row in call_sheet_rows(campaign, assignee)
    )
    return response

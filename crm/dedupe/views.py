"""The review queue in the Wagtail admin: open pairs, the two records side by side,
merge or dismiss; the merges of the last 30 days with undo.

Every object is fetched through the person's office scope; anything outside it is
a 404, as if it did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.models import Office
from crm.querysets import sees_all_offices, user_office_id

from .models import DuplicateCandidate, Kind
from .selectors import (
    attached_counts,
    candidate_list,
    candidate_records,
    comparison_rows,
    merge_list,
    records_visible,
)
from .services import MergeError, contact_person_merge, employer_merge, merge_undo
from .services.merge import MERGE_PERMISSION, merge_allowed, moved_summary
from .tasks import duplicate_scan_task

VIEW_PERMISSION = "crm.view_employer"
PER_PAGE = 50


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def record_url(kind: str, pk: int) -> str:
    if kind == Kind.EMPLOYER:
        return reverse("crm_employer_overview", args=[pk])
    return reverse("wagtailsnippets_crm_contactperson:edit", args=[pk])


def queue(request: HttpRequest) -> HttpResponse:
    """Open pairs, best score first."""
    _require(request, VIEW_PERMISSION)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    candidates = candidate_list(request.user, kind=kind)
    page = Paginator(candidates, PER_PAGE).get_page(request.GET.get("p"))
    context = {
        "rows": candidate_records(page.object_list, request.user),
        "page": page,
        "kind": kind,
        "kinds": Kind.choices,
        "can_merge": request.user.has_perm(MERGE_PERMISSION),
        "offices": Office.objects.all() if sees_all_offices(request.user) else [],
    }
    return TemplateResponse(request, "dedupe/queue.html", context)


@require_POST
def scan(request: HttpRequest) -> HttpResponse:
    """Starts a scan of the person's office in the background."""
    _require(request, MERGE_PERMISSION)
    office_id = user_office_id(request.user)
    if sees_all_offices(request.user):
        office_id = request.POST.get("office") or office_id
    office = get_object_or_404(Office, pk=office_id) if office_id else None
    if office is None:
        raise Http404
    transaction.on_commit(lambda: duplicate_scan_task.delay(office.pk))
    messages.success(
        request,
        _("The duplicate scan of %(office)s has started; new pairs appear here.")
        % {"office": office},
    )
    return redirect("dedupe_queue")


def _candidate(request: HttpRequest, pk: int):
    candidate = get_object_or_404(
        DuplicateCandidate.objects.visible_to(request.user), pk=pk
    )
    records = records_visible(
        request.user, candidate.kind, [candidate.low_id, candidate.high_id]
    )
    if len(records) != 2:
        raise Http404
    return candidate, records[candidate.low_id], records[candidate.high_id]


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Both records side by side; choose the survivor and the values it takes."""
    _require(request, VIEW_PERMISSION)
    candidate, left, right = _candidate(request, pk)
    if request.method == "POST":
        return _decide(request, candidate, left, right)
    context = {
        "candidate": candidate,
        "left": left,
        "right": right,
        "left_url": record_url(candidate.kind, left.pk),
        "right_url": record_url(candidate.kind, right.pk),
        "rows": comparison_rows(left, right),
        "counts": attached_counts(left, right),
        "can_merge": candidate.status == DuplicateCandidate.Status.OPEN
        and merge_allowed(request.user, candidate.office_id),
    }
    return TemplateResponse(request, "dedupe/compare.html", context)


def _decide(request: HttpRequest, candidate, left, right) -> HttpResponse:
    if not merge_allowed(request.user, candidate.office_id):
        raise PermissionDenied
    if candidate.status != DuplicateCandidate.Status.OPEN:
        messages.error(request, _("This pair has been decided already."))
        return redirect("dedupe_queue")
    if request.POST.get("action") == "dismiss":
        candidate.status = DuplicateCandidate.Status.DISMISSED
        candidate.decided_at, candidate.decided_by = timezone.now(), request.user
        candidate.save(update_fields=["status", "decided_at", "decided_by"])
        messages.success(request, _("Marked as not a duplicate."))
        return redirect("dedupe_queue")
    keep = request.POST.get("survivor")
    if keep not in ("left", "right"):
        messages.error(request, _("Choose the record to keep."))
        return redirect("dedupe_compare", pk=candidate.pk)
    survivor, duplicate = (left, right) if keep == "left" else (right, left)
    merge_service = (
        employer_merge if candidate.kind == Kind.EMPLOYER else contact_person_merge
    )
    try:
        merge = merge_service(
            survivor=survivor,
            duplicate=duplicate,
            staff=request.user,
            field_values=request.POST.getlist("take"),
            candidate=candidate,
        )
    except MergeError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("dedupe_compare", pk=candidate.pk)
    messages.success(
        request,
        _("%(duplicate)s was merged into %(survivor)s. You can undo this for 30 days.")
        % {"duplicate": merge.duplicate_label, "survivor": merge.survivor_label},
    )
    return redirect(record_url(candidate.kind, survivor.pk))


def merges(request: HttpRequest) -> HttpResponse:
    """Merges of the office, newest first, with undo while it is possible."""
    _require(request, VIEW_PERMISSION)
    page = Paginator(merge_list(request.user), PER_PAGE).get_page(request.GET.get("p"))
    rows = [
        (merge, list(moved_summary(merge)), record_url(merge.kind, merge.survivor_id))
        for merge in page.object_list
    ]
    context = {
        "rows": rows,
        "page": page,
        "can_merge": request.user.has_perm(MERGE_PERMISSION),
    }
    return TemplateResponse(request, "dedupe/merges.html", context)


@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, MERGE_PERMISSION)
    merge = get_object_or_404(merge_list(request.user), pk=pk)
    try:
        restored = merge_undo(merge=merge, staff=request.user)
    except MergeError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("dedupe_merges")
    messages.success(
        request,
        _("The merge is undone: %(record)s is back with its records.")
        % {"record": restored},
    )
    return redirect(record_url(merge.kind, restored.pk))

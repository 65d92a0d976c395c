"""Staff review of the portal: proposed changes (with a diff), access requests and
colleague proposals, invitations. Every object loads through the staff member's
office scope (`visible_to`), so a forged id is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from crm.models import ContactPerson, Employer, EmployerRole

from ..models import AccessRequest, ChangeProposal, PortalAccount, ReviewStatus
from ..portal.services import (
    access_request_approve,
    access_request_reject,
    change_approve,
    change_reject,
    invitation_send,
)


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the employer (when declining)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _queue(queryset):
    """Pending first (oldest on top), then the latest reviewed ones."""
    pending = list(queryset.pending().select_related("employer").order_by("created_at"))
    done = list(
        queryset.exclude(status=ReviewStatus.PENDING)
        .select_related("employer", "reviewed_by")
        .order_by("-reviewed_at")[:20]
    )
    return pending, done


# --- Proposed changes --------------------------------------------------------------


def proposal_list(request: HttpRequest) -> HttpResponse:
    _require(request, "cms.view_changeproposal")
    pending, done = _queue(ChangeProposal.objects.visible_to(request.user))
    return TemplateResponse(
        request, "cms/admin/proposal_list.html", {"pending": pending, "done": done}
    )


def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "cms.view_changeproposal")
    proposal = get_object_or_404(
        ChangeProposal.objects.visible_to(request.user).select_related(
            "employer", "proposed_by__person"
        ),
        pk=pk,
    )
    employer = proposal.employer
    rows = []
    for name, change in proposal.changes.items():
        field = Employer._meta.get_field(name)
        current = getattr(employer, name)
        rows.append(
            {
                "label": field.verbose_name,
                "old": change["old"],
                "current": "" if current is None else str(current),
                "new": change["new"],
            }
        )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _require(request, "cms.change_changeproposal")
        try:
            if request.POST.get("action") == "approve":
                change_approve(proposal=proposal, staff=request.user)
                messages.success(
                    request,
                    _("%(employer)s updated; the contact is on the timeline.")
                    % {"employer": employer},
                )
            else:
                change_reject(
                    proposal=proposal,
                    staff=request.user,
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Change declined."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("cms_proposal_list")
    return TemplateResponse(
        request,
        "cms/admin/proposal_review.html",
        {"proposal": proposal, "rows": rows, "form": form},
    )


# --- Access requests and colleagues ------------------------------------------------


def access_list(request: HttpRequest) -> HttpResponse:
    _require(request, "cms.view_accessrequest")
    pending, done = _queue(AccessRequest.objects.visible_to(request.user))
    return TemplateResponse(
        request, "cms/admin/access_list.html", {"pending": pending, "done": done}
    )


def access_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "cms.view_accessrequest")
    item = get_object_or_404(
        AccessRequest.objects.visible_to(request.user).select_related(
            "employer", "proposed_by__person"
        ),
        pk=pk,
    )
    known = ContactPerson.objects.filter(
        roles__employer=item.employer, email__iexact=item.email
    ).first()
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _require(request, "cms.change_accessrequest")
        try:
            if request.POST.get("action") == "approve":
                access_request_approve(access_request=item, staff=request.user)
                messages.success(
                    request,
                    _("Approved: the invitation is on its way to %(email)s.")
                    % {"email": item.email},
                )
            else:
                access_request_reject(
                    access_request=item,
                    staff=request.user,
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Request declined."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("cms_access_list")
    return TemplateResponse(
        request,
        "cms/admin/access_review.html",
        {"item": item, "known": known, "form": form},
    )


# --- Invitations -------------------------------------------------------------------


def invite(request: HttpRequest, employer_id: int) -> HttpResponse:
    """Invite one of the employer's contact persons (opened from the employer list)."""
    _require(request, "cms.add_portalinvitation")
    employer = get_object_or_404(
        Employer.objects.visible_to(request.user), pk=employer_id
    )
    roles = (
        EmployerRole.objects.filter(employer=employer, person__is_active=True)
        .select_related("person")
        .order_by("person__last_name")
    )
    with_account = set(
        PortalAccount.objects.filter(person__roles__employer=employer).values_list(
            "person_id", flat=True
        )
    )
    choices = [
        (role.person_id, f"{role.person} <{role.person.email or '–'}>")
        for role in roles
        if role.person_id not in with_account
    ]
    form_class = type(
        "InviteForm",
        (forms.Form,),
        {
            "person": forms.TypedChoiceField(
                label=_("contact person"), choices=choices, coerce=int
            ),
            "email": forms.EmailField(label=_("e-mail (if different)"), required=False),
        },
    )
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = ContactPerson.objects.get(pk=form.cleaned_data["person"])
        try:
            invitation_send(
                person=person,
                employer=employer,
                email=form.cleaned_data["email"],
                invited_by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Invitation sent to %(person)s.") % {"person": person}
            )
            return redirect("crm_employer_overview", pk=employer.pk)
    return TemplateResponse(
        request,
        "cms/admin/invite.html",
        {"employer": employer, "form": form, "with_account": len(with_account)},
    )

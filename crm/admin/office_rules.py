"""Settings → Office rules: the office head sets their own office's rules (decision
limit, reaction-time targets, duration rules, windows), nothing else of the office
and no other office's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import log

from ..models import Office
from ..querysets import user_office_id
from ..services.offices import (
    RULES_PERMISSION,
    office_rules_editable_by,
    office_rules_update,
)


class OfficeRulesForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = Office.RULE_FIELDS


def office_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the office's rules, POST saves them through `office_rules_update`.
    Another office's rules are not found (404), as for every scoped record."""
    if not request.user.has_perm(RULES_PERMISSION):
        raise PermissionDenied
    office = get_object_or_404(Office, pk=pk)
    if not office_rules_editable_by(request.user, office):
        raise Http404
    form = OfficeRulesForm(request.POST or None, instance=office)
    if request.method == "POST" and form.is_valid():
        saved = office_rules_update(
            office=Office.objects.get(pk=office.pk),
            staff=request.user,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        log(instance=saved, action="wagtail.edit", content_changed=True)
        messages.success(request, gettext("The office's rules are saved."))
        return redirect("crm_office_rules", pk=office.pk)
    return TemplateResponse(
        request, "crm/office_rules.html", {"office": office, "form": form}
    )


def own_office_rules(request: HttpRequest) -> HttpResponse:
    office_id = user_office_id(request.user)
    if office_id is None or not request.user.has_perm(RULES_PERMISSION):
        raise PermissionDenied
    return redirect("crm_office_rules", pk=office_id)


@hooks.register("register_admin_urls")
def register_office_rules_urls():
    return [
        path("crm/office-rules/", own_office_rules, name="crm_own_office_rules"),
        path("crm/offices/<int:pk>/rules/", office_rules, name="crm_office_rules"),
    ]


class OfficeRulesMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return (
            request.user.has_perm(RULES_PERMISSION)
            and user_office_id(request.user) is not None
        )


@hooks.register("register_settings_menu_item")
def register_office_rules_menu_item():
    return OfficeRulesMenuItem(
        _("Office rules"), reverse("crm_own_office_rules"), icon_name="cog", order=310
    )

"""Who changed what on an employer: field-level history from django-simple-history."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import ListingButton

from ..models import Employer

MAX_VERSIONS = 200


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Version:
    when: object
    who: object
    kind: str
    changes: list[FieldChange]


def _display(employer_model, field_name: str, value) -> str:
    field = employer_model._meta.get_field(field_name)
    if value in (None, ""):
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def employer_versions(employer: Employer) -> list[Version]:
    records = list(
        employer.history.select_related("history_user").order_by("-history_date")[
            : MAX_VERSIONS + 1
        ]
    )
    versions = []
    for record, previous in zip(records, records[1:] + [None], strict=False):
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                label = Employer._meta.get_field(change.field).verbose_name
                changes.append(
                    FieldChange(
                        label=str(label),
                        old=_display(Employer, change.field, change.old),
                        new=_display(Employer, change.field, change.new),
                    )
                )
        versions.append(
            Version(
                when=record.history_date,
                who=record.history_user,
                kind=record.get_history_type_display(),
                changes=changes,
            )
        )
    return versions[:MAX_VERSIONS]


def employer_changes(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)
    return TemplateResponse(
        request,
        "crm/employer_changes.html",
        {"employer": employer, "versions": employer_versions(employer)},
    )


@hooks.register("register_admin_urls")
def register_changes_url():
    return [
        path(
            "crm/employers/<int:pk>/changes/",
            employer_changes,
            name="crm_employer_changes",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def employer_listing_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Employer):
        return []
    return [
        ListingButton(
            _("Overview"),
            reverse("crm_employer_overview", args=[snippet.pk]),
            icon_name="view",
            priority=5,
        ),
        ListingButton(
            _("Changes"),
            reverse("crm_employer_changes", args=[snippet.pk]),
            icon_name="history",
            priority=90,
        ),
    ]

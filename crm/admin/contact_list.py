"""A read-only list of the office's contacts, filterable; each row leads to the
employer page. Contacts are written only through "Log contact" (`contact_log`)."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import Channel, Contact, InitiatedBy


class ContactFilterSet(WagtailFilterSet):
    occurred_on = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )
    channel = django_filters.MultipleChoiceFilter(
        label=_("Channel"), choices=Channel.choices
    )
    case_related = django_filters.BooleanFilter(label=_("Case-related"))
    initiated_by = django_filters.MultipleChoiceFilter(
        label=_("Initiated by"), choices=InitiatedBy.choices
    )

    class Meta:
        model = Contact
        fields = ["occurred_on", "channel", "case_related", "initiated_by"]


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing only: adding goes through "Log contact", which validates everything."""

    def user_has_permission(self, user, action) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


class ContactIndexView(IndexView):
    def get_base_queryset(self):
        return (
            Contact.objects.visible_to(self.request.user)
            .select_related("employer", "staff")
            .order_by("-occurred_on", "-created_at")
        )

    def get_edit_url(self, instance) -> str:
        # The first column (the employer) leads to the employer page.
        return reverse("crm_employer_overview", args=[instance.employer_id])

    def get_list_more_buttons(self, instance) -> list:
        return []

    @property
    def header_buttons(self) -> list:
        return [
            HeaderButton(
                _("Log a contact"),
                url=reverse("crm_contact_log_choose"),
                icon_name="comment",
            )
        ]


class ContactViewSet(ModelViewSet):
    model = Contact
    name = "crm_contacts"
    url_prefix = "crm/contacts"
    icon = "comment"
    menu_label = _("Contacts")
    menu_order = 98
    add_to_admin_menu = True
    index_view_class = ContactIndexView
    list_display = [
        "employer",
        "occurred_on",
        "channel",
        BooleanColumn("case_related", label=_("Case-related")),
        Column(
            "staff",
            label=_("Staff member"),
            accessor=lambda contact: (
                contact.staff.get_full_name() or contact.staff.get_username()
            ),
        ),
    ]
    filterset_class = ContactFilterSet
    search_fields = ["employer__legal_name"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["occurred_on"]  # required by ModelViewSet; no one may edit

    @property
    def permission_policy(self) -> ReadOnlyPermissionPolicy:
        return ReadOnlyPermissionPolicy(self.model)


@hooks.register("register_admin_viewset")
def register_contact_viewset():
    return ContactViewSet()

"""Registers the portal's staff UI, the translation report and the staff cards."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from crm.models import Employer

from .admin import portal as portal_views
from .admin.requests import JobOpportunityViewSet, RequestViewSet
from .admin.translations import missing_translations
from .models import StaffCard


class StaffCardViewSet(SnippetViewSet):
    model = StaffCard
    icon = "user"
    menu_label = _("Staff contact cards")
    menu_order = 50
    list_display = ["user", "job_title", "phone"]
    copy_view_enabled = False


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request) -> bool:
        return request.user.has_perm(self.permission)


class PortalGroup(SnippetViewSetGroup):
    menu_label = _("Employer portal")
    menu_icon = "globe"
    menu_order = 150
    items = (RequestViewSet, JobOpportunityViewSet, StaffCardViewSet)

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            PermissionMenuItem(
                _("Proposed changes"),
                reverse("cms_proposal_list"),
                icon_name="edit",
                order=30,
                permission="cms.view_changeproposal",
            ),
            PermissionMenuItem(
                _("Access requests"),
                reverse("cms_access_list"),
                icon_name="user",
                order=40,
                permission="cms.view_accessrequest",
            ),
        ]


register_snippet(PortalGroup)


@hooks.register("register_admin_urls")
def register_portal_admin_urls():
    return [
        path("portal/changes/", portal_views.proposal_list, name="cms_proposal_list"),
        path(
            "portal/changes/<int:pk>/",
            portal_views.proposal_review,
            name="cms_proposal_review",
        ),
        path("portal/access/", portal_views.access_list, name="cms_access_list"),
        path(
            "portal/access/<int:pk>/",
            portal_views.access_review,
            name="cms_access_review",
        ),
        path(
            "portal/invite/<int:employer_id>/",
            portal_views.invite,
            name="cms_portal_invite",
        ),
        path(
            "reports/missing-translations/",
            missing_translations,
            name="cms_missing_translations",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_missing_translations_report():
    return MenuItem(
        _("Pages lacking a translation"),
        reverse("cms_missing_translations"),
        icon_name="globe",
        order=700,
    )


@hooks.register("register_snippet_listing_buttons")
def employer_invite_button(snippet, user, next_url=None):
    if isinstance(snippet, Employer) and user.has_perm("cms.add_portalinvitation"):
        yield ListingButton(
            _("Invite to the portal"),
            reverse("cms_portal_invite", args=[snippet.pk]),
            icon_name="mail",
            priority=30,
        )

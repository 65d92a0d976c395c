from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_dedupe_urls():
    return [
        path("duplicates/", views.queue, name="dedupe_queue"),
        path("duplicates/scan/", views.scan, name="dedupe_scan"),
        path("duplicates/<int:pk>/", views.compare, name="dedupe_compare"),
        path("duplicates/merges/", views.merges, name="dedupe_merges"),
        path("duplicates/merges/<int:pk>/undo/", views.undo, name="dedupe_undo"),
    ]


class DuplicatesMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(views.VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item():
    return DuplicatesMenuItem(
        _("Duplicates"), reverse("dedupe_queue"), icon_name="resubmit", order=105
    )

"""Registers the UID register's admin URLs and its button in the employer listing."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from crm.models import Employer

from . import views
from .client import uid_register_enabled


@hooks.register("register_admin_urls")
def register_uid_register_urls():
    return [
        path(
            "crm/employers/<int:pk>/uid-register/",
            views.employer_uid_register,
            name="uid_register_employer",
        ),
        path(
            "crm/employers/<int:pk>/uid-register/lookup/",
            views.employer_uid_register_lookup,
            name="uid_register_lookup",
        ),
        path(
            "crm/employers/<int:pk>/uid-register/<int:suggestion_pk>/accept/",
            views.suggestion_accept,
            name="uid_register_accept",
        ),
        path(
            "crm/employers/<int:pk>/uid-register/<int:suggestion_pk>/dismiss/",
            views.suggestion_dismiss,
            name="uid_register_dismiss",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def uid_register_listing_button(snippet, user, next_url=None):
    if not isinstance(snippet, Employer) or not uid_register_enabled():
        return []
    return [
        ListingButton(
            _("UID register"),
            reverse("uid_register_employer", args=[snippet.pk]),
            icon_name="search",
            priority=80,
        )
    ]

"""Who may do what through the API, and for which office.

A token acts for its office; a read-only token may only read. A staff member signed
in to the admin acts for their own office with the permissions of their role.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from crm.models import Office
from crm.querysets import user_office_id

from .models import ApiToken

PERMS_MAP = {
    "GET": ["%(app_label)s.view_%(model_name)s"],
    "OPTIONS": [],
    "HEAD": ["%(app_label)s.view_%(model_name)s"],
    "POST": ["%(app_label)s.add_%(model_name)s"],
    "PUT": ["%(app_label)s.change_%(model_name)s"],
    "PATCH": ["%(app_label)s.change_%(model_name)s"],
    "DELETE": ["%(app_label)s.delete_%(model_name)s"],
}


def request_token(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def request_office_id(request: Request) -> int | None:
    """The one office this call acts for; None when it acts for none."""
    token = request_token(request)
    if token is not None:
        return token.office_id
    return user_office_id(request.user)


def request_office(request: Request) -> Office | None:
    token = request_token(request)
    if token is not None:
        return token.office
    office_id = request_office_id(request)
    return Office.objects.get(pk=office_id) if office_id is not None else None


class OfficeApiPermission(permissions.BasePermission):
    """Tokens: writes only when not read-only. Sessions: the staff member's role,
    and only with an office (the API is always about one office)."""

    message = _("This token may only read.")

    def has_permission(self, request: Request, view) -> bool:
        token = request_token(request)
        if token is not None:
            return request.method in permissions.SAFE_METHODS or not token.read_only
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user_office_id(user) is None:
            self.message = _("The API is for staff of an office.")
            return False
        model = view.get_queryset().model
        perms = [
            perm
            % {"app_label": model._meta.app_label, "model_name": model._meta.model_name}
            for perm in PERMS_MAP.get(request.method, [])
        ]
        self.message = _("Your role does not allow this.")
        return user.has_perms(perms)

"""`Authorization: Bearer <token>`: who is calling, and for which office.

A token authenticates as an `ApiClient`, not as a staff user: it acts for its office
only. Staff signed in to the admin may also call the API with their session (for
the docs page); DRF's SessionAuthentication then insists on the CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions

from .models import ApiToken, token_hash
from .services import api_token_mark_used


@dataclass
class ApiClient:
    """`request.user` for token calls: enough of a user for DRF, and no more."""

    token: ApiToken
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def pk(self) -> str:
        return f"token:{self.token.pk}"

    def has_perm(self, perm: str, obj=None) -> bool:
        return False

    def __str__(self) -> str:
        return str(self.token)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as 'Authorization: Bearer <token>'.")
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        token = (
            ApiToken.objects.select_related("office")
            .filter(key_hash=token_hash(raw))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if not token.is_usable():
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        api_token_mark_used(token)
        return ApiClient(token=token), token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) with a WWW-Authenticate challenge.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The bearer security scheme in /api/v1/openapi.json."""

    target_class = "integrations.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="AUTHORIZATION", token_prefix=self.target.keyword
        )

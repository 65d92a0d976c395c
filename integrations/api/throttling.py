"""Rate limits per token (or per signed-in staff member), from settings.

`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]`, read from `API_RATE_LIMIT`
(default 600/min). The rate is looked up on every request, so a changed setting
applies without a restart of the class.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .permissions import request_token


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        token = request_token(request)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

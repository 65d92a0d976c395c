"""django-anymail's webhook URLs (/anymail/<provider>/…), each behind a guard that
refuses every request while no secret for that provider is configured.

Left to itself, anymail accepts unsigned webhooks when nothing is configured (it
only logs a warning), and a forged "bounce" would put any address on the
suppression list. So a provider's webhook answers only when anymail can check its
requests: with the shared basic-auth `WEBHOOK_SECRET` (every provider), or with the
provider's own signing key (`webhooks.SIGNING_SETTINGS`).
"""

from anymail import urls as anymail_urls
from django.urls.resolvers import URLPattern

from .webhooks import webhook_guard

app_name = "anymail"  # reverse("anymail:…") keeps working

urlpatterns = [
    URLPattern(pattern.pattern, webhook_guard(pattern.callback), name=pattern.name)
    for pattern in anymail_urls.urlpatterns
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting plumbing: health check, worker heartbeat, 2FA, benchmarks."""

    name = "core"
    verbose_name = _("System")

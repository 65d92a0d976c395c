from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The public Wagtail site (and, later, the employer portal)."""

    name = "cms"
    verbose_name = _("Website")

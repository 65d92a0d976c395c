from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UidRegisterConfig(AppConfig):
    name = "integrations.uid_register"
    label = "uid_register"
    verbose_name = _("UID register")

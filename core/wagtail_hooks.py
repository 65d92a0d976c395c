from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import twofactor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("2fa/verify/", twofactor.verify, name="core_2fa_verify"),
        path("2fa/setup/", twofactor.setup, name="core_2fa_setup"),
    ]


@hooks.register("register_settings_menu_item")
def register_two_factor_menu_item():
    return MenuItem(
        _("Two-factor login"), reverse("core_2fa_setup"), icon_name="key", order=900
    )

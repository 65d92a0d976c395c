"""Registers the import pages and puts "Import" into the CRM menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import urls, views

CRM_MENU = "crm"  # the name of the CRM group's menu item (crm/admin/employers.py)


@hooks.register("register_admin_urls")
def register_import_urls():
    return urls.urlpatterns


class ImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.may_use(request.user)


def import_menu_item() -> ImportMenuItem:
    return ImportMenuItem(
        _("Import"),
        reverse("imports_index"),
        name="import",
        icon_name="upload",
        order=50,
    )


@hooks.register("construct_main_menu")
def add_import_to_crm_menu(request, menu_items) -> None:
    """The CRM group belongs to crm/admin: its submenu gets "Import" per request
    (a copy, so the shared menu object stays as it is)."""
    item = import_menu_item()
    if not item.is_shown(request):
        return
    for index, crm in enumerate(menu_items):
        if crm.name == CRM_MENU and isinstance(crm, SubmenuMenuItem):
            menu = Menu(items=[*crm.menu.registered_menu_items, item])
            menu_items[index] = SubmenuMenuItem(
                crm.label,
                menu,
                name=crm.name,
                icon_name=crm.icon_name,
                classname=crm.classname,
                attrs=crm.attrs,
                order=crm.order,
            )
            return
    menu_items.append(item)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    """Offices, staff, employers, contact persons and every contact with them."""

    name = "crm"
    verbose_name = _("CRM")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .admin.chooser_texts import snippet_chooser_texts_lazy
        from .case_selectors import register_case_timeline_sources
        from .roles import roles_sync_groups

        register_case_timeline_sources()
        snippet_chooser_texts_lazy()

        # Role groups and their permissions are code, not data: keep them in step.
        post_migrate.connect(roles_sync_groups, sender=self)

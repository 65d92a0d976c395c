from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupeConfig(AppConfig):
    """Duplicate candidates of employers and contact persons, merges and undo."""

    name = "crm.dedupe"
    label = "dedupe"
    verbose_name = _("Duplicates")

    def ready(self) -> None:
        from crm.selectors import timeline_source_register

        from .timeline import MergeTimelineSource

        timeline_source_register(MergeTimelineSource())

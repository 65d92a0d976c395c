from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """Lists and consent, segments, newsletters and their deliveries, outreach."""

    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from crm.selectors import timeline_source_register

        from . import webhooks  # noqa: F401  (connects anymail's tracking signal)
        from .roles import campaign_roles_register, campaign_roles_sync
        from .selectors import MailingTimelineSource

        # Opens and clicks appear on the employer's timeline (crm.selectors).
        timeline_source_register(MailingTimelineSource())
        # Campaign permissions join crm.roles' table; groups are synced after
        # this app's permissions exist.
        campaign_roles_register()
        post_migrate.connect(campaign_roles_sync, sender=self)

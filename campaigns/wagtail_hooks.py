from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet

from .admin.viewsets import CampaignsGroup
from .models import Newsletter, OutreachCampaign

register_snippet(CampaignsGroup)


@hooks.register("register_admin_urls")
def register_campaign_urls():
    return [path("campaigns/", include("campaigns.admin.urls"))]


@hooks.register("register_snippet_listing_buttons")
def campaign_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Newsletter):
        yield Button(
            _("Preview, test and send"),
            reverse("campaigns_admin:newsletter", args=[snippet.pk]),
            icon_name="mail",
            priority=5,
        )
    if isinstance(snippet, OutreachCampaign):
        yield Button(
            _("Work list"),
            reverse("campaigns_admin:outreach", args=[snippet.pk]),
            icon_name="list-ul",
            priority=5,
        )

"""Declarative viewsets (snippets), office-scoped as in crm/admin/scoping.py."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    Panel,
)
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from crm.admin.scoping import scoped_view_classes

from ..models import (
    MailingList,
    MailSettings,
    Newsletter,
    OutreachCampaign,
    Segment,
    Subscription,
    Suppression,
)
from .forms import OfficeScopedForm

_SCOPED = scoped_view_classes()


def _scoped(cls):
    for name, view_class in _SCOPED.items():
        setattr(cls, name, view_class)
    cls.copy_view_enabled = False
    return cls


@_scoped
class MailSettingsViewSet(SnippetViewSet):
    model = MailSettings
    icon = "cog"
    menu_label = _("Sender and throttle")
    list_display = ["office", "sender_name", "sender_email", "messages_per_minute"]
    edit_handler = ObjectList(
        [
            FieldPanel("office"),
            FieldRowPanel([FieldPanel("sender_name"), FieldPanel("sender_email")]),
            FieldPanel("postal_address"),
            FieldRowPanel([FieldPanel("reply_to"), FieldPanel("bounce_email")]),
            FieldPanel("messages_per_minute"),
        ],
        base_form_class=OfficeScopedForm,
    )


@_scoped
class MailingListViewSet(SnippetViewSet):
    model = MailingList
    icon = "list-ul"
    menu_label = _("Lists")
    list_display = ["name", "office", "slug", "is_public"]
    edit_handler = ObjectList(
        [
            FieldPanel("office"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
            FieldPanel("description"),
            FieldRowPanel(
                [FieldPanel("consent_text"), FieldPanel("consent_text_version")]
            ),
            FieldPanel("is_public"),
        ],
        base_form_class=OfficeScopedForm,
    )


@_scoped
class SubscriptionViewSet(SnippetViewSet):
    """Read and search; staff add people through 'Add a subscriber' (legal basis)."""

    model = Subscription
    icon = "user"
    menu_label = _("Subscriptions")
    list_display = [
        "email",
        "mailing_list",
        "language",
        "status",
        "source",
        "confirmed_at",
    ]
    list_filter = ["mailing_list", "status", "source", "language"]
    search_fields = ["email", "last_name"]
    list_export = ["email", "mailing_list", "language", "status", "source",
                   "legal_basis", "consent_text_version", "requested_at",
                   "confirmed_at"]  # fmt: skip
    inspect_view_enabled = True
    # Staff add subscribers through the service (legal basis required), not the
    # generic create form.


class SubscriptionAddRedirect(RedirectView):
    url = reverse_lazy("campaigns_admin:subscription_add")


SubscriptionViewSet.add_view_class = SubscriptionAddRedirect


@_scoped
class SuppressionViewSet(SnippetViewSet):
    model = Suppression
    icon = "warning"
    menu_label = _("Suppression list")
    list_display = ["email", "reason", "mailing_list", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    edit_handler = ObjectList(
        [
            FieldPanel("office"),
            FieldPanel("email"),
            FieldPanel("mailing_list"),
            FieldPanel("reason"),
            FieldPanel("detail"),
        ],
        base_form_class=OfficeScopedForm,
    )


class SegmentLivePanel(Panel):
    """Live count and the first recipients while the segment is edited."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "campaigns/admin/segment_live_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["count_url"] = reverse("campaigns_admin:segment_count")
            return context


@_scoped
class SegmentViewSet(SnippetViewSet):
    model = Segment
    icon = "filter"
    menu_label = _("Segments")
    list_display = ["name", "office", "created_at"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            SegmentLivePanel(heading=_("Recipients")),
            FieldRowPanel([FieldPanel("name"), FieldPanel("office")]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("cantons"), FieldPanel("language_regions")]),
            FieldRowPanel([FieldPanel("size_classes"), FieldPanel("sector_groups")]),
            FieldRowPanel(
                [
                    FieldPanel("cooperation_types"),
                    FieldPanel("intensities"),
                    FieldPanel("relationship_statuses"),
                ]
            ),
            FieldRowPanel(
                [
                    FieldPanel("last_contact_before"),
                    FieldPanel("last_contact_after"),
                    FieldPanel("no_contact_days"),
                ]
            ),
            FieldRowPanel(
                [FieldPanel("attended_event"), FieldPanel("has_open_job_opportunity")]
            ),
            FieldRowPanel([FieldPanel("person_languages"), FieldPanel("functions")]),
            FieldPanel("mailing_list"),
            FieldRowPanel(
                [FieldPanel("include_segments"), FieldPanel("exclude_segments")]
            ),
        ],
        base_form_class=OfficeScopedForm,
    )


@_scoped
class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = _("Newsletters")
    list_display = ["name", "mailing_list", "status", "started_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("office")]),
            FieldRowPanel([FieldPanel("mailing_list"), FieldPanel("segment")]),
            FieldPanel("tracking"),
            InlinePanel("versions", label=_("Language version"), min_num=1),
        ],
        base_form_class=OfficeScopedForm,
    )


class NewsletterEditView(_SCOPED["edit_view_class"]):
    """Refuses to edit a newsletter whose sending started (Newsletter.content_frozen):
    staff land on its page, which shows the content as sent."""

    def dispatch(self, request, *args, **kwargs):
        newsletter = self.object
        if newsletter is not None and newsletter.content_frozen:
            messages.warning(
                request,
                _(
                    "“%(name)s” has been sent (or is being sent): its content and "
                    "links can no longer be changed. Create a new newsletter to "
                    "send something else."
                )
                % {"name": newsletter.name},
            )
            return redirect("campaigns_admin:newsletter", pk=newsletter.pk)
        return super().dispatch(request, *args, **kwargs)


NewsletterViewSet.edit_view_class = NewsletterEditView


@_scoped
class OutreachCampaignViewSet(SnippetViewSet):
    model = OutreachCampaign
    icon = "site"
    menu_label = _("Outreach campaigns")
    list_display = ["name", "kind", "segment", "assignment", "created_at"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("office")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("channel")]),
            FieldPanel("segment"),
            FieldPanel("assignment"),
            FieldPanel("staff"),
        ],
        base_form_class=OfficeScopedForm,
    )


class CampaignsGroup(SnippetViewSetGroup):
    menu_label = _("Campaigns")
    menu_icon = "mail"
    menu_order = 200
    items = (
        NewsletterViewSet,
        SegmentViewSet,
        OutreachCampaignViewSet,
        MailingListViewSet,
        SubscriptionViewSet,
        SuppressionViewSet,
        MailSettingsViewSet,
    )

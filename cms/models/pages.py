"""Page types of the public site. Every page type caches its anonymous rendering
(`cms.cache`), invalidated whenever any page is published, unpublished or moved."""

from __future__ import annotations

from types import SimpleNamespace

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..cache import CachedPageMixin
from .blocks import RICH_TEXT_FEATURES, body_blocks


class HomePage(CachedPageMixin, Page):
    """The site's entry page, one per language (translations linked by Wagtail)."""

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count_per_parent = 1
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu().specific()
        context["news"] = (
            NewsPage.objects.live().filter(locale=self.locale).order_by("-date")[:3]
        )
        return context


class InformationPage(CachedPageMixin, Page):
    """Information for employers: text, calls to action, FAQ, contact cards,
    documents and video links."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(body_blocks(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    template = "cms/information_page.html"

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")


class InstrumentPage(CachedPageMixin, Page):
    """One of the IV's instruments for employers, answering the employer's questions
    in a fixed order: what, for whom, how long, what it costs, how to apply, whom to
    call."""

    class Instrument(models.TextChoices):
        EARLY_DETECTION = "early_detection", _("early detection")
        EARLY_INTERVENTION = "early_intervention", _("early intervention")
        TRIAL_PLACEMENT = "trial_placement", _("trial placement")
        ONBOARDING_SUBSIDY = "onboarding_subsidy", _("onboarding subsidy")
        JOB_COACHING = "job_coaching", _("job coaching")
        ADVICE = "advice", _("case-independent advice")

    instrument = models.CharField(
        _("instrument"), max_length=24, choices=Instrument.choices
    )
    summary = models.TextField(_("in one sentence"))
    what_it_is = RichTextField(_("what it is"), features=RICH_TEXT_FEATURES)
    for_whom = RichTextField(_("for whom"), features=RICH_TEXT_FEATURES)
    duration = RichTextField(_("how long"), features=RICH_TEXT_FEATURES)
    employer_cost = RichTextField(
        _("what it costs the employer"), features=RICH_TEXT_FEATURES
    )
    how_to_apply = RichTextField(_("how to apply"), features=RICH_TEXT_FEATURES)
    contact_team = models.CharField(_("whom to call: team"), max_length=200)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=200,
        blank=True,
        help_text=_("Articles of the law; mark figures still to be checked."),
    )
    more = StreamField(body_blocks(), verbose_name=_("more"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("instrument"),
        FieldPanel("summary"),
        FieldPanel("what_it_is"),
        FieldPanel("for_whom"),
        FieldPanel("duration"),
        FieldPanel("employer_cost"),
        FieldPanel("how_to_apply"),
        MultiFieldPanel(
            [
                FieldPanel("contact_team"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
            ],
            heading=_("Whom to call"),
        ),
        FieldPanel("legal_basis"),
        FieldPanel("more"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("what_it_is"),
        index.SearchField("for_whom"),
        index.SearchField("how_to_apply"),
    ]
    template = "cms/instrument_page.html"

    class Meta:
        verbose_name = _("instrument page")
        verbose_name_plural = _("instrument pages")

    def sections(self) -> list[tuple[str, str, str]]:
        """(anchor, heading, rich text) in the order employers ask."""
        return [
            ("what", _("What it is"), self.what_it_is),
            ("for-whom", _("For whom"), self.for_whom),
            ("duration", _("How long"), self.duration),
            ("cost", _("What it costs you"), self.employer_cost),
            ("apply", _("How to apply"), self.how_to_apply),
        ]


class NewsIndexPage(CachedPageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.NewsPage"]
    template = "cms/news_index_page.html"

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = (
            NewsPage.objects.child_of(self).live().order_by("-date", "-pk")
        )
        return context


class NewsPage(CachedPageMixin, Page):
    date = models.DateField(_("date"))
    intro = models.TextField(_("introduction"))
    body = StreamField(body_blocks(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    template = "cms/news_page.html"

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")


class Area(models.TextChoices):
    """Areas of responsibility in the contact directory."""

    EMPLOYER_SERVICE = "employer_service", _("employer service and advice")
    EARLY_DETECTION = "early_detection", _("early detection and early intervention")
    INTEGRATION = "integration", _("integration measures")
    PLACEMENT = "placement", _("job placement and trial placements")
    IIZ = "iiz", _("inter-institutional cooperation (IIZ)")
    BENEFITS = "benefits", _("benefits and contributions")


def partner_iiz_entries(office_id: int | None) -> list[SimpleNamespace]:
    """IIZ contact persons marked public of the office's partner institutions (crm
    partners), shown like directory entries in the IIZ area, for the whole canton.
    No office, no partners: another office's network is not this site's."""
    from crm.models import PartnerContact

    if office_id is None:
        return []
    return [
        SimpleNamespace(
            area=Area.IIZ,
            region="",
            name=f"{person.first_name} {person.last_name}",
            function=", ".join(filter(None, [person.function, person.partner.name])),
            phone=person.phone,
            email=person.email,
            note="",
        )
        for person in PartnerContact.objects.public_iiz()
        .filter(partner__office_id=office_id)
        .select_related("partner")
        .order_by("partner__name", "last_name")
    ]


class ContactDirectoryPage(CachedPageMixin, Page):
    """Who to call, by area of responsibility and region; filters work without JS."""

    intro = models.TextField(_("introduction"), blank=True)
    office = models.ForeignKey(
        "crm.Office",
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The IV office this directory belongs to: the public IIZ contacts of its "
            "partners are listed under IIZ. Empty: none."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("office"),
        InlinePanel("entries", label=_("contacts")),
    ]
    template = "cms/contact_directory_page.html"

    class Meta:
        verbose_name = _("contact directory")
        verbose_name_plural = _("contact directories")

    def cache_key_extra(self, request) -> str:
        return request.GET.urlencode()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        entries = list(self.entries.all())
        area = request.GET.get("area", "")
        region = request.GET.get("region", "")
        regions = sorted({entry.region for entry in entries if entry.region})
        area = area if area in Area.values else ""
        region = region if region in regions else ""
        shown = [
            entry
            for entry in entries
            if (not area or entry.area == area)
            and (not region or entry.region in (region, ""))
        ]
        if not area or area == Area.IIZ:
            shown += partner_iiz_entries(self.office_id)
        groups = [
            (label, [entry for entry in shown if entry.area == value])
            for value, label in Area.choices
        ]
        context.update(
            {
                "groups": [group for group in groups if group[1]],
                "areas": Area.choices,
                "regions": regions,
                "area": area,
                "region": region,
            }
        )
        return context


class DirectoryEntry(Orderable):
    page = ParentalKey(
        ContactDirectoryPage, on_delete=models.CASCADE, related_name="entries"
    )
    area = models.CharField(
        _("area of responsibility"), max_length=20, choices=Area.choices
    )
    region = models.CharField(
        _("region"), max_length=100, blank=True, help_text=_("Empty: the whole canton.")
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    panels = [
        FieldPanel("area"),
        FieldPanel("region"),
        FieldPanel("name"),
        FieldPanel("function"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")

    def __str__(self) -> str:
        return self.name

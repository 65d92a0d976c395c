"""The blocks a newsletter is written with; each renders to MJML (templates/campaigns/
blocks/), compiled once per language by mjml-python."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("alternative text"), help_text=_("Read out by screen readers.")
    )
    link = blocks.URLBlock(label=_("link"), required=False)

    class Meta:
        template = "campaigns/blocks/image.mjml"
        icon = "image"


class ButtonBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    url = blocks.URLBlock(label=_("link"))

    class Meta:
        template = "campaigns/blocks/button.mjml"
        icon = "link"


class PageTeaserBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("page"))
    text = blocks.TextBlock(label=_("teaser text"), required=False)

    class Meta:
        template = "campaigns/blocks/page_teaser.mjml"
        icon = "doc-full"


class EventTeaserBlock(blocks.StructBlock):
    """An event until the events app exists: title, date, place and a link."""

    title = blocks.CharBlock(label=_("title"))
    date = blocks.DateBlock(label=_("date"))
    place = blocks.CharBlock(label=_("place"), required=False)
    url = blocks.URLBlock(label=_("registration link"))

    class Meta:
        template = "campaigns/blocks/event_teaser.mjml"
        icon = "date"


class NewsletterBlocks(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("heading"), template="campaigns/blocks/heading.mjml", icon="title"
    )
    text = blocks.RichTextBlock(
        label=_("rich text"),
        features=["bold", "italic", "link", "ol", "ul"],
        template="campaigns/blocks/text.mjml",
    )
    image = ImageBlock(label=_("image"))
    button = ButtonBlock(label=_("button"))
    page_teaser = PageTeaserBlock(label=_("teaser of a site page"))
    event_teaser = EventTeaserBlock(label=_("teaser of an event"))
    divider = blocks.StaticBlock(
        label=_("divider"),
        template="campaigns/blocks/divider.mjml",
        icon="horizontalrule",
    )

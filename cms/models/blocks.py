"""StreamField blocks of the information pages: each renders accessible HTML that works
without JavaScript (the FAQ is a list of <details> elements)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"))
    text = blocks.TextBlock(label=_("text"), required=False)
    link_page = blocks.PageChooserBlock(label=_("link to a page"), required=False)
    link_url = blocks.CharBlock(
        label=_("or a link"), required=False, help_text=_("e.g. /portal/ or https://…")
    )
    link_label = blocks.CharBlock(label=_("button label"))

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(
        label=_("answer"), features=["bold", "italic", "link", "ol", "ul"]
    )


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    items = blocks.ListBlock(FAQItemBlock(), label=_("questions"))

    class Meta:
        icon = "help"
        label = _("Questions and answers")
        template = "cms/blocks/faq.html"


class ContactCardBlock(blocks.StructBlock):
    team = blocks.CharBlock(label=_("team"))
    responsibility = blocks.CharBlock(label=_("responsible for"), required=False)
    phone = blocks.CharBlock(label=_("phone"), required=False)
    email = blocks.EmailBlock(label=_("e-mail"), required=False)
    hours = blocks.CharBlock(label=_("office hours"), required=False)

    class Meta:
        icon = "user"
        label = _("Contact card")
        template = "cms/blocks/contact_card.html"


class DocumentsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    documents = blocks.ListBlock(DocumentChooserBlock(), label=_("documents"))

    class Meta:
        icon = "doc-full"
        label = _("Documents")
        template = "cms/blocks/documents.html"


class VideoLinkBlock(blocks.StructBlock):
    """A link, not an embed: no third-party player loads before the visitor chooses."""

    title = blocks.CharBlock(label=_("title"))
    url = blocks.URLBlock(label=_("video address"))
    duration = blocks.CharBlock(label=_("duration"), required=False)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "media"
        label = _("Video link")
        template = "cms/blocks/video_link.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]


def body_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        ("text", blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)),
        ("call_to_action", CallToActionBlock()),
        ("faq", FAQBlock()),
        ("contact_card", ContactCardBlock()),
        ("documents", DocumentsBlock()),
        ("video", VideoLinkBlock()),
    ]

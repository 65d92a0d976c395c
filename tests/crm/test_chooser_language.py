"""A snippet chooser's button speaks the viewer's language, whoever built the form
first (Wagtail formats its text eagerly; crm/admin/chooser_texts.py keeps it lazy)."""

from django.utils import translation
from wagtail.snippets.widgets import AdminSnippetChooser

from crm.models import CaseReference


def test_chooser_built_in_german_renders_in_the_viewers_language():
    with translation.override("de"):
        widget = AdminSnippetChooser(CaseReference)
        german = str(widget.choose_one_text)
    with translation.override("en"):
        english = str(widget.choose_one_text)
    with translation.override("fr"):
        french = str(widget.choose_one_text)

    assert english == "Choose case reference"
    assert german != english and french not in (german, english)


def test_texts_given_to_the_widget_are_kept():
    widget = AdminSnippetChooser(CaseReference, choose_one_text="Pick one")
    assert widget.choose_one_text == "Pick one"

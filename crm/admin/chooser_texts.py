"""Snippet chooser buttons in the language of the person who sees the form.

Wagtail's `AdminSnippetChooser.__init__` formats "Choose %(object)s" with `%` on a
lazy string, which evaluates it at once: the text is fixed in the language that was
active when the form class was first built (form classes are built once per
process). In an admin used in German, French and Italian, everyone then reads the
first user's language on those buttons ("Fall wählen" for an English user — found
by the Playwright test of a trial placement). This keeps the three texts lazy.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext


def _text(message: str, model) -> str:
    return gettext(message) % {"object": model._meta.verbose_name}


_lazy_text = lazy(_text, str)


def snippet_chooser_texts_lazy() -> None:
    from wagtail.snippets.widgets import AdminSnippetChooser

    if getattr(AdminSnippetChooser, "_passerelle_lazy_texts", False):
        return
    original = AdminSnippetChooser.__init__

    def __init__(self, model, **kwargs):
        original(self, model, **kwargs)
        for attribute, message in (
            ("choose_one_text", "Choose %(object)s"),
            ("choose_another_text", "Choose another %(object)s"),
            ("link_to_chosen_text", "Edit this %(object)s"),
        ):
            if attribute not in kwargs:
                setattr(self, attribute, _lazy_text(message, model))

    AdminSnippetChooser.__init__ = __init__
    AdminSnippetChooser._passerelle_lazy_texts = True

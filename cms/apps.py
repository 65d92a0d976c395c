from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The public Wagtail site and the employer portal."""

    name = "cms"
    verbose_name = _("Website")

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .cache import pages_cache_invalidate

        # A publish can change menus, news lists and language links of other pages.
        page_published.connect(pages_cache_invalidate, dispatch_uid="cms-cache-pub")
        page_unpublished.connect(pages_cache_invalidate, dispatch_uid="cms-cache-unpub")
        post_page_move.connect(pages_cache_invalidate, dispatch_uid="cms-cache-move")
        post_delete.connect(
            pages_cache_invalidate, sender=Page, dispatch_uid="cms-cache-delete"
        )

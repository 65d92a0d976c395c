from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.views import robots_txt, search
from core.views import healthz

# Outside the language prefixes (DESIGN.md, URLs).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", include("integrations.api.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Newsletter links (/newsletter/…, /t/…) and provider webhooks (/anymail/…).
    path("", include("campaigns.urls")),
    # anymail's views behind a guard: a provider without a webhook secret is refused.
    path("anymail/", include("campaigns.webhook_urls")),
]
handler500 = "cms.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The default language (German) has no prefix; /fr/, /it/, /en/ do.
urlpatterns += i18n_patterns(
    path("portal/newsletter/", include("campaigns.portal_urls")),
    path("portal/", include("cms.portal.urls")),
    path("search/", search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

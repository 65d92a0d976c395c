"""The public site: demo pages in DE/FR, language switcher, hreflang, search,
sitemap, robots.txt, 404, caching invalidated on publish, translation report."""

import pytest
from django.core.cache import cache

from cms.admin.translations import missing_translations_rows
from cms.models import ContactDirectoryPage, HomePage, InstrumentPage
from crm.demo import DemoResult
from crm.demo.site import site_and_portal_seed
from tests.crm.conftest import make_employer, make_office, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    cache.clear()
    office = make_office("BE", "BE", "de")
    make_staff(office, "be.staff")
    make_employer(
        office, "Aare Logistik AG", "CHE-116.281.710", relationship_status="active"
    )
    make_employer(
        office, "Gurten Bäckerei GmbH", "CHE-109.322.551", relationship_status="active"
    )
    result = DemoResult()
    site_and_portal_seed(result)
    return result


def test_demo_builds_the_site_in_german_and_french(client, site):
    german = client.get("/arbeitgebende/arbeitsversuch/")
    french = client.get("/fr/employeurs/placement-a-lessai/")
    italian_home = client.get("/it/")
    english_home = client.get("/en/")

    assert german.status_code == 200
    assert "180 Tage (gemäss geltendem Recht zu prüfen)" in german.content.decode()
    assert "à vérifier selon le droit en vigueur" in french.content.decode()
    assert "Insieme per il lavoro" in italian_home.content.decode()
    assert "Working together" in english_home.content.decode()
    assert InstrumentPage.objects.filter(locale__language_code="de").count() == 6
    assert InstrumentPage.objects.filter(locale__language_code="fr").count() == 6
    for text in (german.content.decode(), french.content.decode()):
        assert "lorem" not in text.lower() and "TODO" not in text


def test_demo_creates_two_portal_users_at_two_be_employers(site):
    portal = [login for login in site.logins if login[1].startswith("portal user")]
    assert len(portal) == 2
    assert portal[0][1] != portal[1][1]
    assert {login[2] for login in portal} == {"BE"}

    again = DemoResult()
    site_and_portal_seed(again)  # idempotent
    assert [login[0] for login in again.logins] == [login[0] for login in portal]


def test_language_switcher_and_hreflang_link_translations(client, site):
    text = client.get("/arbeitgebende/arbeitsversuch/").content.decode()

    assert (
        'hreflang="fr" href="http://testserver/fr/employeurs/placement-a-lessai/"'
        in text
    )
    assert 'hreflang="x-default"' in text
    assert '<a href="/fr/employeurs/placement-a-lessai/" hreflang="fr"' in text


def test_contact_directory_filters_by_area_without_javascript(client, site):
    page = ContactDirectoryPage.objects.get(locale__language_code="de")
    url = page.url

    everything = client.get(url).content.decode()
    iiz = client.get(url + "?area=iiz").content.decode()

    assert "Regula Bärtschi" in everything and "Marco Gerber" in everything
    assert "Regula Bärtschi" in iiz and "Marco Gerber" not in iiz


def test_site_search_finds_pages_in_the_visitors_language(client, site):
    german = client.get("/search/?q=Arbeitsversuch").content.decode()
    french = client.get("/fr/search/?q=essai").content.decode()

    assert "/arbeitgebende/arbeitsversuch/" in german
    assert "/fr/employeurs/placement-a-lessai/" in french


def test_sitemap_robots_and_404(client, site):
    sitemap = client.get("/sitemap.xml").content.decode()
    robots = client.get("/robots.txt").content.decode()
    missing = client.get("/gibt-es-nicht/")

    assert "/arbeitgebende/arbeitsversuch/" in sitemap
    assert "Sitemap: " in robots and "Disallow: /portal/" in robots
    assert missing.status_code == 404
    assert "Suche" in missing.content.decode() or "Search" in missing.content.decode()


def test_published_change_shows_at_once_despite_the_cache(client, site):
    page = InstrumentPage.objects.get(slug="arbeitsversuch")
    first = client.get(page.url).content.decode()
    cached = client.get(page.url).content.decode()

    page.summary = "Neu formuliert: der Arbeitsversuch in einem Satz."
    page.save_revision().publish()
    after = client.get(page.url).content.decode()

    assert first == cached
    assert "Neu formuliert" in after


def test_report_lists_pages_lacking_a_translation(admin_client, site):
    rows = missing_translations_rows()
    home = HomePage.objects.get(locale__language_code="de")
    page = admin_client.get("/admin/reports/missing-translations/")

    by_page = {row["page"].pk: row["missing"] for row in rows}
    assert home.pk not in by_page  # DE, FR, IT and EN
    instrument = InstrumentPage.objects.get(slug="arbeitsversuch")
    assert by_page[instrument.pk] == ["IT", "EN"]
    assert page.status_code == 200

"""Replaces Wagtail's welcome page with a German home page and its French translation."""

from django.db import migrations

DE = {
    "title": "Gemeinsam für Arbeit trotz Gesundheitsproblemen",
    "intro": (
        "Die IV-Stelle unterstützt Arbeitgebende, wenn Mitarbeitende gesundheitlich "
        "ausfallen oder wenn sie Menschen mit Beeinträchtigungen eine Stelle geben "
        "möchten: früh, unkompliziert und mit einer festen Ansprechperson."
    ),
}
FR = {
    "title": "Ensemble pour l'emploi malgré les problèmes de santé",
    "intro": (
        "L'office AI soutient les employeurs lorsqu'un collaborateur tombe malade ou "
        "lorsqu'ils souhaitent engager une personne atteinte dans sa santé : tôt, "
        "simplement et avec un interlocuteur attitré."
    ),
}


def create_home_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    Page.objects.filter(depth=2, slug="home").delete()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    de, _ = Locale.objects.get_or_create(language_code="de")
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    root = Page.objects.get(depth=1)
    # treebeard paths: the root is 0001, its children 00010001, 00010002 …
    german = HomePage.objects.create(
        title=DE["title"],
        intro=DE["intro"],
        draft_title=DE["title"],
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=de,
        live=True,
    )
    HomePage.objects.create(
        title=FR["title"],
        intro=FR["intro"],
        draft_title=FR["title"],
        slug="home-fr",
        content_type=home_type,
        path="00010002",
        depth=2,
        numchild=0,
        url_path="/home-fr/",
        locale=fr,
        translation_key=german.translation_key,
        live=True,
    )
    root.numchild = 2
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=german.pk, is_default_site=True
    )


def remove_home_pages(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_home_pages, remove_home_pages)]

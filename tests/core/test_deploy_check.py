"""Production settings load from the four documented variables and pass --deploy.

Runs in a subprocess with a clean environment, so nothing from the developer's shell
or the test settings can make it pass by accident.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from cms.models import HomePage


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "passerelle.example.ch",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SITE_URL": "https://passerelle.example.ch",
    }
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path):
    result = manage(
        production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING"
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


@pytest.mark.parametrize(
    "secret_key",
    ["too-short", "dev-only-not-secret-change-me" + "x" * 40, ""],
    ids=["short", "dev-default", "empty"],
)
def test_production_refuses_a_weak_secret_key(tmp_path, secret_key):
    env = production_env(tmp_path, DJANGO_SECRET_KEY=secret_key)

    result = manage(env, "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be a long random string" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = manage(env, "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_wagtail_live_preview_may_still_be_framed_when_production_denies_frames(
    admin_client, settings
):
    # Production sends X-Frame-Options: DENY; the preview panel frames the preview.
    settings.X_FRAME_OPTIONS = "DENY"
    home = HomePage.objects.get(locale__language_code="de")
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk])

    admin_client.post(preview_url, {"title": home.title, "slug": home.slug})
    preview = admin_client.get(preview_url)
    dashboard = admin_client.get("/admin/")

    assert preview.status_code == 200
    assert "Gemeinsam für Arbeit" in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert dashboard["X-Frame-Options"] == "DENY"

"""Production: gunicorn behind a TLS proxy, PostgreSQL, Redis, Celery workers.

Loads with only DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and SITE_URL.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SITE_URL, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random string.")
# Without its own key the AHV hash is keyed from the secret key, so production stays
# loadable from the four variables; set AHV_HASH_KEY to rotate the secret key freely.
if env("AHV_HASH_KEY", default="") == "":
    import hashlib

    AHV_HASH_KEY = hashlib.sha256(b"passerelle.ahv:" + SECRET_KEY.encode()).hexdigest()
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

_https = SITE_URL.startswith("https://")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_https)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SESSION_COOKIE_SAMESITE = "Lax"
# Nothing of ours is framed; Wagtail's preview views set SAMEORIGIN on their own
# responses (xframe_options_sameorigin_override), so the live preview keeps working.
X_FRAME_OPTIONS = "DENY"

"""Test settings: `make test` and `.ci/run`.

SQLite tests use a file, not memory, so that a Celery worker started by a test can
read what the test wrote. With DATABASE_URL set (CI) they run on PostgreSQL.
"""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": env("SQLITE_TEST_DB", default=str(VAR_DIR / "test.sqlite3"))
    }

# WhiteNoise warns about a missing static root; collectstatic fills it later.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# A Celery worker started by a test may send to that test's SMTP sink
# (tests/campaigns/test_worker_killed.py); never EMAIL_URL, which a .env may set.
if env("TEST_EMAIL_URL", default=""):
    vars().update(env.email_url("TEST_EMAIL_URL"))

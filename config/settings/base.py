"""Settings shared by every environment. Every variable is read here, with a default.

Variables (DESIGN.md): DATABASE_URL, CELERY_BROKER_URL, EMAIL_URL, DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS, SITE_URL, DEFAULT_FROM_EMAIL. The others below are optional
tuning knobs with safe defaults.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret-change-me")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Key of the HMAC that replaces AHV numbers (crm/ahv.py). Changing it makes every
# stored hash unmatchable, so production sets it once (production.py requires it).
AHV_HASH_KEY = env("AHV_HASH_KEY", default="dev-only-ahv-hash-key")
WAGTAILADMIN_BASE_URL = SITE_URL
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "core",
    "crm",
    "cms",
    "campaigns",
    "crm.dedupe",
    "integrations.imports",
    "integrations.uid_register",
    "integrations.api",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "phonenumber_field",
    "simple_history",
    "django_celery_beat",
    "anymail",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that a locked-out login answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------
# SQLite by default (zero set-up); WAL lets the web process and the worker write
# side by side, IMMEDIATE transactions avoid "database is locked" on upgrade.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'passerelle.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# django-axes: lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
PHONENUMBER_DEFAULT_REGION = "CH"

# --- Employer portal -----------------------------------------------------------------
PORTAL_INVITATION_DAYS = env.int("PORTAL_INVITATION_DAYS", default=7)
# Idle timeout: each portal request renews it; staff sessions keep SESSION_COOKIE_AGE.
PORTAL_SESSION_SECONDS = env.int("PORTAL_SESSION_SECONDS", default=30 * 60)
PORTAL_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day

# --- Cache ---------------------------------------------------------------------------
# Public pages are cached whole (cms/cache.py). Local memory by default; with several
# web processes set CACHE_URL (e.g. redis://host:6379/1) so a publish reaches all.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# --- Wagtail -------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Passerelle"
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "xlsx", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- E-mail --------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:pass@mail.example.ch:587 ; console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Passerelle <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Newsletters (campaigns) --------------------------------------------------------
# Recipients per Celery task; a worker killed mid-send loses at most one batch's
# unacknowledged task, which the broker hands out again.
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=200)
# Sent deliveries are recorded in groups; a killed worker re-sends at most these.
NEWSLETTER_MARK_SENT_EVERY = env.int("NEWSLETTER_MARK_SENT_EVERY", default=10)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=5)
# Temporary (4xx) failures are retried after 60 s, 120 s, 240 s …
NEWSLETTER_RETRY_BASE_SECONDS = env.float("NEWSLETTER_RETRY_BASE_SECONDS", default=60)
# Plain SMTP bounces (VERP) are read from this mailbox, e.g.
# imaps://bounces%40iv-xy.ch:password@mail.iv-xy.ch/INBOX ; off while empty.
BOUNCE_IMAP_URL = env("BOUNCE_IMAP_URL", default="")
# Provider webhooks (django-anymail, /anymail/<provider>/…): off while empty.
ANYMAIL = {
    "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default="") or None,
    "MAILGUN_WEBHOOK_SIGNING_KEY": env("MAILGUN_WEBHOOK_SIGNING_KEY", default="")
    or None,
}
ANYMAIL = {key: value for key, value in ANYMAIL.items() if value}

# --- Celery --------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_FILESYSTEM_DIR = Path(
    env("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "broker"))
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (CELERY_FILESYSTEM_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
    # Worker events and remote control add chatter a file queue does not need.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task whose worker died (acks_late) comes back after this many seconds. It
    # must exceed the longest task (a newsletter batch takes seconds), or a task
    # still running is handed out a second time.
    # kombu looks for such tasks every interval × throttle seconds (10 × 10).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
    }
CELERY_TASK_IGNORE_RESULT = True  # results live in our own tables (progress, runs)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Periodic tasks; django-celery-beat copies them into its tables, where staff can
# change times in the admin. Keys are stable names.
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "core.tasks.heartbeat_task",
        "schedule": 60.0,
    },
    "newsletter-bounces": {
        "task": "campaigns.tasks.bounces_fetch_task",
        "schedule": 300.0,
    },
    "newsletters-due": {
        "task": "campaigns.tasks.newsletters_due_start_task",
        "schedule": 60.0,
    },
    "follow-up-digest": {
        "task": "crm.tasks.follow_up_digest_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "agreement-renewal-reminders": {
        "task": "crm.tasks.agreement_renewal_reminders_task",
        "schedule": crontab(hour=6, minute=45),
    },
}

# --- Security (tightened further in production.py) -----------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview uses same-origin frames
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # Wagtail's reference-index task logs two lines per saved object.
        "django_tasks": {"level": "WARNING"},
        # Page audit lines ("Page edited …") belong in the admin's history, not stdout.
        "wagtail": {"level": "WARNING"},
    },
}

# --- UID register --------------------------------------------------------------------
# integrations/uid_register: legal name, address and legal form from the federal UID
# register (Bundesamt für Statistik). Off while the URL is empty; the public service is
# https://www.uid-wse.admin.ch/V5.0/PublicServices.svc (test instance:
# https://www.uid-wse-a.admin.ch/V5.0/PublicServices.svc). It allows about 20 requests a
# minute; the limit is shared through the cache (set CACHE_URL with several processes).
UID_REGISTER_URL = env("UID_REGISTER_URL", default="")
UID_REGISTER_RATE_LIMIT = env.int("UID_REGISTER_RATE_LIMIT", default=20)  # per minute
UID_REGISTER_TIMEOUT = env.float("UID_REGISTER_TIMEOUT", default=10.0)  # seconds

# --- Imports -------------------------------------------------------------------------
# Larger files are refused with a message (split them); 100,000 employers are ≈ 15 MB.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=40 * 1024 * 1024)
# Files with more rows than this are imported by a Celery task with a progress bar.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)

# --- REST API (integrations/api, /api/v1/) -------------------------------------------
# Authentication, permissions, throttling and the problem-details error handler are set
# on the API's own views (integrations/api/views.py), not as DRF defaults: Wagtail's
# admin has DRF views of its own that must keep theirs.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Requests per token (or signed-in staff member), e.g. "600/min", "20000/day".
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE_LIMIT", default="600/min")},
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
}
# How long a POST's Idempotency-Key and its stored answer are kept.
API_IDEMPOTENCY_HOURS = env.int("API_IDEMPOTENCY_HOURS", default=24)
# Days a new API token lasts unless its creator says otherwise (0 there: never).
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=365)
SPECTACULAR_SETTINGS = {
    "TITLE": "Passerelle API",
    "DESCRIPTION": (
        "Employers, contact persons, contacts, job opportunities and placements of "
        "one IV office, for its case-management and other systems, and imports of "
        "CSV/XLSX files through the same service as the admin and the command line "
        "(POST /api/v1/imports/<resource>/). Authenticate "
        "with 'Authorization: Bearer <token>' (manage.py api_token_create). Errors "
        "are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SECURITY": [{"bearerAuth": []}],
    # Physical and psychological load share one choice set: one schema name for it.
    "ENUM_NAME_OVERRIDES": {"LoadLevelEnum": "crm.models.case.LoadLevel"},
    "PREPROCESSING_HOOKS": ["integrations.api.schema.api_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integrations.api.schema.problem_responses",
    ],
}

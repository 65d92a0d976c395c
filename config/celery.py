"""The Celery app. Broker: Redis in production, kombu's filesystem transport by default.

The filesystem transport is what lets `make run` send, import and report in the
background on a laptop with nothing but Python: no Redis, no Docker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("passerelle")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

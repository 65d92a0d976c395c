"""`manage.py worker_check` says no when no worker can answer.

The passing case, with a real worker, is in test_celery_roundtrip.py.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from config.celery import app
from core.models import WorkerHeartbeat
from tests.conftest import database_url


@pytest.mark.django_db(transaction=True)
def test_worker_check_fails_when_no_worker_consumes_the_queue(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_DIR": str(tmp_path),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }

    check = subprocess.run(
        [sys.executable, "manage.py", "worker_check", "--timeout", "1"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert check.returncode == 1, check.stdout + check.stderr
    assert "No worker answered within 1 s (broker: filesystem" in check.stderr
    # The heartbeat did go to the broker, and waits there for a worker.
    assert len(list((tmp_path / "queue").iterdir())) == 1
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_worker_check_refuses_to_run_tasks_eagerly(monkeypatch):
    # Run in-process, the heartbeat would prove nothing about any worker.
    monkeypatch.setitem(app.conf, "task_always_eager", True)

    with pytest.raises(CommandError, match="CELERY_TASK_ALWAYS_EAGER is on"):
        call_command("worker_check", "--timeout", "1")
    assert not WorkerHeartbeat.objects.exists()

"""A real worker takes a task from a real broker and writes to the database.

Given a Celery worker process on the embedded broker (or on Redis),
when `manage.py worker_check` sends a heartbeat through that broker,
then it exits 0 and the worker's row is in the test database.

The worker and `worker_check` are separate processes, as in production; they reach
the test database through DATABASE_URL. The test is transactional so that the test
process holds no transaction the worker would have to wait for.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.models import WorkerHeartbeat
from tests.conftest import database_url

pytestmark = pytest.mark.django_db(transaction=True)

# One process, no cluster chatter: starts fast and is simple to stop.
WORKER_ARGS = ["-A", "config", "worker", "--pool=solo", "-c", "1", "--loglevel=INFO",
               "--without-mingle", "--without-gossip"]  # fmt: skip
WORKER_STOP_SECONDS = 20


def test_worker_answers_through_the_embedded_broker(tmp_path):
    env = _worker_env(
        CELERY_BROKER_URL="filesystem://", CELERY_FILESYSTEM_DIR=str(tmp_path / "q")
    )

    _assert_worker_check_passes(env, tmp_path)


@pytest.mark.services
def test_worker_answers_through_redis(tmp_path, redis_broker_url):
    env = _worker_env(CELERY_BROKER_URL=redis_broker_url)

    _assert_worker_check_passes(env, tmp_path)


def _worker_env(**overrides: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **overrides,
    }


def _assert_worker_check_passes(env: dict[str, str], tmp_path: Path) -> None:
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", *WORKER_ARGS],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            check = subprocess.run(
                [sys.executable, "manage.py", "worker_check", "--timeout", "60"],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            _stop(worker)
    worker_log = log_path.read_text(errors="replace")[-4000:]
    output = check.stdout + check.stderr
    assert check.returncode == 0, f"{output}\n--- worker log ---\n{worker_log}"
    token = re.search(r"heartbeat token ([0-9a-f]{32})", check.stdout).group(1)
    beat = WorkerHeartbeat.objects.get(token=token)
    assert beat.worker


def _stop(worker: subprocess.Popen) -> None:
    worker.terminate()  # warm shutdown
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()

"""A worker killed with SIGKILL mid-send loses no recipient.

Given 400 subscribers, batches of 20, a real worker on Redis (late acknowledgement,
prefetch 1, a 5-second visibility timeout so the lost batch comes back quickly),
when the worker is killed with SIGKILL while sending and a new worker is started,
then every recipient has received the newsletter, and duplicates are no more than
the messages in flight at the kill (accepted by the sink, not yet marked sent).
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from campaigns.models import Delivery, Newsletter
from tests.conftest import database_url

from .conftest import newsletter_make, subscriber
from .sink import SmtpSink

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

RECIPIENTS = 400
WORKER_ARGS = ["-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
               "--without-mingle", "--without-gossip"]  # fmt: skip


def _worker(env: dict, log_path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", *WORKER_ARGS],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _sent() -> int:
    return Delivery.objects.filter(status="sent").count()


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_sigkill_mid_send_loses_nobody(
    tmp_path, redis_broker_url, office, newsletter_list, settings
):
    import redis

    redis.Redis.from_url(redis_broker_url).flushdb()
    settings.NEWSLETTER_BATCH_SIZE = 20
    for n in range(RECIPIENTS):
        subscriber(office, newsletter_list, f"r{n}@muster.ch", "de")
    newsletter = newsletter_make(office, newsletter_list, languages=("de",))
    sink = SmtpSink().start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": redis_broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "CELERY_RESTORE_INTERVAL": "1",
        "CELERY_RESTORE_THROTTLE": "1",
        "TEST_EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "NEWSLETTER_BATCH_SIZE": "20",
    }
    log = tmp_path / "worker.log"
    workers = [_worker(env, log)]
    try:
        # the web request's part (deliveries, then the dispatch through Redis) in
        # its own process, as in production
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from campaigns.models import Newsletter as N;"
             "from campaigns.services.sending import newsletter_send as send;"
             f"send(N.objects.get(pk={newsletter.pk}))"],
            cwd=settings.BASE_DIR, env=env, check=True, timeout=120,
            capture_output=True,
        )  # fmt: skip
        assert _wait(lambda: _sent() >= 60, 60), log.read_text()[-3000:]
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        time.sleep(0.3)  # let the sink finish a message the kill cut off
        in_flight = len(sink.received) - _sent() + 1
        assert _sent() < RECIPIENTS, "the kill came too late to test anything"
        workers.append(_worker(env, log))
        finished = _wait(lambda: _sent() == RECIPIENTS, 120)
        assert finished, f"{_sent()} sent\n{log.read_text()[-3000:]}"
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
        sink.stop()
    received = [r.recipients[0] for r in sink.received]
    assert set(received) == {f"r{n}@muster.ch" for n in range(RECIPIENTS)}
    duplicates = len(received) - RECIPIENTS
    assert duplicates <= in_flight
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT

import secrets
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.celery import app
from core.models import WorkerHeartbeat
from core.tasks import heartbeat_task

POLL_SECONDS = 0.25


class Command(BaseCommand):
    help = (
        "Is a Celery worker alive? Sends a heartbeat task through the broker and "
        "waits until a worker has written its row to the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout",
            type=float,
            default=30.0,
            help="seconds to wait for a worker (default 30)",
        )

    def handle(self, *args: Any, timeout: float, **options: Any) -> None:
        if app.conf.task_always_eager:
            # The task would run right here, and prove nothing about any worker.
            raise CommandError(
                "CELERY_TASK_ALWAYS_EAGER is on: tasks do not go through the broker."
            )
        transport = app.conf.broker_url.split(":", 1)[0]
        token = secrets.token_hex(16)
        started = time.monotonic()
        try:
            heartbeat_task.apply_async(kwargs={"token": token})
        except Exception as exc:  # kombu raises many kinds; all mean "unreachable"
            raise CommandError(
                f"Could not send to the broker ({transport}): {exc!r}"
            ) from exc
        beat = self._wait_for_heartbeat(token, deadline=started + timeout)
        if beat is None:
            raise CommandError(
                f"No worker answered within {timeout:g} s (broker: {transport}, "
                f"heartbeat token {token})."
            )
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Worker {beat.worker} answered in {elapsed:.2f} s "
                f"(broker: {transport}, heartbeat token {token})."
            )
        )

    @staticmethod
    def _wait_for_heartbeat(token: str, *, deadline: float) -> WorkerHeartbeat | None:
        while True:
            beat = WorkerHeartbeat.objects.filter(token=token).first()
            if beat is not None or time.monotonic() >= deadline:
                return beat
            time.sleep(POLL_SECONDS)

import socket
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task
def heartbeat_task(token: str = "") -> int:
    """Records that a worker ran. Idempotent enough: a retry adds one more row.

    Beat runs it every minute (health check shows the last one); `worker_check`
    sends one with a token and waits for its row. Rows older than a day are pruned.
    """
    WorkerHeartbeat.objects.filter(
        seen_at__lt=timezone.now() - timedelta(days=1)
    ).delete()
    beat = WorkerHeartbeat.objects.create(worker=socket.gethostname(), token=token)
    return beat.pk

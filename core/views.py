from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app

from .health import broker_status, database_status
from .models import WorkerHeartbeat


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when database and broker answer, 503 otherwise. For load balancers."""
    database = database_status()
    broker = broker_status()
    last_beat = None
    if database == "ok":
        beat = WorkerHeartbeat.objects.order_by("-seen_at").first()
        last_beat = beat.seen_at.isoformat() if beat else None
    healthy = database == "ok" and broker == "ok"
    body = {
        "status": "ok" if healthy else "error",
        "database": database,
        "broker": broker,
        "broker_transport": app.conf.broker_url.split(":", 1)[0],
        "worker_last_seen": last_beat,
    }
    return JsonResponse(body, status=200 if healthy else 503)

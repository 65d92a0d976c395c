"""Benchmarks of the plumbing; `manage.py bench healthz --requests 500 --json`."""

import time

from django.conf import settings
from django.db import connection
from django.test import Client

from config.celery import app

from .bench import BenchmarkError, Figures, Options, register, timings_summary

WARM_UP_REQUESTS = 5


@register("healthz")
def healthz(options: Options) -> Figures:
    """Server time of GET /healthz (one database query, one broker connection).

    Goes through the whole middleware stack with Django's test Client, in process:
    what it measures is Passerelle's time, not the network's or a WSGI server's.
    """
    requests = int(options.get("requests", 200))
    if requests < 1:
        raise BenchmarkError("--requests must be at least 1")
    client = _client()
    for _ in range(WARM_UP_REQUESTS):
        _get_healthz(client)
    seconds = []
    started = time.perf_counter()
    for _ in range(requests):
        before = time.perf_counter()
        _get_healthz(client)
        seconds.append(time.perf_counter() - before)
    elapsed = time.perf_counter() - started
    return {
        "requests": requests,
        **timings_summary(seconds),
        "requests_per_s": round(requests / elapsed, 1),
        "database": connection.vendor,
        "broker": app.conf.broker_url.split(":", 1)[0],
    }


def _client() -> Client:
    hosts = [host for host in settings.ALLOWED_HOSTS if "*" not in host]
    # The test Client's default host, "testserver", is only allowed under tests.
    return Client(HTTP_HOST=hosts[0] if hosts else "localhost")


def _get_healthz(client: Client) -> None:
    response = client.get("/healthz", secure=settings.SECURE_SSL_REDIRECT)
    if response.status_code != 200:
        raise BenchmarkError(
            f"/healthz answered {response.status_code}: {response.content.decode()}"
        )

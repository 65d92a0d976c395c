"""Benchmarks of the website and the employer portal (issue 6).

`manage.py bench site --json [--requests 50] [--seconds 60] [--users 50]`:

- server time of the home page and an instrument page (anonymous, served from the
  page cache; goal ≤ 50 ms) and of the portal dashboard of the first demo portal
  user (goal ≤ 150 ms at 100,000 employers), measured in process with Django's test
  Client like the CRM benchmarks: Passerelle's time, not the network's;
- a load test: `--users` portal users (default 50), each with its own session, ask
  for the dashboard, their company and their requests as fast as a real gunicorn
  on 127.0.0.1 answers, for `--seconds` (default 60). Requests, errors (any answer
  but 200, or none within 10 s), throughput and latency percentiles as the users
  saw them. A bounded thread pool, a deadline and a request cap make it stop by
  itself; the server is stopped in every case.

Works on whatever is seeded (`seed_demo`, e.g. `--employers 100000`) and reports
the number of employers.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.bench import BenchmarkError, Figures, Options, register, timings_summary
from crm.models import Employer

GOALS_MS = {"home": 50, "instrument_page": 50, "portal_dashboard": 150}
REQUEST_TIMEOUT = 10  # seconds a load-test request may take before it is an error
MAX_LOAD_REQUESTS = 1_000_000  # a cap on top of the deadline
SERVER_START_TIMEOUT = 30  # seconds


@register("site")
def site(options: Options) -> Figures:
    requests = int(options.get("requests", 50))
    seconds = float(options.get("seconds", 60))
    users = int(options.get("users", 50))
    if requests < 1 or users < 1 or not 0 < seconds <= 600:
        raise BenchmarkError("--requests and --users ≥ 1, 0 < --seconds ≤ 600")
    portal_user = _demo_portal_user()
    pages = _pages(portal_user)
    figures: Figures = {
        "database": connection.vendor,
        "employers": Employer.objects.count(),
        "requests_each": requests,
    }
    for name, (url, user) in pages.items():
        figures[name] = _server_time(url, user, requests, GOALS_MS[name])
    figures["load"] = _load(portal_user, users, seconds, options)
    return figures


def _demo_portal_user():
    from crm.demo.portal import PORTAL_USERS

    user = get_user_model().objects.filter(username=PORTAL_USERS[0][0]).first()
    if user is None or not hasattr(user, "portal_account"):
        raise BenchmarkError("Seed first: manage.py seed_demo (makes the portal users)")
    return user


def _pages(portal_user) -> dict[str, tuple[str, object]]:
    from wagtail.models import Locale

    from .models import HomePage, InstrumentPage

    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    home = HomePage.objects.live().filter(locale=default).first()
    instrument = InstrumentPage.objects.live().filter(locale=default).first()
    if home is None or instrument is None:
        raise BenchmarkError("No demo site: run manage.py seed_demo first")
    return {
        "home": (home.url, None),
        "instrument_page": (instrument.url, None),
        "portal_dashboard": (reverse("portal:dashboard"), portal_user),
    }


def _client() -> Client:
    hosts = [host for host in settings.ALLOWED_HOSTS if "*" not in host]
    return Client(HTTP_HOST=hosts[0] if hosts else "localhost")


def _server_time(url: str, user, requests: int, goal_ms: int) -> Figures:
    client = _client()
    if user is not None:
        client.force_login(user)
    for _ in range(3):  # fill the page cache, warm connections and templates
        _get(client, url)
    seconds = []
    with CaptureQueriesContext(connection) as queries:
        reset_queries()
        for _ in range(requests):
            before = time.perf_counter()
            _get(client, url)
            seconds.append(time.perf_counter() - before)
    summary = timings_summary(seconds)
    return {
        "url": url,
        **summary,
        "queries_per_request": round(len(queries.captured_queries) / requests, 1),
        "goal_ms": goal_ms,
        "meets_goal": summary["median_ms"] <= goal_ms,
    }


def _get(client: Client, url: str) -> None:
    response = client.get(url, secure=settings.SECURE_SSL_REDIRECT)
    if response.status_code != 200:
        raise BenchmarkError(f"{url} answered {response.status_code}")


# --- Load test --------------------------------------------------------------------


@dataclass
class _Tally:
    """What the virtual users saw; one lock, since they run in threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seconds: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    started: int = 0

    def claim(self) -> bool:
        """A virtual user may send one more request (the count cap)."""
        with self.lock:
            if self.started >= MAX_LOAD_REQUESTS:
                return False
            self.started += 1
            return True

    def record(self, elapsed: float, error: str | None) -> None:
        with self.lock:
            self.seconds.append(elapsed)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1


def _load(portal_user, users: int, seconds: float, options: Options) -> Figures:
    cookies = _session_cookies(portal_user, users)
    paths = _user_paths(portal_user)
    port = _free_port()
    workers = int(options.get("workers", 2))
    threads = int(options.get("threads", 8))
    server = _server_start(port, workers, threads)
    try:
        tally = _Tally()
        deadline = time.monotonic() + seconds
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=users) as pool:
            for cookie in cookies:
                pool.submit(_virtual_user, port, cookie, paths, deadline, tally)
        elapsed = time.perf_counter() - started
    finally:
        _server_stop(server)
    if not tally.seconds:
        raise BenchmarkError("The load test sent no request")
    return {
        "server": f"gunicorn 127.0.0.1:{port}, {workers} workers × {threads} threads",
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(tally.seconds),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "requests_per_s": round(len(tally.seconds) / elapsed, 1),
        **timings_summary(tally.seconds),
        "p99_ms": round(
            sorted(tally.seconds)[int(len(tally.seconds) * 0.99)] * 1000, 1
        ),
    }


def _session_cookies(portal_user, users: int) -> list[str]:
    """One session per virtual user, made like the test Client's force_login: the
    load test measures the portal, not the password hasher."""
    cookies = []
    for _ in range(users):
        client = Client()
        client.force_login(portal_user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def _user_paths(portal_user) -> list[str]:
    employer = portal_user.portal_account.person.employers.first()
    return [
        reverse("portal:dashboard"),
        reverse("portal:company", args=[employer.pk]),
        reverse("portal:requests"),
    ]


def _virtual_user(
    port: int, cookie: str, paths: list[str], deadline: float, tally: _Tally
) -> None:
    headers = {"Cookie": cookie, "Host": f"127.0.0.1:{port}"}
    if settings.SECURE_SSL_REDIRECT:
        headers["X-Forwarded-Proto"] = "https"  # as the TLS proxy would say
    turn = 0
    while time.monotonic() < deadline and tally.claim():
        path = paths[turn % len(paths)]
        turn += 1
        before = time.perf_counter()
        error = None
        try:
            conn = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=REQUEST_TIMEOUT
            )
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                error = f"HTTP {response.status}"
        except OSError as exc:
            error = type(exc).__name__
        tally.record(time.perf_counter() - before, error)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_start(port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn, as in production, on loopback with this process's settings and
    database."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--log-level=warning",
        "--timeout=30",
    ]
    env = {**os.environ, "DATABASE_URL": _database_url()}
    server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)  # noqa: S603 - our own command line
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchmarkError(
                f"gunicorn stopped at start (exit {server.returncode})"
            )
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", reverse("portal:login"))
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    _server_stop(server)
    raise BenchmarkError(f"gunicorn did not answer within {SERVER_START_TIMEOUT} s")


def _database_url() -> str:
    """The database this process uses, for the server (under pytest: the test one)."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{os.path.abspath(config['NAME'])}"
    if connection.vendor == "postgresql":
        user, password = quote(config["USER"] or ""), quote(config["PASSWORD"] or "")
        credentials = (
            f"{user}:{password}@" if password else (f"{user}@" if user else "")
        )
        host, port = config["HOST"] or "localhost", config["PORT"] or 5432
        return f"postgres://{credentials}{host}:{port}/{quote(config['NAME'])}"
    raise BenchmarkError(f"No DATABASE_URL for {connection.vendor}")


def _server_stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()

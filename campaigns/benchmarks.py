"""`manage.py bench send --recipients 20000 --json` and `manage.py bench segment`.

send: a personalised newsletter in two languages to N recipients through a real
Celery worker (a subprocess, prefork) and the configured broker (set
CELERY_BROKER_URL=redis://… for Redis) into an aiosmtpd sink on loopback (another
subprocess), end to end: from `newsletter_send` (enqueue) until the last delivery is
marked sent, which happens right after the sink accepted it. In the same run a
plain smtplib loop sends N pre-rendered messages of the same size over one
connection to the same sink: the ceiling. The data lives in a throw-away office
`BENCHNL`, deleted afterwards.

`--backend anymail`: the provider path instead, in this process (bench_provider.py).

segment: see bench_segment.py (data set in bench_data.py).
"""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from core.bench import BenchmarkError, Figures, Options, register
from crm.models import ContactPerson, Employer, EmployerRole, Office

from .models import (
    Delivery,
    MailingList,
    MailSettings,
    Newsletter,
    NewsletterVersion,
    Segment,
    Subscription,
)

PARAGRAPH = (
    "<p>Die IV-Stelle unterstützt Arbeitgebende dabei, Mitarbeitende mit "
    "gesundheitlichen Einschränkungen im Betrieb zu halten. <a href="
    '"https://www.iv-be.ch/arbeitgeber/{n}">Mehr erfahren</a>. '
    + "Früherfassung, Frühintervention und Integrationsmassnahmen. " * 6
    + "</p>"
)


def _database_url() -> str:
    data = connection.settings_dict
    if data["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(str(data['NAME'])).resolve()}"
    user = quote(data.get("USER") or "", safe="")
    password = quote(data.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{data['PORT']}" if data.get("PORT") else ""
    host = data.get("HOST") or "localhost"
    return f"postgres://{auth}{host}{port}/{quote(data['NAME'])}"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Sink:
    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.count_file = workdir / "sink.count"
        self.process = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "campaigns.smtp_sink", "--port", str(self.port),
             "--count-file", str(self.count_file)],
            cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        if "ready" not in (self.process.stdout.readline() or ""):
            raise BenchmarkError("the SMTP sink did not start (is aiosmtpd installed?)")

    def stop(self) -> tuple[int, int]:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        count, size = self.count_file.read_text().split()
        return int(count), int(size)


def _newsletter_build(recipients: int, paragraphs: int) -> Newsletter:
    office = Office.objects.create(
        code="BENCHNL", name="IV-Stelle Bench", canton="BE", languages=["de", "fr"]
    )
    MailSettings.objects.create(
        office=office, sender_name="IV-Stelle Bench", sender_email="news@bench.example",
        postal_address="Benchstrasse 1, 3000 Bern", messages_per_minute=0,
    )  # fmt: skip
    mailing_list = MailingList.objects.create(
        office=office, name="Bench", slug="bench", consent_text="ok"
    )
    persons = ContactPerson.objects.bulk_create(
        ContactPerson(office=office, first_name=f"Vorname{n}", last_name=f"Näme{n}",
                      email=f"r{n}@bench.example", languages=["de" if n % 2 else "fr"])
        for n in range(recipients)
    )  # fmt: skip
    Subscription.objects.bulk_create(
        Subscription(mailing_list=mailing_list, person=person, email=person.email,
                     first_name=person.first_name, last_name=person.last_name,
                     language=person.languages[0], status="active", source="import",
                     legal_basis="consent")
        for person in persons
    )  # fmt: skip
    newsletter = Newsletter.objects.create(
        office=office, name="Bench", mailing_list=mailing_list, tracking=True
    )
    for language, subject in (("de", "Neues von der IV"), ("fr", "Nouvelles de l'AI")):
        body = [{"type": "heading", "value": subject}]
        body += [
            {"type": "text", "value": PARAGRAPH.format(n=n)} for n in range(paragraphs)
        ]
        NewsletterVersion.objects.create(
            newsletter=newsletter, language=language, subject=subject, body=body
        )
    return newsletter


def _bench_office_delete(code: str) -> None:
    office = Office.objects.filter(code=code).first()
    if office is None:
        return
    Newsletter.objects.filter(office=office).delete()
    MailingList.objects.filter(office=office).delete()
    Segment.objects.filter(office=office).delete()
    EmployerRole.objects.filter(employer__office=office).delete()
    ContactPerson.objects.filter(office=office).delete()
    Employer.objects.filter(office=office).delete()
    office.delete()


def _worker_start(env: dict, concurrency: int, log: Path) -> subprocess.Popen:
    worker = subprocess.Popen(  # noqa: S603 - our own worker
        [sys.executable, "-m", "celery", "-A", "config", "worker",
         "--pool=prefork", "-c", str(concurrency), "--loglevel=WARNING",
         "--without-mingle", "--without-gossip", "-n", f"bench{os.getpid()}@%h"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    time.sleep(float(os.environ.get("BENCH_WORKER_WARMUP", "4")))
    if worker.poll() is not None:
        raise BenchmarkError(f"the worker exited: {log.read_text()[-2000:]}")
    return worker


def _ceiling(port: int, messages: list[bytes], count: int) -> float:
    """Pre-rendered bytes over one smtplib connection: what the sink can take."""
    client = smtplib.SMTP("127.0.0.1", port, local_hostname="bench.local")
    started = time.perf_counter()
    for n in range(count):
        client.sendmail("news@bench.example", [f"c{n}@bench.example"], messages[n % 2])
    elapsed = time.perf_counter() - started
    client.quit()
    return count / elapsed


@register("send")
def send(options: Options) -> Figures:
    from .services import sending

    recipients = int(options.get("recipients", 2000))
    concurrency = int(options.get("concurrency", 2))
    batch = int(options.get("batch_size", 500))
    paragraphs = int(options.get("paragraphs", 24))
    timeout = float(options.get("timeout", 900))
    _bench_office_delete("BENCHNL")
    if options.get("backend") == "anymail":
        return _send_anymail(recipients, paragraphs, batch)
    workdir = Path(tempfile.mkdtemp(prefix="bench-send-"))
    sink = _Sink(workdir)
    worker = None
    try:
        newsletter = _newsletter_build(recipients, paragraphs)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "config.settings.dev"
            ),
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "TEST_EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "NEWSLETTER_BATCH_SIZE": str(batch),
        }
        worker = _worker_start(env, concurrency, workdir / "worker.log")
        settings.NEWSLETTER_BATCH_SIZE = batch
        started = time.perf_counter()
        sending.newsletter_send(newsletter)  # compiles once per language, enqueues
        enqueued = time.perf_counter() - started
        deadline = time.monotonic() + timeout
        while True:
            sent = Delivery.objects.filter(newsletter=newsletter, status="sent").count()
            if sent >= recipients:
                break
            if time.monotonic() > deadline or worker.poll() is not None:
                log = (workdir / "worker.log").read_text()[-2000:]
                raise BenchmarkError(f"only {sent}/{recipients} sent\n{log}")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        samples = [
            sending.delivery_message(newsletter, delivery)
            for delivery in Delivery.objects.filter(newsletter=newsletter)[:2]
        ]
        splice = _splice_timing(newsletter)
        ceiling = _ceiling(sink.port, samples, recipients)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        accepted, size = sink.stop()
        _bench_office_delete("BENCHNL")
    end_to_end = recipients / elapsed
    return {
        "recipients": recipients,
        "languages": 2,
        "message_kb": round(sum(map(len, samples)) / len(samples) / 1024, 1),
        "broker": settings.CELERY_BROKER_URL.split(":", 1)[0],
        "database": connection.vendor,
        "worker_concurrency": concurrency,
        "batch_size": batch,
        "enqueue_s": round(enqueued, 3),
        "end_to_end_s": round(elapsed, 2),
        "end_to_end_msg_per_s": round(end_to_end, 1),
        "ceiling_smtplib_msg_per_s": round(ceiling, 1),
        "ratio_to_ceiling": round(end_to_end / ceiling, 2),
        "splice_per_message_us": splice,
        "sink_accepted": accepted,
        "sink_mb": round(size / 1024 / 1024, 1),
    }


def _send_anymail(recipients: int, paragraphs: int, batch: int) -> Figures:
    """`--backend anymail`: the provider path in this process (bench_provider)."""
    from .bench_provider import provider_send_measure

    settings.NEWSLETTER_BATCH_SIZE = batch
    try:
        newsletter = _newsletter_build(recipients, paragraphs)
        figures = provider_send_measure(newsletter, recipients)
    finally:
        _bench_office_delete("BENCHNL")
    return {"languages": 2, "database": connection.vendor, **figures}


def _splice_timing(newsletter: Newsletter) -> float:
    from .services import sending

    deliveries = list(Delivery.objects.filter(newsletter=newsletter)[:500])
    started = time.perf_counter()
    for delivery in deliveries:
        sending.delivery_message(newsletter, delivery)
    return round((time.perf_counter() - started) / len(deliveries) * 1e6, 1)


# `bench segment` lives in bench_segment.py; importing it registers it.
from . import bench_segment  # noqa: E402, F401

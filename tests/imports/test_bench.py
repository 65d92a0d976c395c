"""`bench import`, `bench export` and `bench dedupe` run on a few rows and print one
JSON object with their figures (as tests/core/test_bench.py checks `bench healthz`);
`bench import` leaves no task behind."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from crm.models import Employer


def bench(*args: str) -> dict:
    out = StringIO()
    call_command("bench", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_bench_import_prints_its_figures_and_enqueues_nothing(monkeypatch):
    # Given every task the import could enqueue after its commit recorded
    from crm.dedupe.tasks import duplicate_scan_task
    from integrations.uid_register.tasks import uid_register_lookup_batch_task

    sent = []
    for task in (duplicate_scan_task, uid_register_lookup_batch_task):
        monkeypatch.setattr(task, "delay", lambda *a, **kw: sent.append(kw))
    callbacks = []
    monkeypatch.setattr(transaction, "on_commit", lambda f, **kw: callbacks.append(f))
    # When the benchmark runs on 300 rows
    figures = bench("import", "--rows", "300")
    # Then it reports CSV, the peer, COPY and XLSX, and nothing was enqueued
    assert figures["rows"] == 300 and figures["benchmark"] == "import"
    for key in (
        "passerelle_new_rows_per_s",
        "passerelle_reimport_rows_per_s",
        "passerelle_reimport_unchanged_rows_per_s",
        "peer_default_new_rows_per_s",
        "peer_use_bulk_cached_update_10pct_rows_per_s",
        "copy_rows_per_s",
        "ratio_new_to_copy",
        "passerelle_xlsx_new_rows_per_s",
        "xlsx_read_s",
    ):
        assert figures[key] > 0, key
    assert figures["post_commit_tasks"].startswith("suppressed")
    assert sent == [] and callbacks == []
    assert not Employer.objects.filter(office__code="BENCH").exists()


@pytest.mark.django_db(transaction=True)
def test_bench_export_prints_its_figures():
    figures = bench("export", "--rows", "300")
    assert figures["rows"] == 300 and figures["format"] == "xlsx"
    assert figures["rows_per_s"] > 0 and figures["peak_rss_mb"] > 0
    assert figures["output"].startswith("exported=300 ")


@pytest.mark.django_db
def test_bench_dedupe_prints_its_figures():
    figures = bench("dedupe", "--employers", "200")
    assert figures["benchmark"] == "dedupe" and figures["employers"] >= 200
    assert figures["contact_persons"] > 0 and figures["planted_pairs"] > 0
    assert figures["scan_seconds"] >= 0 and 0 <= figures["recall"] <= 1
    assert figures["goal_seconds"] == 60

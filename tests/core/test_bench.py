"""`manage.py bench NAME [--key value ...] --json` runs registered benchmarks."""

import json

import pytest
from django.core.management import CommandError, call_command

from core import bench


@pytest.fixture
def scratch_benchmark():
    """Registers a throwaway benchmark that echoes its options, and removes it."""

    @bench.register("echo")
    def echo(options):
        return {"options": options}

    yield
    bench._benchmarks.pop("echo", None)


@pytest.mark.django_db
def test_healthz_benchmark_prints_one_json_object_with_its_figures(capsys):
    call_command("bench", "healthz", "--requests", "20", "--json")

    figures = json.loads(capsys.readouterr().out)
    assert figures["benchmark"] == "healthz"
    assert figures["requests"] == 20
    assert 0 < figures["min_ms"] <= figures["median_ms"] <= figures["p95_ms"]
    assert figures["p95_ms"] <= figures["max_ms"]
    assert figures["requests_per_s"] > 0


@pytest.mark.django_db
def test_healthz_benchmark_prints_figures_for_people_without_json(capsys):
    call_command("bench", "healthz", "--requests=3")

    out = capsys.readouterr().out
    assert "median_ms" in out
    assert not out.startswith("{")


def test_unknown_benchmark_names_the_known_ones():
    with pytest.raises(CommandError, match="Unknown benchmark 'nope'.*healthz"):
        call_command("bench", "nope", "--json")


def test_benchmark_receives_options_it_alone_knows(capsys, scratch_benchmark):
    call_command(
        "bench", "echo", "--employers", "100000", "--ratio=0.5", "--mode", "bulk",
        "--dry-run", "--json",
    )  # fmt: skip

    figures = json.loads(capsys.readouterr().out)
    assert figures == {
        "benchmark": "echo",
        "options": {"employers": 100000, "ratio": 0.5, "mode": "bulk", "dry_run": True},
    }


def test_a_second_benchmark_under_a_taken_name_is_refused(scratch_benchmark):
    with pytest.raises(ValueError, match="already registered"):

        @bench.register("echo")
        def other(options):
            return {}


def test_percentile_is_nearest_rank():
    values = [float(n) for n in range(1, 201)]

    assert bench.percentile(values, 95) == 190.0
    assert bench.percentile(values, 50) == 100.0
    assert bench.percentile([7.0], 95) == 7.0

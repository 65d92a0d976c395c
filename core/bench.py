"""A small benchmark registry behind `manage.py bench NAME [--key value ...] --json`.

An app registers benchmarks in its `benchmarks.py`; the command imports those modules
of every installed app, so registering is all an app has to do::

    from core.bench import register, timings_summary

    @register("employer_import")
    def employer_import(options: dict) -> dict:
        rows = options.get("employers", 10_000)
        ...
        return {"employers": rows, "rows_per_s": rows / seconds}

A benchmark receives the options given after its name (`--employers 100000` arrives
as `{"employers": 100000}`) and returns a flat dict of figures, which the command
prints as one JSON object. Benchmarks measure what the running settings point at:
the database and broker of `DJANGO_SETTINGS_MODULE`.
"""

import math
import statistics
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.module_loading import autodiscover_modules

Options = dict[str, Any]
Figures = dict[str, Any]
Benchmark = Callable[[Options], Figures]

_benchmarks: dict[str, Benchmark] = {}


class BenchmarkError(Exception):
    """A benchmark could not measure what it should (e.g. the endpoint answered 503)."""


def register(name: str) -> Callable[[Benchmark], Benchmark]:
    """Registers a benchmark function under `name`."""

    def decorator(func: Benchmark) -> Benchmark:
        existing = _benchmarks.get(name)
        # The same function seen twice is a module imported twice, not a clash.
        if existing is not None and existing.__qualname__ != func.__qualname__:
            raise ValueError(f"Benchmark {name!r} is already registered by {existing}")
        _benchmarks[name] = func
        return func

    return decorator


def autodiscover() -> None:
    """Imports `<app>.benchmarks` of every installed app (those that have one)."""
    autodiscover_modules("benchmarks")


def benchmark_names() -> list[str]:
    return sorted(_benchmarks)


def benchmark_get(name: str) -> Benchmark:
    """The registered benchmark; KeyError when there is none by that name."""
    return _benchmarks[name]


def options_parse(args: Sequence[str]) -> Options:
    """`["--employers", "100000", "--dry-run", "--mode=bulk"]` → a dict.

    Keys lose their dashes (`--batch-size` → `batch_size`); values become int or
    float when they look like one; an option with no value is True.
    """
    options: Options = {}
    key: str | None = None
    for arg in args:
        if arg.startswith("--") and len(arg) > 2:
            if key is not None:
                options[key] = True
            name, has_value, value = arg[2:].partition("=")
            key = name.replace("-", "_")
            if has_value:
                options[key] = _coerce(value)
                key = None
        elif key is not None:
            options[key] = _coerce(arg)
            key = None
        else:
            raise ValueError(
                f"Unexpected argument {arg!r}: options look like --key value"
            )
    if key is not None:
        options[key] = True
    return options


def _coerce(value: str) -> Any:
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def timings_summary(seconds: Sequence[float]) -> Figures:
    """Median, p95, min, max and mean of timings in seconds, as milliseconds."""
    if not seconds:
        raise ValueError("No timings to summarise")
    ordered = sorted(seconds)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(percentile(ordered, 95) * 1000, 3),
        "min_ms": round(ordered[0] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
    }


def percentile(ordered: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]

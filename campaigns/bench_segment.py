"""`manage.py bench segment --json`: a segment's count and preview at country size.

The data set (office `BENCHSEG`, bench_data.py) is built once with COPY and kept.
Times the count and the 50-recipient preview of "cantons BE and ZH, medium and
large, an opted-in German-speaking contact person, no case-independent contact in
the last 365 days": warm (median of --runs after a warm-up) and, on PostgreSQL,
cold (after dropping the OS page cache and flooding shared buffers), and the same
count as hand-written SQL for comparison.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.utils import timezone

from core.bench import Figures, Options, register, timings_summary
from crm.models import Office

from .models import MailingList, Segment


def _segment_data(employers: int, seed: int) -> tuple[Office, MailingList, dict]:
    """The BENCHSEG office's data set, built (COPY) only when absent or resized."""
    from . import bench_data

    office = bench_data.segment_data_exists(employers)
    built: dict = {}
    if office is None:
        bench_data.segment_data_drop()
        started = time.perf_counter()
        built = bench_data.segment_data_build(employers, seed)
        built["build_s"] = round(time.perf_counter() - started, 1)
        office = Office.objects.get(code="BENCHSEG")
    return office, MailingList.objects.get(office=office, slug="bench"), built


def _caches_chill() -> bool:
    """Makes the next query cold: the OS page cache dropped (when allowed) and
    PostgreSQL's shared buffers filled with the contacts table, which no segment
    query reads. False when the OS cache could not be dropped."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # an index scan does not use a
        cursor.execute("SET enable_bitmapscan = off")  # ring buffer: it evicts
        cursor.execute("SELECT SUM(employer_id) FROM crm_contact WHERE employer_id > 0")
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_bitmapscan")
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def _segment_timed(seg: Segment, runs: int) -> tuple[list, list, dict]:
    from .selectors import segment_count, segment_preview

    counts, previews, result = [], [], {}
    for _ in range(runs):
        before = time.perf_counter()
        result = segment_count(seg)
        counts.append(time.perf_counter() - before)
        before = time.perf_counter()
        segment_preview(seg, limit=50)
        previews.append(time.perf_counter() - before)
    return counts, previews, result


# The same count written by hand, left to the planner (`IN (subquery)`): the
# reference DESIGN.md speaks of, timed in the same run for comparison.
REFERENCE_SQL = """
SELECT COUNT(DISTINCT r.person_id), COUNT(DISTINCT r.employer_id)
FROM crm_employerrole r JOIN crm_contactperson p ON p.id = r.person_id
WHERE r.employer_id IN (
    SELECT e.id FROM crm_employer e
    WHERE e.office_id = %s AND e.canton IN ('BE', 'ZH')
      AND e.size_class IN ('medium', 'large')
      AND (e.last_case_independent_contact_on < %s
           OR e.last_case_independent_contact_on IS NULL))
  AND p.is_active AND p.languages @> '["de"]'
  AND EXISTS (SELECT 1 FROM campaigns_subscription s WHERE s.person_id = r.person_id
              AND s.mailing_list_id = %s AND s.status = 'active')
"""


def _reference_timed(seg: Segment, runs: int) -> list[float]:
    since = timezone.localdate() - timedelta(days=seg.no_contact_days)
    params = [seg.office_id, since, seg.mailing_list_id]
    timings = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            before = time.perf_counter()
            cursor.execute(REFERENCE_SQL, params)
            cursor.fetchone()
            timings.append(time.perf_counter() - before)
    return timings


def _count_plan(seg: Segment) -> list[str]:
    """EXPLAIN ANALYZE of the count's main query, as the segment code builds it."""
    from django.test.utils import CaptureQueriesContext

    from .selectors import segment_count

    with CaptureQueriesContext(connection) as queries:
        segment_count(seg)
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [sql] + [row[0] for row in cursor.fetchall()]


@register("segment")
def segment(options: Options) -> Figures:
    """Options: --employers N (20000), --runs (7 warm), --cold-runs (3, PostgreSQL:
    each after emptying the caches), --seed, --drop (remove the data afterwards),
    --explain (PostgreSQL: the count's plan, EXPLAIN ANALYZE, in the output)."""
    employers = int(options.get("employers", 20000))
    runs = int(options.get("runs", 7))
    cold_runs = int(options.get("cold_runs", 3))
    office, mailing_list, built = _segment_data(employers, int(options.get("seed", 1)))
    seg = Segment.objects.create(
        office=office, name="bench", cantons=["BE", "ZH"],
        size_classes=["medium", "large"], person_languages=["de"],
        mailing_list=mailing_list, no_contact_days=365,
    )  # fmt: skip
    figures: Figures = {}
    try:
        if connection.vendor == "postgresql" and cold_runs:
            cold_counts, cold_previews, os_cache_dropped = [], [], True
            for _ in range(cold_runs):
                os_cache_dropped &= _caches_chill()
                counts, _previews, _result = _segment_timed(seg, 1)
                cold_counts += counts
                _caches_chill()
                before = time.perf_counter()
                from .selectors import segment_preview

                segment_preview(seg, limit=50)
                cold_previews.append(time.perf_counter() - before)
            figures["cold_os_cache_dropped"] = os_cache_dropped
            figures.update(
                {f"cold_count_{k}": v for k, v in timings_summary(cold_counts).items()}
            )
            figures.update(
                {
                    f"cold_preview_{k}": v
                    for k, v in timings_summary(cold_previews).items()
                }
            )
        _segment_timed(seg, 1)  # warm-up
        load_before = os.getloadavg()[0]
        counts, previews, result = _segment_timed(seg, runs)
        figures["load_average_1min"] = round((load_before + os.getloadavg()[0]) / 2, 2)
        if connection.vendor == "postgresql":
            reference = _reference_timed(seg, runs)
            figures.update(
                {f"reference_sql_count_{k}": v
                 for k, v in timings_summary(reference).items()}
            )  # fmt: skip
            if options.get("explain"):
                figures["count_plan"] = _count_plan(seg)
    finally:
        seg.delete()
    if options.get("drop"):
        from .bench_data import segment_data_drop

        segment_data_drop()
    return {
        "employers": employers,
        "database": connection.vendor,
        **{f"built_{k}": v for k, v in built.items()},
        "matching_persons": result["persons"],
        "matching_employers": result["employers"],
        **{f"count_{k}": v for k, v in timings_summary(counts).items()},
        **{f"preview_{k}": v for k, v in timings_summary(previews).items()},
        **figures,
    }

"""The import service beyond employers: opportunities and partners (re-import changes
nothing), the duplicate scan after the commit, formula-safe exports, the benchmark."""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from crm.dedupe.models import DuplicateCandidate, Kind
from crm.models import Employer, JobOpportunity, PartnerOrganisation
from integrations.imports.benchmarks import import_bench
from integrations.imports.exporting import export_write
from integrations.imports.reading import table_read
from integrations.imports.services import import_run
from tests.crm.conftest import VALID_UIDS, make_employer

pytestmark = pytest.mark.django_db


def run(resource, content: str, office, **options):
    with translation.override("en"):
        table = table_read(content.encode("utf-8"), fmt="csv")
        return import_run(resource=resource, table=table, office=office, **options)


def counts(result) -> tuple[int, int, int, int]:
    return result.created, result.updated, result.skipped, result.errors


# --- Opportunities and partners ------------------------------------------------------


OPPORTUNITIES = (
    "UID;Art;Stelle;Pensum;Beginn;Beschreibung\n"
    f"{VALID_UIDS[0]};job;Logistiker/in;80;01.03.2026;Lager\n"
    f"{VALID_UIDS[0]};trial_place;Büroassistenz;50;;\n"
    f"{VALID_UIDS[1]};apprenticeship;Koch/Köchin EFZ;100;01.08.2026;\n"
)


def test_opportunities_import_and_reimport_changes_nothing(office_be):
    make_employer(office_be, "Berner Logistik AG", VALID_UIDS[0])
    make_employer(office_be, "Restaurant Bären", VALID_UIDS[1])
    result = run("opportunities", OPPORTUNITIES, office_be)
    assert counts(result) == (3, 0, 0, 0), [r.messages for r in result.rows]
    job = JobOpportunity.objects.get(title="Logistiker/in")
    assert (job.employer.uid, job.workload_percent, str(job.start_on)) == (
        VALID_UIDS[0],
        80,
        "2026-03-01",
    )
    assert job.office == office_be and job.status == "open"
    before = list(JobOpportunity.objects.order_by("pk").values())
    # the same file again: every row matches, nothing is written
    again = run("opportunities", OPPORTUNITIES, office_be)
    assert counts(again) == (0, 0, 3, 0)
    assert list(JobOpportunity.objects.order_by("pk").values()) == before
    # a changed workload updates that opportunity only
    changed = OPPORTUNITIES.replace(";job;Logistiker/in;80;", ";job;Logistiker/in;60;")
    assert counts(run("opportunities", changed, office_be)) == (0, 1, 2, 0)
    assert JobOpportunity.objects.get(pk=job.pk).workload_percent == 60
    assert JobOpportunity.objects.count() == 3


def test_opportunities_of_an_unknown_or_foreign_employer_are_refused(
    office_be, office_vd
):
    make_employer(office_vd, "Horlogerie SA", VALID_UIDS[0])
    result = run("opportunities", OPPORTUNITIES, office_be)
    assert result.errors == 3 and not result.written
    assert "No employer of this office" in " ".join(result.rows[0].messages)
    assert not JobOpportunity.objects.exists()


PARTNERS = (
    "Name;Typ;Ort;E-Mail;Notizen\n"
    "RAV Bern;rav;Bern;rav.bern@example.ch;\n"
    "Handels- und Industrieverein;employer_association;Bern;;Netzwerkanlass\n"
)


def test_partners_import_and_reimport_changes_nothing(office_be, office_vd):
    result = run("partners", PARTNERS, office_be)
    assert counts(result) == (2, 0, 0, 0), [r.messages for r in result.rows]
    rav = PartnerOrganisation.objects.get(name="RAV Bern")
    assert (rav.kind, rav.office, rav.email) == (
        "rav",
        office_be,
        "rav.bern@example.ch",
    )
    assert counts(run("partners", PARTNERS, office_be)) == (0, 0, 2, 0)
    assert PartnerOrganisation.objects.count() == 2
    # the name matches without regard to case; a changed town is an update
    changed = PARTNERS.replace("RAV Bern;rav;Bern;", "rav bern;rav;Thun;")
    assert counts(run("partners", changed, office_be)) == (0, 1, 1, 0)
    rav.refresh_from_db()
    assert rav.municipality == "Thun"
    # another office's import of the same file makes its own partners
    assert counts(run("partners", PARTNERS, office_vd)) == (2, 0, 0, 0)
    assert PartnerOrganisation.objects.filter(office=office_be).count() == 2


# --- The duplicate scan after the commit ---------------------------------------------


def test_employer_import_enqueues_the_duplicate_scan_after_commit(
    office_be, django_capture_on_commit_callbacks
):
    # Given an employer already in the office (no UID) and a file with a near-twin
    planted = make_employer(office_be, "Müller-Bau AG", postcode="3011")
    make_employer(office_be, "Garage Zbinden AG", postcode="3000")
    make_employer(office_be, "Garage Zbinden", postcode="3000")  # an old pair
    content = (
        "UID;Firma;PLZ;Ort;Kanton\n"
        f"{VALID_UIDS[0]};MULLER BAU GmbH;3011;Bern;BE\n"
        f"{VALID_UIDS[1]};Schreinerei Keller;3600;Thun;BE\n"
    )
    # When it is imported (Celery runs eagerly in tests)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = run("employers", content, office_be)
        # the scan waits for the commit
        assert result.written and not DuplicateCandidate.objects.exists()
    # Then the scan ran once, after the commit, for the imported employers only
    assert len(callbacks) == 1
    imported = Employer.objects.get(uid=VALID_UIDS[0])
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.kind, candidate.office) == (Kind.EMPLOYER, office_be)
    assert {candidate.low_id, candidate.high_id} == {planted.pk, imported.pk}
    assert {r["code"] for r in candidate.reasons} == {"name_postcode"}


def test_dry_run_and_refused_imports_enqueue_no_scan(
    office_be, django_capture_on_commit_callbacks
):
    make_employer(office_be, "Müller-Bau AG", postcode="3011")
    content = (
        "UID;Firma;PLZ;Ort;Kanton\n"
        f"{VALID_UIDS[0]};MULLER BAU GmbH;3011;Bern;BE\n"
        "CHE-123.456.789;Falsche UID AG;3011;Bern;BE\n"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run("employers", content, office_be, dry_run=True)
        run("employers", content, office_be)
    assert callbacks == [] and not DuplicateCandidate.objects.exists()


# --- Formula neutralisation in exports -----------------------------------------------

FORMULAS = ["=1+1", "+41 SUMME(A1)", "-2+3", '@HYPERLINK("x")']


def formula_employers(office):
    for uid, name in zip(VALID_UIDS, FORMULAS, strict=False):
        make_employer(office, name, uid, street=name)


def test_csv_export_neutralises_every_formula_start(office_be):
    formula_employers(office_be)
    out = io.BytesIO()
    assert export_write("employers", "csv", out, office_be) == 4
    rows = list(
        csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig")), delimiter=";")
    )
    header = rows[0]
    names = [row[header.index("Firma")] for row in rows[1:]]
    streets = [row[header.index("Strasse")] for row in rows[1:]]
    assert names == streets == ["'" + f for f in FORMULAS]
    # and the export imports again unchanged: the ' comes off on import
    result = run("employers", out.getvalue().decode("utf-8-sig"), office_be)
    assert counts(result) == (0, 0, 4, 0)
    assert sorted(Employer.objects.values_list("legal_name", flat=True)) == sorted(
        FORMULAS
    )


def test_xlsx_export_neutralises_every_formula_start(office_be):
    formula_employers(office_be)
    out = io.BytesIO()
    assert export_write("employers", "xlsx", out, office_be) == 4
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    names = [row[rows[0].index("Firma")] for row in rows[1:]]
    assert names == ["'" + f for f in FORMULAS]
    # no cell is stored as a formula
    assert all(
        cell.data_type != "f" for row in sheet.iter_rows(min_row=2) for cell in row
    )
    table = table_read(out.getvalue(), fmt="xlsx")
    result = import_run(resource="employers", table=table, office=office_be)
    assert counts(result) == (0, 0, 4, 0)


# --- The benchmark --------------------------------------------------------------------


def test_import_benchmark_runs_all_three_on_the_same_file():
    figures = import_bench({"rows": 40, "peer_rows": 10})
    assert figures["rows"] == 40 and figures["peer_rows"] == 10
    for variant in ("default", "use_bulk", "use_bulk_cached"):
        assert figures[f"peer_{variant}_new_rows_per_s"] > 0
        assert figures[f"peer_{variant}_update_10pct_rows_per_s"] > 0
        assert f"ratio_new_to_peer_{variant}" in figures
    assert figures["copy_rows_per_s"] > 0
    assert not Employer.objects.filter(office__code="BENCH").exists()

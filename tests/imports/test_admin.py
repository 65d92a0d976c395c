"""Imports in the Wagtail admin: upload → (mapping) → preview → confirm → result,
the error report, the exports, the office boundary and the background path."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from crm.models import Employer, StaffRole
from integrations.imports.models import ImportJob
from tests.crm.conftest import VALID_UIDS, make_employer, make_staff

pytestmark = pytest.mark.django_db

HEADER = "UID;Firma;PLZ;Ort;Kanton\n"
GOOD = (
    HEADER
    + f"{VALID_UIDS[0]};Bäckerei Müller AG;3011;Bern;BE\n"
    + f"{VALID_UIDS[1]};Zürcher Garage GmbH;8002;Zürich;ZH\n"
)
BAD_UID = "CHE-123.456.789"
WITH_ERROR = (
    HEADER
    + f"{VALID_UIDS[0]};Bäckerei Müller AG;3011;Bern;BE\n"
    + f"{BAD_UID};Falsche UID AG;3000;Bern;BE\n"
)


def upload(client, content, name="firms.csv", resource="employers", **extra):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        reverse("imports_index"),
        {"resource": resource, "file": SimpleUploadedFile(name, data), **extra},
    )


def latest_job() -> ImportJob:
    return ImportJob.objects.latest("pk")


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_preview_confirm_creates_and_updates_employers(
    client, be_staff, office_be
):
    # Given an employer the file changes, and a staff member of its office
    make_employer(office_be, "Alte Garage AG", VALID_UIDS[1], postcode="8002")
    client.force_login(be_staff)
    # When she uploads the file
    response = upload(client, GOOD)
    job = latest_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports_job", args=[job.pk])
    # Then the preview shows one new row with its values and one update old → new
    page = client.get(response["Location"]).content.decode()
    assert "Preview" in page and "Nothing has been written yet" in page
    assert "New: <strong>1</strong>" in page and "Update: <strong>1</strong>" in page
    assert "Bäckerei Müller AG" in page
    assert "<del>Alte Garage AG</del> → <ins>Zürcher Garage GmbH</ins>" in page
    assert Employer.objects.count() == 1  # nothing written yet
    # When she confirms
    response = client.post(reverse("imports_confirm", args=[job.pk]))
    # Then the employers are written and the page shows the result
    page = client.get(response["Location"]).content.decode()
    assert "1 created, 1 updated, 0 unchanged, 0 with errors" in page
    names = set(Employer.objects.values_list("legal_name", flat=True))
    assert names == {"Bäckerei Müller AG", "Zürcher Garage GmbH"}
    assert Employer.objects.get(uid=VALID_UIDS[0]).office == office_be
    job.refresh_from_db()
    assert job.status == "done" and job.user == be_staff and job.office == office_be
    # and a second confirmation writes nothing again
    client.post(reverse("imports_confirm", args=[job.pk]))
    assert Employer.objects.count() == 2


def test_error_row_blocks_confirmation_without_partial(client, be_staff):
    client.force_login(be_staff)
    response = upload(client, WITH_ERROR)
    job = latest_job()
    page = client.get(response["Location"]).content.decode()
    # The preview names the bad row and its error, in the user's language
    assert "Error: <strong>1</strong>" in page
    assert BAD_UID in page and "check digit" in page
    assert "Write the valid rows only" in page
    # Confirming without "valid rows only" is refused and writes nothing
    response = client.post(reverse("imports_confirm", args=[job.pk]), follow=True)
    assert "The file has rows with errors" in response.content.decode()
    assert not Employer.objects.exists()
    job.refresh_from_db()
    assert job.status == "preview_ready"
    # With it, the valid row is written and the bad one is counted
    client.post(reverse("imports_confirm", args=[job.pk]), {"partial": "on"})
    assert list(Employer.objects.values_list("legal_name", flat=True)) == [
        "Bäckerei Müller AG"
    ]
    job.refresh_from_db()
    assert (job.status, job.created_count, job.error_count) == ("done", 1, 1)


def test_file_error_is_shown_and_cannot_be_confirmed(client, be_staff):
    client.force_login(be_staff)
    response = upload(client, "UID;Strasse\nCHE-116.281.710;Weg 1\n")
    page = client.get(response["Location"]).content.decode()
    assert "Required columns are missing" in page and "Firma" in page
    assert 'data-testid="import-confirm"' not in page
    job = latest_job()
    client.post(reverse("imports_confirm", args=[job.pk]), {"partial": "on"})
    job.refresh_from_db()
    assert job.status == "preview_ready" and not Employer.objects.exists()


def test_a_file_that_is_not_a_table_gets_a_message_on_the_form(client, be_staff):
    client.force_login(be_staff)
    response = upload(client, b"PK\x03\x04broken", name="firms.xlsx")
    assert response.status_code == 200
    assert "not a readable XLSX workbook" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_mapping_step_for_unknown_columns(client, be_staff):
    client.force_login(be_staff)
    content = (
        "UID;Unternehmen;Kanton;Lieblingsfarbe\n"
        f"{VALID_UIDS[2]};Holzbau Aebi AG;BE;blau\n"
    )
    # When a file has headers the import does not know
    response = upload(client, content)
    job = latest_job()
    # Then she is asked what they mean, column by column
    assert response["Location"] == reverse("imports_mapping", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Unternehmen" in page and "Lieblingsfarbe" in page
    assert "Ignore this column" in page
    assert job.status == "uploaded" and not job.preview
    # When she maps "Unternehmen" to the name and ignores the other
    response = client.post(
        reverse("imports_mapping", args=[job.pk]),
        {"column_0": "legal_name", "column_1": ""},
    )
    # Then the preview reads the name from that column
    page = client.get(response["Location"]).content.decode()
    assert "New: <strong>1</strong>" in page and "Holzbau Aebi AG" in page
    client.post(reverse("imports_confirm", args=[job.pk]))
    assert Employer.objects.get(uid=VALID_UIDS[2]).legal_name == "Holzbau Aebi AG"


def test_error_report_csv_holds_the_rows_and_their_errors(client, be_staff):
    client.force_login(be_staff)
    upload(client, WITH_ERROR)
    job = latest_job()
    response = client.get(reverse("imports_error_report", args=[job.pk]))
    assert response.status_code == 200
    assert 'filename="firms-errors.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "UID",
        "Firma",
        "PLZ",
        "Ort",
        "Kanton",
        "Fehler / Erreur / Error",
    ]
    assert rows[1][:2] == [VALID_UIDS[0], "Bäckerei Müller AG"] and rows[1][5] == ""
    assert rows[2][:2] == [BAD_UID, "Falsche UID AG"]
    assert "UID" in rows[2][5] and "check digit" in rows[2][5]


def test_error_report_of_an_xlsx_upload_is_xlsx(client, be_staff):
    client.force_login(be_staff)
    content = xlsx_bytes(
        [
            ["UID", "Firma", "Kanton"],
            [VALID_UIDS[0], "Gute AG", "BE"],
            [VALID_UIDS[1], "Kanton XY AG", "XY"],
        ]
    )
    upload(client, content, name="firms.xlsx")
    job = latest_job()
    assert job.format == "xlsx"
    response = client.get(reverse("imports_error_report", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0] == ["UID", "Firma", "Kanton", "Fehler / Erreur / Error"]
    assert rows[1][3] in (None, "")
    assert rows[2][:3] == [VALID_UIDS[1], "Kanton XY AG", "XY"] and "XY" in rows[2][3]


def test_another_offices_job_is_404(client, be_staff, vd_staff):
    client.force_login(vd_staff)
    upload(client, WITH_ERROR.replace(";BE\n", ";VD\n"))
    job = latest_job()
    assert job.office.code == "VD"
    client.force_login(be_staff)
    for name in ("imports_job", "imports_progress", "imports_error_report"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    for name in ("imports_confirm", "imports_cancel", "imports_mapping"):
        url = reverse(name, args=[job.pk])
        assert client.post(url, {"partial": "on"}).status_code == 404, name
    job.refresh_from_db()
    assert job.status == "preview_ready" and not Employer.objects.exists()
    # and the BE list of recent imports does not name it
    assert "firms.csv" not in client.get(reverse("imports_index")).content.decode()


def test_large_files_run_in_the_background_with_progress(
    client, be_staff, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 1
    client.force_login(be_staff)
    # When a file above the limit is uploaded, the page shows a progress bar
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, GOOD)
    job = latest_job()
    assert job.status == "previewing" and len(callbacks) == 1
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-progress"' in page
    progress = client.get(reverse("imports_progress", args=[job.pk])).json()
    assert progress["status"] == "previewing" and progress["running"] is True
    # When the worker has run the (eager) task, the preview is ready
    callbacks[0]()
    progress = client.get(reverse("imports_progress", args=[job.pk])).json()
    assert progress["status"] == "preview_ready" and progress["running"] is False
    assert not Employer.objects.exists()
    # And confirming runs the import as a task, which ends done at 100 %
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("imports_confirm", args=[job.pk]))
    progress = client.get(reverse("imports_progress", args=[job.pk])).json()
    assert progress["status"] == "importing" and progress["running"] is True
    assert not Employer.objects.exists()
    callbacks[0]()
    progress = client.get(reverse("imports_progress", args=[job.pk])).json()
    assert progress["status"] == "done" and progress["percent"] == 100
    assert progress["done"] == progress["total"] == 2
    assert Employer.objects.count() == 2


def test_cancel_a_waiting_job(client, be_staff):
    client.force_login(be_staff)
    upload(client, GOOD)
    job = latest_job()
    response = client.post(reverse("imports_cancel", args=[job.pk]), follow=True)
    assert "The import was cancelled" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "cancelled" and not job.file
    client.post(reverse("imports_confirm", args=[job.pk]))
    assert not Employer.objects.exists()


def test_csrf_is_enforced(be_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(be_staff)
    assert upload(client, GOOD).status_code == 403
    assert not ImportJob.objects.exists()
    # A job made with a token cannot be confirmed by a forged form without one
    page = client.get(reverse("imports_index"))
    token = page.cookies["csrftoken"].value
    response = upload(client, GOOD, csrfmiddlewaretoken=token)
    job = latest_job()
    assert response.status_code == 302
    assert client.post(reverse("imports_confirm", args=[job.pk])).status_code == 403
    assert not Employer.objects.exists()


def test_export_is_the_users_office_only(client, be_staff, be_employer, vd_employer):
    client.force_login(be_staff)
    response = client.get(reverse("imports_export", args=["employers", "csv"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Berner Maschinenbau AG" in text and "Horlogerie Vaudoise" not in text
    response = client.get(reverse("imports_export", args=["employers", "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [row[1] for row in book.active.iter_rows(values_only=True)]
    assert names == ["Firma", "Berner Maschinenbau AG"]


def test_roles_without_add_or_export_permission_are_refused(client, office_be):
    # A case officer logs contacts but may neither add nor export employers
    officer = make_staff(office_be, "be.case", role=StaffRole.CASE_OFFICER)
    client.force_login(officer)
    response = upload(client, GOOD)
    assert response.status_code == 200 and "not one of the available" in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()
    # (Wagtail answers a refused admin page with a redirect to the dashboard)
    url = reverse("imports_export", args=["employers", "csv"])
    refused = client.get(url)
    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_home")
    # Communications may export employers, but not import them
    comms = make_staff(office_be, "be.comms", role=StaffRole.COMMUNICATIONS)
    client.force_login(comms)
    assert upload(client, GOOD).status_code == 200
    assert not ImportJob.objects.exists()
    assert client.get(url).status_code == 200


def test_superuser_chooses_the_office(client, office_be, office_vd):
    admin = get_user_model().objects.create_superuser("root", "root@example.ch", "pw")
    client.force_login(admin)
    upload(client, GOOD, office=office_vd.pk)
    client.post(reverse("imports_confirm", args=[latest_job().pk]))
    assert set(Employer.objects.values_list("office__code", flat=True)) == {"VD"}


def test_import_is_in_the_crm_menu(client, be_staff):
    client.force_login(be_staff)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("imports_index") in page


def test_a_too_large_file_gets_a_message_on_the_form(client, be_staff, settings):
    # Given a limit of 1 MB and a file of 1.5 MB (MB of 1024 × 1024 bytes)
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(be_staff)
    content = GOOD + "x" * (1024 * 1024 * 3 // 2 - len(GOOD))
    # When she uploads it
    response = upload(client, content)
    # Then the form says how large it is and what the limit is; no job is started
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file has 1.5 MB; imports take at most 1 MB." in page
    assert "Split it into several files." in page
    assert not ImportJob.objects.exists() and not Employer.objects.exists()


def test_a_real_file_just_over_a_small_limit_is_refused_on_the_form(
    client, be_staff, settings
):
    # Given a limit of 0.1 MB and a valid CSV of employers one byte larger
    settings.IMPORT_MAX_BYTES = 1024 * 1024 // 10
    row = f"{VALID_UIDS[0]};Bäckerei Müller AG;3011;Bern;BE\n"
    content = (HEADER + row * (settings.IMPORT_MAX_BYTES // len(row))).encode()
    content = content[: settings.IMPORT_MAX_BYTES - 1] + b"\n\n"
    assert len(content) == settings.IMPORT_MAX_BYTES + 1
    client.force_login(be_staff)
    # When she uploads it
    response = upload(client, content)
    # Then the form refuses it with the limit as the README states it
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file is larger than 0.1 MB, the most an import takes." in page
    assert not ImportJob.objects.exists() and not Employer.objects.exists()


FORMULA_ROWS = [
    [VALID_UIDS[0], "=1+1", "3011", "+41 SUMME(A1)", "BE"],
    [BAD_UID, '@HYPERLINK("x")', "3000", "-2+3", "BE"],
    [VALID_UIDS[1], "\tcmd", "3000", "\rBern", "XY"],
]


def test_csv_error_report_neutralises_the_files_own_formula_cells(client, be_staff):
    # Given an uploaded CSV whose cells start with =, +, -, @, a tab or a CR
    client.force_login(be_staff)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL).writerows(FORMULA_ROWS)
    upload(client, HEADER + buffer.getvalue())
    job = latest_job()
    # When she downloads the error report
    response = client.get(reverse("imports_error_report", args=[job.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    # Then every such cell starts with ' and no other cell changed
    assert [row[:5] for row in rows[1:]] == [
        ["'" + c if c[0] in "=+-@\t\r" else c for c in row] for row in FORMULA_ROWS
    ]
    # and the report, once its errors are corrected, imports the file's values
    fixed = io.StringIO()
    writer = csv.writer(fixed, delimiter=";")
    for row in rows:
        row = row[:5]
        writer.writerow([{BAD_UID: VALID_UIDS[2], "XY": "BE"}.get(c, c) for c in row])
    upload(client, fixed.getvalue().encode("utf-8-sig"), name="fixed.csv")
    client.post(reverse("imports_confirm", args=[latest_job().pk]))
    names = set(Employer.objects.values_list("legal_name", flat=True))
    assert names == {"=1+1", '@HYPERLINK("x")', "cmd"}


def test_xlsx_error_report_neutralises_every_formula_start(client, be_staff):
    from openpyxl.cell import WriteOnlyCell

    client.force_login(be_staff)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["UID", "Firma", "PLZ", "Ort", "Kanton"])
    for row in FORMULA_ROWS:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text that looks like a formula, as Excel keeps it
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    upload(client, out.getvalue(), name="firms.xlsx")
    job = latest_job()
    response = client.get(reverse("imports_error_report", args=[job.pk]))
    report = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = list(report.active.iter_rows(min_row=2))
    assert all(cell.data_type != "f" for row in cells for cell in row)
    values = [[cell.value for cell in row[:5]] for row in cells]
    assert values[0][1] == "'=1+1" and values[0][3] == "'+41 SUMME(A1)"
    assert values[1][1] == '\'@HYPERLINK("x")' and values[1][3] == "'-2+3"
    assert values[2][1] == "'\tcmd"


def test_progress_moves_in_steps_through_cleaning_and_matching(
    client, be_staff, monkeypatch
):
    # Given progress reported every 30 rows and written in batches of 30
    from core import bulk
    from integrations.imports import jobs, services

    monkeypatch.setattr(services, "PROGRESS_EVERY", 30)
    monkeypatch.setattr(bulk, "BATCH", 30)
    seen: list[tuple[str, int, int]] = []
    real_progress = jobs._progress

    def recording(job):
        report = real_progress(job)

        def wrapped(done, total):
            report(done, total)
            stored = ImportJob.objects.get(pk=job.pk)
            seen.append((stored.status, stored.progress_done, stored.progress_total))

        return wrapped

    monkeypatch.setattr(jobs, "_progress", recording)
    from integrations.imports.benchmarks import file_build, uid_numbers

    client.force_login(be_staff)
    upload(client, file_build(uid_numbers(180)), name="many.csv")
    job = latest_job()
    client.post(reverse("imports_confirm", args=[job.pk]))
    # Then the job's stored progress rose in many steps in the preview and the import
    for status in ("previewing", "importing"):
        values = [done for s, done, total in seen if s == status]
        assert values == sorted(values), values
        assert len(set(values)) >= 5, values
        assert all(total == 180 for s, _done, total in seen if s == status)
    importing = [done for s, done, _total in seen if s == "importing"]
    # the write stage is one transaction: no report inside it (it would stay
    # invisible until the commit), the bar goes from two thirds to the end
    assert not any(120 < done < 180 for done in importing), importing
    assert importing[-1] == 180
    assert Employer.objects.count() == 180

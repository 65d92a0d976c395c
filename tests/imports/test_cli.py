"""`crm_import` / `crm_export` from the command line: bad input of every kind gets a
message naming the row, and the database is unchanged unless --partial is asked for."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from crm.models import ContactPerson, Employer, EmployerRole
from tests.crm.conftest import VALID_UIDS

pytestmark = pytest.mark.django_db

HEADER_DE = "UID;Firma;Strasse;PLZ;Ort;Kanton;NOGA;Vollzeitstellen;E-Mail\n"


def run_import(tmp_path: Path, content: bytes | str, *args: str, name: str = "in.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command(
                "crm_import", *args[:1], str(path), *args[1:], stdout=out, stderr=err
            )
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_swiss_excel_csv_creates_employers(tmp_path, office_be):
    # Given a semicolon file in Windows-1252 with German headers and Swiss dates/numbers
    content = (
        HEADER_DE
        + f"{VALID_UIDS[0]};Bäckerei Müller AG;Marktgasse 1;3011;Bern;BE;10.71;12,5;"
        "info@mueller.example\n"
        + "\n"  # an empty line
        + f"{VALID_UIDS[1]};Zürcher Garage GmbH;Seestrasse 5;8002;Zürich;ZH;45.20;"
        "300;\n"
    ).encode("cp1252")
    # When it is imported
    code, out, err = run_import(tmp_path, content, "employers", "--office", "BE")
    # Then both employers exist, with umlauts read right and derived fields set
    assert code == 0, err
    assert out.strip().splitlines()[-1] == "created=2 updated=0 skipped=0 errors=0"
    muller = Employer.objects.get(uid=VALID_UIDS[0])
    assert muller.legal_name == "Bäckerei Müller AG"
    assert str(muller.fte) == "12.5" and muller.size_class == "small"
    assert muller.language_region == "de" and muller.office.code == "BE"
    assert Employer.objects.get(uid=VALID_UIDS[1]).size_class == "large"
    # and the import is in the field history
    assert muller.history.first().history_change_reason == "import"


def test_utf8_bom_commas_and_french_headers(tmp_path, office_vd):
    content = (
        "\ufeffIDE,Raison sociale,Rue,NPA,Localité,Canton,EPT\n"
        f'{VALID_UIDS[2]},"Horlogerie du Léman SA","Rue du Lac 3\n(2e étage)",'
        "1003,Lausanne,VD,55\n"
    )
    code, out, err = run_import(tmp_path, content, "employers", "--office", "VD")
    assert code == 0, err
    employer = Employer.objects.get(uid=VALID_UIDS[2])
    assert employer.legal_name == "Horlogerie du Léman SA"
    assert employer.street == "Rue du Lac 3\n(2e étage)"  # a quoted newline
    assert employer.language_region == "fr" and employer.size_class == "medium"


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, office_be):
    content = (
        HEADER_DE
        + f"{VALID_UIDS[0]};Gute AG;;3000;Bern;BE;;;\n"
        + "CHE-123.456.789;Falsche UID AG;;3000;Bern;BE;;;\n"
        + f"{VALID_UIDS[1]};Kanton XY AG;;3000;Bern;XY;;;\n"
        + f"{VALID_UIDS[3]};Zu gross AG;;30000;Bern;BE;;viel;keine-mail\n"
    )
    code, out, err = run_import(tmp_path, content, "employers", "--office", "BE")
    assert code == 1
    # the counts say what was written: nothing; the valid row counts as skipped
    assert out.strip().splitlines()[-1] == "created=0 updated=0 skipped=1 errors=3"
    assert err.strip().splitlines()[-1] == (
        "Nothing was written because 3 rows are invalid "
        "(use --partial to write the valid ones)."
    )
    assert "row 3:" in err and "check digit" in err
    assert "row 4:" in err and "XY" in err
    assert "row 5:" in err and "30000" in err and "viel" in err and "keine-mail" in err
    assert Employer.objects.count() == 0


def test_partial_writes_the_valid_rows(tmp_path, office_be):
    content = (
        HEADER_DE
        + f"{VALID_UIDS[0]};Gute AG;;3000;Bern;BE;;;\n"
        + "CHE-123.456.789;Falsche UID AG;;3000;Bern;BE;;;\n"
    )
    code, out, _err = run_import(
        tmp_path, content, "employers", "--office", "BE", "--partial"
    )
    assert code == 1
    assert out.strip().endswith("created=1 updated=0 skipped=0 errors=1")
    assert list(Employer.objects.values_list("legal_name", flat=True)) == ["Gute AG"]


def test_dry_run_writes_nothing(tmp_path, office_be):
    content = HEADER_DE + f"{VALID_UIDS[0]};Gute AG;;3000;Bern;BE;;;\n"
    code, out, _err = run_import(
        tmp_path, content, "employers", "--office", "BE", "--dry-run"
    )
    assert code == 0 and out.strip().endswith("created=1 updated=0 skipped=0 errors=0")
    assert not Employer.objects.exists()


def test_reimport_changes_nothing_and_updates_only_what_changed(tmp_path, office_be):
    content = (
        HEADER_DE
        + f"{VALID_UIDS[0]};Gute AG;Weg 1;3000;Bern;BE;;5;\n"
        + f"{VALID_UIDS[1]};Andere AG;Weg 2;3000;Bern;BE;;;\n"
    )
    assert run_import(tmp_path, content, "employers", "--office", "BE")[0] == 0
    history = Employer.history.count()
    code, out, _err = run_import(tmp_path, content, "employers", "--office", "BE")
    assert code == 0 and out.strip().endswith("created=0 updated=0 skipped=2 errors=0")
    assert Employer.history.count() == history
    changed = content.replace("Weg 2", "Weg 22")
    code, out, _err = run_import(tmp_path, changed, "employers", "--office", "BE")
    assert out.strip().endswith("created=0 updated=1 skipped=1 errors=0")
    assert Employer.objects.get(uid=VALID_UIDS[1]).street == "Weg 22"
    assert Employer.history.count() == history + 1


def test_reimport_keeps_fields_the_file_does_not_have(tmp_path, office_be):
    make = "UID;Firma;Kanton\n" + f"{VALID_UIDS[0]};Gute AG;BE\n"
    run_import(tmp_path, make, "employers", "--office", "BE")
    Employer.objects.filter(uid=VALID_UIDS[0]).update(relationship_status="active")
    code, out, _err = run_import(tmp_path, make, "employers", "--office", "BE")
    assert out.strip().endswith("skipped=1 errors=0")
    assert Employer.objects.get().relationship_status == "active"


def test_duplicated_rows_within_a_file(tmp_path, office_be):
    row = f"{VALID_UIDS[0]};Gute AG;;3000;Bern;BE;;;\n"
    other = f"{VALID_UIDS[0]};Ganz andere AG;;3000;Bern;BE;;;\n"
    code, out, err = run_import(
        tmp_path, HEADER_DE + row + row, "employers", "--office", "BE"
    )
    assert code == 0 and out.strip().endswith("created=1 updated=0 skipped=1 errors=0")
    Employer.objects.all().delete()
    code, out, err = run_import(
        tmp_path, HEADER_DE + row + other, "employers", "--office", "BE"
    )
    assert code == 1 and "row 3:" in err and "row 2" in err.lower()
    assert not Employer.objects.exists()


def test_uid_of_another_office_is_refused_without_naming_it(
    tmp_path, office_be, vd_employer
):
    content = HEADER_DE + f"{VALID_UIDS[1]};Meine Firma AG;;3000;Bern;BE;;;\n"
    code, _out, err = run_import(tmp_path, content, "employers", "--office", "BE")
    assert code == 1 and "another office" in err and "VD" not in err
    assert (
        Employer.objects.get(uid=VALID_UIDS[1]).legal_name == "Horlogerie Vaudoise SA"
    )


def test_missing_required_columns_and_unknown_columns(tmp_path, office_be):
    code, out, err = run_import(
        tmp_path, "UID;Strasse\nx;y\n", "employers", "--office", "BE"
    )
    assert code == 1 and "Firma" in err and "Kanton" in err
    assert out.strip().splitlines()[-1] == "created=0 updated=0 skipped=0 errors=1"
    assert "--partial" not in err  # a file error: writing valid rows cannot help
    content = "Firma;Kanton;Lieblingsfarbe\nGute AG;BE;blau\n"
    code, out, err = run_import(tmp_path, content, "employers", "--office", "BE")
    assert code == 0 and "Lieblingsfarbe" in err
    assert Employer.objects.get().legal_name == "Gute AG"


def test_a_file_that_is_not_a_table(tmp_path, office_be):
    code, out, err = run_import(
        tmp_path,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00binary",
        "employers",
        "--office",
        "BE",
        name="bild.png",
    )
    assert code == 1 and "not a table" in err
    code, out, err = run_import(
        tmp_path, b"PK\x03\x04broken", "employers", "--office", "BE", name="x.xlsx"
    )
    assert code == 1 and "XLSX" in err
    assert not Employer.objects.exists()


def test_too_large_a_file(tmp_path, office_be, settings):
    settings.IMPORT_MAX_BYTES = 1000
    code, out, err = run_import(
        tmp_path, HEADER_DE + "x" * 2000, "employers", "--office", "BE"
    )
    assert code == 1 and "MB" in err
    assert out.strip().splitlines()[-1] == "created=0 updated=0 skipped=0 errors=1"
    assert "--partial" not in err


def test_a_real_file_just_over_the_limit_is_refused_with_the_limit_in_mb(
    tmp_path, office_be, settings
):
    # Given a limit of 0.1 MB and a valid CSV one byte larger
    settings.IMPORT_MAX_BYTES = 1024 * 1024 // 10
    row = f"{VALID_UIDS[0]};Gute AG;;3000;Bern;BE;;;\n"
    content = HEADER_DE + row * (
        (settings.IMPORT_MAX_BYTES - len(HEADER_DE)) // len(row)
    )
    content += "x" * (settings.IMPORT_MAX_BYTES + 1 - len(content.encode()))
    assert len(content.encode()) == settings.IMPORT_MAX_BYTES + 1
    # When it is imported
    code, out, err = run_import(tmp_path, content, "employers", "--office", "BE")
    # Then it is refused as a file, with the limit as the README states it
    assert code == 1
    assert "The file is larger than 0.1 MB, the most an import takes." in err
    assert out.strip().splitlines()[-1] == "created=0 updated=0 skipped=0 errors=1"
    assert not Employer.objects.exists()


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (40 * 1024 * 1024, "40"),
        (int(1.5 * 1024 * 1024), "1.5"),
        (1000, "0.001"),
        (1, "0.001"),
    ],
)
def test_sizes_are_shown_in_mb_of_1024_times_1024_bytes(size, shown):
    from integrations.imports.reading import megabytes

    assert megabytes(size) == shown


def test_the_default_limit_reads_40_mb(tmp_path, office_be, settings):
    settings.IMPORT_MAX_BYTES = 40 * 1024 * 1024
    from integrations.imports.reading import TableError, size_check

    with (
        translation.override("en"),
        pytest.raises(TableError, match="has 41.5 MB; imports take at most 40 MB"),
    ):
        size_check(int(41.5 * 1024 * 1024))


def test_an_unknown_office_ends_with_the_counts_line(tmp_path, office_be):
    content = HEADER_DE + f"{VALID_UIDS[0]};Gute AG;;3000;Bern;BE;;;\n"
    code, out, err = run_import(tmp_path, content, "employers", "--office", "XX")
    assert code == 1
    assert "Unknown office XX" in err
    assert out.strip().splitlines()[-1] == "created=0 updated=0 skipped=0 errors=1"
    assert not Employer.objects.exists()


def test_a_missing_file_ends_with_the_counts_line(tmp_path, office_be):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info, translation.override("en"):
        call_command(
            "crm_import",
            "employers",
            str(tmp_path / "nope.csv"),
            "--office",
            "BE",
            stdout=out,
            stderr=err,
        )
    assert exit_info.value.code == 1
    assert "No such file" in err.getvalue()
    assert out.getvalue().strip().splitlines()[-1] == (
        "created=0 updated=0 skipped=0 errors=1"
    )


def test_semicolon_file_starting_with_empty_lines(tmp_path, office_be):
    # Given a Swiss Excel file with empty lines (and lines of only ;) above the header
    content = (
        "\n\n;;;\n"
        + HEADER_DE
        + f"{VALID_UIDS[0]};Gute AG;Weg 1, Haus 2;3000;Bern;BE;;;\n"
    )
    # When it is imported
    code, out, err = run_import(tmp_path, content, "employers", "--office", "BE")
    # Then the semicolon is found and the row is read, with its own row number
    assert code == 0, err
    assert out.strip().splitlines()[-1] == "created=1 updated=0 skipped=0 errors=0"
    assert Employer.objects.get().street == "Weg 1, Haus 2"


def test_bom_and_windows_1252_files_starting_with_empty_lines(tmp_path, office_be):
    utf8 = (
        "\ufeff\r\n\r\n" + HEADER_DE + f"{VALID_UIDS[0]};Bäckerei AG;;3000;Bern;BE;;;\n"
    )
    cp1252 = "\n\n" + HEADER_DE + f"{VALID_UIDS[1]};Café Süd AG;;3000;Bern;BE;;;\n"
    code, out, err = run_import(tmp_path, utf8, "employers", "--office", "BE")
    assert code == 0, err
    code, out, err = run_import(
        tmp_path, cp1252.encode("cp1252"), "employers", "--office", "BE"
    )
    assert code == 0, err
    assert sorted(Employer.objects.values_list("legal_name", flat=True)) == [
        "Bäckerei AG",
        "Café Süd AG",
    ]


def test_bad_row_after_empty_lines_is_named_by_its_line_in_the_file(
    tmp_path, office_be
):
    content = "\n\n" + HEADER_DE + "CHE-123.456.789;Falsche AG;;3000;Bern;BE;;;\n"
    code, out, err = run_import(tmp_path, content, "employers", "--office", "BE")
    assert code == 1 and "row 4:" in err and "check digit" in err


def test_undefined_windows_1252_bytes_are_named_by_line_and_the_row_is_kept(
    tmp_path, office_be
):
    # Given a Windows-1252 file whose row on line 3 holds 0x81, undefined in cp1252
    content = (
        HEADER_DE.encode("cp1252")
        + f"{VALID_UIDS[0]};Bäckerei AG;;3000;Bern;BE;;;\n".encode("cp1252")
        + f"{VALID_UIDS[1]};Garage ".encode("cp1252")
        + b"\x81\x9d"
        + b" AG;;3000;Bern;BE;;;\n"
    )
    # When it is imported
    code, out, err = run_import(tmp_path, content, "employers", "--office", "BE")
    # Then both rows are written, and a warning names line 3 (and no other)
    assert code == 0, err
    assert out.strip().splitlines()[-1] == "created=2 updated=0 skipped=0 errors=0"
    warning = next(line for line in err.splitlines() if "could not be read" in line)
    assert warning.endswith("line(s) 3.")
    assert (
        Employer.objects.get(uid=VALID_UIDS[1]).legal_name == "Garage \ufffd\ufffd AG"
    )


def test_xlsx_with_typed_cells(tmp_path, office_be):
    book = Workbook()
    sheet = book.active
    sheet.append(["UID", "Firma", "PLZ", "Kanton", "Vollzeitstellen"])
    sheet.append([VALID_UIDS[0], "Typisiert AG", 3000, "Bern", 60])
    buffer = io.BytesIO()
    book.save(buffer)
    code, out, err = run_import(
        tmp_path,
        buffer.getvalue(),
        "employers",
        "--office",
        "BE",
        "--format",
        "xlsx",
        name="in.xlsx",
    )
    assert code == 0, err
    employer = Employer.objects.get()
    assert (employer.postcode, employer.canton, employer.size_class) == (
        "3000",
        "BE",
        "medium",
    )


def test_persons_with_roles_match_by_email(tmp_path, office_be, be_employer):
    content = (
        "Vorname;Nachname;E-Mail;UID;Funktion;Sprachen\n"
        f"Anna;Muster;Anna.Muster@firma.example;{VALID_UIDS[0]};HR;de, fr\n"
    )
    code, out, err = run_import(tmp_path, content, "persons", "--office", "BE")
    assert code == 0, err
    person = ContactPerson.objects.get()
    assert person.email == "anna.muster@firma.example" and person.languages == [
        "de",
        "fr",
    ]
    role = EmployerRole.objects.get()
    assert (role.employer, role.function) == (be_employer, "hr")
    code, out, err = run_import(tmp_path, content, "persons", "--office", "BE")
    assert out.strip().endswith("created=0 updated=0 skipped=1 errors=0")
    assert ContactPerson.objects.count() == 1 and EmployerRole.objects.count() == 1


def test_contacts_import_refreshes_the_employer(tmp_path, be_staff, be_employer):
    content = (
        "UID;Datum;Mitarbeiter;Kanal;Ergebnis\n"
        f"{VALID_UIDS[0]};31.12.2025;be.anna;Besuch;Stelle besprochen\n"
        f"{VALID_UIDS[0]};2025-13-01;be.anna;Besuch;falsches Datum\n"
    )
    code, out, err = run_import(
        tmp_path, content, "contacts", "--office", "BE", "--partial"
    )
    assert code == 1 and "row 3:" in err and "2025-13-01" in err
    assert "row 2:" not in err, err
    be_employer.refresh_from_db()
    assert str(be_employer.last_contact_on) == "2025-12-31"
    code, out, err = run_import(
        tmp_path, content, "contacts", "--office", "BE", "--partial"
    )
    assert "created=0" in out


def test_export_round_trip_csv_and_xlsx(tmp_path, office_be, office_vd):
    content = (
        HEADER_DE + f'{VALID_UIDS[0]};=HYPERLINK("x");Weg 1;3000;Bern;BE;62.01;5;\n'
    )
    run_import(tmp_path, content, "employers", "--office", "BE")
    out = tmp_path / "out.csv"
    call_command(
        "crm_export",
        "employers",
        "--format",
        "csv",
        "--out",
        str(out),
        "--office",
        "BE",
        stdout=io.StringIO(),
    )
    text = out.read_text("utf-8-sig")
    assert text.splitlines()[0].startswith("UID;Firma;")
    assert "'=HYPERLINK" in text  # neutralised
    xlsx = tmp_path / "out.xlsx"
    call_command(
        "crm_export",
        "employers",
        "--format",
        "xlsx",
        "--out",
        str(xlsx),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(xlsx, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("UID", "Firma") and rows[1][0] == VALID_UIDS[0]
    assert rows[1][1].startswith("'=")
    # and the exported CSV imports again without a change
    code, out_text, err = run_import(
        tmp_path, out.read_bytes(), "employers", "--office", "BE", name="again.csv"
    )
    assert out_text.strip().endswith("created=0 updated=0 skipped=1 errors=0"), err

"""POST /api/v1/imports/<resource>/: the import service behind the API, for the
token's office, with dry run, partial, problem details and Idempotency-Key."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from crm.models import Employer, PartnerOrganisation
from integrations.api.models import IdempotencyKey

from .conftest import VALID_UIDS, make_employer

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/employers/"
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


def send(api, content, *, name="firms.csv", url=URL, key=None, **fields):
    data = content.encode("utf-8") if isinstance(content, str) else content
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(
        url,
        {"file": SimpleUploadedFile(name, data), **fields},
        format="multipart",
        **extra,
    )


def names() -> set[str]:
    return set(Employer.objects.values_list("legal_name", flat=True))


def test_a_clean_csv_creates_the_employers_of_the_tokens_office(be_api, office_be):
    response = send(be_api, GOOD)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["skipped"], body["errors"]) == (
        2,
        0,
        0,
        0,
    )
    assert body["written"] is True and body["rows"] == []
    assert names() == {"Bäckerei Müller AG", "Zürcher Garage GmbH"}
    assert set(Employer.objects.values_list("office__code", flat=True)) == {"BE"}


def test_posting_the_same_file_again_changes_nothing(be_api):
    send(be_api, GOOD)
    before = list(Employer.objects.order_by("pk").values("pk", "updated_at"))
    response = send(be_api, GOOD)
    body = response.json()
    assert response.status_code == 200
    assert (body["created"], body["updated"], body["skipped"]) == (0, 0, 2)
    assert list(Employer.objects.order_by("pk").values("pk", "updated_at")) == before


def test_a_bad_row_is_422_and_nothing_is_written(be_api):
    response = send(be_api, WITH_ERROR)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/api/v1/problems/import-rows-invalid")
    assert body["status"] == 422
    assert list(body["errors"]) == ["3"]
    assert "check digit" in " ".join(body["errors"]["3"])
    assert body["rows"] == [
        {"row": 3, "status": "error", "messages": body["errors"]["3"]}
    ]
    assert body["counts"] == {"created": 1, "updated": 0, "skipped": 0, "errors": 1}
    assert not Employer.objects.exists()


def test_partial_writes_the_valid_rows_and_names_the_bad_one(be_api):
    response = send(be_api, WITH_ERROR, partial="true")
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["errors"], body["written"]) == (1, 1, True)
    assert [row["row"] for row in body["rows"]] == [3]
    assert names() == {"Bäckerei Müller AG"}


def test_dry_run_writes_nothing_and_shows_every_row(be_api):
    response = send(be_api, WITH_ERROR, dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert body["written"] is False
    assert [(r["row"], r["status"]) for r in body["rows"]] == [
        (2, "new"),
        (3, "error"),
    ]
    assert not Employer.objects.exists()


def test_xlsx_by_file_name_and_by_format_field(be_api):
    book = Workbook()
    sheet = book.active
    sheet.append(["UID", "Raison sociale", "NPA", "Canton", "EPT"])
    sheet.append([VALID_UIDS[2], "Horlogerie Test SA", 1003, "VD", 60])
    out = io.BytesIO()
    book.save(out)
    response = send(be_api, out.getvalue(), name="firms.xlsx")
    assert response.status_code == 200, response.json()
    employer = Employer.objects.get(uid=VALID_UIDS[2])
    assert (employer.postcode, employer.size_class) == ("1003", "medium")
    # the format field wins over a name that says nothing
    response = send(be_api, out.getvalue(), name="upload.bin", format="xlsx")
    assert response.json()["skipped"] == 1


def test_a_read_only_token_is_refused(be_read_only_api):
    response = send(be_read_only_api, GOOD)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not Employer.objects.exists()


def test_a_token_imports_into_its_office_only(be_api, vd_api, office_vd):
    vd = make_employer(office_vd, "Horlogerie Vaudoise SA", VALID_UIDS[0])
    # A BE file naming a VD employer's UID is refused for that row, as the CLI does
    response = send(be_api, GOOD)
    assert response.status_code == 422
    messages = response.json()["errors"]["2"]
    assert "another office" in " ".join(messages)
    vd.refresh_from_db()
    assert vd.legal_name == "Horlogerie Vaudoise SA"
    # with partial, the BE row is written into BE, the VD employer stays untouched
    response = send(be_api, GOOD, partial="true")
    assert response.json()["created"] == 1
    assert Employer.objects.get(uid=VALID_UIDS[1]).office.code == "BE"
    vd.refresh_from_db()
    assert (vd.legal_name, vd.office.code) == ("Horlogerie Vaudoise SA", "VD")
    # and the VD token updates its own employer
    response = send(vd_api, GOOD, partial="true")
    assert response.json()["updated"] == 1
    vd.refresh_from_db()
    assert vd.legal_name == "Bäckerei Müller AG" and vd.office.code == "VD"


def test_file_errors_are_400_problem_details(be_api, settings):
    response = send(be_api, b"\x89PNG\r\n\x1a\n\x00\x00binary", name="bild.png")
    assert response.status_code == 400
    body = response.json()
    assert body["type"].endswith("/api/v1/problems/import-file")
    assert "not a table" in body["errors"]["file"][0]
    response = send(be_api, "UID;Strasse\nCHE-116.281.710;Weg 1\n")
    assert response.status_code == 400
    assert "Required columns are missing" in response.json()["detail"]
    settings.IMPORT_MAX_BYTES = 100
    response = send(be_api, GOOD + "x" * 200)
    assert response.status_code == 400 and "MB" in response.json()["detail"]
    response = be_api.post(URL, {"dry_run": "true"}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert not Employer.objects.exists()


def test_unknown_resource_is_404(be_api):
    response = send(be_api, GOOD, url="/api/v1/imports/cases/")
    assert response.status_code == 404


def test_other_resources_use_the_same_service(be_api):
    content = "Name;Typ;Ort\nRAV Bern;rav;Bern\n"
    response = send(be_api, content, url="/api/v1/imports/partners/")
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 1
    assert PartnerOrganisation.objects.get().office.code == "BE"


def test_idempotency_key_replays_and_refuses_another_file(be_api):
    first = send(be_api, GOOD, key="import-1")
    again = send(be_api, GOOD, key="import-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert first.json()["created"] == 2
    other = send(be_api, GOOD.replace("Müller", "Meier"), key="import-1")
    assert other.status_code == 422
    assert other.json()["type"].endswith("/problems/idempotency-key-reused")
    assert "Bäckerei Meier AG" not in names()


def test_a_refused_import_does_not_keep_its_key(be_api):
    assert send(be_api, WITH_ERROR, key="import-2").status_code == 422
    assert not IdempotencyKey.objects.exists()
    fixed = send(be_api, GOOD, key="import-2")
    assert fixed.status_code == 200 and fixed.json()["created"] == 2


def test_a_session_needs_the_add_permission(client, be_staff, office_be):
    client.force_login(be_staff)
    response = client.post(
        URL, {"file": SimpleUploadedFile("firms.csv", GOOD.encode())}
    )
    assert response.status_code == 200, response.json()
    assert Employer.objects.get(uid=VALID_UIDS[0]).office == office_be

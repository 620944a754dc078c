"""Recognition API: bad parameters, batch uploads, logging, body lookup."""

import io

import openpyxl
import pytest

from lims.agreements.models import RecognitionDecision
from tests.lims import recognition_factories as rf

R118 = "QCVN 118:2018/BTTTT"
GOOD = {"lab": "D-KRL", "regulation": R118, "tested_on": "2023-01-10"}


@pytest.fixture
def world(app, db):
    return rf.world()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lab": ""}, "lab"),
        ({"regulation": ""}, "regulation"),
        ({"regulation": "QCVN 0:1900/BTTTT"}, "regulation"),
        ({"tested_on": "10/01/2023"}, "tested_on"),
        ({"tested_on": "2999-01-01"}, "tested_on"),
        ({"kind": "invoice"}, "kind"),
        ({"on": "soon"}, "on"),
    ],
)
def test_single_rejects_bad_parameter(client, world, changes, field):
    response = client.get("/api/v1/recognition", query_string={**GOOD, **changes})

    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == field
    assert field in body["error"]


def test_single_logs_decision(client, world, db):
    response = client.get("/api/v1/recognition", query_string=GOOD)

    assert response.get_json()["verdict"] == "accepted"
    logged = db.session.scalars(db.select(RecognitionDecision)).all()
    assert len(logged) == 1
    assert logged[0].channel == "api"
    assert logged[0].verdict.value == "accepted"
    assert logged[0].agreement_code == "TEST-KR-VN"
    assert logged[0].facts["presented"]["lab"] == "D-KRL"
    assert len(logged[0].facts["conditions"]) == 6


def test_batch_reports_bad_lines_and_decides_rest(client, world, db):
    lines = [
        GOOD,
        {**GOOD, "tested_on": "yesterday"},
        {**GOOD, "regulation": "QCVN 0:1900/BTTTT"},
        {"lab": "D-KRL"},
        {**GOOD, "lab": "D-KRN"},
    ]
    response = client.post(
        "/api/v1/recognition/batch", query_string={"on": "2026-01-01"}, json=lines
    )

    assert response.status_code == 200
    body = response.get_json()
    verdicts = [line["verdict"] for line in body["lines"]]
    assert verdicts == ["accepted", None, None, None, "not_accepted"]
    fields = [line["field"] for line in body["lines"]]
    assert fields == [None, "tested_on", "regulation", "regulation", None]
    assert body["counts"] == {"accepted": 1, "error": 3, "not_accepted": 1}
    assert db.session.scalar(db.select(db.func.count(RecognitionDecision.id))) == 2


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\x00\x01\x02\x89PNG garbage", "binary"),
        (b"\xff\xfe\xfa not utf-8", "UTF-8"),
        (b"", "empty"),
        (b"PK\x03\x04 broken zip", "Excel"),
        (b"model,hs_code\nM1,851762\n", "regulation, lab, tested_on"),
    ],
)
def test_batch_rejects_non_table(client, world, content, fragment):
    response = client.post(
        "/api/v1/recognition/batch",
        data={"file": (io.BytesIO(content), "shipment.csv")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert response.get_json()["field"] == "file"
    assert fragment in response.get_json()["error"]


def test_batch_rejects_json_that_is_no_list(client, world):
    response = client.post("/api/v1/recognition/batch", json={"lab": "D-KRL"})

    assert response.status_code == 400
    assert "JSON list" in response.get_json()["error"]


def test_batch_reads_excel_with_dates_and_numbers(client, world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Model", "HS code", "Regulation", "Lab", "Test date"])
    sheet.append(["+1+cmd", 851713, R118, "D-KRL", rf.date(2023, 1, 10)])
    sheet.append(["AX-2", 851762, R118, "D-KRL", rf.date(2023, 1, 10)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = client.post(
        "/api/v1/recognition/batch?format=xlsx&on=2026-01-01",
        data={"file": (io.BytesIO(buffer.getvalue()), "list.xlsx")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    result = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(result.iter_rows(values_only=True))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    second = dict(zip(header, rows[2], strict=True))
    assert first["model"] == "'+1+cmd"
    assert first["verdict"] == "not_accepted"
    assert "Viet Nam" in first["reasons"]
    assert second["verdict"] == "accepted"


def test_batch_page_requires_csrf(client, world):
    response = client.post(
        "/recognition/batch",
        data={"file": (io.BytesIO(b"lab\nD-KRL\n"), "list.csv")},
        content_type="multipart/form-data",
    )

    assert b"batch-result" not in response.get_data()


def test_bodies_lists_designated_labs(client, world):
    everything = client.get("/api/v1/bodies", query_string={"q": "KR"}).get_json()
    designated = client.get(
        "/api/v1/bodies", query_string={"q": "KR", "designated": "1"}
    ).get_json()

    codes = {item["code"] for item in everything["items"]}
    assert {"KRL", "KRZ"} <= codes
    designated_codes = {item["code"] for item in designated["items"]}
    assert "KRL" in designated_codes
    assert "KRZ" not in designated_codes


def test_body_detail_has_designation_history(client, world):
    krl = world["krl"]

    body = client.get(f"/api/v1/bodies/{krl.id}").get_json()

    assert body["code"] == "KRL"
    assert body["accreditations"][0]["number"] == "ACC-KRL"
    assert "CISPR 32 2015" in body["accreditations"][0]["scope"]
    designation = body["designations"][0]
    assert designation["number"] == "D-KRL"
    assert designation["agreement"] == "TEST-KR-VN"
    assert R118 in designation["scope"]
    assert designation["designated_on"] == "2019-06-01"
    assert [h["status"] for h in designation["history"]] == [
        "suspended",
        "designated",
    ]


def test_body_detail_unknown_is_404(client, world):
    response = client.get("/api/v1/bodies/999999")

    assert response.status_code == 404
    assert "999999" in response.get_json()["error"]


def test_public_pages_render_forms(client, world):
    check = client.get("/recognition")
    batch = client.get("/recognition/batch")

    assert check.status_code == 200
    assert 'name="csrf_token"' in check.get_data(as_text=True)
    assert batch.status_code == 200
    assert 'name="csrf_token"' in batch.get_data(as_text=True)


def test_page_shows_field_error(client, csrf_off, world):
    response = client.post(
        "/recognition",
        data={**GOOD, "regulation": "QCVN 0:1900/BTTTT"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No regulation coded QCVN 0:1900/BTTTT" in page
    assert "recognition-result" not in page

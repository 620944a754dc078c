"""The public register, its exports, the verification pages and the JSON API."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest

from lims.bodies.models import BodyKind
from lims.certification import rules as certification
from lims.certification.models import CertificateScheme, CertificateStatus
from lims.db_types import today_in
from lims.public.service import neutralise
from lims.testing import rules as testing
from tests import factories
from tests.lims import certification_factories as cf


@pytest.fixture
def issued(app, db):
    """Two certificates: one valid, one suspended, and an amended report."""
    parties = cf.setup()
    valid = cf.certificate(parties)
    suspended = cf.certificate(parties)
    certification.change_certificate_status(
        suspended, CertificateStatus.SUSPENDED, "Surveillance missed", parties.officer
    )
    original = cf.report(parties)
    amended = certification.amend_test_report(original, "Sai số seri", parties.reviewer)
    db.session.commit()
    return {
        "parties": parties,
        "valid": valid,
        "suspended": suspended,
        "original": original,
        "amended": amended,
    }


def _numbers(client, **args) -> list[str]:
    body = client.get("/api/v1/certificates", query_string=args).get_json()
    return [item["number"] for item in body["items"]]


def test_search_by_number_and_model(issued, client):
    valid = issued["valid"]

    assert _numbers(client, q=valid.number) == [valid.number]
    assert valid.number in _numbers(client, q=valid.product.model)


def test_search_by_holder_hs_regulation(issued, client):
    valid = issued["valid"]
    everything = {valid.number, issued["suspended"].number}

    assert set(_numbers(client, q="Đại Việt")) == everything
    assert set(_numbers(client, q="8517.62")) == everything
    assert set(_numbers(client, q="QCVN 118")) == everything
    assert _numbers(client, q="no such thing") == []


def test_filter_by_status(issued, client):
    assert _numbers(client, status="valid") == [issued["valid"].number]
    assert _numbers(client, status="suspended") == [issued["suspended"].number]
    assert _numbers(client, status="expired") == []


def test_expiry_follows_issuer_time_zone(app, db, client):
    # Kiritimati (UTC+14) is always at least one calendar day ahead of
    # Pago Pago (UTC-11), so a lot valid until today in Pago Pago has
    # already lapsed for an issuer in Kiritimati.
    parties = cf.setup()
    other = factories.body("DVE", kind=BodyKind.CERTIFICATION_BODY)
    for body in (parties.cb, other):
        body.timezone = "Pacific/Pago_Pago"
    last_day = today_in("Pacific/Pago_Pago")
    ahead = cf.certificate(
        parties,
        scheme=CertificateScheme.LOT,
        lot_description="Lô 1",
        lot_valid_until=last_day,
    )
    behind = certification.issue_certificate(
        reports=[cf.report(parties)],
        scheme=CertificateScheme.LOT,
        holder=ahead.holder,
        importers=[],
        issuer=other,
        issued_by=parties.officer,
        lot_description="Lô 2",
        lot_valid_until=last_day,
    )
    parties.cb.timezone = "Pacific/Kiritimati"
    db.session.commit()

    assert _numbers(client, status="expired") == [ahead.number]
    assert _numbers(client, status="valid") == [behind.number]


def test_filter_by_issue_dates(issued, client):
    today = issued["valid"].issued_on
    tomorrow = (today + timedelta(days=1)).isoformat()
    yesterday = (today - timedelta(days=1)).isoformat()

    assert len(_numbers(client, issued_from=today.isoformat())) == 2
    assert _numbers(client, issued_from=tomorrow) == []
    assert _numbers(client, issued_to=yesterday) == []
    invalid = client.get("/api/v1/certificates", query_string={"issued_from": "x"})
    assert invalid.status_code == 400


def test_api_paginates(issued, client, app):
    app.config["PAGE_SIZE"] = 1

    first = client.get("/api/v1/certificates?page=1").get_json()
    second = client.get("/api/v1/certificates?page=2").get_json()

    assert first["total"] == 2
    assert first["pages"] == 2
    assert first["per_page"] == 1
    assert first["items"][0]["number"] != second["items"][0]["number"]


def test_summary_shows_history(issued, client):
    number = issued["suspended"].number

    body = client.get(f"/api/v1/certificates/{number}").get_json()

    assert body["status"] == "suspended"
    assert [h["action"] for h in body["history"]] == ["issued", "suspended"]
    assert body["history"][1]["reason"] == "Surveillance missed"
    assert body["history"][1]["actor"] == issued["parties"].officer.name


def test_summary_lists_every_field(issued, client, db):
    parties = issued["parties"]
    names = ["Công ty Việt Tiến", "Công ty An Phát"]
    importers = [testing.find_or_create_organisation(n, "VN") for n in names]
    cert = cf.certificate(parties, importers=importers)
    expected = {
        "number": cert.number,
        "scheme": "type_testing",
        "holder": cert.holder.name,
        "issuer": parties.cb.name,
        "product": {
            "name": cert.product.name,
            "manufacturer": cert.product.manufacturer.name,
            "model": cert.product.model,
            "hs_code": cert.product.hs_code,
        },
        "regulations": sorted(r.code for r in cert.regulations),
        "importers": sorted(names),
        "issued_on": cert.issued_on.isoformat(),
        "valid_until": cert.valid_until.isoformat(),
        "pdf_sha256": cert.pdf_sha256,
        "verification_url": cert.verification_url,
    }
    db.session.commit()

    body = client.get(f"/api/v1/certificates/{cert.number}").get_json()
    listed = client.get("/api/v1/certificates", query_string={"q": cert.number})

    assert {key: body[key] for key in expected} == expected
    assert body["status"] == "valid"
    assert [h["action"] for h in body["history"]] == ["issued"]
    assert listed.get_json()["items"] == [body]


def test_summary_reports_expired_by_date(issued, client, monkeypatch):
    certificate = issued["valid"]
    day_after = certificate.valid_until + timedelta(days=1)
    monkeypatch.setattr("lims.public.service.today_in", lambda zone: day_after)

    body = client.get(f"/api/v1/certificates/{certificate.number}").get_json()

    assert body["status"] == "expired"
    assert body["history"][-1]["status"] == "valid"


def test_verify_page_shows_history(issued, client):
    page = client.get(f"/verify/{issued['suspended'].number}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Surveillance missed" in html
    assert issued["parties"].officer.name in html


def test_superseded_report_page(issued, client):
    original, amended = issued["original"], issued["amended"]

    page = client.get(f"/verify/{original.number}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="superseded-notice"' in html
    assert amended.number in html


def test_unknown_number_not_found(issued, client):
    assert client.get("/verify/NOPE-1").status_code == 404


@pytest.fixture
def formula_holder(issued, db):
    """A certificate whose holder name starts with a spreadsheet formula."""
    parties = issued["parties"]
    holder = testing.find_or_create_organisation('=HYPERLINK("http://x","y")', "VN")
    cert = cf.certificate(parties, holder=holder)
    db.session.commit()
    return cert


def test_csv_export_neutralises_formulas(formula_holder, client):
    response = client.get("/register/export.csv", query_string={"q": "HYPERLINK"})

    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert response.mimetype == "text/csv"
    assert rows[0][0] == "number"
    assert rows[1][0] == formula_holder.number
    assert rows[1][3] == '\'=HYPERLINK("http://x","y")'


def test_xlsx_export_stores_text(formula_holder, client):
    response = client.get(
        "/api/v1/certificates/export.xlsx", query_string={"q": "HYPERLINK"}
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == formula_holder.number
    assert rows[1][3] == '\'=HYPERLINK("http://x","y")'
    assert sheet.cell(row=2, column=4).data_type == "s"


def test_export_follows_filters(issued, client):
    response = client.get("/api/v1/certificates/export.csv?status=suspended")

    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [issued["suspended"].number]


def test_unknown_export_format(issued, client):
    assert client.get("/api/v1/certificates/export.pdf").status_code == 404


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Công ty", "Công ty"),
        ("", ""),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_verify_api_genuine_and_tampered(issued, client):
    cert = issued["valid"]
    pdf = cert.pdf_file.content
    middle = len(pdf) // 2
    tampered = pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :]

    genuine = client.post(
        "/api/v1/verify", data={"file": (io.BytesIO(pdf), "c.pdf")}
    ).get_json()
    forged = client.post(
        "/api/v1/verify", data={"file": (io.BytesIO(tampered), "c.pdf")}
    ).get_json()

    assert genuine == {
        "genuine": True,
        "kind": "certificate",
        "number": cert.number,
        "status": "valid",
    }
    assert forged["genuine"] is False
    assert forged["number"] is None


def test_verify_api_reports_superseded(issued, client):
    pdf = issued["original"].pdf_file.content

    body = client.post(
        "/api/v1/verify", data={"file": (io.BytesIO(pdf), "r.pdf")}
    ).get_json()

    assert body["genuine"] is True
    assert body["kind"] == "test_report"
    assert body["status"] == "superseded"
    assert body["superseded_by"] == issued["amended"].number


def test_verify_api_needs_file(client):
    assert client.post("/api/v1/verify").status_code == 400


def test_genuine_page_shows_document(issued, client, csrf_off):
    cert = issued["suspended"]

    page = client.post(
        "/genuine",
        data={"file": (io.BytesIO(cert.pdf_file.content), "c.pdf")},
    )

    html = page.get_data(as_text=True)
    assert 'id="genuine-facts"' in html
    assert cert.number in html
    assert "suspended" in html
    assert f'href="/verify/{cert.number}"' in html


def test_genuine_page_rejects_tampered(issued, client, csrf_off):
    pdf = issued["valid"].pdf_file.content + b"\n%edited"

    page = client.post("/genuine", data={"file": (io.BytesIO(pdf), "c.pdf")})

    assert "Not genuine" in page.get_data(as_text=True)

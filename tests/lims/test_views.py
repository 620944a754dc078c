"""Pages through the test client: login, CSRF, permissions and the flow."""

import io
from datetime import date
from pathlib import Path

import pytest

from lims.auth.models import Role
from lims.extensions import db as _db
from lims.results.models import Result
from lims.testing.models import TestRequest
from tests import factories as f
from tests.lims.pages import csrf_token, login, post_form

EMC_EMI = (
    Path(__file__).parent.parent
    / "data"
    / "instruments"
    / "tektronix-EMC-EMI_v1_Example.csv"
)
RS_SCAN = EMC_EMI.with_name("rs-receiver-scan.DAT")


@pytest.fixture
def staff(app, db):
    lab = f.body("DVT")
    other = f.body("SGE")
    people = {
        "tech": f.user(Role.TECHNICIAN, lab),
        "reviewer": f.user(Role.REVIEWER, lab),
        "other_tech": f.user(Role.TECHNICIAN, other),
        "importer": f.user(Role.IMPORTER),
    }
    receiver = f.instrument(lab, "EMI-01")
    db.session.commit()
    return lab, people, receiver


def test_login_succeeds_with_right_password(client, staff):
    _, people, _ = staff
    response = login(client, people["tech"])
    assert response.status_code == 302
    assert client.get("/requests").status_code == 200


def test_login_rejects_wrong_password(client, staff):
    _, people, _ = staff
    response = login(client, people["tech"], "wrong password")
    assert response.status_code == 401
    assert client.get("/requests").status_code == 302


def test_login_without_csrf_token_is_rejected(client, staff):
    _, people, _ = staff
    response = client.post(
        "/login", data={"email": people["tech"].email, "password": f.PASSWORD}
    )
    assert response.status_code == 400


def test_login_ignores_external_next(client, staff):
    _, people, _ = staff
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=//evil.example/steal",
        data={
            "email": people["tech"].email,
            "password": f.PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_anonymous_is_sent_to_login(client, staff):
    response = client.get("/requests")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_reviewer_cannot_register_request(client, staff):
    _, people, _ = staff
    login(client, people["reviewer"])
    assert client.get("/requests/new").status_code == 403


def test_other_lab_cannot_open_request(client, staff, db):
    lab, people, _ = staff
    req, _ = f.request_with_sample(lab, people["tech"])
    db.session.commit()
    login(client, people["other_tech"])
    assert client.get(f"/requests/{req.id}").status_code == 403


def test_importer_cannot_see_lab_records(client, staff):
    _, people, _ = staff
    login(client, people["importer"])
    assert client.get("/requests").status_code == 403


def test_request_registered_through_form(client, staff, db):
    _, people, _ = staff
    login(client, people["tech"])
    regulation = f.regulation()
    response = post_form(
        client,
        "/requests/new",
        "/requests/new",
        {
            "applicant_name": "Công ty TNHH Thiết bị Viễn thông Đại Việt",
            "applicant_address": "Hà Nội",
            "manufacturer_name": "Lianhe Networks",
            "manufacturer_economy": "CN",
            "product_name": "Bộ định tuyến",
            "model": "AX-9",
            "hs_code": "851762",
            "regulations": [str(regulation.id)],
            "decision_rule": "simple",
        },
    )
    assert response.status_code == 302
    req = db.session.scalar(db.select(TestRequest))
    assert req.number.startswith("DVT-")
    assert req.applicant.name == "Công ty TNHH Thiết bị Viễn thông Đại Việt"


def test_request_form_rejects_unknown_hs_code(client, staff, db):
    _, people, _ = staff
    login(client, people["tech"])
    response = post_form(
        client,
        "/requests/new",
        "/requests/new",
        {
            "applicant_name": "A",
            "manufacturer_name": "M",
            "manufacturer_economy": "CN",
            "product_name": "P",
            "model": "X",
            "hs_code": "999999",
            "regulations": [str(f.regulation().id)],
            "decision_rule": "simple",
        },
        follow_redirects=True,
    )
    assert "999999" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(TestRequest)) is None


def _upload(client, page, sample, item, receiver, content, name=EMC_EMI.name):
    """Post one instrument file through the request page's upload form."""
    return post_form(
        client,
        page,
        f"{page}/results/file",
        {
            "sample": str(sample.id),
            "test_item": str(item.id),
            "instruments": [str(receiver.id)],
            "measured_on": date.today().isoformat(),
            "expanded_uncertainty": "3.4",
            "format_name": "",
            "file": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


def test_instrument_file_uploaded_through_form(client, staff, db):
    lab, people, receiver = staff
    req, sample = f.request_with_sample(lab, people["tech"])
    item = f.flat_item(f.regulation(), 66.5)
    db.session.commit()
    login(client, people["tech"])
    page = f"/requests/{req.id}"

    response = _upload(client, page, sample, item, receiver, EMC_EMI.read_bytes())

    assert response.status_code == 302
    result = _db.session.scalar(_db.select(Result))
    assert result.margin == pytest.approx(0.896, abs=1e-3)
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "+0.896" in detail
    assert "The file is dated 2025-11-11" in detail
    assert client.get(f"/results/{result.id}/trace.svg").status_code == 200
    source = client.get(f"/results/{result.id}/source")
    assert source.data == EMC_EMI.read_bytes()
    assert source.headers["Content-Type"] == "application/octet-stream"
    assert source.headers["Content-Disposition"] == (
        f'attachment; filename="result-{result.id}-source.csv"'
    )


def test_unknown_certificate_api_returns_json_404(client, staff):
    response = client.get("/api/v1/certificates/NO-SUCH-1")
    assert response.status_code == 404
    assert "NO-SUCH-1" in response.get_json()["error"]


def test_verify_api_rejects_unknown_pdf(client, staff):
    response = client.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(b"%PDF-1.4 forged"), "x.pdf")},
        content_type="multipart/form-data",
    )
    body = response.get_json()
    assert body["genuine"] is False
    assert body["number"] is None
    assert body["status"] is None


def test_healthz_reports_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_security_headers_on_every_page(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_language_switch_changes_page(client):
    vietnamese = client.get("/", headers={"Accept-Language": "vi"})
    assert "Tra cứu" in vietnamese.get_data(as_text=True) or "chứng nhận" in (
        vietnamese.get_data(as_text=True)
    )
    post_form(client, "/", "/language/en", {})
    english = client.get("/", headers={"Accept-Language": "vi"})
    assert "Check a certificate of conformity" in english.get_data(as_text=True)


def test_manual_result_entered_through_form(client, staff, db):
    lab, people, receiver = staff
    req, sample = f.request_with_sample(lab, people["tech"])
    item = f.flat_item(f.regulation(), 60.0)
    db.session.commit()
    login(client, people["tech"])
    page = f"/requests/{req.id}"
    html = client.get(page).get_data(as_text=True)
    assert html.count('id="sample"') == 1

    response = post_form(
        client,
        page,
        f"/requests/{req.id}/results/manual",
        {
            "manual-sample": str(sample.id),
            "manual-test_item": str(item.id),
            "manual-instruments": [str(receiver.id)],
            "manual-measured_on": date.today().isoformat(),
            "manual-expanded_uncertainty": "2.0",
            "manual-operand": "",
            "manual-value": "55.5",
            "manual-unit": "dBuV",
            "manual-frequency_mhz": "1.5",
        },
    )

    assert response.status_code == 302
    result = _db.session.scalar(_db.select(Result))
    assert result.value == pytest.approx(55.5)
    assert result.margin == pytest.approx(-4.5)


def test_huge_id_is_not_found(client, staff):
    _, people, _ = staff
    login(client, people["tech"])
    assert client.get("/requests/9223372036854775808").status_code == 404
    assert client.get("/api/v1/bodies/99999999999999999999").status_code == 404


def test_any_client_gets_html_errors(client):
    response = client.get("/requests", headers={"Accept": "*/*"})
    assert response.status_code == 302
    page = client.get("/no-such-page", headers={"Accept": "*/*"})
    assert page.status_code == 404
    assert page.mimetype == "text/html"


def test_csrf_rejection_carries_request_id(client):
    response = client.post("/login", data={"email": "x", "password": "y"})
    assert response.status_code == 400
    assert len(response.headers["X-Request-Id"]) == 32


def test_csv_export_has_one_charset(client):
    response = client.get("/register/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=foo", "status"),
        ("issued_from=bad", "issued_from"),
        ("issued_to=2026-13-01", "issued_to"),
        ("page=0", "page"),
        ("page=%C2%B2", "page"),
        ("page=99999999999999999999999", "page"),
    ],
)
def test_api_rejects_invalid_filters(client, query, field):
    response = client.get(f"/api/v1/certificates?{query}")
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_register_page_ignores_invalid_filters(client):
    assert client.get("/register?status=foo&issued_from=bad").status_code == 200
    assert client.get("/register?page=%C2%B2").status_code == 200


def test_form_errors_speak_vietnamese(client):
    response = post_form(
        client,
        "/login",
        "/login",
        {"email": "", "password": ""},
        headers={"Accept-Language": "vi"},
    )
    page = response.get_data(as_text=True)
    assert "This field is required." not in page
    assert "Trường này là bắt buộc." in page


def test_trace_with_unmeasured_point_plots(client, staff, db):
    # A NaN level marks a point that was not measured. The evaluation leaves
    # it out, and the plot must skip it rather than fail.
    lab, people, receiver = staff
    req, sample = f.request_with_sample(lab, people["tech"])
    item = f.flat_item(f.regulation(), 66.5)
    db.session.commit()
    login(client, people["tech"])
    page = f"/requests/{req.id}"
    scan = RS_SCAN.read_bytes().replace(b";41.250000;", b";nan;")

    response = _upload(client, page, sample, item, receiver, scan, RS_SCAN.name)

    result = _db.session.scalar(_db.select(Result))
    plot = client.get(f"/results/{result.id}/trace.svg")
    assert response.status_code == 302
    assert plot.status_code == 200
    assert b"<polyline" in plot.data


def test_request_audit_shows_state_change(client, staff, db):
    lab, people, _ = staff
    req, _ = f.request_with_sample(lab, people["tech"])
    db.session.commit()
    login(client, people["tech"])

    english = client.get(f"/requests/{req.id}").get_data(as_text=True)
    vietnamese = client.get(
        f"/requests/{req.id}", headers={"Accept-Language": "vi"}
    ).get_data(as_text=True)

    assert "<code>state</code>: Registered → Samples received" in english
    assert "<code>state</code>: " in vietnamese
    assert "→ Đã nhận mẫu" in vietnamese

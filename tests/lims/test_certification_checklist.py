"""An auditor's checklist over documents rendered from real records.

Each row names an item of ISO/IEC 17025:2017 clause 7.8.2.1 (test reports,
with 7.8.6 and 7.8.8) or ISO/IEC 17065:2012 clause 7.7 (certificates) and the
phrases that must appear in the PDF text the application issued.
"""

import io
import unicodedata

import pypdf
import pytest

from lims.certification import rules as certification
from lims.certification.models import CertificateScheme
from lims.testing import rules as testing
from tests.lims import certification_factories as cf
from tests.lims.pages import login, post_form


def _pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def _date(day) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def documents(app, db):
    parties = cf.setup()
    request = cf.approved_request(parties)
    result = request.results[0]
    report = certification.issue_test_report(
        request,
        parties.reviewer,
        test_location="Buồng đo bán triệt phản xạ 3 m",
        deviations="Nhiệt độ phòng 27 °C / Room temperature 27 °C",
        subcontracted_result_ids=[result.id],
    )
    amended = certification.amend_test_report(report, "Sửa số seri", parties.reviewer)
    maker = testing.find_or_create_organisation(
        "Lianhe Networks", "CN", "Shenzhen, China"
    )
    importer = testing.find_or_create_organisation(
        "Công ty TNHH Nhập khẩu Điện tử Hải Phòng", "VN", "Hải Phòng"
    )
    certificate = certification.issue_certificate(
        reports=[amended],
        scheme=CertificateScheme.TYPE_TESTING_FACTORY,
        holder=maker,
        importers=[importer],
        issuer=parties.cb,
        issued_by=parties.officer,
    )
    db.session.commit()
    return parties, amended, certificate


def _report_items(parties, report) -> list[tuple[str, list[str]]]:
    lab = parties.lab
    request = report.request
    sample = request.samples[0]
    accreditation = lab.accreditation_valid_on(report.issued_on)
    return [
        ("a title", ["BÁO CÁO THỬ NGHIỆM", "TEST REPORT"]),
        ("b laboratory name and address", [lab.name, lab.address]),
        ("c test location", ["Test location", "Buồng đo bán triệt phản xạ 3 m"]),
        ("d unique number", [f"Số / No.: {report.number}"]),
        ("d end of report", ["End of report"]),
        ("e customer", ["Customer", request.applicant.name]),
        ("f method with edition", ["Test methods", "QCVN 118:2018/BTTTT"]),
        ("g item", ["Test item", request.product.name, request.product.model]),
        ("g item identification", [sample.code, "S/N SN1"]),
        ("g item condition", ["Condition of the item on receipt", "new"]),
        ("h date of receipt", ["Date of receipt", _date(sample.received_on)]),
        ("i dates of testing", ["Date(s) of testing"]),
        ("j date of issue", ["Date of issue", _date(report.issued_on)]),
        ("l results relate to items", ["relate only to the items tested"]),
        ("m results with units", ["Test results", "50.0", "dBuV"]),
        ("m uncertainty", ["Uncertainty", "2.5"]),
        ("n deviations", ["Deviations from the methods", "Room temperature 27"]),
        ("o authorised by", ["Authorised by", parties.reviewer.name]),
        ("p subcontracted marked", ["(*) Result provided by an external"]),
        ("7.8.6 decision rule", ["Decision rule"]),
        ("7.8.6 statement", ["Statement of conformity", "conforms to"]),
        ("accreditation on issue date", [accreditation.number]),
        ("7.8.8 amendment", [f"replaces report {report.replaces.number}: Sửa"]),
        ("verification link", [report.verification_url]),
    ]


def _certificate_items(certificate) -> list[tuple[str, list[str]]]:
    issuer = certificate.issuer
    product = certificate.product
    surveillance = [_date_iso(d) for d in certificate.surveillance_dates]
    return [
        ("title", ["GIẤY CHỨNG NHẬN HỢP QUY", "CERTIFICATE OF CONFORMITY"]),
        ("unique number", [f"Số / No.: {certificate.number}"]),
        ("a body name and address", [issuer.name, issuer.address]),
        ("b date of granting", ["Date of issue", _date(certificate.issued_on)]),
        ("c holder, foreign", ["Certificate holder", "Lianhe Networks"]),
        ("c manufacturer", ["Manufacturer", product.manufacturer.name]),
        ("d scope product", ["Product", product.name, product.model]),
        ("d scope HS code", ["HS code", product.hs_code]),
        ("d scope regulation", ["QCVN 118:2018/BTTTT"]),
        ("d scheme", ["Scheme 5"]),
        ("e expiry", ["Valid until", _date(certificate.valid_until)]),
        ("f test reports", [certificate.reports[0].number]),
        ("f surveillance", ["Surveillance dates", *surveillance]),
        ("f importers", ["Importers permitted", "Nhập khẩu Điện tử Hải Phòng"]),
        ("g signatory", ["For the certification body", certificate.issued_by.name]),
        ("verification link", [certificate.verification_url]),
    ]


def _date_iso(text: str) -> str:
    year, month, day = text.split("-")
    return f"{day}/{month}/{year}"


def test_report_checklist(documents):
    parties, report, _ = documents
    text = "\n".join(_pages(report.pdf_file.content))

    for item, phrases in _report_items(parties, report):
        for phrase in phrases:
            assert phrase in text, f"{item}: {phrase!r} missing"


def test_report_number_and_page_on_every_page(documents):
    _, report, _ = documents
    pages = _pages(report.pdf_file.content)

    for index, text in enumerate(pages, start=1):
        assert f"Report No. {report.number}" in text, f"page {index}"
        assert f"Page {index} of {len(pages)}" in text, f"page {index}"


def test_certificate_checklist(documents):
    _, _, certificate = documents
    text = "\n".join(_pages(certificate.pdf_file.content))

    for item, phrases in _certificate_items(certificate):
        for phrase in phrases:
            assert phrase in text, f"{item}: {phrase!r} missing"


def test_amend_through_page(app, db, client):
    parties = cf.setup()
    report = cf.report(parties)
    db.session.commit()
    report_id, number = report.id, report.number
    login(client, parties.reviewer)

    response = post_form(
        client,
        f"/reports/{report_id}",
        f"/reports/{report_id}/amend",
        {"reason": "Sai số seri"},
    )

    assert response.status_code == 302
    db.session.expire_all()
    old = db.session.get(type(report), report_id)
    assert old.status.value == "superseded"
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert 'id="superseded-notice"' in page
    assert old.replaced_by.number in page
    assert old.replaced_by.number != number

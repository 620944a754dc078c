"""An assessor's checklist: every item ISO/IEC 17025:2017 clause 7.8.2.1 requires
on a test report and ISO/IEC 17065:2012 clause 7.7.1 requires on a certificate,
checked in the text extracted from rendered sample documents.

Sampling plans (17025 7.8.2.1 k) are out of scope: the laboratory tests the
items the customer submits and does not sample.
"""

import pytest
from pdf_reading import full_text, page_texts

from certificates import render_test_report
from certificates.samples import HOLDER_NAME, sample_report

REPORT_ITEMS = [
    ("a title", ["BÁO CÁO THỬ NGHIỆM", "TEST REPORT"]),
    (
        "b laboratory name and address",
        [
            "Phòng Thử nghiệm Vô tuyến Điện Đại Việt",
            "Lô B2, Khu Công nghệ cao Hòa Lạc, Thạch Thất, Hà Nội",
        ],
    ),
    (
        "c location of the tests",
        ["Test location", "Buồng đo bán triệt phản xạ 10 m"],
    ),
    ("d unique identification", ["Số / No.: HT-2025-0117"]),
    ("d end of report", ["— Hết báo cáo / End of report —"]),
    (
        "e customer name and contact",
        ["Customer", HOLDER_NAME, "Số 12 Phố Duy Tân"],
    ),
    (
        "f methods with edition",
        ["Test methods", "QCVN 54:2020/BTTTT", "ETSI EN 300 328 V2.2.2 (2019-07)"],
    ),
    (
        "g item description and identification",
        [
            "Test item",
            "Thiết bị định tuyến không dây LTE/Wi-Fi 2,4 GHz và 5 GHz",
            "DV-R5400AX",
            "M25-0311-01",
        ],
    ),
    (
        "g item condition",
        ["Condition of the item on receipt", "Mẫu nguyên vẹn, hoạt động bình thường"],
    ),
    ("h date of receipt", ["Date of receipt", "24/02/2025"]),
    ("i dates of testing", ["Date(s) of testing", "26/02/2025 – 05/03/2025"]),
    ("j date of issue", ["Date of issue", "10/03/2025"]),
    (
        "l results relate only to items tested",
        ["The results relate only to the items tested."],
    ),
    ("m results with units", ["Test results", "18.6", "dBm/MHz", "Unit"]),
    ("m measurement uncertainty", ["Uncertainty", "±1.5"]),
    ("n deviations", ["Deviations from the methods"]),
    ("o authorised by", ["Authorised by", "Trần Văn Minh", "Head of laboratory"]),
    (
        "p subcontracted results marked",
        ["(*) Result provided by an external (subcontracted) laboratory."],
    ),
    ("7.8.6 decision rule", ["Decision rule", "ILAC-G8:09/2019"]),
    (
        "7.8.6 statement of conformity",
        ["Statement of conformity", "The item tested conforms to QCVN 54:2020/BTTTT."],
    ),
    ("accreditation", ["Accreditation: VILAS 1234, BoA, valid until 2028-05-31"]),
    ("trace plot", ["Measurement plots", "Radiated emission"]),
]

CERTIFICATE_ITEMS = [
    ("title", ["GIẤY CHỨNG NHẬN HỢP QUY", "CERTIFICATE OF CONFORMITY"]),
    ("unique number", ["Số / No.: 2025/CN-0042"]),
    (
        "a certification body name and address",
        [
            "Certification body",
            "Trung tâm Chứng nhận Hợp quy Viễn thông Phương Nam",
            "Số 8 Đường Nguyễn Huệ, Quận 1, Thành phố Hồ Chí Minh",
        ],
    ),
    ("b date of granting", ["Date of issue", "14/03/2025"]),
    (
        "c client name and address",
        ["Certificate holder", HOLDER_NAME, "Quận Cầu Giấy, Hà Nội"],
    ),
    (
        "c manufacturer",
        ["Manufacturer", "Shenzhen Example Networks Co., Ltd.", "Shenzhen, China"],
    ),
    (
        "d scope: product, model and HS code",
        [
            "Product",
            "Thiết bị định tuyến không dây LTE/Wi-Fi",
            "DV-R5400AX",
            "HS code",
            "8517.62.59",
        ],
    ),
    (
        "d scope: regulations with titles",
        [
            "Conforms to technical regulations",
            "QCVN 54:2020/BTTTT – Thiết bị truyền dữ liệu băng rộng",
            "QCVN 18:2022/BTTTT – Tương thích điện từ",
        ],
    ),
    (
        "d scope: certification scheme",
        [
            "Certification scheme",
            "Scheme 5: type testing, assessment of the production process and",
        ],
    ),
    ("e expiry date", ["Valid until", "13/03/2028"]),
    ("f test reports", ["Test reports", "HT-2025-0117", "HT-2025-0118"]),
    ("f surveillance", ["Surveillance dates", "01/03/2026", "01/03/2027"]),
    (
        "f importers allowed to use it",
        [
            "Importers permitted to use it",
            "Công ty Cổ phần Phân phối Thiết bị Số Sài Gòn",
            "Công ty TNHH Nhập khẩu Điện tử Hải Phòng",
        ],
    ),
    (
        "g signatory",
        ["For the certification body", "Giám đốc / Director", "Nguyễn Thị Thu Hương"],
    ),
    (
        "verification link",
        ["https://lims.example.vn/verify/certificate/2025-CN-0042"],
    ),
]


@pytest.fixture(scope="module")
def report_text(report_pdf) -> str:
    return full_text(report_pdf)


@pytest.fixture(scope="module")
def certificate_text(certificate_pdf) -> str:
    return full_text(certificate_pdf)


@pytest.mark.parametrize(
    ("item", "expected"), REPORT_ITEMS, ids=[item for item, _ in REPORT_ITEMS]
)
def test_report_checklist(item, expected, report_text):
    for phrase in expected:
        assert phrase in report_text, f"{item}: {phrase!r} missing"


@pytest.mark.parametrize(
    ("item", "expected"),
    CERTIFICATE_ITEMS,
    ids=[item for item, _ in CERTIFICATE_ITEMS],
)
def test_certificate_checklist(item, expected, certificate_text):
    for phrase in expected:
        assert phrase in certificate_text, f"{item}: {phrase!r} missing"


def test_report_identified_on_every_page(report_pdf):
    for number, text in enumerate(page_texts(report_pdf), start=1):
        assert "Report No. HT-2025-0117" in text, f"page {number}"


def test_report_amendment_identified():
    document = sample_report(replaces=("HT-2025-0099", "sửa số seri mẫu"))

    text = full_text(render_test_report(document))

    assert "This report replaces report HT-2025-0099: sửa số seri mẫu" in text

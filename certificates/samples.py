"""Realistic sample documents for tests, benchmarks and layout previews.

The data describe a fictitious LTE/Wi-Fi router tested against QCVN 54:2020/BTTTT
and QCVN 18:2022/BTTTT. Company names, numbers and URLs are invented.
"""

import math
from datetime import UTC, date, datetime

from certificates.model import (
    CertificateDocument,
    Party,
    ResultLine,
    TestReportDocument,
    TracePlot,
)

HOLDER_NAME = "Công ty TNHH Thiết bị Viễn thông Đại Việt"
REGULATION_TITLE = "Thiết bị truyền dữ liệu băng rộng hoạt động trong băng tần 2,4 GHz"


def sample_certificate(number: str = "2025/CN-0042", **changes) -> CertificateDocument:
    """Return a scheme 5 certificate; keyword arguments replace fields."""
    fields = dict(
        number=number,
        scheme="type_testing_factory",
        holder=Party(
            HOLDER_NAME,
            "Số 12 Phố Duy Tân, Phường Dịch Vọng Hậu, Quận Cầu Giấy, Hà Nội",
            "Mã số doanh nghiệp / Enterprise code: 0101234567",
        ),
        manufacturer=Party(
            "Shenzhen Example Networks Co., Ltd.",
            "Building 5, Example Industrial Park, Bao'an District, Shenzhen, China",
        ),
        product_name="Thiết bị định tuyến không dây LTE/Wi-Fi (LTE/Wi-Fi router)",
        model="DV-R5400AX",
        hs_code="8517.62.59",
        regulations=[
            ("QCVN 54:2020/BTTTT", REGULATION_TITLE),
            (
                "QCVN 18:2022/BTTTT",
                "Tương thích điện từ đối với thiết bị thông tin vô tuyến điện",
            ),
        ],
        test_reports=["HT-2025-0117", "HT-2025-0118"],
        importers=[
            "Công ty Cổ phần Phân phối Thiết bị Số Sài Gòn",
            "Công ty TNHH Nhập khẩu Điện tử Hải Phòng",
        ],
        issued_on=date(2025, 3, 14),
        valid_until=date(2028, 3, 13),
        surveillance_dates=[date(2026, 3, 1), date(2027, 3, 1)],
        lot_description="",
        issuer=Party(
            "Trung tâm Chứng nhận Hợp quy Viễn thông Phương Nam",
            "Số 8 Đường Nguyễn Huệ, Quận 1, Thành phố Hồ Chí Minh",
            "Tổ chức chứng nhận được chỉ định / Designated body No. 09/QĐ-CĐ",
        ),
        signatory_name="Nguyễn Thị Thu Hương",
        signatory_title="Giám đốc / Director",
        verification_url="https://lims.example.vn/verify/certificate/2025-CN-0042",
        replaces=None,
        issued_at=datetime(2025, 3, 14, 2, 30, 0, tzinfo=UTC),
        document_id="3f2a9c1e5b7d4e8fa0b1c2d3e4f50617",
    )
    fields.update(changes)
    return CertificateDocument(**fields)


def sample_results(count: int = 6) -> list[ResultLine]:
    """Return `count` result rows cycling through typical QCVN 54 test items."""
    templates = [
        (
            "Công suất bức xạ đẳng hướng tương đương (EIRP)",
            "2.3.1",
            "18.6",
            "dBm",
            "±1.5",
            "≤ 20",
            "1.4",
            "Đạt / Pass",
        ),
        (
            "Mật độ phổ công suất",
            "2.3.2",
            "7.9",
            "dBm/MHz",
            "±1.5",
            "≤ 10",
            "2.1",
            "Đạt / Pass",
        ),
        (
            "Dải tần hoạt động",
            "2.3.3",
            "2401.2 – 2481.6",
            "MHz",
            "±0.01",
            "2400 – 2483.5",
            "—",
            "Đạt / Pass",
        ),
        (
            "Phát xạ không mong muốn ngoài băng",
            "2.3.6",
            "-12.4",
            "dBm/MHz",
            "±2.0",
            "≤ -10",
            "2.4",
            "Đạt / Pass",
        ),
        (
            "Phát xạ giả máy phát",
            "2.3.7",
            "-41.8",
            "dBm",
            "±2.5",
            "≤ -36",
            "5.8",
            "Đạt / Pass",
        ),
        (
            "Độ chặn máy thu",
            "2.3.9",
            "-62.0",
            "dBm",
            "±1.0",
            "≥ -65",
            "3.0",
            "Đạt / Pass",
        ),
    ]
    rows = []
    for index in range(count):
        item, clause, value, unit, uncertainty, limit, margin, verdict = templates[
            index % len(templates)
        ]
        rows.append(
            ResultLine(
                test_item=item,
                clause=clause,
                value=value,
                unit=unit,
                uncertainty=uncertainty,
                limit=limit,
                margin=margin,
                verdict=verdict,
                subcontracted=index % len(templates) == 5,
                note="Đo tại kênh 1, 7, 13" if index % len(templates) == 0 else "",
            )
        )
    return rows


def sample_trace(points: int = 5000) -> TracePlot:
    """Return a radiated-emission trace from 30 MHz to 1 GHz with narrow peaks."""
    low, high = 30e6, 1e9
    ratio = (high / low) ** (1 / (points - 1))
    x_hz = [low * ratio**index for index in range(points)]
    y = []
    for index, hertz in enumerate(x_hz):
        noise = 18 + 4 * math.sin(index * 0.37) + 2 * math.sin(index * 1.91)
        peak = 16 if index % 997 == 500 else 0
        y.append(round(noise + peak - 6 * math.log10(hertz / low), 2))
    worst_index = max(range(points), key=lambda index: y[index])
    return TracePlot(
        title="Phát xạ bức xạ 30 MHz – 1 GHz, phân cực ngang / Radiated emission, "
        "horizontal polarisation",
        x_hz=x_hz,
        y=y,
        y_unit="dBµV/m",
        limit_x_hz=[30e6, 230e6, 230e6, 1e9],
        limit_y=[40.0, 40.0, 47.0, 47.0],
        worst=(x_hz[worst_index], y[worst_index]),
    )


def sample_report(
    number: str = "HT-2025-0117", result_count: int = 6, **changes
) -> TestReportDocument:
    """Return a test report for the sample router; keyword arguments replace fields."""
    fields = dict(
        number=number,
        title="Thử nghiệm hợp quy thiết bị định tuyến không dây DV-R5400AX",
        lab=Party(
            "Phòng Thử nghiệm Vô tuyến Điện Đại Việt",
            "Lô B2, Khu Công nghệ cao Hòa Lạc, Thạch Thất, Hà Nội",
            "Mã số phòng thử nghiệm / Laboratory code: VILAS 1234",
        ),
        test_location="Buồng đo bán triệt phản xạ 10 m, Lô B2, Khu Công nghệ cao "
        "Hòa Lạc",
        customer=Party(
            HOLDER_NAME,
            "Số 12 Phố Duy Tân, Phường Dịch Vọng Hậu, Quận Cầu Giấy, Hà Nội",
        ),
        product_description="Thiết bị định tuyến không dây LTE/Wi-Fi 2,4 GHz và 5 GHz",
        manufacturer="Shenzhen Example Networks Co., Ltd.",
        model="DV-R5400AX",
        sample_codes=["M25-0311-01", "M25-0311-02"],
        sample_condition="Mẫu nguyên vẹn, hoạt động bình thường khi nhận",
        received_on=date(2025, 2, 24),
        tested_from=date(2025, 2, 26),
        tested_to=date(2025, 3, 5),
        issued_on=date(2025, 3, 10),
        methods=[
            ("QCVN 54:2020/BTTTT", "Mục 3.2 – 3.4"),
            ("ETSI EN 300 328 V2.2.2 (2019-07)", "Clause 5.4"),
        ],
        results=sample_results(result_count),
        deviations="",
        decision_rule="Quy tắc chấp nhận đơn giản theo ILAC-G8:09/2019: "
        "kết quả đo được so trực tiếp với giới hạn / Simple acceptance, the "
        "measured value is compared directly with the limit.",
        conformity_statement="Mẫu thử phù hợp với QCVN 54:2020/BTTTT / The item "
        "tested conforms to QCVN 54:2020/BTTTT.",
        authorised_by="Trần Văn Minh",
        authorised_role="Trưởng phòng thử nghiệm / Head of laboratory",
        accreditation="VILAS 1234, BoA, valid until 2028-05-31",
        replaces=None,
        plots=[sample_trace()],
        verification_url="https://lims.example.vn/verify/report/HT-2025-0117",
        issued_at=datetime(2025, 3, 10, 8, 15, 0, tzinfo=UTC),
        document_id="9b1c2d3e4f5061728394a5b6c7d8e9f0",
    )
    fields.update(changes)
    return TestReportDocument(**fields)

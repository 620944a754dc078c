"""Test reports with the content that ISO/IEC 17025:2017 clause 7.8.2.1 lists.

Each section is built by its own function, and the story reads top to bottom as
the printed report does. The order is laboratory, title, general information,
methods, results (with the statement that they relate only to the items
tested), plots, deviations, decision rule, statement of conformity,
authorisation and the end mark.
The report number and "page x of y" are printed on every page by the canvas in
certificates.output.
"""

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from certificates.layout import (
    bilingual,
    cell,
    data_table,
    escape_text,
    field_table,
    format_date,
    header_cell,
    heading,
    label,
    lines,
    para,
    styles,
    title_block,
)
from certificates.model import ResultLine, TestReportDocument
from certificates.output import PdfMetadata, build_pdf, frame_width
from certificates.plots import draw_plot, validate_plot
from certificates.textcheck import check_text, normalise_document

END_MARK = "— Hết báo cáo / End of report —"
ITEMS_TESTED_STATEMENT = (
    "Các kết quả thử nghiệm chỉ có giá trị đối với mẫu thử.",
    "The results relate only to the items tested.",
)
REPRODUCTION_STATEMENT = (
    "Không được sao chép một phần báo cáo này khi chưa có sự đồng ý bằng văn bản "
    "của phòng thử nghiệm.",
    "This report shall not be reproduced except in full without the written "
    "approval of the laboratory.",
)
SUBCONTRACTED_NOTE = (
    "(*) Kết quả do nhà thầu phụ thực hiện.",
    "(*) Result provided by an external (subcontracted) laboratory.",
)

# Results table columns in millimetres: No., test item, clause, value, unit,
# uncertainty, limit, margin, verdict. They add up to the 174 mm frame width.
RESULT_COLUMNS_MM = (8, 38, 16, 18, 16, 19, 22, 17, 20)
LABEL_WIDTH = 52 * mm


def validate_report(document: TestReportDocument) -> None:
    """Raise ValueError when the report's dates are out of order or a plot's data
    cannot be drawn."""
    if document.tested_to < document.tested_from:
        raise ValueError(
            f"report {document.number}: tested_to {document.tested_to} is before "
            f"tested_from {document.tested_from}"
        )
    if document.issued_on < document.tested_to:
        raise ValueError(
            f"report {document.number}: issued_on {document.issued_on} is before "
            f"the end of testing (tested_to {document.tested_to})"
        )
    for plot in document.plots:
        validate_plot(plot)


def render_test_report(document: TestReportDocument) -> bytes:
    """Render a test report to PDF bytes.

    Raises UnsupportedCharacterError before any rendering when a field contains a
    character the embedded font cannot draw, and ValueError for the
    inconsistencies listed in validate_report or a `document_id` that is not hex.
    """
    check_text(document)
    validate_report(document)
    document = normalise_document(document)

    metadata = PdfMetadata(
        title=f"Báo cáo thử nghiệm / Test report {document.number}",
        author=document.lab.name,
        subject=document.title,
        number=document.number,
        footer_label="Báo cáo số / Report No.",
        issued_at=document.issued_at,
        document_id=document.document_id,
    )
    return build_pdf(report_story(document), metadata)


def report_story(document: TestReportDocument) -> list[Flowable]:
    """Return the flowables of a test report in reading order."""
    return [
        *_laboratory_block(document),
        *title_block("BÁO CÁO THỬ NGHIỆM", "TEST REPORT"),
        *_identification(document),
        *_general_information(document),
        *_methods(document),
        *_results(document),
        *_plots(document),
        *_findings(document),
        *_authorisation(document),
        *_closing(document),
    ]


def _laboratory_block(document: TestReportDocument) -> list[Flowable]:
    lab = document.lab
    story: list[Flowable] = [para(lab.name, styles().issuer)]
    if lab.address:
        story.append(para(lab.address))
    if lab.identifier:
        story.append(para(lab.identifier))
    if document.accreditation:
        text = f"Công nhận / Accreditation: {document.accreditation}"
        story.append(para(text))
    story.append(Spacer(1, 5 * mm))
    return story


def _identification(document: TestReportDocument) -> list[Flowable]:
    story: list[Flowable] = [
        para(document.title, styles().centred),
        para(f"Số / No.: {document.number}", styles().centred),
    ]
    if document.replaces is not None:
        replaced, reason = document.replaces
        story.append(Spacer(1, 2 * mm))
        story.append(
            Paragraph(
                bilingual(
                    f"Báo cáo này thay thế báo cáo {replaced}: {reason}",
                    f"This report replaces report {replaced}: {reason}",
                ),
                styles().body,
            )
        )
    story.append(Spacer(1, 4 * mm))
    return story


def _party_text(name: str, address: str, identifier: str = "") -> Paragraph:
    return lines([part for part in (name, address, identifier) if part])


def _general_information(document: TestReportDocument) -> list[Flowable]:
    customer = document.customer
    lab = document.lab
    testing = f"{format_date(document.tested_from)} – {format_date(document.tested_to)}"
    rows = [
        (
            label("Khách hàng", "Customer"),
            _party_text(customer.name, customer.address, customer.identifier),
        ),
        (label("Phòng thử nghiệm", "Laboratory"), _party_text(lab.name, lab.address)),
        (label("Địa điểm thử nghiệm", "Test location"), cell(document.test_location)),
        (label("Mẫu thử", "Test item"), cell(document.product_description)),
        (label("Nhà sản xuất", "Manufacturer"), cell(document.manufacturer)),
        (label("Kiểu, loại", "Model / type"), cell(document.model)),
        (label("Mã số mẫu", "Sample identification"), lines(document.sample_codes)),
        (
            label("Tình trạng mẫu khi nhận", "Condition of the item on receipt"),
            cell(document.sample_condition),
        ),
        (
            label("Ngày nhận mẫu", "Date of receipt"),
            cell(format_date(document.received_on)),
        ),
        (label("Ngày thử nghiệm", "Date(s) of testing"), cell(testing)),
        (
            label("Ngày ban hành", "Date of issue"),
            cell(format_date(document.issued_on)),
        ),
    ]
    return [
        heading("Thông tin chung", "General information"),
        field_table(rows, frame_width(), LABEL_WIDTH),
    ]


def _methods(document: TestReportDocument) -> list[Flowable]:
    header = [
        header_cell(
            "Quy chuẩn, tiêu chuẩn (phiên bản)", "Regulation or standard (edition)"
        ),
        header_cell("Điều khoản, phương pháp", "Clause or method"),
    ]
    rows = [[cell(standard), cell(clause)] for standard, clause in document.methods]
    width = frame_width()
    return [
        heading("Phương pháp thử", "Test methods"),
        data_table(header, rows, [width * 0.6, width * 0.4]),
    ]


def _result_row(index: int, result: ResultLine) -> list[Flowable]:
    item = escape_text(result.test_item)
    if result.subcontracted:
        item += " (*)"
    if result.note:
        item += f'<br/><font size="6.5">{escape_text(result.note)}</font>'

    return [
        cell(str(index)),
        Paragraph(item, styles().cell),
        cell(result.clause),
        cell(result.value),
        cell(result.unit),
        cell(result.uncertainty),
        cell(result.limit),
        cell(result.margin),
        cell(result.verdict),
    ]


def _results(document: TestReportDocument) -> list[Flowable]:
    header = [
        header_cell("TT", "No."),
        header_cell("Hạng mục thử", "Test item"),
        header_cell("Điều khoản", "Clause"),
        header_cell("Kết quả", "Result"),
        header_cell("Đơn vị", "Unit"),
        header_cell("Độ KĐBĐ", "Uncertainty"),
        header_cell("Giới hạn", "Limit"),
        header_cell("Độ dự trữ", "Margin"),
        header_cell("Đánh giá", "Verdict"),
    ]
    rows = [
        _result_row(index, result)
        for index, result in enumerate(document.results, start=1)
    ]
    widths = [width * mm for width in RESULT_COLUMNS_MM]

    story: list[Flowable] = [
        heading("Kết quả thử nghiệm", "Test results"),
        Paragraph(bilingual(*ITEMS_TESTED_STATEMENT), styles().body),
        Spacer(1, 2 * mm),
        data_table(header, rows, widths),
    ]
    if any(result.subcontracted for result in document.results):
        story.append(Spacer(1, 1 * mm))
        story.append(
            Paragraph(bilingual(*SUBCONTRACTED_NOTE, bold=False), styles().small)
        )
    return story


def _plots(document: TestReportDocument) -> list[Flowable]:
    story: list[Flowable] = []
    for index, plot in enumerate(document.plots):
        block: list[Flowable] = []
        if index == 0:
            block.append(heading("Đồ thị phép đo", "Measurement plots"))
        block.append(para(plot.title, styles().body))
        block.append(draw_plot(plot, frame_width()))
        block.append(Spacer(1, 3 * mm))
        # Keeps the caption, and the section heading above the first plot, on
        # the same page as the drawing.
        story.append(KeepTogether(block))
    return story


def _findings(document: TestReportDocument) -> list[Flowable]:
    deviations = document.deviations or "Không có / None"
    return [
        heading("Sai lệch so với phương pháp", "Deviations from the methods"),
        para(deviations),
        heading("Quy tắc quyết định", "Decision rule"),
        para(document.decision_rule),
        heading("Tuyên bố sự phù hợp", "Statement of conformity"),
        para(document.conformity_statement),
    ]


def _authorisation(document: TestReportDocument) -> list[Flowable]:
    rows = [
        (label("Người phê duyệt", "Authorised by"), cell(document.authorised_by)),
        (label("Chức danh", "Function"), cell(document.authorised_role)),
        (
            label("Ngày ban hành", "Date of issue"),
            cell(format_date(document.issued_on)),
        ),
    ]
    return [
        heading("Phê duyệt báo cáo", "Authorisation"),
        KeepTogether([field_table(rows, frame_width(), LABEL_WIDTH)]),
    ]


def _closing(document: TestReportDocument) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 4 * mm)]
    if document.verification_url:
        story.append(
            para(
                "Tra cứu trực tuyến / Online verification: "
                f"{document.verification_url}",
                styles().small,
            )
        )
    story.append(
        Paragraph(bilingual(*REPRODUCTION_STATEMENT, bold=False), styles().small)
    )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape_text(END_MARK), styles().end_mark))
    return story

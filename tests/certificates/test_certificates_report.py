"""Test report layout: page numbering, end mark, table breaks, special rows."""

import re

import pytest
from pdf_reading import full_text, page_texts, read_pdf
from reportlab.pdfbase.pdfmetrics import stringWidth

from certificates import Party, ResultLine, render_test_report
from certificates.report import END_MARK
from certificates.samples import sample_report

PAGE_MARK = re.compile(r"Trang (\d+)/(\d+) – Page (\d+) of (\d+)")


def test_long_report_has_several_pages(long_report_pdf):
    assert len(read_pdf(long_report_pdf).pages) >= 3


def test_every_page_numbered_x_of_y(long_report_pdf):
    pages = page_texts(long_report_pdf)

    for number, text in enumerate(pages, start=1):
        marks = PAGE_MARK.findall(text)
        expected = (str(number), str(len(pages)), str(number), str(len(pages)))
        assert marks == [expected], f"page {number}: {marks}"


def test_report_number_on_every_page(long_report_pdf):
    for number, text in enumerate(page_texts(long_report_pdf), start=1):
        assert "Báo cáo số / Report No. HT-2025-0117" in text, f"page {number}"


def test_end_mark_only_on_last_page(long_report_pdf):
    pages = page_texts(long_report_pdf)

    assert END_MARK in pages[-1]
    assert all(END_MARK not in text for text in pages[:-1])


def test_end_mark_follows_all_content(report_pdf):
    last_page = page_texts(report_pdf)[-1]
    body = last_page.split(END_MARK)[0]

    assert "Trần Văn Minh" in body
    assert "Người phê duyệt" in body


def test_results_header_repeats_on_continuation(long_report_pdf):
    pages = page_texts(long_report_pdf)
    table_pages = [text for text in pages if "Đạt / Pass" in text]

    assert len(table_pages) >= 2
    for text in table_pages:
        assert "Hạng mục thử" in text
        assert "Uncertainty" in text


def test_every_result_row_printed(long_report_pdf):
    text = full_text(long_report_pdf)

    for index in (1, 60, 120):
        assert re.search(rf"^{index}\s", text, re.M), f"row {index} missing"


def test_replaces_statement_printed():
    document = sample_report(replaces=("HT-2025-0099", "sai số model"))

    text = full_text(render_test_report(document))

    assert "This report replaces report HT-2025-0099: sai số model" in text
    assert "Báo cáo này thay thế báo cáo HT-2025-0099: sai số model" in text


def test_no_replaces_statement_by_default(report_pdf):
    assert "replaces report" not in full_text(report_pdf)


def test_subcontracted_results_marked(report_pdf):
    text = full_text(report_pdf)

    assert "Độ chặn máy thu (*)" in text
    assert "(*) Result provided by an external (subcontracted) laboratory." in text


def test_no_subcontract_note_without_such_rows():
    results = [
        ResultLine("Công suất", "2.3.1", "18.6", "dBm", "±1.5", "≤ 20", "1.4", "Đạt")
    ]

    text = full_text(render_test_report(sample_report(results=results)))

    assert "subcontracted" not in text


def test_missing_accreditation_omits_line():
    text = full_text(render_test_report(sample_report(accreditation=None)))

    assert "Accreditation" not in text


def test_empty_deviations_print_none(report_pdf):
    assert "Không có / None" in full_text(report_pdf)


def test_testing_period_printed(report_pdf):
    assert "26/02/2025 – 05/03/2025" in full_text(report_pdf)


def test_inverted_testing_period_raises():
    document = sample_report(tested_to=sample_report().tested_from.replace(day=1))

    with pytest.raises(ValueError, match="tested_to"):
        render_test_report(document)


def test_issue_before_end_of_testing_raises():
    document = sample_report(issued_on=sample_report().tested_to.replace(day=1))

    with pytest.raises(ValueError, match="issued_on"):
        render_test_report(document)


def text_runs(pdf_bytes: bytes) -> list[tuple[int, str, float, float]]:
    """Return (page, text, x, width) of every text run drawn with a DejaVu font."""
    runs = []
    reader = read_pdf(pdf_bytes)
    for page_number, page in enumerate(reader.pages, start=1):

        def visit(text, cm, tm, font, size, page_number=page_number):
            if not text.strip() or font is None:
                return
            base = str(font.get("/BaseFont", ""))
            name = "DejaVuSans-Bold" if "Bold" in base else "DejaVuSans"
            scale = tm[0] * cm[0]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            width = stringWidth(text.rstrip("\n"), name, size * scale)
            runs.append((page_number, text, x, width))

        page.extract_text(visitor_text=visit)
    return runs


def test_long_text_stays_inside_page():
    long_word = "Đ" * 300
    long_sentence = " ".join(["Thiết bị viễn thông"] * 200)
    document = sample_report(
        customer=Party(long_word, long_sentence),
        product_description=long_sentence,
        conformity_statement=long_sentence,
        verification_url="https://lims.example.vn/verify/" + "x" * 250,
    )
    pdf = render_test_report(document)
    page_width = float(read_pdf(pdf).pages[0].mediabox.width)

    runs = text_runs(pdf)

    assert runs
    for page_number, text, x, width in runs:
        assert x >= 0, (page_number, text[:40], x)
        assert x + width <= page_width + 0.5, (page_number, text[:40], x, width)


def test_long_text_is_fully_printed():
    long_sentence = " ".join(f"từ{index}" for index in range(3000))
    document = sample_report(product_description=long_sentence)

    text = full_text(render_test_report(document))

    assert "từ0" in text
    assert "từ2999" in text


def _tall_rows(count: int) -> list[ResultLine]:
    # Each row is several lines tall: a long item name and a long note.
    return [
        ResultLine(
            test_item=f"ROW{index:02d} Phát xạ dẫn trên cổng nguồn AC, loại B, "
            "giá trị trung bình / Conducted emission on AC mains, class B, average",
            clause="A.8.1",
            value="44.8",
            unit="dBµV",
            uncertainty="±3.4",
            limit="≤ 46.0",
            margin="-1.2",
            verdict=f"END{index:02d}",
            note=f"NOTE{index:02d} f = 1.2500 MHz; " + "điều kiện đo bổ sung " * 6,
        )
        for index in range(1, count + 1)
    ]


@pytest.mark.parametrize("count", [6, 11, 17])
def test_result_rows_never_split_across_pages(count):
    pdf = render_test_report(sample_report(results=_tall_rows(count), plots=[]))

    pages = [page.extract_text() for page in read_pdf(pdf).pages]

    for index in range(1, count + 1):
        marks = [f"ROW{index:02d}", f"NOTE{index:02d}", f"END{index:02d}"]
        assert any(all(mark in text for mark in marks) for text in pages), index
    assert all(text.count("Hạng mục thử") <= 1 for text in pages)


def test_row_longer_than_a_page_still_renders():
    huge = _tall_rows(1)[0]
    huge = ResultLine(**{**huge.__dict__, "note": "ghi chú rất dài " * 600})

    pdf = render_test_report(sample_report(results=[huge], plots=[]))

    assert len(read_pdf(pdf).pages) > 2

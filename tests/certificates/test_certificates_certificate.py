"""Certificate layout: QR code, verification URL, scheme-specific content."""

import itertools
from datetime import date

import pytest
import segno
from pdf_reading import full_text, read_pdf

from certificates import render_certificate
from certificates.qr import FORM_NAME, QUIET_ZONE_MODULES, qr_modules
from certificates.samples import sample_certificate


def page_forms(pdf_bytes: bytes) -> dict[str, object]:
    """Return the form XObjects used on the first page, by resource name."""
    page = read_pdf(pdf_bytes).pages[0]
    xobjects = page["/Resources"].get_object().get("/XObject", {})
    forms = {}
    for name, reference in xobjects.items():
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Form":
            forms[str(name)] = xobject
    return forms


def test_qr_code_form_present(certificate_pdf):
    forms = page_forms(certificate_pdf)

    names = [name for name in forms if FORM_NAME in name]
    assert names, f"no QR form among {sorted(forms)}"


def test_qr_code_draws_modules(certificate_pdf):
    forms = page_forms(certificate_pdf)
    qr_form = next(form for name, form in forms.items() if FORM_NAME in name)

    content = qr_form.get_data().decode("latin-1")

    # A version 3 or larger code has hundreds of dark modules, each a rectangle.
    assert content.count(" re") > 100


def test_qr_code_placed_on_page(certificate_pdf):
    page = read_pdf(certificate_pdf).pages[0]
    content = page.get_contents().get_data().decode("latin-1")

    assert f"/FormXob.{FORM_NAME} Do" in content


def test_verification_url_printed(certificate_pdf):
    text = full_text(certificate_pdf)

    assert "https://lims.example.vn/verify/certificate/2025-CN-0042" in text


def test_type_testing_factory_lists_surveillance(certificate_pdf):
    text = full_text(certificate_pdf)

    assert "Surveillance dates" in text
    assert "01/03/2026" in text
    assert "01/03/2027" in text


def test_lot_scheme_prints_lot_and_validity():
    document = sample_certificate(
        scheme="lot",
        lot_description="Lô 500 chiếc, số seri DV24A0001 – DV24A0500",
        valid_until=None,
        surveillance_dates=[],
    )

    text = full_text(render_certificate(document))

    assert "Scheme 7: testing of a lot" in text
    assert "Lô 500 chiếc, số seri DV24A0001 – DV24A0500" in text
    assert "Valid only for the lot described above" in text
    assert "Surveillance dates" not in text


def test_type_testing_omits_scheme_rows():
    document = sample_certificate(scheme="type_testing", surveillance_dates=[])

    text = full_text(render_certificate(document))

    assert "Scheme 1: type testing" in text
    assert "Surveillance dates" not in text
    assert "Lot\n" not in text


def test_replaces_printed():
    document = sample_certificate(replaces="2024/CN-0101")

    text = full_text(render_certificate(document))

    assert "Replaces certificate No. 2024/CN-0101" in text


def test_no_importers_prints_none():
    text = full_text(render_certificate(sample_certificate(importers=[])))

    assert "Không có / None" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scheme": "type_testing_plus"}, "unknown certification scheme"),
        ({"valid_until": None}, "valid_until is missing"),
        ({"valid_until": date(2025, 1, 1)}, "is before issued_on"),
        ({"surveillance_dates": []}, "requires the planned surveillance_dates"),
        ({"scheme": "lot", "lot_description": " "}, "requires a lot_description"),
    ],
)
def test_inconsistent_certificate_raises(changes, message):
    with pytest.raises(ValueError, match=message):
        render_certificate(sample_certificate(**changes))


def test_many_importers_continue_on_next_page():
    importers = [f"Công ty Nhập khẩu số {index}" for index in range(150)]

    pdf = render_certificate(sample_certificate(importers=importers))
    text = full_text(pdf)

    assert len(read_pdf(pdf).pages) >= 2
    assert "Công ty Nhập khẩu số 149" in text
    assert "Trang 2/" in text


def test_qr_has_finder_patterns():
    modules = qr_modules("https://lims.example.vn/verify/certificate/2025-CN-0042")
    size = len(modules)
    finder_row = [True] * 7

    assert size == 33  # version 4 at error correction level M
    assert all(len(row) == size for row in modules)
    assert modules[0][:7] == finder_row
    assert modules[0][size - 7 :] == finder_row
    assert modules[size - 1][:7] == finder_row
    assert modules[3][2:5] == [True, True, True]


def test_qr_modules_use_chosen_mask():
    url = "https://lims.example.vn/verify/certificate/2025-CN-0042"
    code = segno.make_qr(url, error="m", boost_error=False)

    assert qr_modules(url) == [[bool(m) for m in row] for row in code.matrix]
    assert code.error == "M"


def test_qr_form_draws_every_dark_run(certificate_pdf):
    url = "https://lims.example.vn/verify/certificate/2025-CN-0042"
    runs = sum(
        1 for row in qr_modules(url) for dark, _ in itertools.groupby(row) if dark
    )
    forms = page_forms(certificate_pdf)
    qr_form = next(form for name, form in forms.items() if FORM_NAME in name)

    assert qr_form.get_data().decode("latin-1").count(" re") == runs


def test_qr_form_rebuilds_the_module_matrix(certificate_pdf):
    # Paint the form's rectangles onto a grid of modules and compare.
    url = "https://lims.example.vn/verify/certificate/2025-CN-0042"
    modules = qr_modules(url)
    size = len(modules) + 2 * QUIET_ZONE_MODULES
    forms = page_forms(certificate_pdf)
    qr_form = next(form for name, form in forms.items() if FORM_NAME in name)
    operators = qr_form.get_data().decode("latin-1").split("\n")
    scale = next(float(line.split()[0]) for line in operators if line.endswith(" cm"))
    painted = [[False] * size for _ in range(size)]
    for line in operators:
        if line.endswith(" re"):
            x, y, width, height = (int(value) for value in line.split()[:4])
            for column in range(x, x + width):
                for row in range(size - y - height, size - y):
                    painted[row][column] = True
    inner = [
        row[QUIET_ZONE_MODULES : size - QUIET_ZONE_MODULES]
        for row in painted[QUIET_ZONE_MODULES : size - QUIET_ZONE_MODULES]
    ]

    assert inner == modules
    assert scale * size == pytest.approx(float(qr_form["/BBox"][2]))

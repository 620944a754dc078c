"""The one-page certificate drawing and its fallback to the flowable layout."""

import dataclasses
import io

from pypdf import PdfReader

from certificates import render_certificate
from certificates.samples import sample_certificate


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_usual_certificate_fits_one_page():
    pages = _pages(render_certificate(sample_certificate()))
    assert len(pages) == 1
    assert "Trang 1/1 – Page 1 of 1" in pages[0]


def test_long_certificate_breaks_across_pages():
    importers = [f"Công ty Nhập khẩu số {n}, Hải Phòng" for n in range(80)]
    document = dataclasses.replace(sample_certificate(), importers=importers)

    pages = _pages(render_certificate(document))

    assert len(pages) >= 2
    text = " ".join(pages)
    assert "Công ty Nhập khẩu số 79, Hải Phòng" in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_one_page_and_fallback_print_same_fields():
    document = sample_certificate()
    short = " ".join(_pages(render_certificate(document)))
    long_document = dataclasses.replace(
        document, importers=[*document.importers, *["Công ty X"] * 80]
    )
    long = " ".join(_pages(render_certificate(long_document)))
    for label in ("Certificate holder", "Model / type", "Valid until", "HS code"):
        assert label in short
        assert label in long

"""Vietnamese text round trip, NFC normalisation and unsupported characters."""

import dataclasses
import unicodedata

import pytest
from pdf_reading import full_text

import certificates.certificate
import certificates.report
from certificates import (
    Party,
    UnsupportedCharacterError,
    check_text,
    render_certificate,
    render_test_report,
)
from certificates.samples import HOLDER_NAME, sample_certificate, sample_report

SATELLITE_ANTENNA = "\U0001f4e1"  # not in DejaVu Sans 2.37
CJK_IDEOGRAPH = "中"


def test_certificate_vietnamese_extracts_exactly(certificate_pdf):
    text = full_text(certificate_pdf)

    assert "Công ty TNHH Thiết bị Viễn thông Đại Việt" in text
    assert "GIẤY CHỨNG NHẬN HỢP QUY" in text
    assert "Giấy chứng nhận" in text


def test_phrase_giay_chung_nhan_hop_quy_extracts(certificate_pdf):
    document = sample_certificate(product_name="Giấy chứng nhận hợp quy")

    text = full_text(render_certificate(document))

    assert "Giấy chứng nhận hợp quy" in text


def test_report_vietnamese_extracts_exactly(report_pdf):
    text = full_text(report_pdf)

    assert HOLDER_NAME in text
    assert "BÁO CÁO THỬ NGHIỆM" in text
    assert "Phòng Thử nghiệm Vô tuyến Điện Đại Việt" in text


def test_decomposed_input_prints_as_nfc():
    decomposed = unicodedata.normalize("NFD", HOLDER_NAME)
    assert decomposed != HOLDER_NAME
    document = sample_certificate(holder=Party(decomposed))

    text = full_text(render_certificate(document))

    assert HOLDER_NAME in text
    assert "\u0303" not in text  # no stray combining tilde


def test_markup_characters_print_literally():
    name = "Smith & Wong <Vietnam> Co."
    document = sample_certificate(holder=Party(name))

    text = full_text(render_certificate(document))

    assert name in text


def test_emoji_in_holder_raises_before_render(monkeypatch):
    def fail_build(*args, **kwargs):
        raise AssertionError("rendering started despite an unsupported character")

    monkeypatch.setattr(certificates.certificate, "build_pdf", fail_build)
    document = sample_certificate(holder=Party(f"Đại Việt {SATELLITE_ANTENNA}"))

    with pytest.raises(UnsupportedCharacterError) as caught:
        render_certificate(document)

    message = str(caught.value)
    assert "U+1F4E1" in message
    assert "holder.name" in message
    assert caught.value.problems[0].field == "holder.name"
    assert caught.value.problems[0].character == SATELLITE_ANTENNA


def test_cjk_in_report_raises_before_render(monkeypatch):
    def fail_build(*args, **kwargs):
        raise AssertionError("rendering started despite an unsupported character")

    monkeypatch.setattr(certificates.report, "build_pdf", fail_build)
    results = sample_report().results
    changed = dataclasses.replace(results[0], note=CJK_IDEOGRAPH)
    document = sample_report(results=[changed, *results[1:]])

    with pytest.raises(UnsupportedCharacterError) as caught:
        render_test_report(document)

    assert caught.value.problems[0].field == "results[0].note"
    assert "U+4E2D" in str(caught.value)


def test_error_lists_every_character_and_field():
    document = sample_certificate(
        holder=Party(f"A {SATELLITE_ANTENNA} B {CJK_IDEOGRAPH}"),
        regulations=[("QCVN 54:2020/BTTTT", f"title {CJK_IDEOGRAPH}")],
    )

    with pytest.raises(UnsupportedCharacterError) as caught:
        check_text(document)

    found = [(problem.field, problem.character) for problem in caught.value.problems]
    assert found == [
        ("holder.name", SATELLITE_ANTENNA),
        ("holder.name", CJK_IDEOGRAPH),
        ("regulations[0][1]", CJK_IDEOGRAPH),
    ]


def test_check_text_accepts_samples():
    check_text(sample_certificate())
    check_text(sample_report())


def test_line_breaks_are_accepted():
    document = sample_certificate(lot_description="Lô 1\nLô 2\tghi chú", scheme="lot")

    check_text(document)


def test_control_character_is_rejected():
    document = sample_certificate(model="DV\x07R")

    with pytest.raises(UnsupportedCharacterError) as caught:
        check_text(document)

    assert caught.value.problems[0].field == "model"

"""Product certificates of conformity with the content of ISO/IEC 17065 clause 7.7.

The certification schemes are those of Vietnamese conformity assessment for
technical regulations (QCVN): scheme 1 (type testing), scheme 5 (type testing
with assessment of the production process and surveillance) and scheme 7
(testing of a lot). A certificate names the body that issues it, the holder,
which may be a foreign manufacturer, the importers allowed to use it, the test
reports it rests on, and carries a QR code that links to the verification page.
"""

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from certificates.certificate_page import FieldRow, draw_certificate_page
from certificates.fonts import REGULAR
from certificates.layout import (
    bilingual,
    escape_text,
    field_table,
    format_date,
    label,
    lines,
    para,
    styles,
    title_block,
)
from certificates.model import CERTIFICATE_SCHEMES, CertificateDocument, Party
from certificates.output import PdfMetadata, build_pdf, frame_width
from certificates.qr import QrCode
from certificates.textcheck import check_text, normalise_document

SCHEME_NAMES = {
    "type_testing": (
        "Phương thức 1: thử nghiệm mẫu điển hình",
        "Scheme 1: type testing",
    ),
    "type_testing_factory": (
        "Phương thức 5: thử nghiệm mẫu điển hình và đánh giá quá trình sản xuất; "
        "giám sát",
        "Scheme 5: type testing, assessment of the production process and surveillance",
    ),
    "lot": (
        "Phương thức 7: thử nghiệm, đánh giá lô sản phẩm",
        "Scheme 7: testing of a lot",
    ),
}
LOT_VALIDITY = (
    "Chỉ có giá trị đối với lô hàng nêu trên",
    "Valid only for the lot described above",
)
LABEL_WIDTH = 55 * mm
QR_SIZE = 32 * mm


def validate_certificate(document: CertificateDocument) -> None:
    """Raise ValueError when the certificate's scheme, validity or scheme-specific
    fields are inconsistent."""
    if document.scheme not in CERTIFICATE_SCHEMES:
        raise ValueError(
            f"unknown certification scheme {document.scheme!r}; expected one of "
            f"{', '.join(CERTIFICATE_SCHEMES)}"
        )
    if document.scheme != "lot" and document.valid_until is None:
        raise ValueError(
            f"certificate {document.number}: valid_until is missing; only a lot "
            "certificate may omit its expiry date"
        )
    if document.valid_until is not None and document.valid_until < document.issued_on:
        raise ValueError(
            f"certificate {document.number}: valid_until {document.valid_until} "
            f"is before issued_on {document.issued_on}"
        )
    if document.scheme == "type_testing_factory" and not document.surveillance_dates:
        raise ValueError(
            f"certificate {document.number}: scheme type_testing_factory requires "
            "the planned surveillance_dates"
        )
    if document.scheme == "lot" and not document.lot_description.strip():
        raise ValueError(
            f"certificate {document.number}: scheme lot requires a lot_description"
        )


def render_certificate(document: CertificateDocument) -> bytes:
    """Render a certificate of conformity to PDF bytes.

    Raises UnsupportedCharacterError before any rendering when a field contains a
    character the embedded font cannot draw, and ValueError for the
    inconsistencies listed in validate_certificate or a non-hex `document_id`.
    """
    check_text(document)
    validate_certificate(document)
    document = normalise_document(document)

    metadata = PdfMetadata(
        title=f"Giấy chứng nhận hợp quy / Certificate of conformity {document.number}",
        author=document.issuer.name,
        subject=f"{document.product_name} {document.model}",
        number=document.number,
        footer_label="Giấy chứng nhận số / Certificate No.",
        issued_at=document.issued_at,
        document_id=document.document_id,
    )
    fields = field_texts(document)
    one_page = draw_certificate_page(document, metadata, fields, LABEL_WIDTH, QR_SIZE)
    if one_page is not None:
        return one_page
    return build_pdf(certificate_story(document), metadata)


def certificate_story(document: CertificateDocument) -> list[Flowable]:
    """Return the flowables of a certificate in reading order."""
    return [
        *_issuer_block(document.issuer),
        *title_block("GIẤY CHỨNG NHẬN HỢP QUY", "CERTIFICATE OF CONFORMITY"),
        *_identification(document),
        field_table(_fields(document), frame_width(), LABEL_WIDTH),
        Spacer(1, 6 * mm),
        _signature_and_qr(document),
    ]


def _issuer_block(issuer: Party) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(
            bilingual("Tổ chức chứng nhận", "Certification body"), styles().small
        ),
        para(issuer.name, styles().issuer),
    ]
    if issuer.address:
        story.append(para(issuer.address))
    if issuer.identifier:
        story.append(para(issuer.identifier))
    story.append(Spacer(1, 5 * mm))
    return story


def _identification(document: CertificateDocument) -> list[Flowable]:
    story: list[Flowable] = [para(f"Số / No.: {document.number}", styles().centred)]
    if document.replaces:
        story.append(
            para(
                f"Thay thế giấy chứng nhận số {document.replaces} / "
                f"Replaces certificate No. {document.replaces}",
                styles().centred,
            )
        )
    story.append(Spacer(1, 4 * mm))
    return story


def _party_lines(party: Party) -> list[str]:
    return [part for part in (party.name, party.address, party.identifier) if part]


def field_texts(document: CertificateDocument) -> list[FieldRow]:
    """Return the certificate's fields as (Vietnamese label, English label, values).

    Both layouts print these rows, so the one-page drawing and the flowable
    layout carry the same text.
    """
    regulations = [f"{code} – {title}" for code, title in document.regulations]
    rows: list[FieldRow] = [
        (
            "Tổ chức, cá nhân được chứng nhận",
            "Certificate holder",
            _party_lines(document.holder),
        ),
        ("Nhà sản xuất", "Manufacturer", _party_lines(document.manufacturer)),
        ("Sản phẩm", "Product", [document.product_name]),
        ("Kiểu, loại", "Model / type", [document.model]),
        ("Mã HS", "HS code", [document.hs_code]),
        (
            "Phù hợp quy chuẩn kỹ thuật",
            "Conforms to technical regulations",
            regulations or ["—"],
        ),
        ("Phương thức đánh giá", "Certification scheme", SCHEME_NAMES[document.scheme]),
        ("Báo cáo thử nghiệm", "Test reports", document.test_reports or ["—"]),
        *_scheme_rows(document),
        (
            "Đơn vị nhập khẩu được sử dụng",
            "Importers permitted to use it",
            document.importers or ["Không có / None"],
        ),
        ("Ngày cấp", "Date of issue", [format_date(document.issued_on)]),
        ("Có giá trị đến", "Valid until", _validity(document)),
    ]
    return rows


def _fields(document: CertificateDocument) -> list[tuple[Flowable, Flowable]]:
    return [
        (label(vietnamese, english), lines(values))
        for vietnamese, english, values in field_texts(document)
    ]


def _scheme_rows(document: CertificateDocument) -> list[FieldRow]:
    if document.scheme == "type_testing_factory":
        dates = [format_date(day) for day in document.surveillance_dates]
        return [("Kế hoạch giám sát", "Surveillance dates", dates)]
    if document.scheme == "lot":
        return [("Lô hàng", "Lot", [document.lot_description])]
    return []


def _validity(document: CertificateDocument) -> list[str]:
    if document.valid_until is None:
        return list(LOT_VALIDITY)
    return [format_date(document.valid_until)]


def _signature_and_qr(document: CertificateDocument) -> Flowable:
    verification = [
        QrCode(document.verification_url, QR_SIZE),
        Spacer(1, 1 * mm),
        para(f"Tra cứu / Verify: {document.verification_url}", styles().small),
    ]
    signature = [
        Paragraph(
            bilingual("ĐẠI DIỆN TỔ CHỨC CHỨNG NHẬN", "For the certification body"),
            styles().centred,
        ),
        para(document.signatory_title, styles().centred),
        Spacer(1, 18 * mm),
        Paragraph(f"<b>{escape_text(document.signatory_name)}</b>", styles().centred),
    ]
    width = frame_width()
    table = Table([[verification, signature]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return KeepTogether([table])

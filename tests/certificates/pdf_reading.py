"""Helpers that read rendered PDFs back with pypdf for the certificates tests."""

import io
import unicodedata

from pypdf import PdfReader


def read_pdf(pdf_bytes: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes))


def page_texts(pdf_bytes: bytes) -> list[str]:
    """Return the NFC-normalised extracted text of each page."""
    reader = read_pdf(pdf_bytes)
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def full_text(pdf_bytes: bytes) -> str:
    return "\n".join(page_texts(pdf_bytes))

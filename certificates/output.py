"""PDF file assembly: reproducible metadata, running footers and hashing.

The same document must always give the same bytes, so that the SHA-256 of an
issued PDF identifies it. The canvas here runs reportlab in invariant mode and
then replaces the two values that would otherwise be fixed or derived. The
creation and modification dates come from the document's `issued_at`, and the
file identifier (/ID in the trailer) comes from its `document_id`.
"""

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from certificates.fonts import REGULAR, register_fonts

PAGE_SIZE = A4
MARGIN_LEFT = 18 * mm
MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 20 * mm
FOOTER_FONT_SIZE = 7.5
PRODUCER = "conformity-lims certificates (ReportLab)"


@dataclass(frozen=True)
class PdfMetadata:
    """File-level facts of one PDF.

    `footer_label` precedes the document number in the footer of every page,
    e.g. "Báo cáo số / Report No.". `issued_at` is read as UTC when naive.
    """

    title: str
    author: str
    subject: str
    number: str
    footer_label: str
    issued_at: datetime
    document_id: str


def sha256_hex(pdf_bytes: bytes) -> str:
    """Return the SHA-256 digest of a rendered PDF as 64 lowercase hex digits."""
    return hashlib.sha256(pdf_bytes).hexdigest()


def file_identifier(document_id: str) -> bytes:
    """Return the trailer /ID array for a hex `document_id`.

    Raises ValueError when `document_id` is empty or not an even number of hex
    digits, because the identifier is written into the file as a hex string.
    """
    try:
        raw = bytes.fromhex(document_id)
    except ValueError:
        raw = b""

    if not raw:
        raise ValueError(
            f"invalid document_id {document_id!r}: expected a non-empty string "
            "of hex digits with an even length, such as a UUID's hex form"
        )

    encoded = b"<" + raw.hex().upper().encode("ascii") + b">"
    return b"\n[" + encoded + encoded + b"]\n"


def fixed_timestamp(issued_at: datetime) -> TimeStamp:
    """Return a reportlab TimeStamp that reports `issued_at` in UTC."""
    if issued_at.tzinfo is None:
        issued_at = issued_at.replace(tzinfo=UTC)
    utc = issued_at.astimezone(UTC)

    stamp = TimeStamp(invariant=1)
    stamp.t = utc.timestamp()
    stamp.lt = utc.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = 0
    stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


class NumberedCanvas(Canvas):
    """A canvas that keeps pages back until the end, so that every footer can
    state the total page count, and that writes fixed dates and /ID."""

    def __init__(self, *args: Any, metadata: PdfMetadata, **kwargs: Any) -> None:
        kwargs["invariant"] = 1
        super().__init__(*args, **kwargs)
        self._metadata = metadata
        self._held_pages: list[dict[str, Any]] = []
        self._doc._timeStamp = fixed_timestamp(metadata.issued_at)
        self._doc._ID = file_identifier(metadata.document_id)

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for page_number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(page_number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, page_number: int, total: int) -> None:
        width, _ = self._pagesize
        baseline = MARGIN_BOTTOM - 10 * mm
        label = f"{self._metadata.footer_label} {self._metadata.number}"
        pages = f"Trang {page_number}/{total} – Page {page_number} of {total}"

        self.saveState()
        self.setStrokeGray(0.6)
        self.setLineWidth(0.4)
        self.line(MARGIN_LEFT, baseline + 10, width - MARGIN_RIGHT, baseline + 10)
        self.setFont(REGULAR, FOOTER_FONT_SIZE)
        self.setFillGray(0.2)
        self.drawString(MARGIN_LEFT, baseline, label)
        self.drawRightString(width - MARGIN_RIGHT, baseline, pages)
        self.restoreState()


def build_pdf(story: Sequence[Flowable], metadata: PdfMetadata) -> bytes:
    """Lay out `story` on A4 pages with numbered footers and return the PDF."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = PAGE_SIZE

    template = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=metadata.title,
        author=metadata.author,
        subject=metadata.subject,
        creator=PRODUCER,
        producer=PRODUCER,
        invariant=1,
        initialFontName=REGULAR,
        initialFontSize=9,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        width - MARGIN_LEFT - MARGIN_RIGHT,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    template.build(list(story), canvasmaker=partial(NumberedCanvas, metadata=metadata))
    return buffer.getvalue()


def frame_width() -> float:
    """Return the width in points available to the story on every page."""
    return PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT

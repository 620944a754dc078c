"""Paragraph styles and flowable builders shared by certificates and test reports.

Every user-supplied string passes through `escape_text`, so that "&", "<" and ">"
in a company name print as themselves instead of being read as paragraph markup.
Long words are split at the column edge (reportlab's `splitLongWords`), so no
text runs off the page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from certificates.fonts import BOLD, REGULAR

GRID_COLOUR = colors.Color(0.65, 0.65, 0.65)
HEADER_FILL = colors.Color(0.9, 0.92, 0.95)
LABEL_FILL = colors.Color(0.96, 0.96, 0.96)
ENGLISH_COLOUR = colors.Color(0.3, 0.3, 0.3)

# Table rows may split across pages when both parts are at least this many points
# tall, so a value longer than a page continues on the next one.
ROW_SPLIT_MIN_HEIGHT = 24
# The same for the rows of a data table (results, methods), which are read
# across: a row moves whole to the next page unless both parts would be this
# tall, so only a row of half a page or more is ever split.
DATA_ROW_SPLIT_MIN_HEIGHT = 200


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of both document types."""

    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_header: ParagraphStyle
    label: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    centred: ParagraphStyle
    issuer: ParagraphStyle
    end_mark: ParagraphStyle


@cache
def styles() -> Styles:
    """Return the shared paragraph styles, built once per process."""
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=9,
        leading=11.5,
        alignment=TA_LEFT,
        splitLongWords=1,
    )
    return Styles(
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        cell=ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        cell_header=ParagraphStyle(
            "cell_header", parent=base, fontSize=7.5, leading=9.5
        ),
        label=ParagraphStyle("label", parent=base, fontSize=8, leading=10),
        heading=ParagraphStyle(
            "heading",
            parent=base,
            fontName=BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        title=ParagraphStyle(
            "title",
            parent=base,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            alignment=TA_CENTER,
        ),
        subtitle=ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=11,
            leading=14,
            alignment=TA_CENTER,
            textColor=ENGLISH_COLOUR,
        ),
        centred=ParagraphStyle("centred", parent=base, alignment=TA_CENTER),
        issuer=ParagraphStyle(
            "issuer", parent=base, fontName=BOLD, fontSize=11, leading=14
        ),
        end_mark=ParagraphStyle(
            "end_mark", parent=base, fontName=BOLD, alignment=TA_CENTER
        ),
    )


def escape_text(text: str) -> str:
    """Return paragraph markup that prints `text` literally, keeping its line breaks."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return escape(cleaned).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """Return a paragraph that prints plain `text` in `style` (body by default)."""
    return Paragraph(escape_text(text), style or styles().body)


def bilingual(vietnamese: str, english: str, bold: bool = True) -> str:
    """Return markup with the Vietnamese wording first and the English beneath."""
    first = escape_text(vietnamese)
    if bold:
        first = f"<b>{first}</b>"
    second = escape_text(english)
    return f'{first}<br/><font color="#4d4d4d">{second}</font>'


def label(vietnamese: str, english: str) -> Paragraph:
    """Return a bilingual field label for the left column of a field table."""
    return Paragraph(bilingual(vietnamese, english), styles().label)


def heading(vietnamese: str, english: str) -> Paragraph:
    """Return a section heading in the form "Vietnamese / English"."""
    text = f"{escape_text(vietnamese)} / {escape_text(english)}"
    return Paragraph(text, styles().heading)


def title_block(vietnamese: str, english: str) -> list[Flowable]:
    """Return a centred document title with its English translation beneath."""
    return [
        Paragraph(escape_text(vietnamese), styles().title),
        Paragraph(escape_text(english), styles().subtitle),
        Spacer(1, 3 * mm),
    ]


def lines(values: Sequence[str], empty: str = "—") -> Paragraph:
    """Return a paragraph with one value per line, or `empty` when there is none."""
    if not values:
        return para(empty, styles().cell)
    markup = "<br/>".join(escape_text(value) for value in values)
    return Paragraph(markup, styles().cell)


def format_date(value: date) -> str:
    """Return a date as dd/mm/yyyy, the form used on Vietnamese documents."""
    return value.strftime("%d/%m/%Y")


def field_table(
    rows: Sequence[tuple[Flowable, Flowable]], width: float, label_width: float
) -> Table:
    """Return a two-column table of bilingual labels and their values."""
    data = [[name, value] for name, value in rows]
    table = Table(
        data,
        colWidths=[label_width, width - label_width],
        splitInRow=ROW_SPLIT_MIN_HEIGHT,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOUR),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def data_table(
    header: Sequence[Flowable],
    rows: Sequence[Sequence[Flowable]],
    col_widths: Sequence[float],
) -> Table:
    """Return a table whose header row repeats on every page it spans."""
    table = Table(
        [list(header), *[list(row) for row in rows]],
        colWidths=list(col_widths),
        repeatRows=1,
        splitInRow=DATA_ROW_SPLIT_MIN_HEIGHT,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOUR),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def header_cell(vietnamese: str, english: str) -> Paragraph:
    """Return a bilingual column header for a data table."""
    return Paragraph(bilingual(vietnamese, english), styles().cell_header)


def cell(text: str) -> Paragraph:
    """Return a table cell that prints plain `text`, wrapping as needed."""
    return para(text, styles().cell)

"""Tables out: CSV and Excel files that a spreadsheet opens safely.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) is a formula to Excel and LibreOffice, so an exported value such as
``=HYPERLINK(...)`` typed into a record could run on the reader's machine.
Such cells are prefixed with an apostrophe, which spreadsheets show as text.
"""

import csv
import enum
import io
import json
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str:
    """Return ``value`` as the text one cell shows."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def neutralise(value) -> str:
    """Return ``value`` as text that no spreadsheet runs as a formula."""
    text = cell_text(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_csv(header: list[str], rows: Iterable[Iterable]) -> bytes:
    """Return UTF-8 CSV with a byte-order mark, which Excel needs for Vietnamese."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header: list[str], rows: Iterable[Iterable], title: str) -> bytes:
    """Return an Excel workbook with one sheet, every cell stored as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

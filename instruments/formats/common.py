"""Helpers shared by several readers: dates, key/value headers and warnings."""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np

from instruments.document import Document
from instruments.model import Trace
from instruments.units import frequency_scale

_MONTH_NAMES = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}


def parse_date(text: str, formats: tuple[str, ...]) -> str | None:
    """Return ``text`` as ISO-8601 using the first of ``formats`` that matches.

    Only the listed formats are tried, so an ambiguous day/month order is never
    guessed. Returns None when none matches.
    """
    cleaned = " ".join(text.split())
    for fmt in formats:
        try:
            return datetime.strptime(cleaned, fmt).isoformat()
        except ValueError:
            continue
    return None


def hz_text(value: str, unit: str = "Hz") -> str:
    """Return a frequency as text in Hz; ``value`` is returned as is if unparsable."""
    scale = frequency_scale(unit or "Hz")
    try:
        number = float(value) * (scale or 1.0)
    except ValueError:
        return value
    return f"{number:.12g}"


def month_number(abbreviation: str) -> int | None:
    """Return 1-12 for an English month abbreviation, independent of locale."""
    return _MONTHS.get(abbreviation.strip().lower()[:3])


def constant_trace_warnings(traces: list[Trace]) -> list[str]:
    """Warn about traces whose every value is the same, as blank traces are.

    Analysers fill a trace that was never measured with one sentinel value,
    for example -893.01 or -2147.48; such traces are kept but flagged.
    """
    warnings = []
    for trace in traces:
        values = trace.data["y"].to_numpy()
        if len(values) > 1 and np.all(values == values[0]):
            warnings.append(
                f"{trace.name}: every value is {values[0]:g}, "
                "so the trace was probably not measured"
            )
    return warnings


def count_warning(doc: Document, declared: int, found: int, what: str) -> list[str]:
    """Warn when the header's point count differs from the rows read."""
    if declared == found:
        return []
    return [f"{what}: the header declares {declared} points, the file has {found}"]


def find_line(doc: Document, predicate, start: int = 0) -> int | None:
    """Return the index of the first line from ``start`` matching ``predicate``."""
    for index in range(start, len(doc.lines)):
        if predicate(doc.lines[index]):
            return index
    return None


def numeric_run_end(doc: Document, start: int) -> int:
    """Return the index after the run of lines that start like a number.

    One regular expression search checks only the first character of each
    line, which keeps this fast on million-line files. A leading blank counts
    as numeric, so ``Document.table`` later rejects a line such as ``  x``
    with its line number.
    """
    if start >= len(doc.lines) or not _starts_numeric(doc.lines[start]):
        return start
    offset = doc.offset(start)
    found = _NEXT_NOT_NUMERIC.search(doc.normalised, offset)
    if found is None:
        return len(doc.lines)
    return start + 1 + doc.normalised.count("\n", offset, found.start())


_NUMBER_START = "0123456789+-. \t"
_NEXT_NOT_NUMERIC = re.compile(r"\n[^0-9+\-. \t]")


def _starts_numeric(line: str) -> bool:
    return line[:1] != "" and line[0] in _NUMBER_START

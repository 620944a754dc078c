"""Rohde & Schwarz receiver and analyser ASCII export (ESR, ESRP, ESW, FSx).

Fields are separated by ``;`` and lines usually end with one. A file-level
header (``Type;ESRP-7;``, ``Date;15.Oct 25;``, ``y-Unit;dBµV;`` in Latin-1)
is followed by ``Scan N:`` blocks in receiver mode and ``TRACE N:`` blocks.
A trace block gives ``Trace Mode``, ``Detector`` and ``Values;N;``, then N rows
``frequency;level;``. Traces in ``BLANK`` mode have no values and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from instruments.document import Document, trace_frame
from instruments.formats.common import constant_trace_warnings, hz_text, month_number
from instruments.model import Trace
from instruments.registry import Parsed, register
from instruments.units import frequency_scale, normalise_detector, normalise_level_unit

_BLOCK = re.compile(r"^(Scan|TRACE|Trace)\s+(\d+):\s*$")
_DATE = re.compile(r"^(\d{1,2})\.([A-Za-z]{3})\w*\s+(\d{2}|\d{4})$")


@dataclass
class _Block:
    scan: str | None
    trace: str
    settings: dict[str, tuple[list[str], int]] = field(default_factory=dict)


class RohdeSchwarzAscii:
    name = "rohde-schwarz-ascii"
    description = "Rohde & Schwarz receiver/analyser ASCII export (.DAT)"

    def sniff(self, doc: Document) -> bool:
        if not doc.lines or not doc.lines[0].startswith("Type;"):
            return False
        return any(line.startswith("Values;") for line in doc.lines[:200])

    def parse(self, doc: Document) -> Parsed:
        header: dict[str, tuple[list[str], int]] = {}
        traces: list[Trace] = []
        scan: str | None = None
        block: _Block | None = None
        index = 0
        while index < len(doc.lines):
            line = doc.lines[index].strip()
            matched = _BLOCK.match(line)
            if matched and matched.group(1) == "Scan":
                scan, block = matched.group(2), None
            elif matched:
                block = _Block(scan, matched.group(2))
            elif line.startswith("Values;"):
                if block is None:
                    raise doc.error(index, "'Values' line outside a TRACE block")
                trace, index = _read_values(doc, index, header, block)
                traces.append(trace)
                continue
            elif line:
                key, *values = line.split(";")
                target = header if block is None else block.settings
                target.setdefault(key.strip(), ([v.strip() for v in values], index))
            index += 1
        if not traces:
            raise doc.error(None, "no trace with values (every trace is BLANK)")
        traces = _name_traces(traces)
        return Parsed(_metadata(header), traces, constant_trace_warnings(traces))


def _setting(
    block: _Block, header: dict[str, tuple[list[str], int]], key: str
) -> tuple[str, int | None]:
    values, index = block.settings.get(key) or header.get(key) or ([""], None)
    return (values[0] if values else ""), index


def _read_values(
    doc: Document, index: int, header: dict, block: _Block
) -> tuple[Trace, int]:
    count_text = doc.lines[index].split(";")[1].strip()
    if not count_text.isdigit():
        raise doc.error(index, f"expected a point count, found {count_text!r}")
    count = int(count_text)
    start, stop = index + 1, index + 1 + count
    if stop > len(doc.lines):
        found = len(doc.lines) - start
        raise doc.error(
            len(doc.lines) - 1,
            f"the file ends after {found} of the {count} values declared "
            f"on line {index + 1}",
        )
    table = _table(doc, start, stop)
    x_unit, x_unit_line = _setting(block, header, "x-Unit")
    scale = frequency_scale(x_unit or "Hz")
    if scale is None:
        raise doc.error(x_unit_line, f"unknown frequency unit {x_unit!r}")
    y_unit = normalise_level_unit(_setting(block, header, "y-Unit")[0])
    detector = normalise_detector(_setting(block, header, "Detector")[0])
    name = f"{block.scan}:{block.trace}" if block.scan else block.trace
    frame = trace_frame(table[:, 0] * scale, table[:, 1])
    return Trace(name, frame, y_unit, detector), stop


def _table(doc: Document, start: int, stop: int):
    """Read rows ``f;level;``; a decimal comma is accepted as R&S allows it."""
    if "," in doc.lines[start] and "." not in doc.lines[start]:
        return doc.table(start, stop, 2, sep=";", decimal=",")
    return doc.table(start, stop, 2, sep=";")


def _name_traces(traces: list[Trace]) -> list[Trace]:
    scans = {trace.name.split(":")[0] for trace in traces if ":" in trace.name}
    named = []
    for trace in traces:
        scan, _, number = trace.name.rpartition(":")
        if scan and len(scans) > 1:
            name = f"Scan {scan} Trace {number}"
        else:
            name = f"Trace {number}"
        named.append(Trace(name, trace.data, trace.y_unit, trace.detector))
    return named


def _metadata(header: dict[str, tuple[list[str], int]]) -> dict[str, str]:
    def first(key: str) -> str:
        values = header.get(key, ([""], 0))[0]
        return values[0] if values else ""

    metadata = {
        "model": first("Type"),
        "firmware": first("Version"),
        "mode": first("Mode"),
        "start_hz": hz_text(first("Start")),
        "stop_hz": hz_text(first("Stop")),
        "rbw": hz_text(first("RBW")),
    }
    date = _parse_date(first("Date"))
    if date is not None:
        metadata["date"] = date
    transducer = first("Transducer")
    if transducer:
        metadata["transducer"] = transducer
    return {key: value for key, value in metadata.items() if value}


def _parse_date(text: str) -> str | None:
    """Parse ``DD.Mon YY`` (English month, the instrument's fixed format)."""
    found = _DATE.match(text.strip())
    if found is None:
        return None
    day, month_text, year_text = found.groups()
    month = month_number(month_text)
    if month is None:
        return None
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return f"{year:04d}-{month:02d}-{int(day):02d}"


register(RohdeSchwarzAscii())

"""Keysight PNA/ENA network analyser CSV export.

Comment lines start with ``!``. Each channel is a ``BEGIN CH1_DATA`` ...
``END`` block whose first row is a header such as
``Freq(Hz),"A,1"(REAL),"A,1"(IMAG)``: quoted names may contain commas, and
the part in brackets is the unit or the complex component. A REAL/IMAG pair
becomes one trace in dB with a ``phase_deg`` column; any other column becomes
a trace in the stated unit.
"""

from __future__ import annotations

import csv
import re

import numpy as np
import pandas as pd

from instruments.document import Document, trace_frame
from instruments.model import Trace
from instruments.registry import Parsed, register
from instruments.units import frequency_scale, normalise_level_unit

_COLUMN = re.compile(r"^(.*?)\(([^()]*)\)\s*$")


class KeysightPna:
    name = "keysight-pna"
    description = "Keysight PNA/ENA network analyser CSV (BEGIN ... END blocks)"

    def sniff(self, doc: Document) -> bool:
        for line in doc.lines[:50]:
            stripped = line.strip()
            if stripped and not stripped.startswith("!"):
                return stripped.startswith("BEGIN ")
        return False

    def parse(self, doc: Document) -> Parsed:
        blocks: list[tuple[str, list[Trace]]] = []
        index = 0
        while index < len(doc.lines):
            line = doc.lines[index].strip()
            if line.startswith("BEGIN "):
                label = line[len("BEGIN ") :].strip()
                block_traces, index = _block(doc, index, label)
                blocks.append((label.removesuffix("_DATA"), block_traces))
            index += 1
        if not blocks:
            raise doc.error(None, "no BEGIN ... END data block")
        traces = [
            trace if len(blocks) == 1 else _renamed(trace, f"{label} {trace.name}")
            for label, block_traces in blocks
            for trace in block_traces
        ]
        return Parsed({"channels": str(len(blocks))}, traces, [])


def _block(doc: Document, begin: int, label: str) -> tuple[list[Trace], int]:
    end = next(
        (i for i in range(begin + 1, len(doc.lines)) if doc.lines[i].strip() == "END"),
        None,
    )
    if end is None:
        raise doc.error(begin, f"block {label!r} has no END line")
    header = begin + 1
    if header >= end:
        raise doc.error(begin, f"block {label!r} has no header row")
    columns = next(csv.reader([doc.lines[header]]))
    table = doc.table(header + 1, end, len(columns))
    x_name, x_unit = _split_column(columns[0])
    scale = frequency_scale(x_unit)
    if scale is None:
        raise doc.error(header, f"unknown frequency unit {x_unit!r} in {x_name!r}")
    return _columns_to_traces(columns[1:], table[:, 0] * scale, table[:, 1:]), end


def _renamed(trace: Trace, name: str) -> Trace:
    return Trace(name, trace.data, trace.y_unit, trace.detector)


def _split_column(column: str) -> tuple[str, str]:
    found = _COLUMN.match(column.strip())
    if found is None:
        return column.strip(), ""
    return found.group(1).strip().strip('"'), found.group(2).strip()


def _columns_to_traces(
    columns: list[str], x_hz: np.ndarray, values: np.ndarray
) -> list[Trace]:
    parts = [_split_column(column) for column in columns]
    traces = []
    position = 0
    while position < len(parts):
        name, unit = parts[position]
        following = parts[position + 1] if position + 1 < len(parts) else None
        if (
            unit.upper() == "REAL"
            and following == (name, following[1])
            and (following[1].upper() == "IMAG")
        ):
            complex_values = values[:, position] + 1j * values[:, position + 1]
            traces.append(_complex_trace(name, x_hz, complex_values))
            position += 2
            continue
        frame = trace_frame(x_hz, values[:, position])
        traces.append(Trace(name, frame, normalise_level_unit(unit)))
        position += 1
    return traces


def _complex_trace(name: str, x_hz: np.ndarray, values: np.ndarray) -> Trace:
    with np.errstate(divide="ignore"):
        level = 20.0 * np.log10(np.abs(values))
    frame = pd.DataFrame(
        {"x_hz": x_hz, "y": level, "phase_deg": np.angle(values, deg=True)},
        dtype=np.float64,
    )
    return Trace(name, frame, "dB")


register(KeysightPna())

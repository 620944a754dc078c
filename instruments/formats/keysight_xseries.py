"""Keysight X-series signal analyser CSV export (N9038A MXE, N9010A EXA, ...).

Layout: four positional lines (trace type, measurement, ``firmware,model``,
option list), then ``key,value[,value...]`` lines, a bare ``DATA`` line, and
rows ``frequency,trace1[,trace2...]``. A file may repeat header and data
blocks, one per saved trace. Every line ends in CRLF except ``DATA``.
"""

from __future__ import annotations

from dataclasses import dataclass

from instruments.document import Document, trace_frame
from instruments.formats.common import (
    constant_trace_warnings,
    count_warning,
    find_line,
    numeric_run_end,
)
from instruments.model import Trace
from instruments.registry import Parsed, register
from instruments.units import frequency_scale, normalise_detector, normalise_level_unit

_POSITIONAL_LINES = 4

_METADATA_KEYS = {
    "RBW": "rbw",
    "VBW": "vbw",
    "Sweep Time": "sweep_time_s",
    "Attenuation": "attenuation_db",
    "Average Type": "average_type",
    "Trace Type": "trace_type",
    "Start Frequency": "start_hz",
    "Stop Frequency": "stop_hz",
    "Number of Points": "points",
}


@dataclass
class _Header:
    start: int
    values: dict[str, list[str]]
    lines: dict[str, int]
    positional: list[str]


class KeysightXSeries:
    name = "keysight-xseries"
    description = "Keysight X-series signal analyser CSV (N9038A, N9010A, ...)"

    def sniff(self, doc: Document) -> bool:
        head = [line.strip() for line in doc.lines[:120]]
        has_units = any(line.startswith("Y Axis Units,") for line in head)
        return "DATA" in head and has_units

    def parse(self, doc: Document) -> Parsed:
        traces: list[Trace] = []
        warnings: list[str] = []
        metadata: dict[str, str] = {}
        index = _skip_blank(doc, 0)
        while index < len(doc.lines):
            header, data_start = _read_header(doc, index)
            stop = numeric_run_end(doc, data_start)
            block, block_warnings = _read_block(doc, header, data_start, stop)
            if not metadata:
                metadata = _metadata(header)
            traces.extend(_unique_names(traces, block))
            warnings.extend(block_warnings)
            index = _skip_blank(doc, stop)
        warnings.extend(constant_trace_warnings(traces))
        return Parsed(metadata=metadata, traces=traces, warnings=warnings)


def _skip_blank(doc: Document, index: int) -> int:
    while index < len(doc.lines) and not doc.lines[index].strip():
        index += 1
    return index


def _read_header(doc: Document, start: int) -> tuple[_Header, int]:
    mark = find_line(doc, lambda line: line.strip() == "DATA", start)
    if mark is None:
        raise doc.error(start, "header block without a DATA line")
    end = min(start + _POSITIONAL_LINES, mark)
    positional = [doc.lines[i].strip() for i in range(start, end)]
    positional += [""] * (_POSITIONAL_LINES - len(positional))
    values: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    for index in range(end, mark):
        key, *rest = doc.lines[index].split(",")
        values[key.strip()] = [value.strip() for value in rest]
        lines[key.strip()] = index
    return _Header(start, values, lines, positional), mark + 1


def _first(header: _Header, key: str) -> str | None:
    found = header.values.get(key)
    return found[0] if found else None


def _read_block(
    doc: Document, header: _Header, start: int, stop: int
) -> tuple[list[Trace], list[str]]:
    if stop == start:
        raise doc.error(start, "expected a data row after the DATA line")
    columns = len(doc.lines[start].rstrip(", ").split(","))
    if columns < 2:
        raise doc.error(start, "a data row needs a frequency and at least one level")
    table = doc.table(start, stop, columns)
    x_hz = table[:, 0] * _x_scale(doc, header)
    y_unit = normalise_level_unit(_first(header, "Y Axis Units") or "")
    names = _trace_names(header, columns - 1)
    detectors = _per_trace(header.values.get("Detector", []), columns - 1)
    traces = [
        Trace(name, trace_frame(x_hz, table[:, i + 1]), y_unit, detectors[i])
        for i, name in enumerate(names)
    ]
    return traces, _block_warnings(doc, header, names, len(table))


def _x_scale(doc: Document, header: _Header) -> float:
    unit = _first(header, "X Axis Units") or "Hz"
    scale = frequency_scale(unit)
    if scale is None:
        line = header.lines.get("X Axis Units")
        raise doc.error(line, f"unknown frequency unit {unit!r}")
    return scale


def _trace_names(header: _Header, count: int) -> list[str]:
    names = [name for name in header.values.get("Trace Name", []) if name]
    if len(names) == count:
        return names
    return [f"Trace{i + 1}" for i in range(count)]


def _per_trace(values: list[str], count: int) -> list[str | None]:
    detectors = [normalise_detector(value) for value in values if value]
    if len(detectors) == count:
        return detectors
    if len(detectors) == 1:
        return detectors * count
    return [None] * count


def _block_warnings(
    doc: Document, header: _Header, names: list[str], rows: int
) -> list[str]:
    declared = _first(header, "Number of Points")
    if declared is None or not declared.isdigit():
        return []
    return count_warning(doc, int(declared), rows, ", ".join(names))


def _metadata(header: _Header) -> dict[str, str]:
    metadata: dict[str, str] = {}
    if len(header.positional) > 2 and "," in header.positional[2]:
        firmware, model = header.positional[2].split(",", 1)
        metadata["firmware"] = firmware.strip()
        metadata["model"] = model.strip()
    metadata["measurement"] = header.positional[1]
    metadata["options"] = header.positional[3].rstrip(", ")
    for key, name in _METADATA_KEYS.items():
        values = [value for value in header.values.get(key, []) if value]
        if values:
            metadata[name] = ",".join(values)
    detectors = _per_trace(header.values.get("Detector", []), 1)
    if detectors[0]:
        metadata["detector"] = detectors[0]
    elif header.values.get("Detector"):
        metadata["detector"] = ",".join(
            str(normalise_detector(value)) for value in header.values["Detector"]
        )
    return metadata


def _unique_names(existing: list[Trace], new: list[Trace]) -> list[Trace]:
    taken = {trace.name for trace in existing}
    renamed = []
    for trace in new:
        name, suffix = trace.name, 2
        while name in taken:
            name, suffix = f"{trace.name} ({suffix})", suffix + 1
        taken.add(name)
        renamed.append(Trace(name, trace.data, trace.y_unit, trace.detector))
    return renamed


register(KeysightXSeries())

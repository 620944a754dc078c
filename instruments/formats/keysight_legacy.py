"""Older Keysight (Agilent) spectrum analyser CSV exports: E4411B ESA and N9340B.

E4411B: line 1 is ``MM/DD/YY   HH:MM:SS,A:\\PATH.CSV``; labels are padded with
spaces (``Model:                   ,E4411B``); a NUL byte may follow a value;
the table starts with a ``,Trace 1,Trace 2,...`` row and a units row. Traces
that were not displayed hold -2147.48 in every row.

N9340B: every field is followed by a NUL byte, several ``key,value[,mode]``
pairs share a row, values carry units (``0.00dBm``), and the level unit is
in the ``Trace Data:(Unit:dBm)`` line.
"""

from __future__ import annotations

import re

from instruments.document import Document, trace_frame
from instruments.formats.common import (
    constant_trace_warnings,
    count_warning,
    find_line,
    hz_text,
    numeric_run_end,
    parse_date,
)
from instruments.model import Trace
from instruments.registry import Parsed, register
from instruments.units import frequency_scale, normalise_level_unit


class KeysightE4411B:
    name = "keysight-esa"
    description = "Keysight/Agilent ESA E4411B CSV"

    def sniff(self, doc: Document) -> bool:
        labels = {line.split(",", 1)[0].strip() for line in doc.lines[:20]}
        return {"Model:", "Num Points:", "Center Frequency:"} <= labels

    def parse(self, doc: Document) -> Parsed:
        header = _labelled_values(doc)
        table_row = find_line(doc, lambda line: line.startswith(",Trace"))
        if table_row is None:
            raise doc.error(None, "no ',Trace 1,...' row before the data")
        names = [name.strip() for name in doc.lines[table_row].split(",")[1:]]
        x_unit = (
            doc.lines[table_row + 1].split(",")[0].strip()
            if (table_row + 1 < len(doc.lines))
            else ""
        )
        scale = frequency_scale(x_unit)
        if scale is None:
            raise doc.error(table_row + 1, f"unknown frequency unit {x_unit!r}")
        start = table_row + 2
        stop = numeric_run_end(doc, start)
        table = doc.table(start, stop, len(names) + 1)
        y_units = [unit.strip() for unit in doc.lines[table_row + 1].split(",")[1:]]
        traces = [
            Trace(
                name,
                trace_frame(table[:, 0] * scale, table[:, i + 1]),
                normalise_level_unit(y_units[i] if i < len(y_units) else ""),
            )
            for i, name in enumerate(names)
        ]
        return Parsed(
            _esa_metadata(doc, header), traces, _esa_warnings(doc, header, traces)
        )


def _labelled_values(doc: Document) -> dict[str, list[str]]:
    values = {}
    for line in doc.lines[1:20]:
        label, _, rest = line.partition(",")
        if label.strip().endswith(":"):
            values[label.strip()[:-1]] = [item.strip() for item in rest.split(",")]
    return values


def _esa_metadata(doc: Document, header: dict[str, list[str]]) -> dict[str, str]:
    metadata = {}
    stamp, _, path = doc.lines[0].partition(",")
    date = parse_date(stamp, ("%m/%d/%y %H:%M:%S",))
    if date is not None:
        metadata["date"] = date
    if path.strip():
        metadata["instrument_file"] = path.strip()
    names = {
        "Model": "model",
        "Serial Number": "serial",
        "Title": "title",
        "Center Frequency": "center_hz",
        "Span": "span_hz",
        "Resolution Bandwidth": "rbw",
        "Video Bandwidth": "vbw",
        "Sweep Time": "sweep_time_s",
        "Num Points": "points",
    }
    for label, key in names.items():
        values = header.get(label, [])
        if not values or not values[0]:
            continue
        unit = values[1] if len(values) > 1 else ""
        metadata[key] = hz_text(values[0], unit) if unit == "Hz" else values[0]
    if "points" in metadata:
        metadata["points"] = metadata["points"].lstrip("0") or "0"
    return metadata


def _esa_warnings(
    doc: Document, header: dict[str, list[str]], traces: list[Trace]
) -> list[str]:
    warnings = []
    if traces and not traces[0].y_unit:
        warnings.append("the file does not state the amplitude unit")
    declared = header.get("Num Points", [""])[0]
    if declared.isdigit() and traces:
        warnings += count_warning(doc, int(declared), traces[0].points, "Traces")
    return warnings + constant_trace_warnings(traces)


_UNIT_IN_TITLE = re.compile(r"\(Unit:\s*([^)]*)\)")
_MODES = {"AUTO", "MAN"}


class KeysightN9340B:
    name = "keysight-n9340b"
    description = "Keysight N9340B handheld spectrum analyser CSV"

    def sniff(self, doc: Document) -> bool:
        head = doc.lines[:30]
        return any(line.startswith("Trace Data:") for line in head) and any(
            line.startswith("System Parameter:") for line in head
        )

    def parse(self, doc: Document) -> Parsed:
        title = find_line(doc, lambda line: line.startswith("Trace Data:"))
        if title is None:
            raise doc.error(None, "no 'Trace Data:' line")
        found = _UNIT_IN_TITLE.search(doc.lines[title])
        y_unit = normalise_level_unit(found.group(1)) if found else ""
        names_row = title + 1
        if names_row >= len(doc.lines):
            raise doc.error(title, "no column header after 'Trace Data:'")
        columns = [item.strip() for item in doc.lines[names_row].split(",")]
        names = [name for name in columns[1:] if name]
        x_scale = _n9340b_x_scale(doc, names_row, columns[0])
        start = names_row + 1
        table = doc.table(start, numeric_run_end(doc, start), len(names) + 1)
        traces = [
            Trace(name, trace_frame(table[:, 0] * x_scale, table[:, i + 1]), y_unit)
            for i, name in enumerate(names)
        ]
        warnings = constant_trace_warnings(traces)
        if not y_unit:
            warnings.append("the file does not state the amplitude unit")
        return Parsed(_n9340b_metadata(doc, title), traces, warnings)


def _n9340b_x_scale(doc: Document, index: int, label: str) -> float:
    found = re.search(r"\((\w+)\)", label)
    unit = found.group(1) if found else "Hz"
    scale = frequency_scale(unit)
    if scale is None:
        raise doc.error(index, f"unknown frequency unit {unit!r}")
    return scale


def _n9340b_metadata(doc: Document, stop: int) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in doc.lines[:stop]:
        fields = [item.strip() for item in line.split(",")]
        if fields[0].endswith(":"):
            pairs[fields[0][:-1]] = ",".join(fields[1:])
            continue
        position = 0
        while position + 1 < len(fields):
            key, value = fields[position], fields[position + 1]
            if key:
                pairs[key] = value
            position += 2
            if position < len(fields) and fields[position] in _MODES:
                position += 1
    names = {
        "File": "instrument_file",
        "RBW": "rbw",
        "VBW": "vbw",
        "Start Freq": "start_hz",
        "Stop Freq": "stop_hz",
        "Sweep Time": "sweep_time_s",
        "Ref": "reference_level",
        "Attenuation": "attenuation_db",
    }
    metadata = {key: pairs[label] for label, key in names.items() if pairs.get(label)}
    for key in ("rbw", "vbw", "start_hz", "stop_hz"):
        if key in metadata:
            metadata[key] = hz_text(metadata[key])
    return metadata


register(KeysightE4411B())
register(KeysightN9340B())

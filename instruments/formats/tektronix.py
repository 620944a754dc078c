"""Tektronix SignalVu-PC / RSA exports: Spectrum and EMC-EMI displays.

Both are CSV files made of INI-like ``[Section]`` blocks whose lines are
``key,value,unit``; keys repeat within and across sections. The first line is
``display name,date`` with a US month/day/year date, in 12-hour or 24-hour
form. Each ``[Trace]`` block under ``[Traces]`` starts with
``name,,unit`` and ``NumberPoints,N``, followed by N data rows.

Spectrum exports write rows as ``amplitude,frequency``; EMC-EMI exports write
``frequency,amplitude`` and add the instrument's limit definitions per
frequency range and its own pass/fail verdict (``Limit Test,Fail``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from instruments.document import Document, trace_frame
from instruments.formats.common import (
    constant_trace_warnings,
    count_warning,
    hz_text,
    numeric_run_end,
    parse_date,
)
from instruments.limits import LimitLine
from instruments.model import Trace
from instruments.registry import Parsed, register
from instruments.units import frequency_scale, normalise_detector, normalise_level_unit

DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S")


@dataclass
class Entry:
    key: str
    fields: list[str]
    index: int

    def field(self, position: int) -> str:
        return self.fields[position] if position < len(self.fields) else ""


@dataclass
class Section:
    name: str
    index: int
    entries: list[Entry] = field(default_factory=list)
    data: tuple[int, int] | None = None

    def get(self, key: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


def split_sections(doc: Document) -> list[Section]:
    """Group the lines after the title line into sections, keeping order."""
    sections: list[Section] = []
    current = Section("", 0)
    index = 1
    while index < len(doc.lines):
        line = doc.lines[index].strip()
        if line.startswith("[") and line.endswith("]"):
            current = Section(line[1:-1], index)
            sections.append(current)
            index += 1
        elif current.name == "Trace" and current.entries and _is_number(line):
            stop = numeric_run_end(doc, index)
            current.data = (index, stop)
            index = stop
        else:
            if line:
                key, *rest = line.split(",")
                current.entries.append(
                    Entry(key.strip(), [item.strip() for item in rest], index)
                )
            index += 1
    return sections


def _is_number(text: str) -> bool:
    try:
        float(text.split(",", 1)[0])
    except ValueError:
        return False
    return True


class _TektronixBase:
    name = ""
    description = ""
    title_prefix = ""
    frequency_first = True

    def sniff(self, doc: Document) -> bool:
        if not doc.lines or not doc.lines[0].startswith(self.title_prefix):
            return False
        head = {line.strip() for line in doc.lines[1:5]}
        return "[Global Parameters]" in head

    def parse(self, doc: Document) -> Parsed:
        sections = split_sections(doc)
        detectors = _detectors(sections)
        traces: list[Trace] = []
        warnings: list[str] = []
        for section in sections:
            if section.name == "Trace":
                trace, trace_warnings = self._trace(doc, section, detectors)
                traces.append(trace)
                warnings.extend(trace_warnings)
        if not traces:
            raise doc.error(None, "no [Trace] section with data rows")
        warnings.extend(constant_trace_warnings(traces))
        metadata = _metadata(doc, sections)
        return Parsed(metadata=metadata, traces=traces, warnings=warnings)

    def _trace(
        self, doc: Document, section: Section, detectors: dict[str, str | None]
    ) -> tuple[Trace, list[str]]:
        if not section.entries:
            raise doc.error(section.index, "[Trace] section without a trace name")
        title = section.entries[0]
        if section.data is None:
            raise doc.error(title.index, f"trace {title.key!r} has no data rows")
        start, stop = section.data
        table = doc.table(start, stop, 2)
        x, y = (
            (table[:, 0], table[:, 1])
            if self.frequency_first
            else (
                table[:, 1],
                table[:, 0],
            )
        )
        x_hz = x * _x_scale(doc, section)
        unit = normalise_level_unit(title.field(1))
        trace = Trace(title.key, trace_frame(x_hz, y), unit, detectors.get(title.key))
        return trace, _trace_warnings(doc, section, trace)


def _x_scale(doc: Document, section: Section) -> float:
    for key, position in (("XUnits", 0), ("XStart", 1)):
        entry = section.get(key)
        if entry is not None and entry.field(position):
            scale = frequency_scale(entry.field(position))
            if scale is None:
                unit = entry.field(position)
                raise doc.error(entry.index, f"unknown frequency unit {unit!r}")
            return scale
    return 1.0


def _trace_warnings(doc: Document, section: Section, trace: Trace) -> list[str]:
    warnings = []
    declared = section.get("NumberPoints")
    if declared is not None:
        count = int(doc.number(declared.field(0), declared.index, "a point count"))
        warnings += count_warning(doc, count, trace.points, trace.name)
    x_hz = trace.data["x_hz"].to_numpy()
    if len(x_hz) > 1 and np.any(np.diff(x_hz) < 0):
        warnings.append(f"{trace.name}: frequencies are not in ascending order")
    return warnings


def _detectors(sections: list[Section]) -> dict[str, str | None]:
    """Map trace names to detectors from the [Trace Parameters] sections."""
    detectors: dict[str, str | None] = {}
    for section in sections:
        if section.name != "Trace Parameters" or not section.entries:
            continue
        trace_name = section.entries[0].key
        detection = section.get("Detection")
        description = section.get("Trace Description")
        if detection is not None:
            detectors[trace_name] = normalise_detector(detection.field(0))
        elif description is not None:
            suffix = description.field(0).removeprefix(trace_name.strip()).strip()
            detectors[trace_name] = normalise_detector(suffix)
    return detectors


def _metadata(doc: Document, sections: list[Section]) -> dict[str, str]:
    title, _, date_text = doc.lines[0].partition(",")
    metadata = {"measurement": title.strip()}
    date = parse_date(date_text, DATE_FORMATS)
    if date is not None:
        metadata["date"] = date
    wanted = {
        ("Parameters", "Resolution Bandwidth"): "rbw",
        ("Parameters", "Span"): "span_hz",
        ("Trace Parameters", "Video Bandwidth"): "vbw",
        ("Global Parameters", "Center Frequency"): "center_hz",
    }
    for section in sections:
        for entry in section.entries:
            name = wanted.get((section.name, entry.key))
            if name and name not in metadata and entry.field(0):
                metadata[name] = hz_text(entry.field(0), entry.field(1))
    reference = _first_entry(sections, "Global Parameters", "Reference Level")
    if reference is not None:
        unit = normalise_level_unit(reference.field(1))
        metadata["reference_level"] = f"{reference.field(0)} {unit}".strip()
    return metadata


def _first_entry(sections: list[Section], name: str, key: str) -> Entry | None:
    for section in sections:
        if section.name == name and section.get(key) is not None:
            return section.get(key)
    return None


class TektronixSpectrum(_TektronixBase):
    name = "tektronix-spectrum"
    description = "Tektronix SignalVu Spectrum display export (CSV)"
    title_prefix = "Spectrum"
    frequency_first = False


class TektronixEmc(_TektronixBase):
    name = "tektronix-emc"
    description = "Tektronix SignalVu EMC-EMI display export (CSV)"
    title_prefix = "EMC-EMI"
    frequency_first = True

    def parse(self, doc: Document) -> Parsed:
        parsed = super().parse(doc)
        sections = split_sections(doc)
        parameters = _first_section(sections, "Parameters")
        if parameters is not None:
            parsed.limit_lines = _limit_lines(doc, parameters)
        results = _first_section(sections, "Results")
        if results is not None:
            parsed.verdict = _verdict(results)
            parsed.metadata.update(_worst_spot(results))
        if parsed.verdict is not None:
            parsed.metadata["verdict"] = parsed.verdict
        return parsed


def _first_section(sections: list[Section], name: str) -> Section | None:
    return next((section for section in sections if section.name == name), None)


def _range_columns(parameters: Section) -> list[int]:
    ranges = parameters.get("Ranges")
    if ranges is None:
        return []
    return [i for i, label in enumerate(ranges.fields) if label]


def _limit_lines(doc: Document, parameters: Section) -> dict[str, LimitLine]:
    """Build one LimitLine per enabled limit from the per-range definitions."""
    columns = [
        column
        for column in _range_columns(parameters)
        if _value(parameters, "Enabled", column).lower() == "true"
    ]
    limits = {}
    for number in (1, 2, 3):
        enabled = parameters.get(f"Limit{number} Enabled")
        if enabled is not None and enabled.field(0).lower() != "true":
            continue
        line = _limit_line(doc, parameters, number, columns)
        if line is not None:
            limits[f"Limit{number}"] = line
    return limits


def _limit_line(
    doc: Document, parameters: Section, number: int, columns: list[int]
) -> LimitLine | None:
    segments = []
    unit = ""
    for column in columns:
        values = []
        for key in (
            "Start Frequency",
            "Stop Frequency",
            f"Limit{number} Start",
            f"Limit{number} Stop",
        ):
            entry = parameters.get(key)
            if entry is None or not entry.field(column):
                return None
            values.append(doc.number(entry.field(column), entry.index))
        scale = frequency_scale(_value(parameters, "Start Frequency", column + 1))
        values[0] *= scale or 1.0
        values[1] *= scale or 1.0
        segments.append(tuple(values))
        unit = _value(parameters, f"Limit{number} Start", column + 1)
    if not segments:
        return None
    # NOTE: the export does not say how the instrument interpolates a sloped
    # limit within a range; log-frequency is assumed, as CISPR limits use.
    return LimitLine(segments=segments, interpolation="log", unit=unit or "dBuV")


def _value(section: Section, key: str, column: int) -> str:
    entry = section.get(key)
    return "" if entry is None else entry.field(column)


def _verdict(results: Section) -> str | None:
    entry = results.get("Limit Test")
    return entry.field(0) or None if entry is not None else None


def _worst_spot(results: Section) -> dict[str, str]:
    """Return the instrument's own worst spot (largest delta to the limit)."""
    header = next(
        (entry for entry in results.entries if "Freq Abs" in entry.fields), None
    )
    if header is None:
        return {}
    freq_at = header.fields.index("Freq Abs")
    delta_at = _column_of(header, "Delta")
    level_at = _column_of(header, "Ampl")
    best: tuple[float, Entry] | None = None
    for entry in results.entries:
        if not entry.key.isdigit():
            continue
        try:
            delta = float(entry.field(delta_at))
        except ValueError:
            continue
        if best is None or delta > best[0]:
            best = (delta, entry)
    if best is None:
        return {}
    entry = best[1]
    return {
        "instrument_worst_hz": entry.field(freq_at),
        "instrument_worst_level": entry.field(level_at),
        "instrument_worst_margin": entry.field(delta_at),
    }


def _column_of(header: Entry, word: str) -> int:
    for position, label in enumerate(header.fields):
        if label.startswith("Scan Detector 1") and label.endswith(word):
            return position
    return -1


register(TektronixEmc())
register(TektronixSpectrum())

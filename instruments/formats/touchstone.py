"""Touchstone 1.x network parameter files (.s1p, .s2p, ... .sNp).

The option line ``# <freq unit> <parameter> <format> R <impedance>`` may omit
any part, in any order; the defaults are ``GHz S MA R 50``. Comments start
with ``!`` anywhere on a line. Values are separated by runs of spaces or
tabs. The port count is taken from the data, not the file name: a record of
one frequency holds ``1 + 2 * N**2`` numbers, and a record that wraps over
several lines continues on lines with an even number of values.

Two-port records are ordered S11 S21 S12 S22; other sizes row by row.
Each parameter becomes one trace: magnitude in dB for S parameters, with the
phase in degrees in a ``phase_deg`` column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from instruments.document import Document
from instruments.formats.common import parse_date
from instruments.model import Trace
from instruments.registry import Parsed, register
from instruments.units import FREQUENCY_SCALE

PARAMETERS = ("S", "Y", "Z", "H", "G")
DATA_FORMATS = ("DB", "MA", "RI")
DATE_FORMATS = (
    "%A, %B %d, %Y %H:%M:%S",
    "%A, %d %B %Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)


@dataclass
class Options:
    frequency_unit: str = "GHz"
    parameter: str = "S"
    data_format: str = "MA"
    resistance: str = "50"
    line: int | None = None


@dataclass
class Record:
    values: list[float]
    index: int


def content_of(line: str) -> str:
    return line.split("!", 1)[0].strip()


class Touchstone:
    name = "touchstone"
    description = "Touchstone 1.x network parameters (.sNp)"

    def sniff(self, doc: Document) -> bool:
        for line in doc.lines[:200]:
            content = content_of(line)
            if content:
                return content.startswith("#") or content.lower().startswith(
                    "[version]"
                )
        return False

    def parse(self, doc: Document) -> Parsed:
        options, records = _scan(doc)
        ports, records, warnings = _check_records(doc, records)
        frequencies = np.array([record.values[0] for record in records])
        x_hz = frequencies * FREQUENCY_SCALE[options.frequency_unit.lower()]
        pairs = np.array([record.values[1:] for record in records])
        traces = _traces(options, ports, x_hz, pairs)
        warnings += _parameter_warnings(options, traces, pairs)
        metadata = _metadata(doc, options, ports)
        return Parsed(metadata, traces, warnings)


def _scan(doc: Document) -> tuple[Options, list[Record]]:
    options: Options | None = None
    records: list[Record] = []
    for index, line in enumerate(doc.lines):
        content = content_of(line)
        if not content:
            continue
        if content.startswith("["):
            raise doc.error(index, "Touchstone 2 keywords are not supported")
        if content.startswith("#"):
            if options is not None:
                raise doc.error(
                    index, f"second option line; the first is line {options.line}"
                )
            if records:
                raise doc.error(index, "option line after the first data line")
            options = _options(doc, index, content)
            continue
        values = [doc.number(token, index) for token in content.split()]
        records.append(Record(values, index))
    if options is None:
        raise doc.error(None, "no option line ('# Hz S RI R 50')")
    if not records:
        raise doc.error(None, "no data lines")
    return options, records


def _options(doc: Document, index: int, content: str) -> Options:
    options = Options(line=index + 1)
    tokens = content[1:].split()
    position = 0
    while position < len(tokens):
        token = tokens[position]
        upper = token.upper()
        if upper.lower() in FREQUENCY_SCALE:
            options.frequency_unit = token
        elif upper in PARAMETERS:
            options.parameter = upper
        elif upper in DATA_FORMATS:
            options.data_format = upper
        elif upper == "R" and position + 1 < len(tokens):
            options.resistance = tokens[position + 1]
            position += 1
        else:
            raise doc.error(index, f"unknown option {token!r} in the option line")
        position += 1
    return options


def _check_records(
    doc: Document, lines: list[Record]
) -> tuple[int, list[Record], list[str]]:
    """Join wrapped lines into one record per frequency and find the port count."""
    records: list[Record] = []
    for line in lines:
        if len(line.values) % 2 == 1:
            records.append(Record(list(line.values), line.index))
        elif records:
            records[-1].values.extend(line.values)
        else:
            raise doc.error(line.index, "a data record must start with a frequency")
    size = len(records[0].values)
    ports = math.isqrt((size - 1) // 2)
    if size < 3 or 1 + 2 * ports * ports != size:
        raise doc.error(
            records[0].index, f"{size} values per frequency fit no port count"
        )
    warnings: list[str] = []
    for position, record in enumerate(records):
        if len(record.values) == size:
            continue
        if ports == 2 and len(record.values) == 5:
            warnings.append("noise parameters after the S parameters were ignored")
            return ports, records[:position], warnings
        raise doc.error(
            record.index,
            f"expected {size} values for this frequency, found {len(record.values)}",
        )
    return ports, records, warnings


def _parameter_names(parameter: str, ports: int) -> list[str]:
    if ports == 2:
        return [f"{parameter}{a}{b}" for a, b in ((1, 1), (2, 1), (1, 2), (2, 2))]
    return [
        f"{parameter}{row}{column}"
        for row in range(1, ports + 1)
        for column in range(1, ports + 1)
    ]


def _polar(data_format: str, first: np.ndarray, second: np.ndarray):
    """Return (linear magnitude, dB magnitude, phase in degrees) of value pairs.

    DB and MA values are used as written, so no precision is lost by a round
    trip through complex numbers.
    """
    with np.errstate(divide="ignore"):
        if data_format == "RI":
            values = first + 1j * second
            magnitude = np.abs(values)
            return magnitude, 20.0 * np.log10(magnitude), np.angle(values, deg=True)
        if data_format == "MA":
            return first, 20.0 * np.log10(np.abs(first)), second
        return 10.0 ** (first / 20.0), first, second


def _traces(
    options: Options, ports: int, x_hz: np.ndarray, pairs: np.ndarray
) -> list[Trace]:
    traces = []
    for column, name in enumerate(_parameter_names(options.parameter, ports)):
        magnitude, level_db, phase = _polar(
            options.data_format, pairs[:, 2 * column], pairs[:, 2 * column + 1]
        )
        y, unit = _level(options, magnitude, level_db)
        frame = pd.DataFrame({"x_hz": x_hz, "y": y, "phase_deg": phase})
        traces.append(Trace(name, frame.astype(np.float64), unit))
    return traces


def _level(
    options: Options, magnitude: np.ndarray, level_db: np.ndarray
) -> tuple[np.ndarray, str]:
    """Return the trace level: dB magnitude for S, otherwise linear magnitude."""
    if options.parameter == "S":
        return level_db, "dB"
    # NOTE: Touchstone 1.x stores Z and Y normalised to R; they are scaled back
    # to ohms and siemens only when R is a plain real number.
    try:
        resistance = float(options.resistance)
    except ValueError:
        return magnitude, "normalised"
    if options.parameter == "Z":
        return magnitude * resistance, "ohm"
    if options.parameter == "Y":
        return magnitude / resistance, "S"
    return magnitude, "normalised"


def _parameter_warnings(
    options: Options, traces: list[Trace], pairs: np.ndarray
) -> list[str]:
    warnings = []
    for column, trace in enumerate(traces):
        raw = pairs[:, 2 * column : 2 * column + 2]
        if options.data_format != "DB" and not raw.any():
            warnings.append(
                f"{trace.name}: every value is zero, so it was not measured"
            )
            continue
        reflection = trace.name[1] == trace.name[2]
        if options.parameter == "S" and reflection and (trace.data["y"] > 0).any():
            worst = 10.0 ** (trace.data["y"].max() / 20.0)
            warnings.append(
                f"{trace.name}: |{trace.name}| exceeds 1 (up to {worst:.6g}), "
                "which a passive port cannot reflect; check the calibration"
            )
    return warnings


def _metadata(doc: Document, options: Options, ports: int) -> dict[str, str]:
    metadata = {
        "parameter": options.parameter,
        "data_format": options.data_format,
        "reference_impedance": options.resistance,
        "ports": str(ports),
    }
    for line in doc.lines:
        if not line.lstrip().startswith("!"):
            continue
        _comment_metadata(line.lstrip()[1:].strip(), metadata)
    return metadata


def _comment_metadata(comment: str, metadata: dict[str, str]) -> None:
    key, _, value = comment.partition(":")
    key, value = key.strip().lower(), value.strip()
    if key == "date" and "date" not in metadata:
        date = parse_date(value, DATE_FORMATS)
        if date is not None:
            metadata["date"] = date
    elif key in ("model", "serial") and value:
        metadata.setdefault(key, value)
    elif comment.count(",") == 3 and "model" not in metadata:
        # An instrument identification string: vendor,model,serial,firmware.
        _, model, serial, firmware = (part.strip() for part in comment.split(","))
        metadata.update(model=model, serial=serial, firmware=firmware)


register(Touchstone())

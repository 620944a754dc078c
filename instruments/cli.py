"""Command line: ``python -m instruments inspect FILE [--format NAME] [--limit LEVEL]``.

Prints a JSON summary of the file on standard output. An unreadable file
exits with status 2 and one line on standard error naming the file, the line
and the reason. ``--mapping FILE.json`` reads a table through a column
mapping; a mapping file that cannot be used also exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from typing import Any

from instruments.formats.generic import ColumnMapping
from instruments.limits import LimitLine, evaluate
from instruments.model import ReadError, Reading, Trace
from instruments.reader import read
from instruments.registry import FORMATS

EXIT_UNREADABLE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m instruments",
        description="Read instrument result files and summarise their traces.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="print a JSON summary of FILE")
    inspect.add_argument("file", metavar="FILE", help="instrument result file")
    inspect.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="reader to use instead of detecting the format from the content",
    )
    inspect.add_argument(
        "--mapping",
        metavar="FILE.json",
        help=(
            "read FILE as a generic table through the column mapping in this "
            "JSON object, keyed by the ColumnMapping field names"
        ),
    )
    inspect.add_argument(
        "--limit",
        type=float,
        metavar="LEVEL",
        help="flat limit, in each trace's own unit, for the worst-point margin",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        mapping = None if args.mapping is None else load_mapping(args.mapping)
        reading = read(args.file, format=args.format, mapping=mapping)
    except (MappingFileError, ReadError) as error:
        print(" ".join(str(error).split()), file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        json.dump(summarise(reading, args.limit), sys.stdout, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of the output stopped early, as `| head` does. Python
        # would report the pipe again while closing standard output, so it
        # is pointed at the null device first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


class MappingFileError(Exception):
    """A column mapping file that cannot be opened, parsed or used."""


def load_mapping(path: str) -> ColumnMapping:
    """Read a ColumnMapping from a JSON file; raise MappingFileError naming it."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        reason = error.strerror or str(error)
        raise MappingFileError(f"{path}: cannot be opened: {reason}") from None
    except UnicodeDecodeError as error:
        raise MappingFileError(f"{path}: not UTF-8 text: {error}") from None
    except json.JSONDecodeError as error:
        raise MappingFileError(f"{path}: invalid JSON: {error}") from None
    try:
        return ColumnMapping.from_dict(data)
    except (TypeError, ValueError) as error:
        raise MappingFileError(f"{path}: invalid column mapping: {error}") from None


def summarise(reading: Reading, limit: float | None) -> dict[str, Any]:
    """Build the JSON-ready summary printed by ``inspect``."""
    return {
        "format": reading.format,
        "encoding": reading.encoding,
        "metadata": reading.metadata,
        "traces": [_trace_summary(trace, limit) for trace in reading.traces],
        "warnings": reading.warnings,
    }


def _trace_summary(trace: Trace, limit: float | None) -> dict[str, Any]:
    x_hz = trace.data["x_hz"]
    y = trace.data["y"]
    return {
        "name": trace.name,
        "points": trace.points,
        "x_unit": "Hz",
        "y_unit": trace.y_unit,
        "x_min": _number(x_hz.min()),
        "x_max": _number(x_hz.max()),
        "y_max": _number(y.max()),
        "worst": None if limit is None else _worst(trace, limit),
    }


def _worst(trace: Trace, level: float) -> dict[str, Any] | None:
    line = LimitLine.flat(level, unit=trace.y_unit)
    try:
        worst = evaluate(trace, line).worst
    except ValueError:
        return None  # the trace has no finite value to compare
    return {"x": worst.x_hz, "y": worst.y, "margin": worst.margin}


def _number(value: float) -> float | None:
    """JSON has no NaN or infinity, so those become null."""
    value = float(value)
    return value if math.isfinite(value) else None

"""Result types shared by every reader: traces, readings and read errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from instruments.limits import LimitLine


@dataclass(frozen=True, eq=False)
class Trace:
    """One measured curve.

    ``data`` has float64 columns ``x_hz`` (frequency in Hz) and ``y`` (level in
    ``y_unit``). Touchstone traces add a ``phase_deg`` column.
    """

    name: str
    data: pd.DataFrame
    y_unit: str
    detector: str | None = None

    @property
    def points(self) -> int:
        """Number of rows in ``data``."""
        return len(self.data)


@dataclass(frozen=True, eq=False)
class Reading:
    """Everything read from one instrument file.

    ``limit_lines`` and ``verdict`` are set only by formats in which the
    instrument stores its own limit lines and pass/fail verdict, so that the
    caller can compare its own evaluation with the instrument's.
    """

    format: str
    encoding: str
    source_name: str
    metadata: dict[str, str]
    traces: list[Trace]
    warnings: list[str] = field(default_factory=list)
    limit_lines: dict[str, LimitLine] = field(default_factory=dict)
    verdict: str | None = None

    def trace(self, name: str) -> Trace:
        """Return the trace called ``name``; raise KeyError when there is none."""
        for trace in self.traces:
            if trace.name == name:
                return trace
        names = ", ".join(trace.name for trace in self.traces)
        raise KeyError(f"no trace named {name!r}; traces: {names}")


class ReadError(Exception):
    """An instrument file that cannot be read.

    ``line`` is the 1-based line number of the offending line, or None when the
    problem concerns the whole file.
    """

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.reason}"
        return f"{self.file}, line {self.line}: {self.reason}"

    def __reduce__(self):
        return (type(self), (self.file, self.line, self.reason))

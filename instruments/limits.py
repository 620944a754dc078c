"""Limit lines and the evaluation of a trace against one.

A limit is a list of frequency segments, each with a start and a stop level.
Between those levels the limit is interpolated either linearly in frequency or
linearly in log10(frequency), which is how CISPR emission limits (CISPR 11,
CISPR 32) are specified.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from instruments.model import Trace
from instruments.units import normalise_level_unit

Segment = tuple[float, float, float, float]

INTERPOLATIONS = ("linear", "log")


@dataclass(frozen=True)
class LimitLine:
    """A limit made of ``(f_start_hz, f_stop_hz, level_start, level_stop)`` segments.

    Where segments overlap, for example at a step where one ends and the next
    begins at the same frequency, the lower (stricter) level applies, as CISPR
    specifies for the transition frequency.
    """

    segments: Sequence[Segment]
    interpolation: str = "linear"
    unit: str = "dBuV"
    detector: str | None = None

    def __post_init__(self) -> None:
        segments = tuple(_check_segment(segment) for segment in self.segments)
        if not segments:
            raise ValueError("a limit line needs at least one segment")
        if self.interpolation not in INTERPOLATIONS:
            raise ValueError(
                f"interpolation must be 'linear' or 'log', not {self.interpolation!r}"
            )
        if self.interpolation == "log":
            _check_log_segments(segments)
        object.__setattr__(self, "segments", segments)
        object.__setattr__(self, "unit", normalise_level_unit(self.unit))

    @classmethod
    def flat(
        cls,
        level: float,
        unit: str = "dBuV",
        start_hz: float = 0.0,
        stop_hz: float = math.inf,
        detector: str | None = None,
    ) -> LimitLine:
        """Build a limit with one constant ``level`` from start_hz to stop_hz."""
        segment = (start_hz, stop_hz, level, level)
        return cls(segments=[segment], unit=unit, detector=detector)

    @property
    def start_hz(self) -> float:
        """Lowest frequency covered by any segment."""
        return min(segment[0] for segment in self.segments)

    @property
    def stop_hz(self) -> float:
        """Highest frequency covered by any segment."""
        return max(segment[1] for segment in self.segments)

    def level_at(self, freqs_hz: Iterable[float] | np.ndarray) -> np.ndarray:
        """Return the limit level at each frequency, NaN outside every segment."""
        freqs = np.asarray(freqs_hz, dtype=np.float64)
        levels = np.full(freqs.shape, np.nan)
        for segment in self.segments:
            levels = np.fmin(levels, self._segment_levels(segment, freqs))
        return levels

    def _segment_levels(self, segment: Segment, freqs: np.ndarray) -> np.ndarray:
        start, stop, level_start, level_stop = segment
        inside = (freqs >= start) & (freqs <= stop)
        if level_start == level_stop or start == stop:
            values = np.full(freqs.shape, level_start)
        elif self.interpolation == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                position = np.log10(freqs / start) / math.log10(stop / start)
            values = level_start + (level_stop - level_start) * position
        else:
            position = (freqs - start) / (stop - start)
            values = level_start + (level_stop - level_start) * position
        return np.where(inside, values, np.nan)


def _check_segment(segment: Sequence[float]) -> Segment:
    if len(segment) != 4:
        raise ValueError(
            "a segment is (f_start_hz, f_stop_hz, level_start, level_stop), "
            f"got {segment!r}"
        )
    start, stop, level_start, level_stop = (float(value) for value in segment)
    if math.isnan(start) or math.isnan(stop) or not start <= stop:
        raise ValueError(f"segment start {start} Hz must not exceed stop {stop} Hz")
    if not (math.isfinite(level_start) and math.isfinite(level_stop)):
        raise ValueError(f"segment levels must be finite, got {segment!r}")
    return (start, stop, level_start, level_stop)


def _check_log_segments(segments: Sequence[Segment]) -> None:
    for start, stop, level_start, level_stop in segments:
        sloped = level_start != level_stop and start != stop
        if sloped and (start <= 0 or math.isinf(stop)):
            raise ValueError(
                "a sloped segment with log interpolation needs a start above "
                f"0 Hz and a finite stop, got {start} Hz to {stop} Hz"
            )


@dataclass(frozen=True)
class Point:
    """One trace point compared with the limit; ``margin`` > 0 means over it."""

    x_hz: float
    y: float
    limit: float
    margin: float


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The trace points inside the limit's range, with their limit and margin.

    Arrays hold only points where both the limit and the measured value are
    defined; points outside every segment and NaN readings are left out.
    """

    trace_name: str
    limit_line: LimitLine
    x_hz: np.ndarray
    y: np.ndarray
    limit: np.ndarray
    margin: np.ndarray

    @property
    def worst(self) -> Point:
        """Point with the largest margin (the lowest frequency on a tie)."""
        return self._point(int(np.argmax(self.margin)))

    @property
    def passed(self) -> bool:
        """True when no point is above the limit (worst margin <= 0)."""
        return bool(self.margin.max() <= 0)

    def worst_points(self, n: int) -> list[Point]:
        """Return up to ``n`` points with the largest margins, one per frequency.

        Only the top candidates are sorted. Their number grows until ``n``
        distinct frequencies are found, so a short list from a long trace
        costs a partial sort.
        """
        if n <= 0:
            return []
        size = len(self.margin)
        count = min(n, size)
        while True:
            distinct = self._distinct_top(count)
            if len(distinct) >= n or count == size:
                return [self._point(int(index)) for index in distinct[:n]]
            count = min(count * 4, size)

    def _distinct_top(self, count: int) -> np.ndarray:
        """Indices of the ``count`` largest margins, worst first, one per x."""
        if count < len(self.margin):
            candidates = np.argpartition(-self.margin, count - 1)[:count]
        else:
            candidates = np.arange(len(self.margin))
        order = candidates[np.lexsort((candidates, -self.margin[candidates]))]
        _, first = np.unique(self.x_hz[order], return_index=True)
        return order[np.sort(first)]

    def _point(self, index: int) -> Point:
        return Point(
            x_hz=float(self.x_hz[index]),
            y=float(self.y[index]),
            limit=float(self.limit[index]),
            margin=float(self.margin[index]),
        )


def evaluate(trace: Trace, limit: LimitLine) -> Evaluation:
    """Compare every trace point with ``limit``.

    Raises ValueError when the trace and limit units differ, or when no
    trace point lies inside the limit's frequency range.
    """
    trace_unit = normalise_level_unit(trace.y_unit)
    if trace_unit != limit.unit:
        raise ValueError(
            f"trace {trace.name!r} is in {trace_unit}, the limit in {limit.unit}"
        )
    x_hz = trace.data["x_hz"].to_numpy(dtype=np.float64)
    y = trace.data["y"].to_numpy(dtype=np.float64)
    levels = limit.level_at(x_hz)
    kept = ~(np.isnan(levels) | np.isnan(y))
    if not kept.any():
        raise ValueError(
            f"no point of trace {trace.name!r} lies inside the limit's "
            f"range {limit.start_hz:g} Hz to {limit.stop_hz:g} Hz"
        )
    x_hz, y, levels = x_hz[kept], y[kept], levels[kept]
    return Evaluation(trace.name, limit, x_hz, y, levels, y - levels)

"""Trace plots for test reports: a measured spectrum against its limit line.

The x axis is logarithmic in frequency with a grid line per decade, as on the
plots of radiated and conducted emission tests. A receiver sweep can hold
hundreds of thousands of points, far more than a printed plot can show, so the
trace is thinned to at most MAX_DRAWN_POINTS before drawing. Thinning keeps the
highest level of each bucket, because the peaks are what the reader compares
with the limit.
"""

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
from reportlab.lib import colors

from certificates.fonts import REGULAR
from certificates.model import TracePlot

MAX_DRAWN_POINTS = 2000
PLOT_HEIGHT = 190.0
AXIS_LEFT = 42.0
AXIS_BOTTOM = 30.0
AXIS_TOP_GAP = 22.0
AXIS_RIGHT_GAP = 10.0
TICK_FONT_SIZE = 6.5
TRACE_COLOUR = colors.Color(0.05, 0.25, 0.65)
LIMIT_COLOUR = colors.Color(0.8, 0.1, 0.1)
GRID_COLOUR = colors.Color(0.82, 0.82, 0.82)


def thin_trace(
    x: Sequence[float], y: Sequence[float], max_points: int = MAX_DRAWN_POINTS
) -> list[tuple[float, float]]:
    """Return at most `max_points` (x, y) pairs, keeping each bucket's maximum.

    The points are split in order into `max_points` buckets of consecutive
    samples, and each bucket contributes its sample with the highest y.
    """
    points = list(zip(x, y, strict=True))
    if len(points) <= max_points:
        return points

    thinned = []
    count = len(points)
    for bucket in range(max_points):
        start = bucket * count // max_points
        end = (bucket + 1) * count // max_points
        thinned.append(max(points[start:end], key=lambda point: point[1]))
    return thinned


def validate_plot(plot: TracePlot) -> None:
    """Raise ValueError when a plot's data cannot be drawn on a log-frequency axis."""
    for name, x, y in (
        ("trace", plot.x_hz, plot.y),
        ("limit", plot.limit_x_hz, plot.limit_y),
    ):
        if len(x) != len(y):
            raise ValueError(
                f"plot {plot.title!r}: {name} has {len(x)} frequencies but "
                f"{len(y)} levels; both sequences must have the same length"
            )
        for frequency, level in zip(x, y, strict=True):
            if not (math.isfinite(frequency) and frequency > 0):
                raise ValueError(
                    f"plot {plot.title!r}: invalid {name} frequency {frequency!r}; "
                    "frequencies must be finite and greater than 0 Hz"
                )
            if not math.isfinite(level):
                raise ValueError(
                    f"plot {plot.title!r}: invalid {name} level {level!r} at "
                    f"{frequency} Hz; levels must be finite numbers"
                )

    if len(plot.x_hz) == 0:
        raise ValueError(f"plot {plot.title!r}: the trace has no points")


def format_frequency(hertz: float, digits: int = 6) -> str:
    """Return a frequency with its SI prefix and at most `digits` significant
    digits, e.g. 30000000 -> "30 MHz"."""
    for factor, unit in ((1e9, "GHz"), (1e6, "MHz"), (1e3, "kHz")):
        if hertz >= factor:
            return f"{hertz / factor:.{digits}g} {unit}"
    return f"{hertz:.{digits}g} Hz"


class _Axes:
    """Maps frequency and level to drawing coordinates."""

    def __init__(
        self, x_range: tuple[float, float], y_range: tuple[float, float], width: float
    ) -> None:
        self.log_min = math.log10(x_range[0])
        self.log_max = math.log10(x_range[1])
        self.y_min, self.y_max = y_range
        self.left = AXIS_LEFT
        self.bottom = AXIS_BOTTOM
        self.width = width - AXIS_LEFT - AXIS_RIGHT_GAP
        self.height = PLOT_HEIGHT - AXIS_BOTTOM - AXIS_TOP_GAP

    def x(self, hertz: float) -> float:
        share = (math.log10(hertz) - self.log_min) / (self.log_max - self.log_min)
        return self.left + share * self.width

    def y(self, level: float) -> float:
        share = (level - self.y_min) / (self.y_max - self.y_min)
        return self.bottom + share * self.height


def _frequency_range(plot: TracePlot) -> tuple[float, float]:
    frequencies = [*plot.x_hz, *plot.limit_x_hz]
    if plot.worst is not None:
        frequencies.append(plot.worst[0])
    low, high = min(frequencies), max(frequencies)
    if high <= low:
        return low / 2, high * 2
    return low, high


def _level_range(plot: TracePlot, step: float = 10.0) -> tuple[float, float]:
    levels = [*plot.y, *plot.limit_y]
    if plot.worst is not None:
        levels.append(plot.worst[1])
    low = math.floor(min(levels) / step) * step
    high = math.ceil(max(levels) / step) * step
    if high <= low:
        high = low + step
    return low, high


def _frequency_ticks(low: float, high: float) -> list[float]:
    """Return the 1-2-5 steps of each decade inside [low, high], plus both ends
    when no step lies within 15 % of them on the log scale."""
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10.0**exponent
            if low <= value <= high:
                ticks.append(value)

    span = math.log10(high / low)
    for end in (low, high):
        distances = [abs(math.log10(tick / end)) for tick in ticks]
        if not distances or min(distances) > 0.15 * span:
            ticks.append(end)
    return sorted(ticks)


def _draw_grid(drawing: Drawing, axes: _Axes, plot: TracePlot) -> None:
    x_low, x_high = 10**axes.log_min, 10**axes.log_max
    right = axes.left + axes.width
    top = axes.bottom + axes.height

    for tick in _frequency_ticks(x_low, x_high):
        x = axes.x(tick)
        major = math.isclose(math.log10(tick) % 1, 0, abs_tol=1e-9)
        drawing.add(
            Line(
                x,
                axes.bottom,
                x,
                top,
                strokeColor=GRID_COLOUR,
                strokeWidth=0.6 if major else 0.3,
            )
        )
        drawing.add(
            String(
                x,
                axes.bottom - 9,
                format_frequency(tick),
                fontName=REGULAR,
                fontSize=TICK_FONT_SIZE,
                textAnchor="middle",
            )
        )

    level_step = _level_step(axes.y_max - axes.y_min)
    level = axes.y_min
    while level <= axes.y_max + 1e-9:
        y = axes.y(level)
        drawing.add(
            Line(axes.left, y, right, y, strokeColor=GRID_COLOUR, strokeWidth=0.3)
        )
        drawing.add(
            String(
                axes.left - 3,
                y - 2,
                f"{level:g}",
                fontName=REGULAR,
                fontSize=TICK_FONT_SIZE,
                textAnchor="end",
            )
        )
        level += level_step

    drawing.add(Line(axes.left, axes.bottom, right, axes.bottom, strokeWidth=0.6))
    drawing.add(Line(axes.left, axes.bottom, axes.left, top, strokeWidth=0.6))
    drawing.add(
        String(
            axes.left + axes.width / 2,
            4,
            "Tần số / Frequency",
            fontName=REGULAR,
            fontSize=7,
            textAnchor="middle",
        )
    )
    drawing.add(String(4, top + 6, plot.y_unit, fontName=REGULAR, fontSize=7))


def _level_step(span: float) -> float:
    for step in (10.0, 20.0, 50.0, 100.0):
        if span / step <= 10:
            return step
    return span / 10


def _polyline(axes: _Axes, points: Sequence[tuple[float, float]]) -> list[float]:
    coordinates: list[float] = []
    for hertz, level in points:
        coordinates.extend((axes.x(hertz), axes.y(level)))
    return coordinates


def _draw_worst(
    drawing: Drawing, axes: _Axes, worst: tuple[float, float], unit: str
) -> None:
    hertz, level = worst
    x, y = axes.x(hertz), axes.y(level)
    size = 4.0
    drawing.add(
        Line(
            x - size,
            y - size,
            x + size,
            y + size,
            strokeColor=LIMIT_COLOUR,
            strokeWidth=1,
        )
    )
    drawing.add(
        Line(
            x - size,
            y + size,
            x + size,
            y - size,
            strokeColor=LIMIT_COLOUR,
            strokeWidth=1,
        )
    )
    caption = f"{format_frequency(hertz, digits=4)}; {level:.4g} {unit}"
    drawing.add(
        String(
            x + size + 2,
            y + size,
            caption,
            fontName=REGULAR,
            fontSize=TICK_FONT_SIZE,
            fillColor=LIMIT_COLOUR,
        )
    )


def _draw_legend(drawing: Drawing, axes: _Axes) -> None:
    top = PLOT_HEIGHT - 8
    right = axes.left + axes.width
    entries = (
        ("Kết quả đo / Measured", TRACE_COLOUR),
        ("Giới hạn / Limit", LIMIT_COLOUR),
        ("✕ Điểm xấu nhất / Worst point", LIMIT_COLOUR),
    )
    x = right
    for text, colour in reversed(entries):
        drawing.add(
            String(
                x,
                top,
                text,
                fontName=REGULAR,
                fontSize=TICK_FONT_SIZE,
                fillColor=colour,
                textAnchor="end",
            )
        )
        x -= 110


def draw_plot(plot: TracePlot, width: float) -> Drawing:
    """Return a Drawing of the trace, the limit line and the worst point marker."""
    validate_plot(plot)
    drawing = Drawing(width, PLOT_HEIGHT, initialFontName=REGULAR)
    axes = _Axes(_frequency_range(plot), _level_range(plot), width)

    _draw_grid(drawing, axes, plot)
    trace = thin_trace(plot.x_hz, plot.y)
    drawing.add(
        PolyLine(_polyline(axes, trace), strokeColor=TRACE_COLOUR, strokeWidth=0.5)
    )
    if len(plot.limit_x_hz) > 0:
        limit = list(zip(plot.limit_x_hz, plot.limit_y, strict=True))
        drawing.add(
            PolyLine(_polyline(axes, limit), strokeColor=LIMIT_COLOUR, strokeWidth=1)
        )
    if plot.worst is not None:
        _draw_worst(drawing, axes, plot.worst, plot.y_unit)
    _draw_legend(drawing, axes)
    return drawing

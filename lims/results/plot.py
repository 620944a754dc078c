"""A trace plot as inline SVG: log-frequency axis, limit line, worst point."""

import math
from xml.sax.saxutils import escape

import numpy as np

from lims.results import traces
from lims.results.limits import limit_line

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
MAX_DRAWN_POINTS = 1500
LIMIT_SAMPLES = 200
# Presentation attributes, not a <style> element: the Content-Security-Policy
# of the response forbids inline style sheets.
STYLES = {
    "trace": 'fill="none" stroke="#1f5fa8" stroke-width="1"',
    "limit": 'fill="none" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="6 3"',
    "worst": 'fill="none" stroke="#c0392b" stroke-width="2"',
    "grid": 'stroke="#dddddd" stroke-width="1"',
}


def thin(x: np.ndarray, y: np.ndarray, buckets: int = MAX_DRAWN_POINTS):
    """Keep the maximum of each bucket so that peaks survive thinning."""
    if len(x) <= buckets:
        return x, y
    edges = np.linspace(0, len(x), buckets + 1, dtype=int)
    index = [
        lo + int(np.argmax(y[lo:hi]))
        for lo, hi in zip(edges, edges[1:], strict=False)
        if hi > lo
    ]
    return x[index], y[index]


def trace_and_limit(result, max_points: int = MAX_DRAWN_POINTS):
    """Return the stored trace, thinned, and its limit sampled on a log grid.

    Returns (x, y, limit_x, limit_y) as arrays with positive frequencies only
    and no point outside the limit's range, or None without a stored trace.
    The page's SVG and the test report's plot both draw from this.
    """
    if not result.trace_points:
        return None
    x, y = traces.unpack(result.trace_points)
    # A reading of NaN (not measured) has no place on the plot.
    drawable = (x > 0) & np.isfinite(x) & np.isfinite(y)
    x, y = thin(x[drawable], y[drawable], max_points)
    if len(x) == 0:
        return None
    line = limit_line(result.test_item, result.detector or None)
    limit_x = np.geomspace(x.min(), x.max(), LIMIT_SAMPLES)
    limit_y = line.level_at(limit_x)
    keep = ~np.isnan(limit_y)
    return x, y, limit_x[keep], limit_y[keep]


def trace_svg(result) -> str:
    data = trace_and_limit(result)
    if data is None:
        return _empty_svg("No trace stored for this result.")
    x, y, lx, ly = data

    finite = np.concatenate([y, ly])
    y_lo, y_hi = math.floor(finite.min() / 10) * 10, math.ceil(finite.max() / 10) * 10
    if y_hi == y_lo:
        y_hi += 10
    scale = _Scale(math.log10(x.min()), math.log10(x.max()), y_lo, y_hi)

    parts = [_header(), _grid(scale, result.unit)]
    parts.append(_polyline(scale, x, y, "trace"))
    if len(lx):
        parts.append(_polyline(scale, lx, ly, "limit"))
    if result.frequency_hz:
        px, py = scale.point(result.frequency_hz, result.value)
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" {STYLES["worst"]}/>')
    parts.append("</svg>")
    return "\n".join(parts)


class _Scale:
    def __init__(self, lx0, lx1, y0, y1):
        self.lx0, self.lx1 = lx0, lx1 if lx1 > lx0 else lx0 + 1
        self.y0, self.y1 = y0, y1

    def point(self, f_hz: float, level: float) -> tuple[float, float]:
        fx = (math.log10(f_hz) - self.lx0) / (self.lx1 - self.lx0)
        fy = (level - self.y0) / (self.y1 - self.y0)
        px = LEFT + fx * (WIDTH - LEFT - RIGHT)
        py = HEIGHT - BOTTOM - fy * (HEIGHT - TOP - BOTTOM)
        return px, py


def _header() -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'class="trace-plot" role="img" font-family="sans-serif" font-size="11">'
    )


def _grid(scale: _Scale, unit: str) -> str:
    out = []
    for decade in range(math.floor(scale.lx0), math.ceil(scale.lx1) + 1):
        f = 10.0**decade
        if not (scale.lx0 <= decade <= scale.lx1):
            continue
        px, _ = scale.point(f, scale.y0)
        out.append(
            f'<line {STYLES["grid"]} x1="{px:.1f}" y1="{TOP}" x2="{px:.1f}" '
            f'y2="{HEIGHT - BOTTOM}"/>'
            f'<text x="{px:.1f}" y="{HEIGHT - BOTTOM + 14}" '
            f'text-anchor="middle">{_hz_label(f)}</text>'
        )
    for level in range(int(scale.y0), int(scale.y1) + 1, 10):
        _, py = scale.point(10**scale.lx0, level)
        out.append(
            f'<line {STYLES["grid"]} x1="{LEFT}" y1="{py:.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{py:.1f}"/><text x="{LEFT - 6}" y="{py + 4:.1f}" '
            f'text-anchor="end">{level}</text>'
        )
    out.append(
        f'<text x="{LEFT}" y="{TOP - 4}">{escape(unit)}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end">Hz</text>'
    )
    return "\n".join(out)


def _polyline(scale: _Scale, x, y, css_class: str) -> str:
    coords = " ".join(
        "{:.1f},{:.1f}".format(*scale.point(fx, fy))
        for fx, fy in zip(x, y, strict=True)
    )
    return f'<polyline {STYLES[css_class]} points="{coords}"/>'


def _hz_label(f: float) -> str:
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if f >= factor:
            return f"{f / factor:g} {suffix}"
    return f"{f:g} "


def _empty_svg(message: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 40">'
        f'<text x="10" y="24">{escape(message)}</text></svg>'
    )

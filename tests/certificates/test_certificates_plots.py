"""Trace thinning and plot validation."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pdf_reading import full_text

from certificates import TracePlot, render_test_report
from certificates.plots import (
    MAX_DRAWN_POINTS,
    draw_plot,
    format_frequency,
    thin_trace,
    validate_plot,
)
from certificates.samples import sample_report, sample_trace


def test_short_trace_kept_whole():
    x = [1.0, 2.0, 3.0]
    y = [5.0, 1.0, 4.0]

    assert thin_trace(x, y) == [(1.0, 5.0), (2.0, 1.0), (3.0, 4.0)]


def test_long_trace_thinned_to_limit():
    count = 250_000
    x = [float(index + 1) for index in range(count)]
    y = [math.sin(index) for index in range(count)]

    thinned = thin_trace(x, y)

    assert len(thinned) == MAX_DRAWN_POINTS


def test_single_peak_survives_thinning():
    count = 100_000
    x = [30e6 + index * 1e4 for index in range(count)]
    y = [10.0] * count
    y[54_321] = 60.0

    thinned = thin_trace(x, y)

    assert (x[54_321], 60.0) in thinned


@given(
    st.lists(
        st.floats(min_value=-200, max_value=200, allow_nan=False),
        min_size=1,
        max_size=600,
    ),
    st.integers(min_value=1, max_value=50),
)
def test_thinning_keeps_global_maximum(levels, max_points):
    x = [float(index + 1) for index in range(len(levels))]

    thinned = thin_trace(x, levels, max_points)

    assert len(thinned) <= max_points
    assert max(level for _, level in thinned) == max(levels)
    assert [hertz for hertz, _ in thinned] == sorted(hertz for hertz, _ in thinned)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"x_hz": [1e6, 2e6], "y": [1.0]}, "same length"),
        ({"x_hz": [0.0, 2e6], "y": [1.0, 2.0]}, "greater than 0 Hz"),
        ({"x_hz": [1e6, 2e6], "y": [1.0, math.nan]}, "finite numbers"),
        ({"x_hz": [], "y": []}, "no points"),
        ({"limit_x_hz": [1e6], "limit_y": []}, "limit has 1 frequencies"),
    ],
)
def test_invalid_plot_raises(changes, message):
    fields = {
        "title": "Trace",
        "x_hz": [1e6, 2e6],
        "y": [1.0, 2.0],
        "y_unit": "dBµV",
        "limit_x_hz": [1e6, 2e6],
        "limit_y": [3.0, 3.0],
        "worst": None,
    }
    plot = TracePlot(**{**fields, **changes})

    with pytest.raises(ValueError, match=message):
        validate_plot(plot)


def test_invalid_plot_rejected_by_render():
    bad = TracePlot("Bad", [1e6], [1.0, 2.0], "dBµV", [], [], None)

    with pytest.raises(ValueError, match="same length"):
        render_test_report(sample_report(plots=[bad]))


def test_plot_labels_and_worst_point(report_pdf):
    text = full_text(report_pdf)

    assert "Radiated emission, horizontal polarisation" in text
    assert "Tần số / Frequency" in text
    assert "100 MHz" in text
    assert "Worst point" in text


def test_drawing_marks_worst_point():
    plot = sample_trace(points=300)

    drawing = draw_plot(plot, 480)

    captions = [
        getattr(shape, "text", "")
        for shape in drawing.contents
        if hasattr(shape, "text")
    ]
    worst_caption = f"{format_frequency(plot.worst[0], digits=4)}; "
    assert any(caption.startswith(worst_caption) for caption in captions)


@pytest.mark.parametrize(
    ("hertz", "expected"),
    [(150e3, "150 kHz"), (30e6, "30 MHz"), (2.4e9, "2.4 GHz"), (50.0, "50 Hz")],
)
def test_format_frequency(hertz, expected):
    assert format_frequency(hertz) == expected

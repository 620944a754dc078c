"""Limit lines: interpolation, evaluation and worst points."""

import math

import numpy as np
import pandas as pd
import pytest

from instruments import Trace
from instruments.limits import LimitLine, evaluate

CISPR32_CLASS_B_QP = LimitLine(
    segments=[
        (150e3, 500e3, 66.0, 56.0),
        (500e3, 5e6, 56.0, 56.0),
        (5e6, 30e6, 60.0, 60.0),
    ],
    interpolation="log",
    unit="dBuV",
    detector="quasi-peak",
)


def make_trace(x_hz, y, unit="dBuV"):
    data = pd.DataFrame({"x_hz": np.asarray(x_hz, float), "y": np.asarray(y, float)})
    return Trace("T", data, unit)


def test_log_limit_at_corners():
    levels = CISPR32_CLASS_B_QP.level_at([150e3, 500e3])

    assert levels[0] == pytest.approx(66.0)
    assert levels[1] == pytest.approx(56.0)


def test_log_limit_between_corners():
    middle = math.sqrt(150e3 * 500e3)  # half-way on a log axis

    level = CISPR32_CLASS_B_QP.level_at([middle, 250e3])

    assert level[0] == pytest.approx(61.0)
    expected = 66.0 - 10.0 * math.log10(250e3 / 150e3) / math.log10(500e3 / 150e3)
    assert level[1] == pytest.approx(expected)
    assert level[1] == pytest.approx(61.757, abs=1e-3)


def test_limit_step_takes_lower_level():
    assert CISPR32_CLASS_B_QP.level_at([5e6])[0] == 56.0


def test_limit_outside_range_is_nan():
    levels = CISPR32_CLASS_B_QP.level_at([100e3, 31e6, 1e6])

    assert np.isnan(levels[0])
    assert np.isnan(levels[1])
    assert levels[2] == 56.0


def test_linear_interpolation():
    line = LimitLine(segments=[(0, 100, 10.0, 20.0)])

    assert line.level_at([50])[0] == pytest.approx(15.0)


def test_evaluate_ignores_points_outside():
    trace = make_trace([100e3, 200e3, 1e6, 40e6], [99.0, 55.0, 50.0, 99.0])

    evaluation = evaluate(trace, CISPR32_CLASS_B_QP)

    assert list(evaluation.x_hz) == [200e3, 1e6]
    assert evaluation.passed
    assert evaluation.worst.x_hz == 1e6
    assert evaluation.worst.margin == pytest.approx(-6.0)


def test_evaluate_margin_on_limit_passes():
    evaluation = evaluate(make_trace([1e6], [56.0]), CISPR32_CLASS_B_QP)

    assert evaluation.worst.margin == 0.0
    assert evaluation.passed


def test_evaluate_uses_unrounded_values():
    evaluation = evaluate(make_trace([1e6], [56.0001]), CISPR32_CLASS_B_QP)

    assert not evaluation.passed


def test_worst_points_distinct_frequencies():
    trace = make_trace([1e6, 1e6, 2e6, 3e6, 4e6], [60.0, 59.0, 58.0, 50.0, 57.0])

    points = evaluate(trace, LimitLine.flat(50.0)).worst_points(3)

    assert [point.x_hz for point in points] == [1e6, 2e6, 4e6]
    assert [point.margin for point in points] == [10.0, 8.0, 7.0]


def test_worst_points_more_than_available():
    trace = make_trace([1e6, 2e6], [1.0, 2.0])

    points = evaluate(trace, LimitLine.flat(0.0)).worst_points(10)

    assert len(points) == 2


def test_evaluate_rejects_unit_mismatch():
    with pytest.raises(ValueError, match="dBm"):
        evaluate(make_trace([1e6], [1.0], unit="dBm"), LimitLine.flat(0.0))


def test_evaluate_rejects_no_overlap():
    line = LimitLine.flat(0.0, start_hz=1e9, stop_hz=2e9)

    with pytest.raises(ValueError, match="no point"):
        evaluate(make_trace([1e6], [1.0]), line)


def test_limit_rejects_bad_segments():
    with pytest.raises(ValueError):
        LimitLine(segments=[(2e6, 1e6, 0.0, 0.0)])
    with pytest.raises(ValueError):
        LimitLine(segments=[(0.0, 1e6, 0.0, 10.0)], interpolation="log")
    with pytest.raises(ValueError):
        LimitLine(segments=[(0.0, 1e6, 0.0, 0.0)], interpolation="cubic")
    with pytest.raises(ValueError):
        LimitLine(segments=[])


def test_flat_limit_normalises_unit():
    assert LimitLine.flat(1.0, unit="dB\u00b5V").unit == "dBuV"

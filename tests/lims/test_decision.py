"""Decision rules and display rounding, as tables of cases."""

import pytest

from lims.regulations.models import LimitKind
from lims.results.decision import (
    UndecidableBound,
    decide,
    format_measurement,
    margin_of,
    round_uncertainty,
    rule_statement,
)
from lims.results.models import Verdict
from lims.testing.models import DecisionRule

SIMPLE, GUARD, NON_BINARY = (
    DecisionRule.SIMPLE,
    DecisionRule.GUARD_BAND,
    DecisionRule.NON_BINARY,
)
PASS, CPASS, CFAIL, FAIL = (
    Verdict.PASS,
    Verdict.CONDITIONAL_PASS,
    Verdict.CONDITIONAL_FAIL,
    Verdict.FAIL,
)


@pytest.mark.parametrize(
    ("margin", "u", "rule", "factor", "expected"),
    [
        # Simple acceptance ignores U; a value on the limit passes.
        (-0.1, 3.0, SIMPLE, 1.0, PASS),
        (0.0, 3.0, SIMPLE, 1.0, PASS),
        (0.001, 3.0, SIMPLE, 1.0, FAIL),
        (0.5, None, SIMPLE, 1.0, FAIL),
        # Guarded acceptance, w = U: pass only at or below limit - U.
        (-3.0, 3.0, GUARD, 1.0, PASS),
        (-2.999, 3.0, GUARD, 1.0, FAIL),
        (-0.5, 3.0, GUARD, 1.0, FAIL),
        (2.0, 3.0, GUARD, 1.0, FAIL),
        # A chosen multiple of U widens the band.
        (-3.5, 3.0, GUARD, 1.5, FAIL),
        (-4.5, 3.0, GUARD, 1.5, PASS),
        (-0.1, 3.0, GUARD, 0.0, PASS),
        # Non-binary statements, w = U on each side of the limit.
        (-3.0, 3.0, NON_BINARY, 1.0, PASS),
        (-2.9, 3.0, NON_BINARY, 1.0, CPASS),
        (0.0, 3.0, NON_BINARY, 1.0, CPASS),
        (0.1, 3.0, NON_BINARY, 1.0, CFAIL),
        (3.0, 3.0, NON_BINARY, 1.0, CFAIL),
        (3.1, 3.0, NON_BINARY, 1.0, FAIL),
        (-5.0, 3.0, NON_BINARY, 2.0, CPASS),
        (5.0, 3.0, NON_BINARY, 2.0, CFAIL),
        # Without U the non-binary rule falls back to pass or fail.
        (-0.1, None, NON_BINARY, 1.0, PASS),
        (0.1, None, NON_BINARY, 1.0, FAIL),
    ],
)
def test_decide_table(margin, u, rule, factor, expected):
    assert decide(margin, u, rule, factor) == expected


def test_decide_uses_unrounded_margin():
    # 66.504 rounds to 66.5 for display, but is over a 66.5 limit.
    assert decide(66.504 - 66.5, 0.0, SIMPLE) == FAIL
    assert decide(66.496 - 66.5, 0.0, SIMPLE) == PASS


@pytest.mark.parametrize(
    ("value", "limit", "kind", "operand", "expected"),
    [
        (60.0, 66.0, LimitKind.MAXIMUM, None, -6.0),
        (70.0, 66.0, LimitKind.MAXIMUM, None, 4.0),
        (10.0, 6.0, LimitKind.MINIMUM, None, -4.0),
        (5.0, 6.0, LimitKind.MINIMUM, None, 1.0),
        # "< LOD" below a maximum passes with the bound as worst case.
        (5.0, 10.0, LimitKind.MAXIMUM, "<", -5.0),
        # "> x" above a maximum fails.
        (12.0, 10.0, LimitKind.MAXIMUM, ">", 2.0),
        # "> x" above a minimum passes; "< x" below a minimum fails.
        (12.0, 10.0, LimitKind.MINIMUM, ">", -2.0),
        (8.0, 10.0, LimitKind.MINIMUM, "<", 2.0),
    ],
)
def test_margin_of_table(value, limit, kind, operand, expected):
    assert margin_of(value, limit, kind, operand) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "limit", "kind", "operand"),
    [
        (5.0, 10.0, LimitKind.MAXIMUM, ">"),
        (10.0, 10.0, LimitKind.MAXIMUM, ">"),
        (12.0, 10.0, LimitKind.MAXIMUM, "<"),
        (12.0, 10.0, LimitKind.MINIMUM, "<"),
        (8.0, 10.0, LimitKind.MINIMUM, ">"),
    ],
)
def test_margin_of_undecidable_bounds(value, limit, kind, operand):
    with pytest.raises(UndecidableBound):
        margin_of(value, limit, kind, operand)


@pytest.mark.parametrize(
    ("u", "expected"),
    [
        (0.095, "0.095"),
        (0.0949, "0.095"),
        (0.95, "0.95"),
        (9.5, "9.5"),
        (9.96, "10"),
        (0.996, "1.0"),
        (2.675, "2.7"),
        (3.45, "3.5"),
        (123.4, "1.2E+2"),
        (2e-8, "2.0E-8"),
    ],
)
def test_round_uncertainty_two_digits(u, expected):
    assert str(round_uncertainty(u)) == expected


@pytest.mark.parametrize(
    ("value", "u", "expected"),
    [
        (1.0, 0.095, ("1.000", "0.095")),
        (1.0, 0.95, ("1.00", "0.95")),
        (12.34, 9.5, ("12.3", "9.5")),
        (2.675, 0.12, ("2.68", "0.12")),
        (2.665, 0.12, ("2.67", "0.12")),
        (2.675, None, ("2.675", "")),
        (67.396123, 3.4, ("67.4", "3.4")),
        (1.23456, 0.9951, ("1.2", "1.0")),
        (1234.5, 99.5, ("1230", "100")),
        (-0.0004, 0.05, ("0.000", "0.050")),
        (3e-7, 2e-8, ("3.00E-7", "2.0E-8")),
        (0.0, 2e-8, ("0", "2.0E-8")),
        (1e12, 1e10, ("1.000E+12", "1.0E+10")),
        (45.0, 0.0, ("45.0", "")),
    ],
)
def test_format_measurement_table(value, u, expected):
    assert format_measurement(value, u) == expected


def test_rule_statement_names_factor():
    assert "w = 1.5 x U" in rule_statement(GUARD, 1.5)
    assert "w = 1 x U" in rule_statement(NON_BINARY)
    assert "Simple acceptance" in rule_statement(SIMPLE)

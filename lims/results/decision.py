"""Decision rules and display rounding.

Verdicts follow ILAC-G8:09/2019 and IEC Guide 115:2021. They are decided on
unrounded values; rounding is for display only.
"""

from decimal import ROUND_HALF_UP, Decimal

from lims.results.models import Verdict
from lims.testing.models import DecisionRule


def decide(
    margin: float,
    uncertainty: float | None,
    rule: DecisionRule,
    guard_band_factor: float = 1.0,
) -> Verdict:
    """Return the verdict for ``margin`` (measured minus limit, >0 means over).

    For a minimum limit the caller passes limit minus measured, so that a
    positive margin always means non-conformity.
    """
    u = uncertainty or 0.0
    if rule == DecisionRule.SIMPLE:
        return Verdict.PASS if margin <= 0 else Verdict.FAIL

    if rule == DecisionRule.GUARD_BAND:
        guard = guard_band_factor * u
        return Verdict.PASS if margin <= -guard else Verdict.FAIL

    if margin <= -u:
        return Verdict.PASS
    if margin <= 0:
        return Verdict.CONDITIONAL_PASS
    if margin <= u:
        return Verdict.CONDITIONAL_FAIL
    return Verdict.FAIL


RULE_STATEMENTS = {
    DecisionRule.SIMPLE: (
        "Simple acceptance (ILAC-G8:09/2019 4.2.1): pass when the measured value "
        "does not exceed the limit; the measurement uncertainty is reported "
        "but not taken into account."
    ),
    DecisionRule.GUARD_BAND: (
        "Guarded acceptance (ILAC-G8:09/2019 4.2.2): pass only when the measured "
        "value is below the limit by at least w = {factor} x U."
    ),
    DecisionRule.NON_BINARY: (
        "Non-binary statement (ILAC-G8:09/2019 4.2.3): pass, conditional pass, "
        "conditional fail or fail, with a guard band w = U on each side of the "
        "limit."
    ),
}


def rule_statement(rule: DecisionRule, guard_band_factor: float = 1.0) -> str:
    return RULE_STATEMENTS[rule].format(factor=f"{guard_band_factor:g}")


def round_uncertainty(u: float | Decimal) -> Decimal:
    """Round an expanded uncertainty to two significant digits."""
    d = Decimal(str(u))
    if d == 0:
        return Decimal(0)
    exponent = d.adjusted() - 1
    return d.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def format_measurement(value: float, uncertainty: float | None) -> tuple[str, str]:
    """Return (value, uncertainty) as strings rounded for display.

    The uncertainty keeps two significant digits and the value is rounded to
    the same decimal place. ``Decimal(str(x))`` keeps the decimal digits the
    user or instrument wrote, so 2.675 rounds to 2.68 rather than to the
    binary neighbour 2.67.
    """
    v = Decimal(str(value))
    if uncertainty is None or uncertainty == 0:
        return _plain(v), ""
    u = round_uncertainty(uncertainty)
    quantum = Decimal(1).scaleb(u.as_tuple().exponent)
    return _plain(v.quantize(quantum, rounding=ROUND_HALF_UP)), _plain(u)


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return "0" if text in ("-0", "-0.0") else text

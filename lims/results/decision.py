"""Decision rules and display rounding.

Verdicts follow ILAC-G8:09/2019 and IEC Guide 115:2021. They are decided on
unrounded values; rounding is for display only.
"""

from decimal import ROUND_HALF_UP, Decimal, localcontext

from lims.regulations.models import LimitKind
from lims.results.models import Verdict
from lims.testing.models import DecisionRule

# Plain decimal notation is used for magnitudes from 1E-4 up to below 1E9;
# outside that range numbers are written as 2.0E-8.
PLAIN_MIN_EXPONENT = -4
PLAIN_MAX_EXPONENT = 8


class UndecidableBound(ValueError):
    """A value reported only as a bound that cannot show conformity or not."""


def decide(
    margin: float,
    uncertainty: float | None,
    rule: DecisionRule,
    guard_band_factor: float = 1.0,
) -> Verdict:
    """Return the verdict for ``margin`` (measured minus limit, >0 means over).

    For a minimum limit the caller passes limit minus measured, so that a
    positive margin always means non-conformity. The guard band is
    w = ``guard_band_factor`` x U for both the guarded and the non-binary rule.
    """
    guard = guard_band_factor * (uncertainty or 0.0)
    if rule == DecisionRule.SIMPLE:
        return Verdict.PASS if margin <= 0 else Verdict.FAIL

    if rule == DecisionRule.GUARD_BAND:
        return Verdict.PASS if margin <= -guard else Verdict.FAIL

    if margin <= -guard:
        return Verdict.PASS
    if margin <= 0:
        return Verdict.CONDITIONAL_PASS
    if margin <= guard:
        return Verdict.CONDITIONAL_FAIL
    return Verdict.FAIL


def margin_of(
    value: float, limit: float, kind: LimitKind, operand: str | None = None
) -> float:
    """Return the margin, positive meaning non-conformity, for a value or a bound.

    ``operand`` "<" means the true value lies below ``value`` (a detection
    limit), ">" above it. A bound decides only when it lies on the far side
    of the limit from the true value: "< 5" under a maximum of 10 passes
    with margin -5, "> 12" over it fails with margin 2. Any other bound
    ("< 12" or "> 5" against that maximum, and "> 10" on the limit itself)
    raises UndecidableBound.
    """
    margin = value - limit if kind == LimitKind.MAXIMUM else limit - value
    if operand is None:
        return margin
    toward_conformity = (operand == "<") == (kind == LimitKind.MAXIMUM)
    if toward_conformity and margin <= 0:
        return margin
    if not toward_conformity and margin > 0:
        return margin
    raise UndecidableBound(
        f"a value {operand} {value:g} cannot show whether the "
        f"{kind.name.lower()} limit {limit:g} is met"
    )


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
        "conditional fail or fail, with a guard band w = {factor} x U on each "
        "side of the limit."
    ),
}


def rule_statement(rule: DecisionRule, guard_band_factor: float = 1.0) -> str:
    return RULE_STATEMENTS[rule].format(factor=f"{guard_band_factor:g}")


def round_uncertainty(u: float | Decimal) -> Decimal:
    """Round an expanded uncertainty to two significant digits (half up).

    A carry into a new digit keeps two significant digits: 0.996 becomes 1.0,
    not 1.00.
    """
    d = abs(Decimal(str(u)))
    if d == 0:
        return Decimal(0)
    with localcontext() as context:
        context.prec = 60
        rounded = d.quantize(Decimal(1).scaleb(d.adjusted() - 1), ROUND_HALF_UP)
        if rounded.adjusted() > d.adjusted():
            rounded = rounded.quantize(Decimal(1).scaleb(rounded.adjusted() - 1))
    return rounded


def format_measurement(value: float, uncertainty: float | None) -> tuple[str, str]:
    """Return (value, uncertainty) as strings rounded for display.

    The uncertainty keeps two significant digits and the value is rounded to
    the same decimal place. ``Decimal(str(x))`` keeps the decimal digits the
    user or instrument wrote, so 2.675 rounds to 2.68 rather than to the
    binary neighbour 2.67. Very small or large numbers come out as 2.0E-8.
    """
    v = Decimal(str(value))
    if uncertainty is None or uncertainty == 0:
        return format_decimal(v), ""
    u = round_uncertainty(uncertainty)
    quantum = Decimal(1).scaleb(u.as_tuple().exponent)
    with localcontext() as context:
        context.prec = 60
        rounded = v.quantize(quantum, rounding=ROUND_HALF_UP)
    return format_decimal(rounded), format_decimal(u)


def format_decimal(d: Decimal) -> str:
    """Write ``d`` with its digits, in plain or E notation by its magnitude."""
    if d.is_zero():
        plain = d.copy_abs().as_tuple().exponent >= PLAIN_MIN_EXPONENT
        return format(d.copy_abs(), "f") if plain else "0"
    if PLAIN_MIN_EXPONENT <= d.adjusted() <= PLAIN_MAX_EXPONENT:
        return format(d, "f")
    return format(d, "E")

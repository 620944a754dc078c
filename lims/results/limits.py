"""Limit lines of test items, per detector, and the choice of the one to apply.

``TestItem.segments`` is either a list of ``[f_start_hz, f_stop_hz,
level_start, level_stop]`` for the single detector in ``TestItem.detector``,
or a mapping from detector name ("quasi-peak", "average") to such a list,
for an item that limits several detectors.
"""

import math

from instruments.limits import LimitLine
from instruments.units import normalise_detector
from lims.errors import DomainError
from lims.regulations.models import TestItem

# CISPR 16-1-1: for the same disturbance the peak detector never reads below
# the quasi-peak detector, and the quasi-peak never below the average one. A
# reading of a higher-ranked detector that meets a lower-ranked limit
# therefore shows conformity with that limit.
DETECTOR_RANK = {"peak": 3, "quasi-peak": 2, "average": 1}


def item_detectors(item: TestItem) -> list[str]:
    """Return the detectors that ``item`` has limits for, [] if it names none."""
    if isinstance(item.segments, dict):
        return [normalise_detector(name) or name for name in item.segments]
    detector = normalise_detector(item.detector)
    return [detector] if detector else []


def limit_line(item: TestItem, detector: str | None = None) -> LimitLine:
    """Build the limit line of ``item`` for ``detector``.

    For an item with several detectors and no ``detector`` given, the first
    detector listed in ``segments`` is used.
    """
    segments = item.segments
    if isinstance(segments, dict):
        by_detector = {
            normalise_detector(name) or name: rows for name, rows in segments.items()
        }
        detector = normalise_detector(detector) or next(iter(by_detector))
        if detector not in by_detector:
            raise DomainError(
                f"Test item {item.clause} has no {detector} limit; it has "
                f"{', '.join(by_detector)}.",
                field="limit_detector",
            )
        segments = by_detector[detector]
    else:
        detector = normalise_detector(item.detector)
    rows = [(s[0], math.inf if s[1] is None else s[1], s[2], s[3]) for s in segments]
    return LimitLine(
        segments=rows,
        interpolation=item.interpolation or "linear",
        unit=item.unit,
        detector=detector,
    )


def choose_detector(
    item: TestItem, measured: str | None, requested: str | None = None
) -> tuple[str | None, str]:
    """Return the limit's detector to compare with and a note for the conditions.

    ``measured`` is the detector the instrument used (from the file or the
    form), ``requested`` the limit the technician chose. A reading may be
    compared with the limit of its own detector or, conservatively, with the
    limit of a lower-ranked detector (peak against quasi-peak); any other
    pairing raises DomainError.
    """
    detectors = item_detectors(item)
    measured = normalise_detector(measured)
    requested = normalise_detector(requested)
    if not detectors:
        return None, ""
    chosen = _limit_detector(item, detectors, measured, requested)
    if measured is None or measured == chosen:
        return chosen, ""
    if DETECTOR_RANK.get(measured, 0) > DETECTOR_RANK.get(chosen, math.inf):
        return chosen, (
            f"{measured.capitalize()} readings compared with the {chosen} limit: "
            f"a pass is conclusive, a fail needs a {chosen} measurement."
        )
    raise DomainError(
        f"The trace was measured with the {measured} detector, but the limit of "
        f"{item.clause} is for {chosen}; measure with the {chosen} detector.",
        field="limit_detector",
    )


def _limit_detector(
    item: TestItem, detectors: list[str], measured: str | None, requested: str | None
) -> str:
    if requested:
        if requested not in detectors:
            raise DomainError(
                f"Test item {item.clause} has no {requested} limit; it has "
                f"{', '.join(detectors)}.",
                field="limit_detector",
            )
        return requested
    if measured in detectors:
        return measured
    if len(detectors) == 1:
        return detectors[0]
    raise DomainError(
        f"Test item {item.clause} has limits for {', '.join(detectors)}; choose "
        "the detector of the limit to compare with.",
        field="limit_detector",
    )

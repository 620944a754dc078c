"""Spellings of frequency units, level units and detectors used across readers."""

from __future__ import annotations

import re

FREQUENCY_SCALE = {"hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9, "thz": 1e12}

_LEVEL_UNITS = {
    "dbuv": "dBuV",
    "dbuv/m": "dBuV/m",
    "dbua": "dBuA",
    "dbua/m": "dBuA/m",
    "dbmv": "dBmV",
    "dbm": "dBm",
    "dbw": "dBW",
    "dbpw": "dBpW",
    "db": "dB",
    "deg": "deg",
    "degree": "deg",
    "degrees": "deg",
    "v": "V",
    "w": "W",
    "a": "A",
}

_DETECTORS = {
    "peak": "peak",
    "pk": "peak",
    "+pk": "peak",
    "pluspeak": "peak",
    "positivepeak": "peak",
    "maxpeak": "peak",
    "quasipeak": "quasi-peak",
    "qp": "quasi-peak",
    "qpk": "quasi-peak",
    "average": "average",
    "avg": "average",
    "av": "average",
    "rms": "rms",
    "rmsaverage": "rms-average",
    "normal": "normal",
    "sample": "sample",
    "negativepeak": "negative-peak",
    "negpeak": "negative-peak",
    "minpeak": "negative-peak",
    "minuspeak": "negative-peak",
    "-pk": "negative-peak",
    "autopeak": "auto-peak",
}


def frequency_scale(unit: str) -> float | None:
    """Return the factor that converts ``unit`` to Hz, or None if it is unknown."""
    return FREQUENCY_SCALE.get(unit.strip().lower())


def normalise_level_unit(unit: str) -> str:
    """Return the project spelling of a level unit, e.g. ``dBµV`` -> ``dBuV``.

    Unknown units come back stripped but otherwise unchanged.
    """
    text = unit.strip().replace("\u00b5", "u").replace("\u03bc", "u")
    text = text.replace("PerMeter", "/m").replace("PerMetre", "/m")
    return _LEVEL_UNITS.get(text.lower(), text)


def normalise_detector(detector: str | None) -> str | None:
    """Return a detector name such as ``peak``, ``quasi-peak`` or ``average``.

    A ``CISPR`` prefix is dropped because it names the bandwidth and weighting
    standard, not a different detector. Unknown names come back stripped.
    """
    if detector is None or not detector.strip():
        return None
    key = re.sub(r"[\s_.]", "", detector.lower())
    if key.startswith("cispr") and len(key) > len("cispr"):
        key = key[len("cispr") :]
    if key not in _DETECTORS:
        key = key.replace("-", "")
    return _DETECTORS.get(key, detector.strip())

"""Instrument result files in, tidy measurements out.

``read`` turns a spectrum analyser, EMI receiver or network analyser export
into a :class:`Reading` of :class:`Trace` tables with frequencies in Hz.
``instruments.limits`` compares traces with limit lines. This package does
not depend on the web application.
"""

from instruments import formats as _formats  # noqa: F401  registers readers
from instruments.formats.generic import ColumnMapping
from instruments.model import ReadError, Reading, Trace
from instruments.reader import read
from instruments.registry import FORMATS

__all__ = ["FORMATS", "ColumnMapping", "ReadError", "Reading", "Trace", "read"]

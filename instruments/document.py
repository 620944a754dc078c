"""Decoded text of one instrument file, with line access and number parsing.

Readers work on a :class:`Document` so that every error they raise names the
file and the 1-based line, and so that large numeric blocks are parsed by
pandas in one call instead of one Python ``float()`` per value.
"""

from __future__ import annotations

import io
import math
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from instruments.model import ReadError

# Tried in this order, after UTF-16 for a file that starts with its BOM:
# UTF-8 after a BOM, strict UTF-8, the Windows code page cp1252, then
# Latin-1, which decodes every byte string.
ENCODINGS = ("utf-8-sig", "utf-8", "cp1252", "latin-1")
_LINE_BREAK = re.compile("\n")


def decode(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` and return ``(text, encoding actually used)``.

    NUL bytes are dropped because some Keysight analysers write one after
    every field.
    """
    if encoding is not None:
        text = raw.decode(encoding).replace("\x00", "")
        # A UTF-8 file may start with a byte-order mark that the plain utf-8
        # codec keeps as U+FEFF, which would stick to the first header name.
        return text.removeprefix("\ufeff"), encoding
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16").replace("\x00", ""), "utf-16"
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: try the other encodings
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8").replace("\x00", ""), "utf-8-sig"
        except UnicodeDecodeError:
            pass  # a BOM followed by invalid UTF-8: try the code pages
    for candidate in ENCODINGS[1:]:
        try:
            return raw.decode(candidate).replace("\x00", ""), candidate
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")


def normalise_breaks(text: str) -> str:
    """Turn CRLF and lone CR line breaks into LF, also when a file mixes them."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF, also mixed in one file, keeping line numbers.

    ``str.splitlines`` is not used because it also breaks on form feeds and
    other separators, which would shift the line numbers in error messages.
    """
    lines = normalise_breaks(text).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class Lines(Sequence[str]):
    """The lines of an LF-separated text, cut out of it only when asked for.

    It behaves like ``text.split("\\n")`` without a final empty line, but
    keeps one 8-byte offset per line instead of one string per line: for a
    million-point trace the list of strings took about three times the
    file's size.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._breaks = array("q", (m.start() for m in _LINE_BREAK.finditer(text)))
        count = len(self._breaks) + 1
        if not text or text.endswith("\n"):
            count -= 1
        self._count = count

    def __len__(self) -> int:
        return self._count

    def start(self, index: int) -> int:
        """Return where line ``index`` starts in the text (``len`` for the end)."""
        if index <= 0:
            return 0
        if index > len(self._breaks):
            return len(self._text) + 1
        return self._breaks[index - 1] + 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("line index out of range")
        end = self._breaks[index] if index < len(self._breaks) else len(self._text)
        return self._text[self.start(index) : end]

    def __iter__(self) -> Iterator[str]:
        for index in range(self._count):
            yield self[index]


@dataclass
class Document:
    """Lines of a decoded file plus helpers that raise :class:`ReadError`.

    ``text`` is the decoded file with its line breaks normalised to LF.
    """

    name: str
    text: str
    encoding: str
    raw: bytes = b""
    lines: Lines = field(init=False)
    normalised: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # One copy of the text: the original with CRLF breaks is dropped.
        self.normalised = normalise_breaks(self.text)
        self.text = self.normalised
        self.lines = Lines(self.normalised)

    def offset(self, index: int) -> int:
        """Return where line ``index`` starts in ``normalised``."""
        return self.lines.start(index)

    def error(self, index: int | None, reason: str) -> ReadError:
        """Build a ReadError for the line at 0-based ``index``."""
        line = None if index is None else index + 1
        return ReadError(self.name, line, reason)

    def number(self, token: str, index: int, what: str = "a number") -> float:
        """Parse one float on line ``index``; raise ReadError if it is not one.

        NaN is accepted as a point not measured, which the evaluation leaves
        out. Infinity is not a measurement, and Python's digit separator
        ("1_00") is not a number format of instrument files, so both are
        rejected.
        """
        text = token.strip()
        try:
            value = float(text) if "_" not in text else None
        except ValueError:
            value = None
        if value is None or math.isinf(value):
            raise self.error(index, f"expected {what}, found {text!r}")
        return value

    def table(
        self,
        start: int,
        stop: int,
        columns: int,
        sep: str = ",",
        decimal: str = ".",
    ) -> np.ndarray:
        """Parse lines ``start``..``stop - 1`` as a float table.

        Only the first ``columns`` fields of each line are kept. The result has
        shape ``(stop - start, columns)``. A bad value raises ReadError naming
        its line. Finding that line, or reading NaN values, costs a second,
        slower pass.
        """
        if stop <= start:
            raise self.error(start, "no data rows")
        # pandas reads the rows as UTF-8 bytes encoded piece by piece, so no
        # copy of the whole block exists beside the text.
        block = _EncodedSlice(self.normalised, self.offset(start), self.offset(stop))
        try:
            values = _fast_table(block, columns, sep, decimal)
        except (ValueError, pd.errors.ParserError):
            values = None
        if values is None or values.shape != (stop - start, columns):
            return self._slow_table(start, stop, columns, sep, decimal)
        if not np.isfinite(values).all():
            return self._slow_table(start, stop, columns, sep, decimal)
        return values

    def _slow_table(
        self, start: int, stop: int, columns: int, sep: str, decimal: str
    ) -> np.ndarray:
        rows = []
        for index in range(start, stop):
            fields = self.lines[index].split(sep)
            if len(fields) < columns:
                raise self.error(
                    index, f"expected {columns} values, found {len(fields)}"
                )
            tokens = fields[:columns]
            if decimal != ".":
                tokens = [token.replace(decimal, ".") for token in tokens]
            rows.append([self.number(token, index) for token in tokens])
        return np.array(rows, dtype=np.float64)


class _EncodedSlice(io.RawIOBase):
    """A byte stream of ``text[start:stop]`` in UTF-8, encoded 64 kB at a time.

    Bytes rather than io.StringIO, which keeps four bytes per character.
    """

    PIECE = 1 << 16

    def __init__(self, text: str, start: int, stop: int) -> None:
        super().__init__()
        self._text = text
        self._position = start
        self._stop = stop
        self._piece = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._piece:
            if self._position >= self._stop:
                return 0
            end = min(self._position + self.PIECE, self._stop)
            self._piece = memoryview(self._text[self._position : end].encode())
            self._position = end
        count = min(len(buffer), len(self._piece))
        buffer[:count] = self._piece[:count]
        self._piece = self._piece[count:]
        return count


def _fast_table(
    block: _EncodedSlice, columns: int, sep: str, decimal: str
) -> np.ndarray:
    frame = pd.read_csv(
        io.BufferedReader(block, buffer_size=_EncodedSlice.PIECE),
        encoding="utf-8",
        sep=sep,
        decimal=decimal,
        header=None,
        usecols=range(columns),
        dtype=np.float64,
        skip_blank_lines=False,
        engine="c",
        na_filter=False,
        skipinitialspace=True,
    )
    return frame.to_numpy(dtype=np.float64)


def trace_frame(x_hz: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Build the standard trace table with float64 ``x_hz`` and ``y`` columns."""
    return pd.DataFrame(
        {
            "x_hz": np.asarray(x_hz, dtype=np.float64),
            "y": np.asarray(y, dtype=np.float64),
        }
    )

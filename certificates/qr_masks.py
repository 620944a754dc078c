"""Choosing the QR data mask with numpy instead of segno's pure-Python scoring.

A QR encoder tries the eight data mask patterns and keeps the one with the
lowest penalty, as ISO/IEC 18004:2015 sets out in 7.8.2 and 7.8.3 (segno's
encoder cites those clauses). The penalty counts long runs of one colour
(N1), 2 x 2 blocks of one colour (N2), finder-like 1:1:3:1:1 patterns beside
four light modules (N3) and an uneven share of dark modules (N4). segno
scores one module at a time in Python, which made up half of a
certificate's rendering time.

Here segno encodes the data once with mask 0. Removing that mask from the
data region gives the unmasked symbol, the eight candidates come from it by
one XOR each, and all eight are scored at once with array operations. The
scoring follows segno's own reading of the standard, including how it skips
overlapping finder-like patterns, so the chosen mask and the finished matrix
are the ones segno would produce. A test compares the two over many inputs.

The layout of the function patterns is taken from segno's encoder module, so
that the data region is exactly the one segno fills.
"""

from __future__ import annotations

import functools

import numpy as np
import segno
from segno import encoder

# Error correction level M recovers up to about 15 % of damaged modules,
# enough for a stamped or folded paper certificate.
ERROR_LEVEL = "m"

# Format and version cells of one symbol size for one mask, which do not
# depend on the data: (width, mask) -> values in reading order.
_FORMAT_CELLS: dict[tuple[int, int], np.ndarray] = {}


def qr_matrix(data: str) -> np.ndarray:
    """Return the module matrix of `data` as uint8, 1 for dark, top row first."""
    code = segno.make_qr(data, error=ERROR_LEVEL, boost_error=False, mask=0)
    first = _array(code.matrix)
    width = first.shape[0]
    reserved, masks = _layout(width)

    unmasked = first.copy()
    unmasked[reserved] = 0
    unmasked ^= masks[0]
    candidates = unmasked[np.newaxis] ^ masks
    best = int(np.argmin(penalties(candidates)))
    if best == 0:
        return first

    cells = _FORMAT_CELLS.get((width, best))
    if cells is None:
        # The first symbol of this size with this mask: let segno write the
        # format and version cells, and keep them for the next one.
        chosen = segno.make_qr(data, error=ERROR_LEVEL, boost_error=False, mask=best)
        matrix = _array(chosen.matrix)
        _FORMAT_CELLS[(width, best)] = matrix[reserved]
        return matrix
    matrix = candidates[best]
    matrix[reserved] = cells
    return matrix


def penalties(candidates: np.ndarray) -> np.ndarray:
    """Return the penalty score of each matrix in a (masks, width, width) stack.

    The matrices hold the function patterns and the masked data, with the
    format and version cells light, as scored before those are written.
    """
    count, width, _ = candidates.shape
    columns = np.ascontiguousarray(candidates.transpose(0, 2, 1))

    runs = _run_penalty(candidates) + _run_penalty(columns)

    corner = candidates[:, :-1, :-1]
    same = (
        (corner == candidates[:, 1:, :-1])
        & (corner == candidates[:, :-1, 1:])
        & (corner == candidates[:, 1:, 1:])
    )
    blocks = 3 * same.sum(axis=(1, 2))

    finders = _finder_penalty(candidates) + _finder_penalty(columns)

    dark = candidates.sum(axis=(1, 2))
    balance = np.array([10 * int(abs(int(d) / width**2 * 100 - 50) / 5) for d in dark])
    return runs + blocks + finders + balance


@functools.cache
def _layout(width: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the format/version cells and the eight masks limited to data cells."""
    function = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function, width, width)
    encoder.add_alignment_patterns(function, width, width)
    data = _array(function) > 1  # cells that no pattern claimed hold 2
    data[-8, 8] = False  # the dark module beside the lower-left finder

    with_format = _array(encoder.make_matrix(width, width))
    without_format = _array(encoder.make_matrix(width, width, reserve_regions=False))
    reserved = (with_format == 0) & (without_format == 2)

    row, column = np.indices((width, width))
    product = row * column
    patterns = np.stack(
        [
            (row + column) % 2 == 0,
            row % 2 == 0,
            column % 3 == 0,
            (row + column) % 3 == 0,
            (row // 2 + column // 3) % 2 == 0,
            product % 2 + product % 3 == 0,
            (product % 2 + product % 3) % 2 == 0,
            ((row + column) % 2 + product % 3) % 2 == 0,
        ]
    )
    masks = (patterns & data).astype(np.uint8)
    reserved.flags.writeable = False
    masks.flags.writeable = False
    return reserved, masks


def _array(rows) -> np.ndarray:
    width = len(rows)
    flat = np.frombuffer(b"".join(bytes(row) for row in rows), dtype=np.uint8)
    return flat.reshape(width, width).copy()


def _run_penalty(lines: np.ndarray) -> np.ndarray:
    """N1: 3 points for a run of five modules of one colour, one more per module."""
    count, rows, width = lines.shape
    # A value of 2 after each line ends every run at the line's end.
    padded = np.full((count, rows, width + 1), 2, dtype=np.uint8)
    padded[:, :, :width] = lines
    flat = padded.ravel()
    starts = np.concatenate(([0], np.flatnonzero(flat[1:] != flat[:-1]) + 1))
    lengths = np.diff(starts, append=flat.size)
    long = lengths >= 5
    owner = starts[long] // (rows * (width + 1))
    return np.bincount(owner, weights=lengths[long] - 2, minlength=count).astype(
        np.int64
    )


def _finder_penalty(lines: np.ndarray) -> np.ndarray:
    """N3: 40 points per dark-light-dark-dark-dark-light-dark beside 4 light modules.

    Outside the symbol counts as light. After a counted pattern the scan
    resumes behind it, and after an uncounted one at its fifth module. Only
    lines in which two patterns overlap need that scan.
    """
    count, rows, width = lines.shape
    dark = lines.astype(bool)
    hits = (
        dark[:, :, :-6]
        & ~dark[:, :, 1:-5]
        & dark[:, :, 2:-4]
        & dark[:, :, 3:-3]
        & dark[:, :, 4:-2]
        & ~dark[:, :, 5:-1]
        & dark[:, :, 6:]
    )
    padded = np.zeros((count, rows, width + 8), dtype=np.int16)
    padded[:, :, 4 : width + 4] = lines
    total = np.zeros((count, rows, width + 9), dtype=np.int16)
    np.cumsum(padded, axis=2, out=total[:, :, 1:])
    at = np.arange(width - 6)
    light_before = total[:, :, at + 4] == total[:, :, at]
    light_after = total[:, :, at + 15] == total[:, :, at + 11]
    counted = hits & (light_before | light_after)

    overlapping = (hits[:, :, 4:] & hits[:, :, :-4]).any(axis=2)
    overlapping |= (hits[:, :, 6:] & hits[:, :, :-6]).any(axis=2)
    scores = 40 * (counted & ~overlapping[:, :, np.newaxis]).sum(axis=(1, 2))
    for mask, line in zip(*np.nonzero(overlapping), strict=True):
        scores[mask] += _scan_line(hits[mask, line], counted[mask, line])
    return scores.astype(np.int64)


def _scan_line(hits: np.ndarray, counted: np.ndarray) -> int:
    score, resume = 0, 0
    for start in np.flatnonzero(hits).tolist():
        if start < resume:
            continue
        if counted[start]:
            score += 40
            resume = start + 7
        else:
            resume = start + 4
    return score

"""The numpy mask choice gives exactly the symbol that segno's own search gives."""

import random
import string

import numpy as np
import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from segno import encoder

from certificates.qr_masks import penalties, qr_matrix


def segno_matrix(data: str) -> np.ndarray:
    code = segno.make_qr(data, error="m", boost_error=False)
    return np.array([list(row) for row in code.matrix], dtype=np.uint8)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_same_symbol_as_segno_for_any_text(data):
    assert np.array_equal(qr_matrix(data), segno_matrix(data))


@pytest.mark.parametrize("length", [1, 30, 60, 150, 400, 1200])
def test_same_symbol_as_segno_across_versions(length):
    # Versions 1 to 29: without alignment patterns, with one or several, and
    # from version 7 on with version cells.
    data = "".join(chr(0x61 + (index * 7) % 26) for index in range(length))

    assert np.array_equal(qr_matrix(data), segno_matrix(data))


def test_every_mask_gets_chosen_for_some_input():
    # Each of the eight masks wins somewhere, so the cached format cells
    # of every mask are exercised against segno's.
    generator = random.Random(7)
    chosen = set()
    for _ in range(2000):
        data = "".join(generator.choices(string.printable, k=generator.randint(1, 90)))
        assert np.array_equal(qr_matrix(data), segno_matrix(data))
        chosen.add(segno.make_qr(data, error="m", boost_error=False).mask)
        if len(chosen) == 8:
            break
    assert chosen == set(range(8))


@pytest.mark.parametrize("mask", range(8))
def test_penalty_matches_segno_scores(mask):
    url = "https://lims.example.vn/verify/certificate/2025-CN-0042"
    code = segno.make_qr(url, error="m", boost_error=False, mask=mask)
    width = len(code.matrix)
    matrix = np.array([list(row) for row in code.matrix], dtype=np.uint8)
    # Score the symbol as the encoder does: format and version cells light.
    plain = encoder.make_matrix(width, width)
    unset = np.array([list(row) for row in plain]) == 0
    untimed = encoder.make_matrix(width, width, reserve_regions=False)
    unset &= np.array([list(row) for row in untimed]) == 2
    matrix[unset] = 0
    rows = tuple(bytearray(row.tolist()) for row in matrix)

    expected = sum(encoder.mask_scores(rows, width, width))

    assert penalties(matrix[np.newaxis])[0] == expected

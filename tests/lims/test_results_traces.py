"""Stored traces: packing keeps every point exactly, across step boundaries."""

import zlib

import numpy as np
import pytest

from lims.results import traces


@pytest.mark.parametrize("count", [0, 1, 4095, 4096, 4097, 13_268])
def test_pack_round_trip(count):
    generator = np.random.default_rng(count)
    x_hz = np.sort(generator.uniform(150e3, 30e6, count))
    y = generator.normal(40.0, 6.0, count)

    x_back, y_back = traces.unpack(traces.pack(x_hz, y))

    assert np.array_equal(x_back, x_hz)
    assert np.array_equal(y_back, y)


def test_pack_stores_little_endian_pairs():
    blob = traces.pack(np.array([1.0, 2.0]), np.array([10.5, -3.25]))

    pairs = np.frombuffer(zlib.decompress(blob), dtype="<f8")

    assert pairs.tolist() == [1.0, 10.5, 2.0, -3.25]

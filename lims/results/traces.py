"""Compact storage of a measured trace beside its result."""

import zlib

import numpy as np


def pack(x_hz, y) -> bytes:
    """Pack two equal-length float arrays into zlib-compressed float64 pairs."""
    pairs = np.column_stack([np.asarray(x_hz, float), np.asarray(y, float)])
    return zlib.compress(pairs.astype("<f8").tobytes(), level=6)


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.frombuffer(zlib.decompress(blob), dtype="<f8").reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]

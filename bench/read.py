"""Benchmark ``instruments.read`` plus a limit evaluation against bare pandas.

Generates a 1,000,000-point Keysight X-series CSV and a 1,000,000-point
Rohde & Schwarz receiver scan in a temporary folder, then times, best of
``--repeat`` runs each:

* ours: ``instruments.read`` (sniffing, decoding, header parsing, checks)
  followed by ``evaluate`` against a CISPR-style log-frequency limit;
* bare: ``pandas.read_csv`` of the same numbers with the header rows skipped.

The last line printed is a JSON object; ``ratio`` is bare time / our time
summed over both files, so 1.0 means no overhead.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from instruments import read
from instruments.limits import LimitLine, evaluate

POINTS = 1_000_000

LIMIT = LimitLine(
    segments=[
        (150e3, 500e3, 66.0, 56.0),
        (500e3, 5e6, 56.0, 56.0),
        (5e6, 30e6, 60.0, 60.0),
    ],
    interpolation="log",
)


def write_keysight(path: Path, points: int) -> int:
    """Write an N9038A-style file; return the number of header lines."""
    header = [
        "Trace",
        "Swept SA",
        "A.25.08,N9038A",
        "526 EMC ,01",
        "Segment,0",
        f"Number of Points,{points}",
        "Start Frequency,150000",
        "Stop Frequency,30000000",
        "RBW,9000",
        "VBW,30000",
        "Detector,Peak",
        "Trace Name,Trace1",
        "X Axis Units,Hz",
        "Y Axis Units,dBuV",
    ]
    x, y = _sweep(points)
    body = "\r\n".join(f"{f:.0f},{level:.15g}" for f, level in zip(x, y, strict=True))
    text = "\r\n".join(header) + "\r\nDATA\n" + body + "\r\n"
    path.write_text(text, newline="")
    return len(header) + 1


def write_rohde_schwarz(path: Path, points: int) -> int:
    """Write an ESR-style receiver scan; return the number of header lines."""
    header = [
        "Type;ESR-3;",
        "Version;2.10;",
        "Date;03.Mar 24;",
        "Mode;Receiver;",
        "x-Unit;Hz;",
        "y-Unit;dB\u00b5V;",
        "Transducer;;;;;;;;",
        "Scan 1:",
        "RBW;9000.000000;Hz",
        "TRACE 1:",
        "Trace Mode;MAX HOLD;",
        "Detector;MAX PEAK;",
        f"Values;{points};",
    ]
    x, y = _sweep(points)
    body = "\r\n".join(f"{f:.6f};{level:.6f};" for f, level in zip(x, y, strict=True))
    path.write_bytes(("\r\n".join(header) + "\r\n" + body + "\r\n").encode("latin-1"))
    return len(header)


def _sweep(points: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    return np.linspace(150e3, 30e6, points), rng.normal(40.0, 6.0, points)


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def ours(path: Path) -> None:
    reading = read(path)
    evaluate(reading.traces[0], LIMIT).worst_points(10)


def bare(path: Path, skip: int, sep: str) -> None:
    pd.read_csv(path, skiprows=skip, header=None, sep=sep, usecols=[0, 1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=POINTS, help="rows per file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing")
    args = parser.parse_args()
    results: dict[str, float | int] = {"points": args.points}
    with tempfile.TemporaryDirectory() as folder:
        files = {
            "keysight": (Path(folder) / "sweep.csv", write_keysight, ","),
            "rohde_schwarz": (Path(folder) / "scan.DAT", write_rohde_schwarz, ";"),
        }
        for label, (path, writer, sep) in files.items():
            skip = writer(path, args.points)
            results[f"{label}_ours_s"] = best_of(args.repeat, lambda p=path: ours(p))
            results[f"{label}_bare_s"] = best_of(
                args.repeat, lambda p=path, k=skip, s=sep: bare(p, k, s)
            )
            print(
                f"{label}: ours {results[f'{label}_ours_s']:.3f} s, "
                f"bare pandas {results[f'{label}_bare_s']:.3f} s"
            )
    ours_total = results["keysight_ours_s"] + results["rohde_schwarz_ours_s"]
    bare_total = results["keysight_bare_s"] + results["rohde_schwarz_bare_s"]
    results["ratio"] = round(bare_total / ours_total, 3)
    print(json.dumps({key: _rounded(value) for key, value in results.items()}))
    return 0


def _rounded(value: float | int) -> float | int:
    return round(value, 4) if isinstance(value, float) else value

"""Benchmark importing instrument files as results, end to end, against bare pandas.

Generates a 13,268-point Rohde & Schwarz receiver scan (the layout of
tests/data/instruments/rs-receiver-scan.DAT with more rows) and a
1,000,000-point Keysight X-series trace, then times, best of ``--repeat``:

* ours: ``record_result_from_file`` (read, detector and unit checks,
  evaluation against a limit, ten worst points, trace blob, audit record)
  and a commit, into a real SQLite database built by the migrations;
* bare: ``pandas.read_csv`` of the same numbers and one ``executemany``
  insert of every (frequency, level) row into the same database.

Peak memory of one import of each file is measured with tracemalloc in a
separate run. The last line printed is a JSON object; ``ratio`` is bare
time / our time over both files, so 1.0 means no overhead.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from bench.read import best_of, write_keysight

RS_POINTS = 13_268
BIG_POINTS = 1_000_000
RS_HEADER = [
    "Type;ESR-3;",
    "Version;2.10;",
    "Date;03.Mar 24;",
    "Mode;Receiver;",
    "Start;150000.000000;Hz",
    "Stop;30000000.000000;Hz",
    "x-Axis;LOG;",
    "x-Unit;Hz;",
    "y-Unit;dB\u00b5V;",
    "Scan Count;1;",
    "Transducer;;;;;;;;",
    "Scan 1:",
    "Start;150000.000000;Hz",
    "Stop;30000000.000000;Hz",
    "Step;2250.000000;Hz",
    "RBW;9000.000000;Hz",
    "Meas Time;0.010000;s",
    "TRACE 1:",
    "Trace Mode;MAX HOLD;",
    "Detector;MAX PEAK;",
]


def write_rs_scan(path: Path, points: int) -> int:
    """Write an ESR receiver scan of ``points`` rows; return the header lines."""
    header = [*RS_HEADER, f"Values;{points};"]
    x = np.linspace(150e3, 30e6, points)
    y = np.random.default_rng(11).normal(40.0, 6.0, points)
    body = "\r\n".join(f"{f:.6f};{level:.6f};" for f, level in zip(x, y, strict=True))
    path.write_bytes(("\r\n".join(header) + "\r\n" + body + "\r\n").encode("latin-1"))
    return len(header)


class Lab:
    """A migrated SQLite database with a lab, a request and a flat limit."""

    def __init__(self, folder: Path) -> None:
        from lims import create_app

        self.path = folder / "bench.sqlite3"
        self.app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.path}", "TESTING": True}
        )
        self.context = self.app.app_context()
        self.context.push()
        self._build()

    def _build(self) -> None:
        from flask_migrate import upgrade

        from lims.auth.models import Role
        from lims.extensions import db
        from lims.reference.loader import load_all
        from tests import factories

        upgrade(directory=self.app.extensions["migrate"].directory)
        load_all()
        self.lab = factories.body()
        self.tech = factories.user(Role.TECHNICIAN, self.lab)
        self.receiver = factories.instrument(self.lab)
        self.request, _ = factories.request_with_sample(self.lab, self.tech)
        self.item = factories.flat_item(factories.regulation(), 80.0)
        db.session.commit()

    def new_sample(self):
        from lims.extensions import db
        from lims.testing.rules import receive_sample

        sample = receive_sample(
            self.request,
            description="Router",
            serial_number="SN",
            condition="new",
            received_on=date.today() - timedelta(days=1),
            received_by=self.tech,
        )
        db.session.commit()
        return sample

    def import_file(self, path: Path, sample) -> None:
        from lims.extensions import db
        from lims.results.rules import record_result_from_file

        record_result_from_file(
            self.request,
            sample,
            self.item,
            content=path.read_bytes(),
            filename=path.name,
            measured_on=date.today(),
            expanded_uncertainty=3.4,
            used=[self.receiver],
            entered_by=self.tech,
        )
        db.session.commit()


def bare(db_path: Path, path: Path, skip: int, sep: str) -> None:
    frame = pd.read_csv(path, skiprows=skip, header=None, sep=sep, usecols=[0, 1])
    rows = zip(frame[0].tolist(), frame[1].tolist(), strict=True)
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS bare_point (x REAL, y REAL)")
        connection.executemany("INSERT INTO bare_point VALUES (?, ?)", rows)


def ours_time(lab: Lab, path: Path, repeat: int) -> float:
    samples = [lab.new_sample() for _ in range(repeat)]
    return best_of(repeat, lambda: lab.import_file(path, samples.pop()))


def peak_memory(lab: Lab, path: Path) -> int:
    sample = lab.new_sample()
    tracemalloc.start()
    lab.import_file(path, sample)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=BIG_POINTS, help="rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing")
    args = parser.parse_args()
    figures: dict[str, float | int] = {"rs_points": RS_POINTS, "points": args.points}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        lab = Lab(folder)
        files = {
            "rs": (folder / "scan.DAT", lambda p: write_rs_scan(p, RS_POINTS), ";"),
            "big": (
                folder / "trace.csv",
                lambda p: write_keysight(p, args.points),
                ",",
            ),
        }
        for label, (path, writer, sep) in files.items():
            skip = writer(path)
            figures[f"{label}_ours_s"] = ours_time(lab, path, args.repeat)
            figures[f"{label}_bare_s"] = best_of(
                args.repeat, lambda p=path, k=skip, s=sep: bare(lab.path, p, k, s)
            )
            figures[f"{label}_file_bytes"] = path.stat().st_size
            figures[f"{label}_peak_bytes"] = peak_memory(lab, path)
            figures[f"{label}_peak_per_file_byte"] = (
                figures[f"{label}_peak_bytes"] / figures[f"{label}_file_bytes"]
            )
            print(
                f"{label}: ours {figures[f'{label}_ours_s']:.3f} s, bare "
                f"{figures[f'{label}_bare_s']:.3f} s, peak memory "
                f"{figures[f'{label}_peak_per_file_byte']:.2f} x file size"
            )
    ours = figures["rs_ours_s"] + figures["big_ours_s"]
    bare_total = figures["rs_bare_s"] + figures["big_bare_s"]
    figures["ratio"] = round(bare_total / ours, 3)
    print(json.dumps({key: _rounded(value) for key, value in figures.items()}))
    return 0


def _rounded(value: float | int) -> float | int:
    return round(value, 4) if isinstance(value, float) else value

"""The ``python -m instruments inspect`` command run as a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments"


def run_inspect(*args):
    return subprocess.run(
        [sys.executable, "-m", "instruments", "inspect", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_inspect_json_shape():
    result = run_inspect(DATA / "keysight-N9038A_OneTrace.csv")

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["format"] == "keysight-xseries"
    assert summary["encoding"] == "utf-8"
    assert summary["warnings"] == []
    trace = summary["traces"][0]
    assert set(trace) == {
        "name",
        "points",
        "x_unit",
        "y_unit",
        "x_min",
        "x_max",
        "y_max",
        "worst",
    }
    assert trace["points"] == 1001
    assert trace["x_unit"] == "Hz"
    assert trace["x_min"] == 30e6
    assert trace["x_max"] == 300e6
    assert trace["worst"] is None


def test_inspect_with_limit():
    result = run_inspect(DATA / "tektronix-EMC-EMI_v1_Example.csv", "--limit", "66.5")

    assert result.returncode == 0, result.stderr
    worst = json.loads(result.stdout)["traces"][0]["worst"]
    assert worst["margin"] == pytest.approx(0.89631, abs=1e-6)
    assert worst["x"] == pytest.approx(1341666.67, abs=1)
    assert worst["y"] == pytest.approx(67.39631)


def test_inspect_forced_format():
    result = run_inspect(
        DATA / "keysight-N9038A_OneTrace.csv", "--format", "keysight-xseries"
    )

    assert result.returncode == 0, result.stderr


def test_inspect_unreadable_file(tmp_path):
    path = tmp_path / "bad.csv"
    text = (DATA / "keysight-N9038A_OneTrace.csv").read_text()
    path.write_text(text.replace("30540000,8.70406796244437", "30540000,x"))

    result = run_inspect(path)

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0]
    assert "line 48" in lines[0]
    assert "Traceback" not in result.stderr


def test_inspect_missing_file(tmp_path):
    result = run_inspect(tmp_path / "absent.csv")

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "absent.csv" in result.stderr


def test_inspect_wrong_forced_format():
    result = run_inspect(DATA / "pna_csv_reim.csv", "--format", "keysight-xseries")

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1

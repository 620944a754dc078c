"""Tektronix SignalVu Spectrum and EMC-EMI exports."""

from pathlib import Path

import pytest

from instruments import read
from instruments.limits import LimitLine, evaluate

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments"
EMC_FILE = DATA / "tektronix-EMC-EMI_v1_Example.csv"


def test_emc_example_fails_flat_limit():
    trace = read(EMC_FILE).traces[0]

    evaluation = evaluate(trace, LimitLine.flat(66.5))

    assert not evaluation.passed
    assert evaluation.worst.margin == pytest.approx(0.89631, abs=1e-6)
    assert round(evaluation.worst.margin, 1) == 0.9
    assert evaluation.worst.x_hz == pytest.approx(1.341667e6, abs=1.0)


def test_emc_example_trace():
    reading = read(EMC_FILE)

    assert reading.format == "tektronix-emc"
    trace = reading.traces[0]
    assert trace.name == "Scan1"
    assert trace.points == 2401
    assert trace.y_unit == "dBuV"
    assert trace.detector == "peak"
    assert trace.data["x_hz"].min() == 1e6
    assert trace.data["x_hz"].max() == 11e6
    assert trace.data["y"].iloc[0] == pytest.approx(45.09005)


def test_emc_example_instrument_verdict():
    reading = read(EMC_FILE)

    assert reading.verdict == "Fail"
    assert reading.metadata["verdict"] == "Fail"
    assert float(reading.metadata["instrument_worst_margin"]) == pytest.approx(
        0.896308898925781
    )
    assert float(reading.metadata["instrument_worst_hz"]) == pytest.approx(
        1341666.66666667
    )
    assert reading.metadata["date"] == "2025-11-11T09:42:32"


def test_emc_example_instrument_limit_agrees():
    reading = read(EMC_FILE)

    limit = reading.limit_lines["Limit1"]
    assert list(reading.limit_lines) == ["Limit1"]
    assert limit.segments == ((1e6, 11e6, 66.5, 66.5),)
    assert limit.unit == "dBuV"
    evaluation = evaluate(reading.traces[0], limit)
    assert evaluation.passed is (reading.verdict == "Pass")
    assert evaluation.worst.margin == pytest.approx(
        float(reading.metadata["instrument_worst_margin"]), abs=1e-5
    )


def test_spectrum_amplitude_first_rows():
    reading = read(DATA / "tektronix-150-1.15M_vs_trc_364.csv")

    assert reading.format == "tektronix-spectrum"
    trace = reading.traces[0]
    assert trace.points == 801
    assert trace.y_unit == "dBuV/m"
    assert trace.detector == "peak"
    assert trace.data["x_hz"].iloc[0] == 150e3
    assert trace.data["x_hz"].iloc[-1] == 1.15e6
    assert trace.data["y"].iloc[0] == pytest.approx(41.522819519042969)


def test_spectrum_twelve_hour_date():
    metadata = read(DATA / "tektronix-150-1.15M_vs_trc_364.csv").metadata

    assert metadata["date"] == "2023-10-20T15:21:12"
    assert metadata["rbw"] == "9000"


def test_spectrum_twenty_four_hour_date():
    reading = read(DATA / "tektronix-Cab_200k-30M_Monopole_10kHz_TN2.csv")

    trace = reading.traces[0]
    assert reading.metadata["date"] == "2024-11-19T15:40:24"
    assert trace.points == 2401
    assert trace.y_unit == "dBuV"
    assert trace.data["x_hz"].iloc[0] == 200e3
    assert trace.data["x_hz"].iloc[-1] == pytest.approx(30e6)

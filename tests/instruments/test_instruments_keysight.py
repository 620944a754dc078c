"""Keysight spectrum analyser CSV exports: X-series, E4411B and N9340B."""

from pathlib import Path

import pytest

from instruments import ReadError, read

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments"


def test_n9038a_one_trace():
    reading = read(DATA / "keysight-N9038A_OneTrace.csv")

    assert reading.format == "keysight-xseries"
    assert reading.encoding == "utf-8"
    assert len(reading.traces) == 1
    trace = reading.traces[0]
    assert trace.name == "Trace1"
    assert trace.points == 1001
    assert trace.y_unit == "dBuV"
    assert trace.detector == "peak"
    assert trace.data["x_hz"].iloc[0] == 30e6
    assert trace.data["x_hz"].iloc[-1] == 300e6
    assert trace.data["y"].iloc[0] == pytest.approx(12.7683034120476)
    assert list(trace.data.dtypes) == ["float64", "float64"]


def test_n9038a_one_trace_metadata():
    metadata = read(DATA / "keysight-N9038A_OneTrace.csv").metadata

    assert metadata["model"] == "N9038A"
    assert metadata["firmware"] == "A.25.08"
    assert metadata["rbw"] == "10000"
    assert metadata["vbw"] == "10000"
    assert metadata["detector"] == "peak"


def test_n9038a_all_traces():
    reading = read(DATA / "keysight-N9038A_AllTraces.csv")

    names = [trace.name for trace in reading.traces]
    assert names == [f"Trace{i}" for i in range(1, 7)]
    assert all(trace.points == 1001 for trace in reading.traces)
    assert [trace.detector for trace in reading.traces] == [
        "peak",
        "peak",
        "peak",
        "peak",
        "normal",
        "normal",
    ]
    assert reading.trace("Trace4").data["y"].iloc[0] == pytest.approx(21.9431479384983)


def test_n9038a_blank_traces_warned():
    reading = read(DATA / "keysight-N9038A_AllTraces.csv")

    assert len(reading.warnings) == 2
    assert "Trace5" in reading.warnings[0]
    assert "-893.01" in reading.warnings[0]
    assert "Trace6" in reading.warnings[1]


def test_xseries_several_header_blocks():
    block = (DATA / "keysight-N9038A_OneTrace.csv").read_bytes()
    second = block.replace(b"Trace Name,Trace1", b"Trace Name,Trace2")

    reading = read(block + second, name="two-blocks.csv")

    assert [trace.name for trace in reading.traces] == ["Trace1", "Trace2"]
    assert all(trace.points == 1001 for trace in reading.traces)


def test_xseries_bad_value_names_line():
    text = (DATA / "keysight-N9038A_OneTrace.csv").read_bytes()
    broken = text.replace(b"30540000,8.70406796244437", b"30540000,eight")

    with pytest.raises(ReadError) as caught:
        read(broken, name="broken.csv")

    assert caught.value.line == 48
    assert "eight" in caught.value.reason
    assert str(caught.value).startswith("broken.csv, line 48: ")


def test_xseries_truncated_after_data_line():
    text = (DATA / "keysight-N9038A_OneTrace.csv").read_bytes()
    truncated = text[: text.index(b"DATA") + 5]

    with pytest.raises(ReadError) as caught:
        read(truncated, name="truncated.csv")

    assert caught.value.line == 46
    assert "data row" in caught.value.reason

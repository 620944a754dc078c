"""Keysight ESA, N9340B, Rohde & Schwarz, PNA and generic table readers."""

import io
import math
from pathlib import Path

import pandas as pd
import pytest

from instruments import ColumnMapping, ReadError, read

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments"


def test_e4411b_traces():
    reading = read(DATA / "keysight-E4411DATA.CSV")

    assert reading.format == "keysight-esa"
    assert [trace.name for trace in reading.traces] == ["Trace 1", "Trace 2", "Trace 3"]
    trace = reading.traces[0]
    assert trace.points == 401
    assert trace.data["x_hz"].iloc[0] == 500e6
    assert trace.data["x_hz"].iloc[-1] == 1e9
    assert trace.data["y"].iloc[0] == pytest.approx(3.7123)


def test_e4411b_metadata():
    metadata = read(DATA / "keysight-E4411DATA.CSV").metadata

    assert metadata["date"] == "2015-07-29T12:12:29"
    assert metadata["model"] == "E4411B"
    assert metadata["serial"] == "MY45104634"
    assert metadata["rbw"] == "100000"
    assert metadata["points"] == "401"


def test_e4411b_warnings():
    reading = read(DATA / "keysight-E4411DATA.CSV")

    assert reading.traces[0].y_unit == ""
    assert "does not state the amplitude unit" in reading.warnings[0]
    assert "Trace 2" in reading.warnings[1]
    assert "-2147.48" in reading.warnings[1]


def test_n9340b_nul_separated():
    reading = read(DATA / "keysight-N9340B.CSV")

    assert reading.format == "keysight-n9340b"
    trace = reading.traces[0]
    assert trace.points == 461
    assert trace.y_unit == "dBm"
    assert trace.data["x_hz"].iloc[0] == 100e3
    assert trace.data["x_hz"].iloc[-1] == 30e6
    assert trace.data["y"].iloc[0] == -43.73
    assert reading.metadata["rbw"] == "10000"
    assert reading.metadata["reference_level"] == "0.00dBm"


def test_rohde_schwarz_scan():
    reading = read(DATA / "rs-receiver-scan.DAT")

    assert reading.format == "rohde-schwarz-ascii"
    assert reading.encoding == "cp1252"
    assert [trace.name for trace in reading.traces] == ["Trace 1", "Trace 3"]
    peak, quasi_peak = reading.traces
    assert peak.y_unit == "dBuV"
    assert peak.detector == "peak"
    assert quasi_peak.detector == "quasi-peak"
    assert peak.points == 11
    assert peak.data["x_hz"].iloc[0] == 150e3
    assert peak.data["x_hz"].iloc[-1] == 240e3
    assert quasi_peak.data["y"].iloc[0] == pytest.approx(37.0)


def test_rohde_schwarz_metadata():
    metadata = read(DATA / "rs-receiver-scan.DAT").metadata

    assert metadata["date"] == "2024-03-03"
    assert metadata["model"] == "ESR-3"
    assert metadata["rbw"] == "9000"
    assert "transducer" not in metadata


def test_rohde_schwarz_truncated():
    raw = (DATA / "rs-receiver-scan.DAT").read_bytes()
    cut = b"\r\n".join(raw.split(b"\r\n")[:26]) + b"\r\n"

    with pytest.raises(ReadError) as caught:
        read(cut, name="cut.DAT")

    assert caught.value.line == 26
    assert "11 values" in caught.value.reason


def test_pna_real_imaginary_pairs():
    reading = read(DATA / "pna_csv_reim.csv")

    assert reading.format == "keysight-pna"
    assert [trace.name for trace in reading.traces] == ["A,1", "R1,1"]
    trace = reading.traces[0]
    assert trace.y_unit == "dB"
    assert trace.data["x_hz"].tolist() == [750e9, 1100e9]
    assert trace.data["y"].iloc[0] == pytest.approx(10 * math.log10(5))  # |1+2j|


def test_pna_block_without_end():
    raw = (DATA / "pna_csv_reim.csv").read_bytes().replace(b"END", b"")

    with pytest.raises(ReadError) as caught:
        read(raw, name="open.csv")

    assert caught.value.line == 4
    assert "END" in caught.value.reason


GERMAN = ColumnMapping(
    x_column="Frequenz",
    y_columns=("Pegel",),
    separator="\t",
    decimal=",",
    header_rows=2,
    units_row=1,
    x_unit=None,
    date_column="Datum",
    date_format="%d.%m.%Y",
)


def test_generic_german_tsv():
    reading = read(DATA / "level-table.DE.tsv", mapping=GERMAN)

    assert reading.format == "generic"
    trace = reading.traces[0]
    assert trace.name == "Pegel"
    assert trace.y_unit == "dBuV"
    assert trace.data["x_hz"].tolist() == [150e3, 500e3, 1.25e6, 30e6]
    assert trace.data["y"].tolist() == [41.25, 38.5, 44.75, 29.0]
    assert reading.metadata["date"] == "2024-03-04T00:00:00"


def test_generic_forced_encoding():
    mapping = ColumnMapping(**{**GERMAN.__dict__, "encoding": "latin-1"})

    reading = read(DATA / "level-table.DE.tsv", mapping=mapping)

    assert reading.encoding == "latin-1"
    assert reading.traces[0].y_unit == "dBuV"


def test_generic_bad_number_names_line():
    mapping = ColumnMapping(**{**GERMAN.__dict__, "decimal": "."})

    with pytest.raises(ReadError) as caught:
        read(DATA / "level-table.DE.tsv", mapping=mapping)

    assert caught.value.line == 3
    assert "0,15" in caught.value.reason


def test_generic_excel_workbook():
    frame = pd.DataFrame({"f_MHz": [1.0, 2.0], "level": [10.0, 20.5]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    mapping = ColumnMapping(
        x_column="f_MHz", y_columns=("level",), x_unit="MHz", y_unit="dBm"
    )

    reading = read(buffer.getvalue(), name="levels.xlsx", mapping=mapping)

    assert reading.traces[0].data["x_hz"].tolist() == [1e6, 2e6]
    assert reading.traces[0].data["y"].tolist() == [10.0, 20.5]
    assert reading.traces[0].y_unit == "dBm"


def test_generic_needs_mapping():
    with pytest.raises(ReadError, match="column mapping"):
        read(DATA / "level-table.DE.tsv", format="generic")


def test_generic_missing_column():
    mapping = ColumnMapping(**{**GERMAN.__dict__, "x_column": "Hz"})

    with pytest.raises(ReadError, match="no column named 'Hz'"):
        read(DATA / "level-table.DE.tsv", mapping=mapping)

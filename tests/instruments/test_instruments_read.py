"""The ``read`` entry point: sources, sniffing, errors and garbage input."""

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instruments import FORMATS, ReadError, read

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments"

EXPECTED_FORMATS = {
    "keysight-N9038A_OneTrace.csv": "keysight-xseries",
    "keysight-N9038A_AllTraces.csv": "keysight-xseries",
    "keysight-E4411DATA.CSV": "keysight-esa",
    "keysight-N9340B.CSV": "keysight-n9340b",
    "tektronix-150-1.15M_vs_trc_364.csv": "tektronix-spectrum",
    "tektronix-Cab_200k-30M_Monopole_10kHz_TN2.csv": "tektronix-spectrum",
    "tektronix-EMC-EMI_v1_Example.csv": "tektronix-emc",
    "rs-receiver-scan.DAT": "rohde-schwarz-ascii",
    "pna_csv_reim.csv": "keysight-pna",
    "one-port-ri.s1p": "touchstone",
    "two-port-unmeasured.s2p": "touchstone",
}


@pytest.mark.parametrize(("file_name", "format_name"), EXPECTED_FORMATS.items())
def test_format_sniffed_from_bytes(file_name, format_name):
    raw = (DATA / file_name).read_bytes()

    reading = read(raw, name="upload.bin")

    assert reading.format == format_name
    assert reading.source_name == "upload.bin"


def test_path_as_string():
    reading = read(str(DATA / "one-port-ri.s1p"))

    assert reading.source_name == str(DATA / "one-port-ri.s1p")


def test_every_format_registered():
    assert set(EXPECTED_FORMATS.values()) | {"generic"} == set(FORMATS)


def test_unknown_format_name():
    with pytest.raises(ReadError) as caught:
        read(b"1,2\n", name="x.csv", format="nope")

    assert "unknown format 'nope'" in caught.value.reason
    assert caught.value.line is None
    assert str(caught.value) == f"x.csv: {caught.value.reason}"


def test_unrecognised_content():
    with pytest.raises(ReadError, match="unknown format") as caught:
        read(b"\n\njust some words\n", name="notes.txt")

    assert caught.value.line == 3
    assert "'just some words'" in caught.value.reason
    assert "touchstone" in caught.value.reason


def test_unrecognised_table_names_header_line():
    # A German spreadsheet export: tab separated, decimal comma, a units row.
    with pytest.raises(ReadError) as caught:
        read(DATA / "level-table.DE.tsv")

    assert caught.value.line == 1
    assert "tab-separated table" in caught.value.reason
    assert "'Datum', 'Zeit', 'Frequenz', 'Pegel'" in caught.value.reason
    assert "column mapping" in caught.value.reason


def test_unrecognised_semicolon_table():
    content = b"Freq;Level\n1;2\n"

    with pytest.raises(ReadError, match="semicolon-separated table") as caught:
        read(content, name="levels.csv")

    assert caught.value.line == 1


def test_unrecognised_workbook_suggests_mapping():
    buffer = io.BytesIO()
    pd.DataFrame({"f": [1.0], "level": [2.0]}).to_excel(buffer, index=False)

    with pytest.raises(ReadError, match="spreadsheet workbook") as caught:
        read(buffer.getvalue(), name="levels.xlsx")

    assert "column mapping" in caught.value.reason


def test_content_after_blank_lines_named():
    with pytest.raises(ReadError) as caught:
        read(b" \n" * 30 + b"Freq,Level\n1,2\n", name="late.csv")

    assert caught.value.line == 31
    assert "comma-separated table" in caught.value.reason


def test_only_blank_space_rejected():
    with pytest.raises(ReadError, match="only blank space"):
        read(b" \n\t\n", name="blank.csv")


def test_empty_file():
    with pytest.raises(ReadError, match="empty"):
        read(b"", name="empty.csv")


def test_missing_file(tmp_path):
    with pytest.raises(ReadError) as caught:
        read(tmp_path / "absent.csv")

    assert caught.value.file.endswith("absent.csv")
    assert "cannot be opened" in caught.value.reason


def test_wrong_source_type():
    with pytest.raises(ReadError, match="path or bytes"):
        read(42)  # type: ignore[arg-type]


def test_forced_wrong_format():
    with pytest.raises(ReadError):
        read(DATA / "one-port-ri.s1p", format="keysight-xseries")


def test_mapping_with_other_format():
    with pytest.raises(ReadError, match="generic"):
        read(b"1,2\n", name="x.csv", format="touchstone", mapping=object())


def test_mixed_line_endings():
    text = b"# Hz S RI R 50\r\n1 0.5 0\n2 0.5 0\r3 0.5 0\r\n"

    reading = read(text, name="mixed.s1p")

    assert reading.traces[0].data["x_hz"].tolist() == [1.0, 2.0, 3.0]


def test_error_line_after_mixed_endings():
    text = b"# Hz S RI R 50\r\n1 0.5 0\n2 0.5 0\r3 x 0\r\n"

    with pytest.raises(ReadError) as caught:
        read(text, name="mixed.s1p")

    assert caught.value.line == 4


SEEDS = [path.read_bytes() for path in sorted(DATA.iterdir()) if path.suffix != ".md"]


def _assert_only_read_error(raw: bytes, format_name: str | None = None) -> None:
    try:
        read(raw, name="fuzz", format=format_name)
    except ReadError as error:
        assert "unexpected parser failure" not in error.reason, error.reason


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_garbage_bytes_raise_read_error(raw):
    _assert_only_read_error(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEEDS),
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=0, max_value=200),
    st.binary(max_size=20),
)
def test_damaged_real_files_raise_read_error(seed, start, length, junk):
    damaged = seed[:start] + junk + seed[start + length :]

    _assert_only_read_error(damaged)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(FORMATS)), st.text(max_size=300))
def test_forced_format_on_text(format_name, text):
    if format_name == "generic":
        return
    _assert_only_read_error(text.encode("utf-8"), format_name)

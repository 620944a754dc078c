"""ColumnMapping checks, its dict form, and ``inspect --mapping``."""

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from instruments import ColumnMapping, ReadError, read

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments"
LEVEL_TABLE = DATA / "level-table.DE.tsv"
GERMAN = {
    "x_column": "Frequenz",
    "y_columns": ["Pegel"],
    "separator": "\t",
    "decimal": ",",
    "header_rows": 2,
    "units_row": 1,
    "x_unit": None,
    "date_column": "Datum",
    "date_format": "%d.%m.%Y",
}


def test_mapping_dict_round_trip():
    mapping = ColumnMapping.from_dict(GERMAN)

    assert mapping.y_columns == ("Pegel",)
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping
    assert json.loads(json.dumps(mapping.to_dict()))["y_columns"] == ["Pegel"]


def test_mapping_from_dict_reads_table():
    reading = read(LEVEL_TABLE, mapping=ColumnMapping.from_dict(GERMAN))

    assert reading.traces[0].data["y"].tolist() == [41.25, 38.5, 44.75, 29.0]


def test_mapping_unknown_key_named():
    with pytest.raises(ValueError, match="unknown key colour"):
        ColumnMapping.from_dict({**GERMAN, "colour": "red"})


def test_mapping_missing_key_named():
    data = {k: v for k, v in GERMAN.items() if k != "y_columns"}

    with pytest.raises(ValueError, match="missing key y_columns"):
        ColumnMapping.from_dict(data)


def test_mapping_not_an_object():
    with pytest.raises(ValueError, match="not list"):
        ColumnMapping.from_dict(["Frequenz", "Pegel"])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"separator": "\t\t"}, "separator must be one character"),
        ({"separator": '"'}, "separator cannot be"),
        ({"decimal": "\t"}, "separator and decimal are both"),
        ({"header_rows": -1}, "header_rows must be a whole number"),
        ({"header_rows": True}, "header_rows must be a whole number"),
        ({"units_row": 2}, "units_row must be a 0-based row among the 2"),
        ({"x_unit": "Hertz"}, "x_unit must be Hz, kHz, MHz, GHz or null"),
        ({"date_format": None}, "date_column and date_format must be given"),
        ({"date_format": "dd.mm.yyyy"}, "date_format must be a strptime format"),
        ({"y_columns": []}, "y_columns is empty"),
        ({"y_columns": "Pegel"}, "y_columns must be a list"),
        ({"x_column": -1}, "x_column position -1 is negative"),
        ({"x_column": 1.5}, "x_column must be a header name"),
        ({"encoding": "klingon"}, "unknown encoding 'klingon'"),
        ({"sheet": -1}, "sheet must be a sheet name"),
    ],
)
def test_mapping_invalid_value(changes, message):
    with pytest.raises(ValueError, match=message):
        ColumnMapping.from_dict({**GERMAN, **changes})


def test_mapping_matches_decomposed_header():
    decomposed = unicodedata.normalize("NFD", "Mức")
    table = f"Hz,{decomposed}\n1000,40.5\n".encode()
    mapping = ColumnMapping(x_column="Hz", y_columns=("Mức",), y_unit="dBuV")

    reading = read(table, name="levels.csv", mapping=mapping)

    assert reading.traces[0].data["y"].tolist() == [40.5]


def run_inspect(*args):
    return subprocess.run(
        [sys.executable, "-m", "instruments", "inspect", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def mapping_file(tmp_path):
    path = tmp_path / "german.json"
    path.write_text(json.dumps(GERMAN), encoding="utf-8")
    return path


def test_inspect_with_mapping(mapping_file):
    result = run_inspect(LEVEL_TABLE, "--mapping", mapping_file)

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["format"] == "generic"
    assert summary["metadata"] == {"date": "2024-03-04T00:00:00"}
    trace = summary["traces"][0]
    assert trace["name"] == "Pegel"
    assert trace["points"] == 4
    assert trace["y_unit"] == "dBuV"
    assert trace["x_min"] == 150e3
    assert trace["x_max"] == 30e6


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"x_column": "Frequenz",', "invalid JSON"),
        (json.dumps({**GERMAN, "colour": "red"}), "unknown key colour"),
        (json.dumps({**GERMAN, "units_row": 5}), "units_row must be"),
        ("[1, 2]", "not list"),
    ],
)
def test_inspect_rejects_bad_mapping(tmp_path, text, problem):
    path = tmp_path / "bad-mapping.json"
    path.write_text(text, encoding="utf-8")

    result = run_inspect(LEVEL_TABLE, "--mapping", path)

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: ")
    assert problem in lines[0]


def test_inspect_missing_mapping_file(tmp_path):
    result = run_inspect(LEVEL_TABLE, "--mapping", tmp_path / "absent.json")

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "absent.json: cannot be opened" in result.stderr


def test_inspect_mapping_with_other_format(mapping_file):
    result = run_inspect(
        LEVEL_TABLE, "--mapping", mapping_file, "--format", "keysight-xseries"
    )

    assert result.returncode == 2
    assert "applies to the generic format" in result.stderr


def _german_table(
    *data_lines: str, header: str = "Datum\tZeit\tFrequenz\tPegel"
) -> bytes:
    lines = [header, "\t\tMHz\tdBuV", *data_lines]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("cell", ["1_00,0", "inf", "-Infinity", "1.000,5", "4x,1"])
def test_bad_level_cell_named_as_written(cell):
    content = _german_table(
        "04.03.2024\t09:15:00\t0,15\t41,25", f"04.03.2024\t09:15:00\t0,5\t{cell}"
    )

    with pytest.raises(ReadError) as caught:
        read(content, name="levels.tsv", mapping=ColumnMapping.from_dict(GERMAN))

    assert caught.value.line == 4
    assert repr(cell) in caught.value.reason


def test_blank_rows_skipped_with_true_line_numbers():
    content = _german_table(
        "04.03.2024\t09:15:00\t0,15\t41,25",
        "",
        "\t\t\t",
        "04.03.2024\t09:16:00\t1,0\tx",
    )

    with pytest.raises(ReadError) as caught:
        read(content, name="levels.tsv", mapping=ColumnMapping.from_dict(GERMAN))

    assert caught.value.line == 6


def test_blank_rows_at_end_ignored():
    content = _german_table("04.03.2024\t09:15:00\t0,15\t41,25") + b"\n\n"

    reading = read(content, name="levels.tsv", mapping=ColumnMapping.from_dict(GERMAN))

    assert reading.traces[0].data["y"].tolist() == [41.25]


def test_missing_column_names_header_line():
    mapping = ColumnMapping.from_dict({**GERMAN, "y_columns": ["Level"]})

    with pytest.raises(ReadError) as caught:
        read(LEVEL_TABLE, mapping=mapping)

    assert caught.value.line == 1
    assert "no column named 'Level'" in caught.value.reason


def test_quoted_header_over_two_lines_keeps_line_numbers():
    content = (
        b'Datum\tZeit\tFrequenz\t"Pegel\nQP"\n\t\tMHz\tdBuV\n'
        b"04.03.2024\t09:15:00\t0,15\t41,25\n04.03.2024\t09:15:00\t0,5\tx\n"
    )
    mapping = ColumnMapping.from_dict({**GERMAN, "y_columns": [3]})

    with pytest.raises(ReadError) as caught:
        read(content, name="levels.tsv", mapping=mapping)

    assert caught.value.line == 5


def test_explicit_utf8_strips_byte_order_mark():
    content = b"\xef\xbb\xbf" + _german_table("04.03.2024\t09:15:00\t0,15\t41,25")
    mapping = ColumnMapping.from_dict({**GERMAN, "encoding": "utf-8"})

    reading = read(content, name="levels.tsv", mapping=mapping)

    assert reading.traces[0].data["y"].tolist() == [41.25]


def test_utf16_with_byte_order_mark_detected():
    text = _german_table("04.03.2024\t09:15:00\t0,15\t41,25").decode()

    reading = read(
        text.encode("utf-16"),
        name="levels.tsv",
        mapping=ColumnMapping.from_dict(GERMAN),
    )

    assert reading.encoding == "utf-16"
    assert reading.traces[0].data["y"].tolist() == [41.25]


def test_trace_name_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Mức")
    content = _german_table(
        "04.03.2024\t09:15:00\t0,15\t41,25",
        header=f"Datum\tZeit\tFrequenz\t{decomposed}",
    )
    mapping = ColumnMapping.from_dict({**GERMAN, "y_columns": ["Mức"]})

    reading = read(content, name="levels.tsv", mapping=mapping)

    assert reading.traces[0].name == unicodedata.normalize("NFC", "Mức")


def test_excel_date_cell_read_with_format():
    import datetime as dt
    import io

    import pandas as pd

    frame = pd.DataFrame(
        {"Datum": [dt.datetime(2024, 3, 4)], "Frequenz": [1.5], "Pegel": [40.0]}
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    mapping = ColumnMapping(
        x_column="Frequenz",
        y_columns=("Pegel",),
        x_unit="MHz",
        y_unit="dBuV",
        date_column="Datum",
        date_format="%d.%m.%Y",
    )

    reading = read(buffer.getvalue(), name="levels.xlsx", mapping=mapping)

    assert reading.metadata["date"] == "2024-03-04T00:00:00"

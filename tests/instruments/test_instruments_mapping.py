"""ColumnMapping checks, its dict form, and ``inspect --mapping``."""

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from instruments import ColumnMapping, read

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

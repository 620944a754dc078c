"""Spreadsheet exports never hand a formula to the reader's spreadsheet."""

import io

import openpyxl
import pytest

from lims.exports import neutralise, write_csv, write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+84 24 3825 1234", "'+84 24 3825 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Công ty TNHH", "Công ty TNHH"),
        (None, ""),
        (3, "3"),
    ],
)
def test_neutralise_cells(value, expected):
    assert neutralise(value) == expected


def test_csv_has_bom_and_quoted_formula():
    data = write_csv(["name"], [["=1+1"], ["Đại Việt"]])
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=1+1" in text
    assert "Đại Việt" in text


def test_xlsx_cells_are_text():
    data = write_xlsx(["name"], [["=1+1"]], "Export")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"

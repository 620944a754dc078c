"""Touchstone 1.x files: option lines, formats, port counts and warnings."""

import math
from pathlib import Path

import numpy as np
import pytest

from instruments import ReadError, read

DATA = Path(__file__).resolve().parent.parent / "data" / "instruments"


def test_real_imaginary_three_digit_exponents():
    reading = read(DATA / "one-port-ri.s1p")

    trace = reading.traces[0]
    assert reading.format == "touchstone"
    assert trace.name == "S11"
    assert trace.y_unit == "dB"
    assert trace.points == 5
    assert trace.data["x_hz"].iloc[0] == 1e6
    assert trace.data["x_hz"].iloc[-1] == 5e6
    expected = 20 * math.log10(abs(complex(0.999, -0.01)))
    assert trace.data["y"].iloc[0] == pytest.approx(expected)
    assert trace.data["phase_deg"].iloc[0] == pytest.approx(
        math.degrees(math.atan2(-0.01, 0.999))
    )


def test_reflection_above_one_warned():
    reading = read(DATA / "one-port-ri.s1p")

    assert len(reading.warnings) == 1
    assert "S11" in reading.warnings[0]
    assert "exceeds 1" in reading.warnings[0]


def test_identification_comment_metadata():
    metadata = read(DATA / "one-port-ri.s1p").metadata

    assert metadata["model"] == "E5063A"
    assert metadata["serial"] == "MY00000001"
    assert metadata["date"] == "2024-03-05T10:20:30"
    assert metadata["reference_impedance"] == "50"


def test_db_format_with_tabs_and_comments():
    reading = read(DATA / "one-port-db-tabs.s1p")

    trace = reading.traces[0]
    assert reading.warnings == []
    assert trace.points == 3
    assert list(trace.data["y"]) == [-0.5, -1.5, -2.5]
    assert list(trace.data["phase_deg"]) == pytest.approx([-10.25, -20.5, -30.75])
    assert reading.metadata["serial"] == "US00000002"


def test_magnitude_angle_in_megahertz():
    trace = read(DATA / "one-port-ma.s1p").traces[0]

    assert trace.data["x_hz"].iloc[0] == 2.4e9
    assert trace.data["x_hz"].iloc[1] == 2.4005e9
    assert trace.data["y"].iloc[0] == pytest.approx(20 * math.log10(0.5))
    assert trace.data["phase_deg"].iloc[0] == pytest.approx(90.0)


def test_ambiguous_comment_date_not_guessed():
    assert "date" not in read(DATA / "one-port-ma.s1p").metadata


def test_two_port_order_and_unmeasured():
    reading = read(DATA / "two-port-unmeasured.s2p")

    assert [trace.name for trace in reading.traces] == ["S11", "S21", "S12", "S22"]
    assert reading.warnings == [
        "S12: every value is zero, so it was not measured",
        "S22: every value is zero, so it was not measured",
    ]
    assert np.isneginf(reading.trace("S12").data["y"]).all()
    assert reading.trace("S21").data["y"].iloc[0] == pytest.approx(
        20 * math.log10(abs(complex(0.1, 0.1)))
    )


def test_four_port_wrapped_records_default_options():
    reading = read(DATA / "four-port-wrapped.s4p")

    assert reading.metadata["ports"] == "4"
    assert reading.metadata["data_format"] == "MA"
    assert len(reading.traces) == 16
    assert reading.traces[1].name == "S12"
    assert reading.traces[0].data["x_hz"].tolist() == [1e9, 2e9]


def test_encoding_latin1_comment():
    reading = read(DATA / "test_encoding_ISO-8859-1.s2p")

    assert reading.encoding == "cp1252"
    assert reading.traces[0].data["x_hz"].iloc[0] == 1e9
    assert len(reading.traces) == 4


def test_encoding_utf8_bom():
    reading = read(DATA / "test_encoding_UTF-8-SIG.s2p")

    assert reading.encoding == "utf-8-sig"
    assert reading.traces[0].points == 1
    assert reading.traces[0].data["y"].iloc[0] == pytest.approx(
        20 * math.log10(math.sqrt(2))
    )


def test_two_option_lines_rejected():
    with pytest.raises(ReadError) as caught:
        read(DATA / "double_option_line.s2p")

    assert caught.value.line == 3
    assert "option line" in caught.value.reason


@pytest.mark.parametrize(
    ("option_line", "scale", "parameter_format"),
    [
        ("# GHz S RI", 1e9, "RI"),
        ("# Hz S DB R 50", 1.0, "DB"),
        ("# kHz", 1e3, "MA"),
        ("# ma mhz", 1e6, "MA"),
        ("#", 1e9, "MA"),
    ],
)
def test_option_line_forms(option_line, scale, parameter_format):
    text = f"{option_line}\n1 0.5 0\n2 0.5 0\n"

    reading = read(text.encode(), name="forms.s1p")

    assert reading.traces[0].data["x_hz"].tolist() == [scale, 2 * scale]
    assert reading.metadata["data_format"] == parameter_format


def test_text_in_data_names_line():
    text = "# Hz S RI R 50\n1 0.5 0\n2 0.5 zero\n"

    with pytest.raises(ReadError) as caught:
        read(text.encode(), name="bad.s1p")

    assert caught.value.line == 3
    assert "'zero'" in caught.value.reason


def test_unknown_option_rejected():
    with pytest.raises(ReadError) as caught:
        read(b"# Hz S XX R 50\n1 0.5 0\n", name="bad.s1p")

    assert caught.value.line == 1
    assert "XX" in caught.value.reason


def test_inconsistent_record_length():
    text = "# Hz S RI R 50\n1 0.5 0\n2 0.5 0 7 8 9 9\n"

    with pytest.raises(ReadError) as caught:
        read(text.encode(), name="bad.s1p")

    assert caught.value.line == 3


def test_option_line_only_has_no_data():
    with pytest.raises(ReadError, match="no data"):
        read(b"! comment\n# Hz S RI R 50\n", name="empty.s1p")


def test_impedance_parameters_in_ohms():
    reading = read(b"# MHz Z RI R 50\n1 1 0\n", name="z.s1p")

    assert reading.traces[0].name == "Z11"
    assert reading.traces[0].y_unit == "ohm"
    assert reading.traces[0].data["y"].iloc[0] == pytest.approx(50.0)

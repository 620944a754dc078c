"""Lines: offsets into the text instead of one string per line."""

from hypothesis import given
from hypothesis import strategies as st

from instruments.document import Document, Lines


def _split(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@given(st.text(alphabet=st.sampled_from("ab;,.\n µ"), max_size=60))
def test_lines_match_split(text):
    lines = Lines(text)
    expected = _split(text)
    assert len(lines) == len(expected)
    assert list(lines) == expected
    assert lines[1:3] == expected[1:3]
    if expected:
        assert lines[-1] == expected[-1]


@given(st.text(alphabet=st.sampled_from("ab;\n"), max_size=60))
def test_offsets_match_joined_lengths(text):
    lines = Lines(text)
    expected = _split(text)
    for index in range(len(expected) + 1):
        assert lines.start(index) == sum(map(len, expected[:index])) + index


def test_document_keeps_one_normalised_copy():
    doc = Document("f.csv", "a,1\r\nb,2\r\n", "utf-8")
    assert doc.text == "a,1\nb,2\n"
    assert doc.text is doc.normalised
    assert list(doc.lines) == ["a,1", "b,2"]

"""Unicode normalisation and glyph checks for every text field of a document.

A character that the embedded font cannot draw would print as an empty box, and
on a certificate that is a defect in a legal document. `check_text` finds every
such character before any rendering starts, so the caller can correct the record.
"""

import dataclasses
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Any, TypeVar

from certificates.fonts import covered_code_points

# Line breaks and tabs are layout, not glyphs: the renderers turn them into
# line breaks and spaces.
_LAYOUT_CHARACTERS = frozenset("\n\r\t")

DocumentT = TypeVar("DocumentT")


@dataclasses.dataclass(frozen=True)
class UnsupportedCharacter:
    """A character the embedded font cannot draw and the field that contains it."""

    field: str
    character: str

    def describe(self) -> str:
        name = unicodedata.name(self.character, "unnamed character")
        code = f"U+{ord(self.character):04X}"
        return f"{code} {name} ({self.character!r}) in {self.field}"


class UnsupportedCharacterError(ValueError):
    """Raised when a document contains characters that DejaVu Sans cannot draw."""

    def __init__(self, problems: list[UnsupportedCharacter]) -> None:
        self.problems = problems
        listed = "; ".join(problem.describe() for problem in problems)
        super().__init__(
            "characters not in the embedded font DejaVu Sans: "
            f"{listed}. Replace or remove them before issuing the document."
        )


def nfc(text: str) -> str:
    """Return `text` in Unicode normalisation form C (precomposed Vietnamese)."""
    return unicodedata.normalize("NFC", text)


def iter_text_fields(value: object, path: str) -> Iterator[tuple[str, str]]:
    """Yield (field path, text) for every string inside a document, depth first.

    Paths read like attribute access: "holder.name", "results[2].value",
    "regulations[0][1]".
    """
    if isinstance(value, str):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            child = getattr(value, item.name)
            yield from iter_text_fields(child, _join(path, item.name))
    elif isinstance(value, list | tuple):
        for index, child in enumerate(value):
            yield from iter_text_fields(child, f"{path}[{index}]")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def find_unsupported(document: object) -> list[UnsupportedCharacter]:
    """List each distinct unsupported character per field, in field order."""
    covered = covered_code_points()
    problems: list[UnsupportedCharacter] = []

    for path, text in iter_text_fields(document, ""):
        seen: set[str] = set()
        for character in nfc(text):
            if character in seen or character in _LAYOUT_CHARACTERS:
                continue
            if ord(character) not in covered:
                problems.append(UnsupportedCharacter(path, character))
                seen.add(character)

    return problems


def check_text(document: object) -> None:
    """Raise UnsupportedCharacterError if any text field, after NFC, has a
    character that the embedded font cannot draw. The error lists all of them."""
    problems = find_unsupported(document)
    if problems:
        raise UnsupportedCharacterError(problems)


def normalise_document(document: DocumentT) -> DocumentT:
    """Return a copy of a document dataclass with every string in NFC."""
    return _normalise(document)


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, date):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            item.name: _normalise(getattr(value, item.name))
            for item in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_normalise(child) for child in value)
    if isinstance(value, list):
        return [_normalise(child) for child in value]
    return value

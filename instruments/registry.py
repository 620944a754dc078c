"""Registry of file formats: each reader registers itself here by name.

Automatic detection asks every registered format, in registration order, whether
it recognises the decoded content, so more specific formats register first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from instruments.document import Document
from instruments.limits import LimitLine
from instruments.model import Trace


@dataclass
class Parsed:
    """The result of a format's parser; ``read`` adds the file-level fields."""

    metadata: dict[str, str]
    traces: list[Trace]
    warnings: list[str] = field(default_factory=list)
    limit_lines: dict[str, LimitLine] = field(default_factory=dict)
    verdict: str | None = None
    encoding: str | None = None  # set when the parser decoded the bytes itself


class Format(Protocol):
    """A reader for one file format."""

    name: str
    description: str

    def sniff(self, doc: Document) -> bool:
        """Return True if the content looks like this format."""
        ...

    def parse(self, doc: Document, **options: Any) -> Parsed:
        """Read the document; raise ReadError for anything unreadable."""
        ...


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to FORMATS under its name; a second format with it is a bug."""
    if fmt.name in FORMATS:
        raise ValueError(f"format {fmt.name!r} is already registered")
    FORMATS[fmt.name] = fmt
    return fmt

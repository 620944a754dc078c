"""Entry point ``read``: load bytes, decode, choose a format and run its parser."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from instruments.document import Document, decode
from instruments.model import ReadError, Reading
from instruments.registry import FORMATS, Format

logger = logging.getLogger(__name__)

Source = str | Path | bytes | bytearray | memoryview


def read(
    source: Source,
    *,
    name: str | None = None,
    format: str | None = None,
    mapping: Any = None,
) -> Reading:
    """Read an instrument result file and return its traces and metadata.

    ``source`` is a path (``str`` or ``Path``) or the file's bytes. ``name`` is
    the file name used in messages; it defaults to the path, or ``<bytes>``.
    ``format`` forces a registered reader; otherwise the reader is chosen from
    the content, never from the file name. ``mapping`` is the
    ``ColumnMapping`` of the ``generic`` reader and implies that format.
    Every failure raises :class:`ReadError`.
    """
    raw, source_name = _load(source, name)
    if mapping is not None and format is None:
        format = "generic"
    if mapping is not None and format != "generic":
        reason = f"a column mapping applies to the generic format, not {format!r}"
        raise ReadError(source_name, None, reason)
    text, encoding = decode(raw)
    doc = Document(source_name, text, encoding, raw=raw)
    # The document keeps the text with normalised line breaks, and the decoded
    # original would be a second copy of the whole file.
    del text
    fmt = _choose(doc, format)
    options = {} if mapping is None else {"mapping": mapping}
    parsed = _parse(fmt, doc, options)
    return Reading(
        format=fmt.name,
        encoding=parsed.encoding or doc.encoding,
        source_name=source_name,
        metadata=parsed.metadata,
        traces=parsed.traces,
        warnings=parsed.warnings,
        limit_lines=parsed.limit_lines,
        verdict=parsed.verdict,
    )


def _load(source: Source, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), name or "<bytes>"
    if not isinstance(source, str | Path):
        kind = type(source).__name__
        raise ReadError(
            name or "<unknown>", None, f"source must be a path or bytes, not {kind}"
        )
    source_name = name or str(source)
    try:
        return Path(source).read_bytes(), source_name
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReadError(source_name, None, f"cannot be opened: {reason}") from None


def _choose(doc: Document, format: str | None) -> Format:
    if format is not None:
        if format not in FORMATS:
            known = ", ".join(FORMATS)
            raise doc.error(None, f"unknown format {format!r}; known formats: {known}")
        return FORMATS[format]
    if not doc.raw.strip():
        raise doc.error(None, "the file is empty or contains only blank space")
    for fmt in FORMATS.values():
        if _sniff(fmt, doc):
            return fmt
    raise _unrecognised(doc)


# Separators tried, in this order, when describing an unrecognised table.
_SEPARATORS = {"\t": "tab", ";": "semicolon", ",": "comma"}
# Lines searched for the first line with content.
_LINES_TO_DESCRIBE = 1000


def _unrecognised(doc: Document) -> ReadError:
    """Build the error for content that no reader recognises, naming its first line.

    A delimited table (the same number of fields on its first two lines) is
    described by its separator and column names, because such a file is
    usually a spreadsheet export that a column mapping can read.
    """
    if doc.raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        reason = (
            "unknown format: a spreadsheet workbook (ZIP or OLE container, as "
            "Excel writes) that no instrument reader recognises. To import it, "
            "save a column mapping for its layout and read the file through it"
        )
        return doc.error(None, reason)
    lines = []
    for index in range(min(len(doc.lines), _LINES_TO_DESCRIBE)):
        if doc.lines[index].strip():
            lines.append((index, doc.lines[index]))
            if len(lines) == 2:
                break
    if not lines:
        reason = f"unknown format: the first {_LINES_TO_DESCRIBE} lines are blank"
        return doc.error(None, reason)
    first, header = lines[0]
    following = lines[1][1] if len(lines) > 1 else ""
    for separator, name in _SEPARATORS.items():
        columns = header.split(separator)
        if len(columns) >= 2 and following.count(separator) == len(columns) - 1:
            names = ", ".join(repr(column.strip()) for column in columns[:8])
            reason = (
                f"unknown format: a {name}-separated table with columns {names} "
                "that no instrument reader recognises. To import it, save a "
                "column mapping for its layout and read the file through it"
            )
            return doc.error(first, reason)
    start = header.strip()[:40]
    known = ", ".join(name for name in FORMATS if name != "generic")
    reason = (
        f"unknown format: no instrument reader recognises a file starting "
        f"with {start!r}. Choose the format explicitly if the file is one of "
        f"the known ones: {known}"
    )
    return doc.error(first, reason)


def _sniff(fmt: Format, doc: Document) -> bool:
    try:
        return bool(fmt.sniff(doc))
    except Exception:  # a sniffer bug must not hide the other formats
        logger.exception("format %s failed while sniffing %s", fmt.name, doc.name)
        return False


def _parse(fmt: Format, doc: Document, options: dict[str, Any]):
    try:
        return fmt.parse(doc, **options)
    except ReadError:
        raise
    except Exception as exc:
        # Keeps the promise that read() raises only ReadError; the message
        # marks it as a reader bug so that it gets reported.
        logger.exception("format %s failed on %s", fmt.name, doc.name)
        reason = f"unexpected parser failure ({type(exc).__name__}: {exc})"
        raise doc.error(None, reason) from exc

"""The embedded DejaVu Sans fonts: registration with reportlab and glyph coverage.

The TrueType files ship inside this package (see fonts/LICENSE-DejaVu.txt), so
output never depends on the fonts installed on the host. Registration happens
once per process, on first use.
"""

import threading
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()


@cache
def _register() -> None:
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))

    # Lets <b> inside platypus paragraphs select the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    addMapping(BOLD, 0, 0, BOLD)
    addMapping(BOLD, 1, 0, BOLD)
    addMapping(BOLD, 0, 1, BOLD)
    addMapping(BOLD, 1, 1, BOLD)


def register_fonts() -> None:
    """Register DejaVu Sans and DejaVu Sans Bold with reportlab, once per process."""
    with _lock:
        _register()


@cache
def covered_code_points() -> frozenset[int]:
    """Return the code points that both the regular and the bold face can draw."""
    register_fonts()
    regular = pdfmetrics.getFont(REGULAR).face.charToGlyph
    bold = pdfmetrics.getFont(BOLD).face.charToGlyph
    return frozenset(regular.keys() & bold.keys())

"""A QR code flowable that links a printed document to its online verification page.

The module matrix comes from segno, a pure-Python QR encoder, with the data
mask chosen by `certificates.qr_masks`, which scores the eight candidates
with numpy and picks the mask segno itself would pick. The flowable draws
the dark modules itself as one filled path, one rectangle per horizontal
run. The path is wrapped in a PDF form XObject named
"VerificationQR", so a reader of the file structure (or a test) can find it
by name.

Changing the encoder, or its version, can change the chosen mask and so the
PDF bytes: re-rendering gives the stored hash only with the encoder version
that issued the document.
"""

import numpy as np
from reportlab.platypus import Flowable

from certificates.qr_masks import qr_matrix

FORM_NAME = "VerificationQR"

# Light modules around the symbol, the width ISO/IEC 18004 requires.
QUIET_ZONE_MODULES = 4


def qr_modules(data: str) -> list[list[bool]]:
    """Return the QR module matrix for `data`, dark modules True, top row first."""
    return qr_matrix(data).astype(bool).tolist()


class QrCode(Flowable):
    """A square QR code of side `size` points encoding `data`."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.width = size
        self.height = size

    def wrap(self, available_width: float, available_height: float):
        return self.size, self.size

    def draw(self) -> None:
        modules = qr_matrix(self.data)
        count = modules.shape[0] + 2 * QUIET_ZONE_MODULES
        module = self.size / count

        canvas = self.canv
        canvas.beginForm(FORM_NAME, 0, 0, self.size, self.size)
        canvas.setFillGray(0)
        # Drawn in module units, so each rectangle is four small integers.
        canvas.transform(module, 0, 0, module, 0, 0)
        canvas.addLiteral(run_rectangles(modules, count))
        canvas.endForm()
        canvas.doForm(FORM_NAME)


def run_rectangles(modules: np.ndarray, count: int) -> str:
    """Return PDF operators that fill one rectangle per horizontal dark run.

    Coordinates are in modules, with the origin at the lower-left corner of
    a symbol of `count` modules including the quiet zone.
    """
    edges = np.diff(np.pad(modules.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, stops = np.nonzero(edges == -1)
    rectangles = [
        f"{start + QUIET_ZONE_MODULES} {count - QUIET_ZONE_MODULES - 1 - row} "
        f"{stop - start} 1 re"
        for row, start, stop in zip(
            rows.tolist(), starts.tolist(), stops.tolist(), strict=True
        )
    ]
    return "\n".join([*rectangles, "f"])

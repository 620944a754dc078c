"""A QR code flowable that links a printed document to its online verification page.

The code is drawn as vector modules with reportlab.graphics.barcode.qr and
wrapped in a PDF form XObject named "VerificationQR", so that a reader of the
file structure (or a test) can find it by name.
"""

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable

from certificates.fonts import REGULAR

FORM_NAME = "VerificationQR"


class QrCode(Flowable):
    """A square QR code of side `size` points encoding `data`.

    Error correction level M recovers up to about 15 % of damaged modules,
    enough for a stamped or folded paper certificate.
    """

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.width = size
        self.height = size

    def wrap(
        self, available_width: float, available_height: float
    ) -> tuple[float, float]:
        return self.size, self.size

    def _drawing(self) -> Drawing:
        widget = QrCodeWidget(self.data, barLevel="M", barBorder=2)
        left, bottom, right, top = widget.getBounds()
        scale_x = self.size / (right - left)
        scale_y = self.size / (top - bottom)
        drawing = Drawing(
            self.size,
            self.size,
            transform=[scale_x, 0, 0, scale_y, 0, 0],
            initialFontName=REGULAR,
        )
        drawing.add(widget)
        return drawing

    def draw(self) -> None:
        canvas = self.canv
        canvas.beginForm(FORM_NAME, 0, 0, self.size, self.size)
        renderPDF.draw(self._drawing(), canvas, 0, 0)
        canvas.endForm()
        canvas.doForm(FORM_NAME)

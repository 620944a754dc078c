"""Certificate rendering speed against bare reportlab, measured in the same run.

`python -m bench certificates [--count N] [--rounds R]` renders N certificates
with certificates.render_certificate, then draws the same text lines with the
same embedded DejaVu fonts straight onto a reportlab canvas, one page per
certificate. The baseline has no layout, wrapping, tables, QR code or glyph
check, so it is the floor cost of producing such a PDF with reportlab. Each
side keeps the fastest of R rounds. The last line printed is a JSON object with
the figures and `ratio` = our rate / bare rate.
"""

import argparse
import io
import json
import platform
import time
import unicodedata
from collections.abc import Callable

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from certificates import render_certificate
from certificates.fonts import BOLD, REGULAR, register_fonts
from certificates.samples import sample_certificate

SAMPLE_NUMBER = "2025/CN-0042"


def certificate_number(index: int) -> str:
    return f"2025/CN-{index:04d}"


def sample_lines() -> list[str]:
    """Return the text lines of the sample certificate as our renderer prints them."""
    pdf = render_certificate(sample_certificate(number=SAMPLE_NUMBER))
    lines = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        text = unicodedata.normalize("NFC", page.extract_text())
        lines.extend(line.strip() for line in text.splitlines() if line.strip())
    return lines


def render_ours(index: int) -> bytes:
    number = certificate_number(index)
    url = f"https://lims.example.vn/verify/certificate/{number.replace('/', '-')}"
    # A distinct URL per certificate, so every QR code is encoded afresh.
    return render_certificate(sample_certificate(number=number, verification_url=url))


def render_bare(lines: list[str], index: int) -> bytes:
    """Draw `lines` top to bottom on one A4 page, the first in bold."""
    number = certificate_number(index)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    y = A4[1] - 50

    for position, line in enumerate(lines):
        canvas.setFont(BOLD if position == 0 else REGULAR, 8)
        canvas.drawString(50, y, line.replace(SAMPLE_NUMBER, number))
        y -= 10

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def best_rate(render: Callable[[int], bytes], count: int, rounds: int) -> float:
    """Return the highest documents-per-second rate of `rounds` runs of `count`."""
    best = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        for index in range(count):
            render(index)
        elapsed = time.perf_counter() - started
        best = max(best, count / elapsed)
    return best


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count", type=int, default=100, help="certificates per round (default 100)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds per side; the fastest counts"
    )
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    register_fonts()
    lines = sample_lines()

    # Warm-up: font subsetting tables, QR encoder and style caches.
    render_ours(0)
    render_bare(lines, 0)

    ours = best_rate(render_ours, arguments.count, arguments.rounds)
    bare = best_rate(
        lambda index: render_bare(lines, index), arguments.count, arguments.rounds
    )

    figures = {
        "benchmark": "certificates",
        "count": arguments.count,
        "rounds": arguments.rounds,
        "text_lines": len(lines),
        "ours_per_second": round(ours, 1),
        "bare_per_second": round(bare, 1),
        "ours_ms": round(1000 / ours, 2),
        "bare_ms": round(1000 / bare, 2),
        "ratio": round(ours / bare, 3),
        "python": platform.python_version(),
    }
    print(f"ours: {ours:.1f} certificates/s, bare reportlab: {bare:.1f} pages/s")
    print(json.dumps(figures))
    return 0

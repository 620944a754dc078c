"""PDF test reports and product certificates for conformity assessment.

A plain library without Flask or database code: the web application fills the
dataclasses in certificates.model and calls `render_test_report` or
`render_certificate`, which return the PDF as bytes. Text is printed in the
embedded DejaVu Sans, so Vietnamese prints on any host, and `check_text` rejects
any character that font cannot draw before rendering starts. The same document
always renders to the same bytes, so `sha256_hex` of the output identifies an
issued document.
"""

from certificates.certificate import render_certificate
from certificates.model import (
    CertificateDocument,
    Party,
    ResultLine,
    TestReportDocument,
    TracePlot,
)
from certificates.output import sha256_hex
from certificates.report import render_test_report
from certificates.textcheck import UnsupportedCharacterError, check_text

__all__ = [
    "CertificateDocument",
    "Party",
    "ResultLine",
    "TestReportDocument",
    "TracePlot",
    "UnsupportedCharacterError",
    "check_text",
    "render_certificate",
    "render_test_report",
    "sha256_hex",
]

"""Shared fixtures: rendered sample documents and helpers that read PDFs back."""

import pytest

from certificates import render_certificate, render_test_report
from certificates.samples import sample_certificate, sample_report


@pytest.fixture(scope="session")
def certificate_pdf() -> bytes:
    return render_certificate(sample_certificate())


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    return render_test_report(sample_report())


@pytest.fixture(scope="session")
def long_report_pdf() -> bytes:
    """A report whose results table spans several pages."""
    return render_test_report(sample_report(result_count=120))

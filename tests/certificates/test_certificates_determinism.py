"""The same document renders to the same bytes, in one process and across two."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pdf_reading import read_pdf

from certificates import render_certificate, render_test_report, sha256_hex
from certificates.samples import sample_certificate, sample_report

REPOSITORY = Path(__file__).resolve().parents[2]
HASH_SCRIPT = """
import sys
from certificates import render_certificate, render_test_report, sha256_hex
from certificates.samples import sample_certificate, sample_report
print(sha256_hex(render_certificate(sample_certificate())))
print(sha256_hex(render_test_report(sample_report())))
"""


def test_certificate_renders_identically_twice(certificate_pdf):
    assert render_certificate(sample_certificate()) == certificate_pdf


def test_report_renders_identically_twice(report_pdf):
    assert render_test_report(sample_report()) == report_pdf


def test_separate_processes_give_same_hashes(certificate_pdf, report_pdf):
    expected = [sha256_hex(certificate_pdf), sha256_hex(report_pdf)]

    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        environment.pop("SOURCE_DATE_EPOCH", None)
        completed = subprocess.run(
            [sys.executable, "-c", HASH_SCRIPT],
            cwd=REPOSITORY,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        assert completed.stdout.split() == expected


def test_different_number_changes_hash(certificate_pdf):
    other = render_certificate(sample_certificate(number="2025/CN-0043"))

    assert sha256_hex(other) != sha256_hex(certificate_pdf)


def test_different_report_number_changes_hash(report_pdf):
    other = render_test_report(sample_report(number="HT-2025-0119"))

    assert sha256_hex(other) != sha256_hex(report_pdf)


def test_sha256_hex_format(certificate_pdf):
    digest = sha256_hex(certificate_pdf)

    assert len(digest) == 64
    assert digest == digest.lower()
    int(digest, 16)


def test_creation_date_is_issued_at(certificate_pdf):
    metadata = read_pdf(certificate_pdf).metadata

    assert metadata["/CreationDate"].startswith("D:20250314023000")
    assert metadata["/ModDate"] == metadata["/CreationDate"]


def test_aware_issued_at_converts_to_utc():
    hanoi = timezone(timedelta(hours=7))
    issued_at = datetime(2025, 3, 14, 9, 30, tzinfo=hanoi)

    pdf = render_certificate(sample_certificate(issued_at=issued_at))

    assert read_pdf(pdf).metadata["/CreationDate"].startswith("D:20250314023000")


def test_pdf_id_is_document_id(certificate_pdf):
    trailer_id = read_pdf(certificate_pdf).trailer["/ID"]

    expected = bytes.fromhex("3f2a9c1e5b7d4e8fa0b1c2d3e4f50617")
    assert bytes(trailer_id[0].original_bytes) == expected
    assert bytes(trailer_id[1].original_bytes) == expected


def test_issued_at_changes_hash(certificate_pdf):
    later = datetime(2025, 3, 14, 2, 31, tzinfo=UTC)

    other = render_certificate(sample_certificate(issued_at=later))

    assert other != certificate_pdf


@pytest.mark.parametrize("document_id", ["", "xyz", "abc"])
def test_invalid_document_id_raises(document_id):
    with pytest.raises(ValueError, match="invalid document_id"):
        render_certificate(sample_certificate(document_id=document_id))

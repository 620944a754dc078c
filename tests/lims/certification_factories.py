"""Builders for certification tests: approved requests, reports, certificates.

Everything goes through the real rules, as in tests/factories.py.
"""

from dataclasses import dataclass
from datetime import date

import pytest

from lims.auth.models import Role
from lims.bodies.models import BodyKind
from lims.certification import rules as certification
from lims.certification.guards import IssuedRecordError
from lims.certification.models import CertificateScheme
from lims.extensions import db
from lims.results import rules as results
from tests import factories as f


@dataclass
class Setup:
    """A domestic lab, a certification body and their staff."""

    lab: object
    cb: object
    tech: object
    reviewer: object
    officer: object
    receiver: object


def setup(lab_code: str = "DVT", cb_code: str = "DVC") -> Setup:
    lab = f.body(lab_code)
    cb = f.body(cb_code, kind=BodyKind.CERTIFICATION_BODY)
    return Setup(
        lab=lab,
        cb=cb,
        tech=f.user(Role.TECHNICIAN, lab),
        reviewer=f.user(Role.REVIEWER, lab, name="Trần Văn Minh"),
        officer=f.user(Role.CERTIFICATION_OFFICER, cb, name="Nguyễn Thị Hương"),
        receiver=f.instrument(lab),
    )


def approved_request(parties: Setup, value: float = 50.0, limit: float = 60.0):
    """Return a request with one approved manual result of ``value`` dBuV
    against a flat maximum of ``limit`` dBuV."""
    req, sample = f.request_with_sample(parties.lab, parties.tech)
    item = f.flat_item(f.regulation(), limit)
    measurement = results.Measurement(
        value=value,
        unit="dBuV",
        measured_on=date.today(),
        expanded_uncertainty=2.5,
        frequency_hz=1.5e6,
    )
    result = results.record_manual_result(
        req, sample, item, measurement, [parties.receiver], parties.tech
    )
    results.submit_for_review(req, parties.tech)
    results.approve_result(result, parties.reviewer)
    return req


def report(parties: Setup, **kwargs):
    return certification.issue_test_report(
        approved_request(parties), parties.reviewer, **kwargs
    )


def certificate(parties: Setup, scheme=CertificateScheme.TYPE_TESTING, **kwargs):
    issued = report(parties)
    return certification.issue_certificate(
        reports=[issued],
        scheme=scheme,
        holder=kwargs.pop("holder", issued.request.applicant),
        importers=kwargs.pop("importers", []),
        issuer=parties.cb,
        issued_by=parties.officer,
        **kwargs,
    )


def assert_flush_rejected(match: str | None = None) -> None:
    """Flush and expect the issued-record guard to reject it, then roll back."""
    with pytest.raises(IssuedRecordError, match=match):
        db.session.flush()
    db.session.rollback()

"""Schemathesis against the OpenAPI document: no input makes the API answer 5xx."""

import contextvars

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from lims.auth.models import Role
from tests.lims import certification_factories as cf


@pytest.fixture
def api_schema(app, db):
    """The served OpenAPI document, over a database with one certificate."""
    s = cf.setup()
    req = cf.approved_request(s)
    from lims.certification import rules as certification
    from lims.certification.models import CertificateScheme

    report = certification.issue_test_report(req, s.reviewer)
    certification.issue_certificate(
        reports=[report],
        scheme=CertificateScheme.TYPE_TESTING,
        holder=req.applicant,
        importers=[],
        issuer=s.cb,
        issued_by=s.officer,
    )
    db.session.commit()
    assert Role.IMPORTER  # the API needs no account
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_api_never_answers_server_error(api_schema):
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            # Each call gets its own app context, as requests to a server do.
            response = contextvars.Context().run(case.call)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} "
                    f"{case.query or ''} -> {response.status_code}: "
                    f"{response.text[:300]}"
                )

        exercise()
    assert failures == []

"""Every route against every role, and anonymous, with the expected outcome.

A route missing from ACCESS fails the suite, so a new page cannot ship
without a decision on who may open it. Outcomes: ``ok`` (served: any status
other than the two below and 5xx), ``403`` (forbidden) and ``login`` (sent to
the login page). Forms are posted empty with CSRF checks off: the check is
about who gets in, not what the form accepts.
"""

from datetime import date

import pytest

from instruments import ColumnMapping
from lims.agreements.models import Agreement
from lims.auth.models import Role
from lims.bodies.models import AccreditationBody
from lims.recognition import history
from lims.results import mappings
from tests import factories as f
from tests.lims import certification_factories as cf
from tests.lims import recognition_factories as rf

ROLES = ["anonymous", "importer", "technician", "reviewer", "officer", "admin"]


def row(*outcomes: str) -> dict[str, str]:
    return dict(zip(ROLES, outcomes, strict=True))


PUBLIC = row("ok", "ok", "ok", "ok", "ok", "ok")
LAB = row("login", "403", "ok", "ok", "ok", "ok")
TECHNICIAN = row("login", "403", "ok", "403", "403", "403")
REVIEWER = row("login", "403", "403", "ok", "403", "403")
OFFICER = row("login", "403", "403", "403", "ok", "403")
ADMIN = row("login", "403", "403", "403", "403", "ok")
AUDIT = row("login", "403", "403", "ok", "ok", "ok")
LOGGED_IN = row("login", "ok", "ok", "ok", "ok", "ok")

ACCESS: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "public.index"): PUBLIC,
    ("GET", "public.register"): PUBLIC,
    ("GET", "public.register_export"): PUBLIC,
    ("GET", "public.verify"): PUBLIC,
    ("GET", "public.genuine"): PUBLIC,
    ("POST", "public.genuine"): PUBLIC,
    ("GET", "public.healthz"): PUBLIC,
    ("GET", "openapi.openapi_document"): PUBLIC,
    ("GET", "static"): PUBLIC,
    ("POST", "set_language"): PUBLIC,
    ("GET", "auth.login"): PUBLIC,
    ("POST", "auth.login"): PUBLIC,
    ("POST", "auth.logout"): LOGGED_IN,
    ("GET", "api.certificates"): PUBLIC,
    ("GET", "api.certificate"): PUBLIC,
    ("GET", "api.certificate_pdf"): PUBLIC,
    ("GET", "api.certificates_export"): PUBLIC,
    ("POST", "api.verify"): PUBLIC,
    ("GET", "recognition_api.bodies"): PUBLIC,
    ("GET", "recognition_api.body"): PUBLIC,
    ("GET", "recognition_api.recognition"): PUBLIC,
    ("POST", "recognition_api.recognition_batch"): PUBLIC,
    ("GET", "recognition.check"): PUBLIC,
    ("POST", "recognition.check"): PUBLIC,
    ("GET", "recognition.batch"): PUBLIC,
    ("POST", "recognition.batch"): PUBLIC,
    ("GET", "recognition.batches"): LOGGED_IN,
    ("GET", "recognition.batch_results"): row("login", "ok", "403", "403", "403", "ok"),
    ("GET", "testing.dashboard"): LOGGED_IN,
    ("GET", "testing.requests"): LAB,
    ("GET", "testing.new_request"): TECHNICIAN,
    ("POST", "testing.new_request"): TECHNICIAN,
    ("GET", "testing.request_detail"): LAB,
    ("POST", "testing.receive_sample"): TECHNICIAN,
    ("POST", "results.upload"): TECHNICIAN,
    ("POST", "results.manual"): TECHNICIAN,
    ("POST", "results.submit"): TECHNICIAN,
    ("GET", "results.detail"): LAB,
    ("GET", "results.trace"): LAB,
    ("GET", "results.source_file"): LAB,
    ("POST", "results.approve"): REVIEWER,
    ("POST", "results.reject"): REVIEWER,
    ("POST", "results.retract"): TECHNICIAN,
    ("POST", "results.correct"): row("login", "403", "ok", "ok", "403", "403"),
    ("GET", "mappings.index"): TECHNICIAN,
    ("GET", "mappings.new"): TECHNICIAN,
    ("POST", "mappings.new"): TECHNICIAN,
    ("GET", "mappings.edit"): TECHNICIAN,
    ("POST", "mappings.edit"): TECHNICIAN,
    ("POST", "mappings.delete"): TECHNICIAN,
    ("GET", "mappings.download"): TECHNICIAN,
    ("GET", "equipment.index"): LAB,
    ("GET", "equipment.detail"): LAB,
    ("POST", "equipment.add_calibration"): TECHNICIAN,
    ("POST", "certification.issue_report"): REVIEWER,
    ("POST", "certification.amend_report"): REVIEWER,
    ("GET", "certification.reports"): LAB,
    ("GET", "certification.report_detail"): LAB,
    ("GET", "certification.report_pdf"): LAB,
    ("POST", "certification.issue_certificate"): OFFICER,
    ("GET", "certification.certificates"): OFFICER,
    ("GET", "certification.certificate_detail"): OFFICER,
    ("POST", "certification.change_status"): OFFICER,
    ("GET", "admin.users"): ADMIN,
    ("POST", "admin.create_user"): ADMIN,
    ("POST", "admin.toggle_active"): ADMIN,
    ("GET", "admin.reset_password"): ADMIN,
    ("POST", "admin.reset_password"): ADMIN,
    ("GET", "admin.audit"): AUDIT,
    ("GET", "admin.audit_export"): AUDIT,
    **{
        (method, f"agreements.{endpoint}"): ADMIN
        for method, endpoint in [
            ("GET", "index"),
            ("GET", "agreement_new"),
            ("POST", "agreement_new"),
            ("GET", "agreement_detail"),
            ("GET", "agreement_edit"),
            ("POST", "agreement_edit"),
            ("GET", "agreement_part"),
            ("POST", "agreement_part"),
            ("GET", "designation_new"),
            ("POST", "designation_new"),
            ("GET", "designation_detail"),
            ("GET", "designation_edit"),
            ("POST", "designation_edit"),
            ("GET", "designation_status"),
            ("POST", "designation_status"),
            ("GET", "accreditation_body_edit"),
            ("POST", "accreditation_body_edit"),
            ("GET", "accreditation_new"),
            ("POST", "accreditation_new"),
            ("GET", "edition_edit"),
            ("POST", "edition_edit"),
            ("GET", "export_csv"),
            ("GET", "export_xlsx"),
            ("POST", "import_records"),
        ]
    },
}


def _routes(app) -> list[tuple[str, str]]:
    return sorted(
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


@pytest.fixture
def world(app, db):
    """One of every object, belonging to lab DVT and certification body DVC."""
    s = cf.setup()
    req = cf.approved_request(s)
    from lims.certification import rules as certification
    from lims.certification.models import CertificateScheme

    report = certification.issue_test_report(req, s.reviewer)
    certificate = certification.issue_certificate(
        reports=[report],
        scheme=CertificateScheme.TYPE_TESTING,
        holder=req.applicant,
        importers=[],
        issuer=s.cb,
        issued_by=s.officer,
    )
    agreement = db.session.scalar(
        db.select(Agreement).where(Agreement.code == "KR-VN-MRA")
    )
    foreign_lab = f.body("HBK", economy="KR")
    designation = rf.designate(
        "KR-VN-MRA/VN-0001",
        foreign_lab,
        agreement,
        date(2024, 1, 1),
        ["QCVN 118:2018/BTTTT"],
    )
    boa = db.session.scalar(
        db.select(AccreditationBody).where(AccreditationBody.acronym == "BoA")
    )
    users = {
        "importer": f.user(Role.IMPORTER),
        "technician": s.tech,
        "reviewer": s.reviewer,
        "officer": s.officer,
        "admin": f.user(Role.ADMIN),
    }
    batch = history.save_batch(users["importer"], "shipment.csv", date.today(), [])
    profile = mappings.save_profile(
        s.lab,
        None,
        name="Level table",
        description="",
        mapping=ColumnMapping(x_column="Hz", y_columns=("Level",), y_unit="dBuV"),
        actor=s.tech,
    )
    db.session.commit()
    values = {
        "request_id": req.id,
        "result_id": req.results[0].id,
        "report_id": report.id,
        "certificate_id": certificate.id,
        "instrument_id": s.receiver.id,
        "user_id": users["importer"].id,
        "body_id": s.lab.id,
        "number": certificate.number,
        "code": "en",
        "extension": "csv",
        "filename": "style.css",
        "agreement_id": agreement.id,
        "designation_id": designation.id,
        "accreditation_body_id": boa.id,
        "regulation_id": f.regulation().id,
        "part": "parties",
        "name": "agreements",
        "batch_id": batch.id,
        "profile_id": profile.id,
    }
    return users, values


def test_every_route_has_an_access_row(app):
    missing = [route for route in _routes(app) if route not in ACCESS]
    assert missing == [], f"add these routes to ACCESS: {missing}"


def test_access_rows_name_real_routes(app):
    stale = sorted(set(ACCESS) - set(_routes(app)))
    assert stale == [], f"remove these rows from ACCESS: {stale}"


def _url(app, endpoint: str, values: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{k: values[k] for k in rule.arguments})


def _outcome(response) -> str:
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    if response.status_code == 403:
        return "403"
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303) and "/login" in location:
        return "login"
    return "ok"


@pytest.mark.parametrize("route", sorted(ACCESS), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_access_by_role(app, db, csrf_off, world, route):
    method, endpoint = route
    users, values = world
    url = _url(app, endpoint, values)
    outcomes = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = str(users[role].id)
                session["_fresh"] = True
        response = client.open(url, method=method, data={})
        outcomes[role] = _outcome(response)
    assert outcomes == ACCESS[route]


@pytest.mark.parametrize(
    "endpoint",
    [
        "testing.request_detail",
        "results.detail",
        "results.trace",
        "results.source_file",
        "equipment.detail",
        "mappings.edit",
        "mappings.download",
        "certification.report_detail",
        "certification.report_pdf",
        "certification.certificate_detail",
    ],
)
def test_other_body_staff_forbidden(app, db, world, endpoint):
    _, values = world
    other_lab = f.body("SGE")
    from lims.bodies.models import BodyKind

    other_cb = f.body("SGC", kind=BodyKind.CERTIFICATION_BODY)
    strangers = [
        f.user(Role.TECHNICIAN, other_lab),
        f.user(Role.REVIEWER, other_lab),
    ]
    if endpoint.startswith("certification.certificate"):
        strangers = [f.user(Role.CERTIFICATION_OFFICER, other_cb)]
    db.session.commit()
    url = _url(app, endpoint, values)
    for stranger in strangers:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(stranger.id)
            session["_fresh"] = True
        assert client.get(url).status_code == 403, (stranger.role, url)

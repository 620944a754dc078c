"""Pages anyone can open: the certificate register and verification."""

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, render_template, request
from flask_babel import gettext as _

from lims.certification.models import Certificate, CertificateStatus
from lims.certification.rules import find_issued_pdf
from lims.extensions import db
from lims.pagination import paginate
from lims.public.forms import GenuineForm
from lims.public.service import (
    EXPORT_FORMATS,
    RegisterFilter,
    certificate_summaries,
    certificate_summary,
    export_response,
    find_certificate,
    find_report,
    report_summary,
    search_query,
)

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html")


@bp.get("/register")
def register():
    search = RegisterFilter.from_args(request.args)
    page = paginate(search_query(search))
    return render_template(
        "public/register.html",
        page=page,
        search=search,
        statuses=list(CertificateStatus),
        summaries=certificate_summaries([c.id for c in page.items]),
    )


@bp.get("/register/export.<extension>")
def register_export(extension: str):
    if extension not in EXPORT_FORMATS:
        abort(404)
    return export_response(extension, RegisterFilter.from_args(request.args))


# Numbers may contain "/" (see LIMS_CERTIFICATE_NUMBER_PATTERN), hence path:.
@bp.get("/verify/<path:number>")
def verify(number: str):
    certificate = find_certificate(number)
    if certificate is not None:
        return render_template(
            "public/verify.html",
            certificate=certificate,
            summary=certificate_summary(certificate),
        )
    report = find_report(number)
    if report is not None:
        return render_template(
            "public/report.html", report=report, summary=report_summary(report)
        )
    abort(
        404,
        description=_(
            "No certificate or test report numbered %(number)s.", number=number
        ),
    )


@bp.route("/genuine", methods=["GET", "POST"])
def genuine():
    form = GenuineForm()
    outcome = None
    if form.validate_on_submit():
        content = form.file.data.read()
        outcome = {"name": form.file.data.filename, "document": None}
        if not content.startswith(b"%PDF-"):
            # A file that is not a PDF at all gets its own message, because
            # "not genuine" would suggest that someone altered a document.
            outcome["not_pdf"] = True
            return render_template("public/genuine.html", form=form, outcome=outcome)
        document = find_issued_pdf(content)
        outcome["document"] = document
        if isinstance(document, Certificate):
            outcome["summary"] = certificate_summary(document)
            outcome["kind"] = "certificate"
        elif document is not None:
            outcome["summary"] = report_summary(document)
            outcome["kind"] = "test_report"
    return render_template("public/genuine.html", form=form, outcome=outcome)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok"})

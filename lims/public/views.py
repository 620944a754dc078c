"""Pages anyone can open: the certificate register and verification."""

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, render_template, request

from lims.certification.models import CertificateStatus
from lims.certification.rules import find_issued_pdf
from lims.extensions import db
from lims.pagination import paginate
from lims.public.forms import GenuineForm
from lims.public.service import certificate_summary, find_certificate, search_query

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html")


@bp.get("/register")
def register():
    q = request.args.get("q", "")[:200]
    status = request.args.get("status", "")
    page = paginate(search_query(q, status))
    return render_template(
        "public/register.html",
        page=page,
        q=q,
        status=status,
        statuses=list(CertificateStatus),
        summaries=[certificate_summary(c) for c in page.items],
    )


@bp.get("/verify/<number>")
def verify(number: str):
    certificate = find_certificate(number)
    if certificate is None:
        abort(404, description=f"No certificate numbered {number}.")
    return render_template(
        "public/verify.html",
        certificate=certificate,
        summary=certificate_summary(certificate),
    )


@bp.route("/genuine", methods=["GET", "POST"])
def genuine():
    form = GenuineForm()
    outcome = None
    if form.validate_on_submit():
        content = form.file.data.read()
        outcome = {
            "document": find_issued_pdf(content),
            "name": form.file.data.filename,
        }
    return render_template("public/genuine.html", form=form, outcome=outcome)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok"})

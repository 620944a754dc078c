"""The public JSON API, version 1. No login; read-only except PDF checks."""

from flask import Blueprint, Response, abort, jsonify, request

from lims.certification.models import Certificate, TestReport
from lims.certification.rules import find_issued_pdf
from lims.extensions import csrf
from lims.pagination import paginate
from lims.public.service import certificate_summary, find_certificate, search_query

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/certificates")
def certificates():
    q = request.args.get("q", "")[:200]
    status = request.args.get("status", "")
    page = paginate(search_query(q, status))
    return jsonify(
        {
            "items": [certificate_summary(c) for c in page.items],
            "total": page.total,
            "page": page.page,
            "pages": page.pages,
        }
    )


@bp.get("/certificates/<number>/pdf")
def certificate_pdf(number: str):
    certificate = _certificate_or_404(number)
    stored = certificate.pdf_file
    response = Response(stored.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{certificate.number.replace("/", "-")}.pdf"'
    )
    return response


@bp.get("/certificates/<number>")
def certificate(number: str):
    return jsonify(certificate_summary(_certificate_or_404(number)))


# A stateless API authenticated by nothing: no session cookie is read, so a
# forged cross-site post gains nothing and CSRF tokens do not apply.
@bp.post("/verify")
@csrf.exempt
def verify():
    upload = request.files.get("file")
    if upload is None:
        return jsonify({"error": "Send the PDF in the multipart field 'file'."}), 400
    document = find_issued_pdf(upload.read())
    if isinstance(document, Certificate):
        body = {
            "genuine": True,
            "kind": "certificate",
            "number": document.number,
            "status": certificate_summary(document)["status"],
        }
    elif isinstance(document, TestReport):
        body = {
            "genuine": True,
            "kind": "test_report",
            "number": document.number,
            "status": document.status.value,
        }
    else:
        body = {"genuine": False, "number": None, "status": None}
    return jsonify(body)


def _certificate_or_404(number: str) -> Certificate:
    certificate = find_certificate(number)
    if certificate is None:
        abort(404, description=f"No certificate numbered {number}.")
    return certificate

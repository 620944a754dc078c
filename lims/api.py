"""The public JSON API, version 1. No login; read-only except PDF checks."""

from flask import Blueprint, Response, abort, jsonify, request

from lims.certification.models import Certificate, TestReport
from lims.certification.rules import find_issued_pdf
from lims.errors import DomainError
from lims.extensions import csrf
from lims.pagination import MAX_PAGE, paginate
from lims.public.service import (
    EXPORT_FORMATS,
    RegisterFilter,
    certificate_summaries,
    certificate_summary,
    export_response,
    find_certificate,
    search_query,
    summary_by_number,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/certificates")
def certificates():
    search = RegisterFilter.from_args(request.args, strict=True)
    raw_page = request.args.get("page", "1")
    valid = raw_page.isascii() and raw_page.isdecimal()
    if not valid or not 0 < int(raw_page) <= MAX_PAGE:
        raise DomainError(
            f"page={raw_page!r} is invalid; pages are numbered from 1 to {MAX_PAGE}.",
            field="page",
        )
    page = paginate(search_query(search))
    return jsonify(
        {
            "items": certificate_summaries([c.id for c in page.items]),
            "total": page.total,
            "page": page.page,
            "pages": page.pages,
            "per_page": page.per_page,
        }
    )


@bp.get("/certificates/export.<extension>")
def certificates_export(extension: str):
    if extension not in EXPORT_FORMATS:
        abort(404, description=f"No export format {extension}; use csv or xlsx.")
    search = RegisterFilter.from_args(request.args, strict=True)
    return export_response(extension, search)


@bp.get("/certificates/<path:number>/pdf")
def certificate_pdf(number: str):
    certificate = _certificate_or_404(number)
    stored = certificate.pdf_file
    response = Response(stored.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{certificate.number.replace("/", "-")}.pdf"'
    )
    response.headers["X-Content-SHA256"] = stored.sha256
    return response


@bp.get("/certificates/<path:number>")
def certificate(number: str):
    summary = summary_by_number(number)
    if summary is None:
        abort(404, description=f"No certificate numbered {number}.")
    return jsonify(summary)


# A stateless API authenticated by nothing: no session cookie is read, so a
# forged cross-site post gains nothing and CSRF tokens do not apply.
@bp.post("/verify")
@csrf.exempt
def verify():
    upload = request.files.get("file")
    if upload is None:
        return jsonify({"error": "Send the PDF in the multipart field 'file'."}), 400
    return jsonify(verification_body(find_issued_pdf(upload.read())))


def verification_body(document: Certificate | TestReport | None) -> dict:
    """Return the JSON body of a PDF check for the matching document."""
    if isinstance(document, Certificate):
        return {
            "genuine": True,
            "kind": "certificate",
            "number": document.number,
            "status": certificate_summary(document)["status"],
        }
    if isinstance(document, TestReport):
        return {
            "genuine": True,
            "kind": "test_report",
            "number": document.number,
            "status": document.status.value,
            "superseded_by": document.replaced_by.number
            if document.replaced_by
            else None,
        }
    return {"genuine": False, "kind": None, "number": None, "status": None}


def _certificate_or_404(number: str) -> Certificate:
    certificate = find_certificate(number)
    if certificate is None:
        abort(404, description=f"No certificate numbered {number}.")
    return certificate

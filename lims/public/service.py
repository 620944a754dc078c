"""Public register queries shared by the pages and the JSON API."""

import sqlalchemy as sa

from lims.certification.models import Certificate, CertificateStatus
from lims.db_types import today_in
from lims.extensions import db
from lims.regulations.models import Organisation, Product, Regulation


def find_certificate(number: str) -> Certificate | None:
    return db.session.scalar(
        db.select(Certificate).where(Certificate.number == number.strip())
    )


def search_query(q: str = "", status: str = ""):
    """Build the register query: number, holder, model, HS code or regulation."""
    query = (
        db.select(Certificate)
        .join(Certificate.product)
        .join(Organisation, Certificate.holder_id == Organisation.id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    )
    q = q.strip()
    if q:
        pattern = f"%{_escape_like(q)}%"
        by_regulation = (
            db.select(Certificate.id)
            .join(Certificate.regulations)
            .where(Regulation.code.ilike(pattern, escape="\\"))
        )
        query = query.where(
            sa.or_(
                Certificate.number.ilike(pattern, escape="\\"),
                Organisation.name.ilike(pattern, escape="\\"),
                Product.model.ilike(pattern, escape="\\"),
                Product.hs_code.startswith(q.replace(".", ""), autoescape=True),
                Certificate.id.in_(by_regulation),
            )
        )
    if status in {s.value for s in CertificateStatus}:
        query = query.where(Certificate.status == CertificateStatus(status))
    return query


def certificate_summary(cert: Certificate) -> dict:
    today = today_in(cert.issuer.timezone)
    product = cert.product
    return {
        "number": cert.number,
        "status": cert.status_on(today).value,
        "scheme": cert.scheme.value,
        "holder": cert.holder.name,
        "issuer": cert.issuer.name,
        "product": {
            "name": product.name,
            "manufacturer": product.manufacturer.name,
            "model": product.model,
            "hs_code": product.hs_code,
        },
        "regulations": [r.code for r in cert.regulations],
        "importers": [o.name for o in cert.importers],
        "issued_on": cert.issued_on.isoformat(),
        "valid_until": cert.valid_until.isoformat(),
        "pdf_sha256": cert.pdf_sha256,
        "history": [
            {
                "status": change.to_status.value,
                "reason": change.reason,
                "changed_at": change.changed_at.isoformat(),
            }
            for change in cert.status_changes
        ],
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

"""Public register queries and exports shared by the pages and the JSON API."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa
from flask import Response, current_app
from sqlalchemy.orm import joinedload, selectinload

from lims.certification.models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    TestReport,
)
from lims.certification.rules import change_action
from lims.db_types import today_in
from lims.errors import DomainError
from lims.extensions import db
from lims.regulations.models import Organisation, Product, Regulation

# An export contains at most this many rows. Narrow the search to get the rest.
MAX_EXPORT_ROWS = 10_000
EXPORT_COLUMNS = [
    "number",
    "status",
    "scheme",
    "holder",
    "issuer",
    "product",
    "manufacturer",
    "model",
    "hs_code",
    "regulations",
    "importers",
    "issued_on",
    "valid_until",
    "pdf_sha256",
]
# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@cache
def summary_options(single: bool = False) -> tuple:
    """Return loader options that fetch everything a summary prints.

    Many-to-one links are joined. Collections are joined too for a ``single``
    certificate, which makes a lookup one query, and otherwise loaded with
    one extra query each for a whole page. Built on first use, because
    building them configures the mappers, which needs every model imported.
    """
    collection = joinedload if single else selectinload
    return (
        joinedload(Certificate.issuer),
        joinedload(Certificate.holder),
        joinedload(Certificate.product).joinedload(Product.manufacturer),
        collection(Certificate.regulations),
        collection(Certificate.importers),
        collection(Certificate.status_changes).joinedload(
            CertificateStatusChange.actor
        ),
    )


@dataclass(frozen=True)
class RegisterFilter:
    """A register search: free text, status, and a range of issue dates."""

    q: str = ""
    status: str = ""
    issued_from: date | None = None
    issued_to: date | None = None

    @classmethod
    def from_args(cls, args, strict: bool = False) -> "RegisterFilter":
        """Read the filter from query-string arguments.

        Pages ignore invalid values, so a hand-edited link still shows the
        register. The API is ``strict`` and raises DomainError naming the
        parameter, so a client learns its filter was not applied.
        """
        status = args.get("status", "")
        statuses = {s.value for s in CertificateStatus}
        if strict and status and status not in statuses:
            raise DomainError(
                f"status={status!r} is invalid; use one of {sorted(statuses)}.",
                field="status",
            )
        dates = {}
        for name in ("issued_from", "issued_to"):
            raw = args.get(name, "")
            dates[name] = _parse_date(raw)
            if strict and raw and dates[name] is None:
                raise DomainError(
                    f"{name}={raw!r} is not a date; write it as YYYY-MM-DD.",
                    field=name,
                )
        return cls(
            q=args.get("q", "")[:200].strip(),
            status=status if status in statuses else "",
            **dates,
        )

    def as_args(self) -> dict[str, str]:
        """Return the filter as query-string arguments for links."""
        return {
            "q": self.q,
            "status": self.status,
            "issued_from": self.issued_from.isoformat() if self.issued_from else "",
            "issued_to": self.issued_to.isoformat() if self.issued_to else "",
        }


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def find_certificate(number: str) -> Certificate | None:
    query = (
        db.select(Certificate)
        .where(Certificate.number == number.strip())
        .options(*summary_options(single=True))
    )
    return db.session.scalars(query).unique().first()


def find_report(number: str) -> TestReport | None:
    return db.session.scalar(
        db.select(TestReport).where(TestReport.number == number.strip())
    )


def search_query(search: RegisterFilter):
    """Build the register query: number, holder, model, HS code or regulation,
    then status and issue dates."""
    query = (
        db.select(Certificate)
        .join(Certificate.product)
        .join(Organisation, Certificate.holder_id == Organisation.id)
        .options(*summary_options())
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    )
    if search.q:
        query = query.where(_text_match(search.q))
    if search.status:
        query = query.where(_status_is(CertificateStatus(search.status)))
    if search.issued_from:
        query = query.where(Certificate.issued_on >= search.issued_from)
    if search.issued_to:
        query = query.where(Certificate.issued_on <= search.issued_to)
    return query


def _text_match(q: str):
    pattern = f"%{_escape_like(q)}%"
    by_regulation = (
        db.select(Certificate.id)
        .join(Certificate.regulations)
        .where(Regulation.code.ilike(pattern, escape="\\"))
    )
    return sa.or_(
        Certificate.number.ilike(pattern, escape="\\"),
        Organisation.name.ilike(pattern, escape="\\"),
        Product.model.ilike(pattern, escape="\\"),
        Product.hs_code.startswith(q.replace(".", ""), autoescape=True),
        Certificate.id.in_(by_regulation),
    )


def _status_is(status: CertificateStatus):
    """Match the status as the register shows it: valid and suspended
    certificates past their validity date count as expired.

    NOTE: "today" is taken in LIMS_TIMEZONE, not in each issuer's time zone,
    so near midnight a certificate of a body in another zone may be counted
    one day early or late.
    """
    today = today_in(current_app.config["LIMS_TIMEZONE"])
    lapsing = Certificate.status.in_(
        [CertificateStatus.VALID, CertificateStatus.SUSPENDED]
    )
    if status == CertificateStatus.EXPIRED:
        return sa.and_(lapsing, Certificate.valid_until < today)
    if status in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
        return sa.and_(Certificate.status == status, Certificate.valid_until >= today)
    return Certificate.status == status


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
        "surveillance_dates": list(cert.surveillance_dates),
        "lot_description": cert.lot_description,
        "pdf_sha256": cert.pdf_sha256,
        "verification_url": cert.verification_url,
        "history": [_history_entry(change) for change in cert.status_changes],
    }


def _history_entry(change: CertificateStatusChange) -> dict:
    return {
        "action": change_action(change.from_status, change.to_status),
        "status": change.to_status.value,
        "reason": change.reason,
        "changed_at": change.changed_at.isoformat(),
        "actor": change.actor.name if change.actor else None,
    }


def report_summary(report: TestReport) -> dict:
    replaced_by = report.replaced_by
    return {
        "number": report.number,
        "kind": "test_report",
        "status": report.status.value,
        "lab": report.lab.name,
        "issued_on": report.issued_on.isoformat(),
        "replaces": report.replaces.number if report.replaces else None,
        "replacement_reason": report.replacement_reason or None,
        "superseded_by": replaced_by.number if replaced_by else None,
        "pdf_sha256": report.pdf_sha256,
    }


def export_rows(search: RegisterFilter) -> list[list[str]]:
    """Return the header and one row per matching certificate, each cell
    neutralised against formula injection."""
    query = search_query(search).limit(MAX_EXPORT_ROWS)
    rows = [EXPORT_COLUMNS]
    for certificate in db.session.scalars(query):
        rows.append([neutralise(cell) for cell in _export_cells(certificate)])
    return rows


def _export_cells(certificate: Certificate) -> list[str]:
    summary = certificate_summary(certificate)
    product = summary["product"]
    return [
        summary["number"],
        summary["status"],
        summary["scheme"],
        summary["holder"],
        summary["issuer"],
        product["name"],
        product["manufacturer"],
        product["model"],
        product["hs_code"],
        "; ".join(summary["regulations"]),
        "; ".join(summary["importers"]),
        summary["issued_on"],
        summary["valid_until"],
        summary["pdf_sha256"],
    ]


def neutralise(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    if cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def rows_to_csv(rows: list[list[str]]) -> bytes:
    """Return the rows as UTF-8 CSV with a byte-order mark, which Excel needs
    to read Vietnamese text correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rows_to_xlsx(rows: list[list[str]]) -> bytes:
    """Return the rows as an Excel workbook with every cell stored as text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("certificates")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


EXPORT_FORMATS = {
    "csv": (rows_to_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        rows_to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def export_response(extension: str, search: RegisterFilter) -> Response:
    """Return the register search as a CSV or Excel download."""
    encode, media_type = EXPORT_FORMATS[extension]
    response = Response(encode(export_rows(search)), content_type=media_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificates.{extension}"'
    )
    return response

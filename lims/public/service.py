"""Public register queries and exports shared by the pages and the JSON API."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa
from flask import Response, current_app
from sqlalchemy.orm import selectinload

from lims.certification.models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    TestReport,
    status_on,
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
    """Return the certificate numbered ``number`` with its reports and history."""
    query = (
        db.select(Certificate)
        .where(Certificate.number == number.strip())
        .options(
            selectinload(Certificate.reports),
            selectinload(Certificate.status_changes).joinedload(
                CertificateStatusChange.actor
            ),
        )
    )
    return db.session.scalar(query)


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

    "Today" is the date in the issuer's time zone, as on the certificate's
    own summary.
    """
    today = _issuer_today()
    lapsing = Certificate.status.in_(
        [CertificateStatus.VALID, CertificateStatus.SUSPENDED]
    )
    if status == CertificateStatus.EXPIRED:
        return sa.and_(lapsing, Certificate.valid_until < today)
    if status in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
        return sa.and_(Certificate.status == status, Certificate.valid_until >= today)
    return Certificate.status == status


def _issuer_today():
    """Return an SQL expression for today's date in the certificate issuer's zone."""
    from lims.bodies.models import Body

    zones = db.session.scalars(sa.select(Body.timezone).distinct()).all()
    issuer_zone = (
        sa.select(Body.timezone)
        .where(Body.id == Certificate.issuer_id)
        .scalar_subquery()
    )
    default = today_in(current_app.config["LIMS_TIMEZONE"])
    dates = {zone: sa.literal(today_in(zone), sa.Date) for zone in zones if zone}
    if not dates:
        return sa.literal(default, sa.Date)
    return sa.case(dates, value=issuer_zone, else_=sa.literal(default, sa.Date))


def certificate_summary(cert: Certificate) -> dict:
    """Return the public summary of one loaded certificate."""
    # The summary is read with plain queries, which do not flush the session.
    db.session.flush()
    return certificate_summaries([cert.id])[0]


def summary_by_number(number: str) -> dict | None:
    """Return the public summary of the certificate numbered ``number``, or None."""
    found = _summaries(_CERTIFICATE.c.number == number.strip())
    return next(iter(found.values()), None)


def certificate_summaries(ids: Sequence[int]) -> list[dict]:
    """Return the public summaries of the certificates ``ids``, in that order.

    The register, the exports and the JSON API all print these. They are
    built from plain rows rather than ORM objects, because a lookup is the
    busiest public request and building its nine linked objects took longer
    than running the queries.
    """
    found = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start : start + _IDS_PER_QUERY]
        found.update(_summaries(_CERTIFICATE.c.id.in_(chunk)))
    return [found[certificate_id] for certificate_id in ids]


# Ids per IN (...) list, well below the bound-parameter limits of SQLite and
# PostgreSQL.
_IDS_PER_QUERY = 1000
_CERTIFICATE = Certificate.__table__


@cache
def _summary_statements() -> dict[str, sa.Select]:
    """Build the statements on first use, once every model is imported."""
    from lims.auth.models import User
    from lims.bodies.models import Body
    from lims.certification.models import certificate_importer, certificate_regulation

    certificate = _CERTIFICATE
    issuer = Body.__table__.alias("issuer")
    holder = Organisation.__table__.alias("holder")
    product = Product.__table__.alias("product")
    manufacturer = Organisation.__table__.alias("manufacturer")
    importer = Organisation.__table__.alias("importer")
    regulation = Regulation.__table__
    change = CertificateStatusChange.__table__
    actor = User.__table__.alias("actor")

    main = (
        sa.select(
            certificate.c.id,
            certificate.c.number,
            certificate.c.status,
            certificate.c.scheme,
            certificate.c.valid_until,
            certificate.c.issued_on,
            certificate.c.surveillance_dates,
            certificate.c.lot_description,
            certificate.c.pdf_sha256,
            certificate.c.verification_url,
            issuer.c.name.label("issuer"),
            issuer.c.timezone,
            holder.c.name.label("holder"),
            product.c.name.label("product_name"),
            product.c.model,
            product.c.hs_code,
            manufacturer.c.name.label("manufacturer"),
        )
        .join(issuer, issuer.c.id == certificate.c.issuer_id)
        .join(holder, holder.c.id == certificate.c.holder_id)
        .join(product, product.c.id == certificate.c.product_id)
        .join(manufacturer, manufacturer.c.id == product.c.manufacturer_id)
    )
    # One query returns the three lists of a summary, one row per entry.
    # "kind" names the list of a row, and the rows sort by kind and then by
    # each list's own order.
    ids = sa.bindparam("ids", expanding=True)
    no_status = sa.cast(sa.null(), change.c.to_status.type)
    no_time = sa.cast(sa.null(), change.c.changed_at.type)
    no_text = sa.cast(sa.null(), sa.String)
    history = (
        sa.select(
            change.c.certificate_id,
            sa.literal(_HISTORY).label("kind"),
            no_text.label("label"),
            change.c.from_status,
            change.c.to_status,
            change.c.reason,
            change.c.changed_at,
            actor.c.name.label("actor"),
            change.c.id.label("ordinal"),
        )
        .outerjoin(actor, actor.c.id == change.c.actor_id)
        .where(change.c.certificate_id.in_(ids))
    )

    def names(kind: int, link, target_id, target, label):
        """Select one list of names of the certificates, in the history's columns."""
        return (
            sa.select(
                link.c.certificate_id,
                sa.literal(kind),
                label,
                no_status,
                no_status,
                no_text,
                no_time,
                no_text,
                target.c.id,
            )
            .join(target, target.c.id == target_id)
            .where(link.c.certificate_id.in_(ids))
        )

    regulations = names(
        _REGULATIONS,
        certificate_regulation,
        certificate_regulation.c.regulation_id,
        regulation,
        regulation.c.code,
    )
    importers = names(
        _IMPORTERS,
        certificate_importer,
        certificate_importer.c.organisation_id,
        importer,
        importer.c.name,
    )
    lists = sa.union_all(history, regulations, importers).subquery()
    return {
        "main": main,
        "lists": sa.select(lists).order_by(
            lists.c.kind, lists.c.changed_at, lists.c.label, lists.c.ordinal
        ),
    }


# The kinds of rows in the lists query, in the order they sort.
_HISTORY, _REGULATIONS, _IMPORTERS = 0, 1, 2


def _summaries(condition) -> dict[int, dict]:
    """Return the summaries of the certificates matching ``condition`` by id."""
    statements = _summary_statements()
    connection = db.session.connection()
    rows = connection.execute(statements["main"].where(condition)).all()
    if not rows:
        return {}
    ids = [row.id for row in rows]
    lists: dict[int, dict[str, list]] = {
        i: {"regulations": [], "importers": [], "history": []} for i in ids
    }
    for row in connection.execute(statements["lists"], {"ids": ids}):
        entries = lists[row.certificate_id]
        if row.kind == _HISTORY:
            entries["history"].append(_history_entry(row))
        elif row.kind == _REGULATIONS:
            entries["regulations"].append(row.label)
        else:
            entries["importers"].append(row.label)

    today: dict[str, date] = {}
    summaries = {}
    for row in rows:
        if row.timezone not in today:
            today[row.timezone] = today_in(row.timezone)
        status = status_on(row.status, row.valid_until, today[row.timezone])
        summaries[row.id] = {
            "number": row.number,
            "status": status.value,
            "scheme": row.scheme.value,
            "holder": row.holder,
            "issuer": row.issuer,
            "product": {
                "name": row.product_name,
                "manufacturer": row.manufacturer,
                "model": row.model,
                "hs_code": row.hs_code,
            },
            "regulations": lists[row.id]["regulations"],
            "importers": lists[row.id]["importers"],
            "issued_on": row.issued_on.isoformat(),
            "valid_until": row.valid_until.isoformat(),
            "surveillance_dates": list(row.surveillance_dates or []),
            "lot_description": row.lot_description,
            "pdf_sha256": row.pdf_sha256,
            "verification_url": row.verification_url,
            "history": lists[row.id]["history"],
        }
    return summaries


def _history_entry(change) -> dict:
    return {
        "action": change_action(change.from_status, change.to_status),
        "status": change.to_status.value,
        "reason": change.reason,
        "changed_at": change.changed_at.isoformat(),
        "actor": change.actor,
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
    query = search_query(search).with_only_columns(Certificate.id)
    ids = list(db.session.scalars(query.limit(MAX_EXPORT_ROWS)))
    rows = [EXPORT_COLUMNS]
    for summary in certificate_summaries(ids):
        rows.append([neutralise(cell) for cell in _export_cells(summary)])
    return rows


def _export_cells(summary: dict) -> list[str]:
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

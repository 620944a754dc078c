"""Export and import of recognition records as CSV and Excel.

There is one table per record type. An Excel workbook contains one sheet
per table, named as in TABLES. Import applies each row through lims.agreements.rules in
the caller's transaction, so the view commits all rows or, on the first
error, none. The error names the file, line and column.
"""

from collections.abc import Callable, Iterable

from sqlalchemy.orm import selectinload

from lims.agreements import rules
from lims.agreements.models import Agreement, Designation
from lims.bodies.models import Accreditation, AccreditationBody
from lims.errors import DomainError
from lims.extensions import db
from lims.recognition.tables import TableError, read_table, read_xlsx_sheets


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _flag(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def _agreements() -> Iterable[list]:
    for a in db.session.scalars(db.select(Agreement).order_by(Agreement.code)):
        yield [
            a.code,
            a.name,
            a.kind.value,
            _iso(a.concluded_on),
            _iso(a.in_force_from),
            _iso(a.terminated_on),
            a.listing_term_years or "",
        ]


def _parties() -> Iterable[list]:
    for a in db.session.scalars(db.select(Agreement).order_by(Agreement.code)):
        for p in sorted(a.parties, key=lambda p: p.economy_code):
            yield [a.code, p.economy_code, _iso(p.joined_on), _iso(p.left_on)]


def _phases() -> Iterable[list]:
    for a in db.session.scalars(db.select(Agreement).order_by(Agreement.code)):
        for p in a.phases:
            yield [
                a.code,
                p.economy_a,
                p.economy_b,
                p.phase,
                _iso(p.in_force_from),
                _iso(p.in_force_until),
            ]


def _scope() -> Iterable[list]:
    for a in db.session.scalars(db.select(Agreement).order_by(Agreement.code)):
        for line in a.scope:
            yield [
                a.code,
                line.regulation.code if line.regulation else "",
                line.category.name_en if line.category else "",
            ]


def _designations_query():
    return (
        db.select(Designation)
        .order_by(Designation.number)
        .options(
            selectinload(Designation.regulations),
            selectinload(Designation.status_changes),
        )
    )


def _designations() -> Iterable[list]:
    for d in db.session.scalars(_designations_query()):
        yield [
            d.number,
            d.body.code,
            d.agreement.code,
            d.designating_authority,
            _iso(d.designated_on),
            _iso(d.expires_on),
            d.status.value,
            rules.SEPARATOR.join(sorted(r.code for r in d.regulations)),
        ]


def _status_changes() -> Iterable[list]:
    for d in db.session.scalars(_designations_query()):
        for c in d.status_changes:
            yield [d.number, c.to_status.value, _iso(c.effective_on), c.reason]


def _accreditation_bodies() -> Iterable[list]:
    query = db.select(AccreditationBody).order_by(AccreditationBody.acronym)
    for b in db.session.scalars(query):
        yield [
            b.acronym,
            b.name,
            b.economy_code,
            _flag(b.ilac_mra_testing),
            _iso(b.ilac_mra_since),
            _flag(b.iaf_mla_product),
            _iso(b.iaf_mla_since),
            _flag(b.apac_member),
            _iso(b.apac_since),
        ]


def _accreditations() -> Iterable[list]:
    query = db.select(Accreditation).order_by(Accreditation.id)
    for a in db.session.scalars(query):
        yield [
            a.body.code,
            a.accreditation_body.acronym,
            a.number,
            a.standard,
            _iso(a.granted_on),
            _iso(a.valid_until),
            a.status.value,
            rules.SEPARATOR.join(sorted(s.standard.label() for s in a.scope_lines)),
        ]


# Name: (header, rows for export, rule that applies one imported row). The
# order is the import order, so that rows can refer to earlier tables.
TABLES: dict[str, tuple[list[str], Callable, Callable]] = {
    "agreements": (list(rules.AGREEMENT_FIELDS), _agreements, rules.save_agreement),
    "agreement_parties": (
        ["agreement", "economy", "joined_on", "left_on"],
        _parties,
        rules.save_party,
    ),
    "agreement_phases": (
        [
            "agreement",
            "economy_a",
            "economy_b",
            "phase",
            "in_force_from",
            "in_force_until",
        ],
        _phases,
        rules.save_phase,
    ),
    "agreement_scope": (
        ["agreement", "regulation", "category"],
        _scope,
        rules.add_scope,
    ),
    "accreditation_bodies": (
        ["acronym", "name", "economy", *rules.SIGNATORY_FIELDS],
        _accreditation_bodies,
        rules.save_accreditation_body,
    ),
    "accreditations": (
        [
            "lab",
            "accreditation_body",
            "number",
            "standard",
            "granted_on",
            "valid_until",
            "status",
            "scope",
        ],
        _accreditations,
        rules.save_accreditation,
    ),
    "designations": (
        [
            "number",
            "lab",
            "agreement",
            "designating_authority",
            "designated_on",
            "expires_on",
            "status",
            "regulations",
        ],
        _designations,
        rules.save_designation,
    ),
    "designation_status_changes": (
        ["designation", "to_status", "effective_on", "reason"],
        _status_changes,
        rules.change_designation_status,
    ),
}


def export_table(name: str) -> tuple[list[str], list[list]]:
    header, rows, _ = TABLES[name]
    return header, list(rows())


def import_file(content: bytes, filename: str, table: str | None, actor=None) -> dict:
    """Apply every row of a CSV (one ``table``) or of a workbook (sheets by name).

    Returns the number of rows applied per table. Raises DomainError naming
    the file, line and column of the first bad row; the caller's rollback
    then discards every row already applied.
    """
    try:
        if content.startswith(b"PK\x03\x04"):
            sheets = read_xlsx_sheets(content, filename)
        else:
            if table not in TABLES:
                raise DomainError(
                    f"The table of {filename} is missing; choose one.", "table"
                )
            sheets = {table: read_table(content, filename)}
    except TableError as error:
        raise DomainError(str(error), field="file") from None
    unknown = sorted(set(sheets) - set(TABLES))
    if unknown:
        raise DomainError(
            f"{filename}: unknown sheet {', '.join(unknown)}; name sheets as "
            f"{', '.join(TABLES)}.",
            field="file",
        )
    return {
        name: _apply(filename, name, sheets[name], actor)
        for name in TABLES
        if name in sheets
    }


def _apply(filename: str, name: str, rows, actor) -> int:
    apply_row = TABLES[name][2]
    for line, values in rows:
        try:
            apply_row(values, actor)
        except DomainError as error:
            where = f"{filename}, sheet {name}, line {line}"
            if error.field:
                where += f", column {error.field}"
            raise DomainError(f"{where}: {error.message}", field="file") from None
    return len(rows)

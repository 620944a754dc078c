"""Changes to agreements, designations, accreditation bodies and accreditations.

Every rule takes the values as text, keyed like the columns of the import
and export files, so the admin forms and the file import share one path.
Each rule upserts by the record's natural key, flushes, and records an audit
event in the same transaction. Dates are ISO (YYYY-MM-DD); tri-state flags
are "yes", "no" or empty (not known).
"""

import enum
from datetime import date

from lims.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementPhase,
    AgreementScope,
    Designation,
    DesignationStatus,
    DesignationStatusChange,
)
from lims.audit.service import record, snapshot
from lims.bodies.models import (
    Accreditation,
    AccreditationBody,
    AccreditationScopeLine,
    AccreditationStatus,
    Body,
    Economy,
)
from lims.errors import DomainError
from lims.extensions import db
from lims.reference.loader import standard_for
from lims.regulations.models import ProductCategory, Regulation

SEPARATOR = " ; "
AGREEMENT_FIELDS = [
    "code",
    "name",
    "kind",
    "concluded_on",
    "in_force_from",
    "terminated_on",
    "listing_term_years",
]
DESIGNATION_FIELDS = [
    "number",
    "designating_authority",
    "designated_on",
    "expires_on",
    "status",
]
SIGNATORY_FIELDS = [
    "ilac_mra_testing",
    "ilac_mra_since",
    "iaf_mla_product",
    "iaf_mla_since",
    "apac_member",
    "apac_since",
]
ACCREDITATION_FIELDS = ["number", "standard", "granted_on", "valid_until", "status"]


# Parsing text values; each error names the column.


def text(values: dict, name: str, required: bool = True) -> str:
    value = (values.get(name) or "").strip()
    if required and not value:
        raise DomainError(f"{name} is missing.", field=name)
    return value


def day(values: dict, name: str, required: bool = False) -> date | None:
    value = text(values, name, required)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            f"{name} {value!r} is not a date; write it as YYYY-MM-DD.", field=name
        ) from None


def whole(values: dict, name: str, required: bool = False) -> int | None:
    value = text(values, name, required)
    if not value:
        return None
    if not value.isdigit():
        raise DomainError(f"{name} {value!r} is not a whole number.", field=name)
    return int(value)


def choice(values: dict, name: str, enum_cls: type[enum.Enum], default=None):
    value = text(values, name, required=default is None) or default.value
    try:
        return enum_cls(value.lower())
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        raise DomainError(
            f"{name} {value!r} is invalid; use one of: {allowed}.", field=name
        ) from None


def flag(values: dict, name: str) -> bool | None:
    value = text(values, name, required=False).lower()
    if value in ("", "unknown"):
        return None
    if value in ("yes", "true", "1"):
        return True
    if value in ("no", "false", "0"):
        return False
    raise DomainError(f"{name} {value!r} is invalid; use yes, no or empty.", field=name)


def items(values: dict, name: str) -> list[str]:
    return [v.strip() for v in text(values, name, False).split(";") if v.strip()]


def _check_period(start: date | None, end: date | None, field: str) -> None:
    if start and end and end < start:
        raise DomainError(
            f"{field} {end.isoformat()} is before the start {start.isoformat()}.",
            field=field,
        )


# Finding records by natural key.


def find_agreement(code: str, field: str = "agreement") -> Agreement:
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.code == code))
    if agreement is None:
        raise DomainError(f"No agreement coded {code!r} is recorded.", field=field)
    return agreement


def find_regulation(code: str, field: str = "regulation") -> Regulation:
    regulation = db.session.scalar(db.select(Regulation).where(Regulation.code == code))
    if regulation is None:
        raise DomainError(f"No regulation coded {code!r} is recorded.", field=field)
    return regulation


def find_body(code: str, field: str = "lab") -> Body:
    body = db.session.scalar(db.select(Body).where(Body.code == code))
    if body is None:
        raise DomainError(f"No lab or body coded {code!r} is recorded.", field=field)
    return body


def find_accreditation_body(acronym: str, field: str) -> AccreditationBody:
    found = db.session.scalar(
        db.select(AccreditationBody).where(AccreditationBody.acronym == acronym)
    )
    if found is None:
        raise DomainError(
            f"No accreditation body {acronym!r} is recorded.", field=field
        )
    return found


def find_designation(number: str, field: str = "designation") -> Designation:
    designation = db.session.scalar(
        db.select(Designation).where(Designation.number == number)
    )
    if designation is None:
        raise DomainError(f"No designation {number!r} is recorded.", field=field)
    return designation


def _economy(code: str, field: str) -> str:
    if db.session.get(Economy, code) is None:
        raise DomainError(f"Economy {code!r} is not recorded.", field=field)
    return code


def _audit(action: str, obj, fields: list[str], before: dict | None, actor) -> None:
    record(
        action,
        obj,
        summary=f"{action} {getattr(obj, 'code', None) or obj.id}",
        before=before,
        after=snapshot(obj, fields),
        actor=actor,
    )


# Agreements.


def save_agreement(values: dict, actor=None) -> Agreement:
    code = text(values, "code")
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.code == code))
    before = snapshot(agreement, AGREEMENT_FIELDS) if agreement else None
    agreement = agreement or Agreement(code=code)
    agreement.name = text(values, "name")
    agreement.kind = choice(values, "kind", AgreementKind)
    agreement.concluded_on = day(values, "concluded_on")
    agreement.in_force_from = day(values, "in_force_from")
    agreement.terminated_on = day(values, "terminated_on")
    _check_period(agreement.in_force_from, agreement.terminated_on, "terminated_on")
    agreement.listing_term_years = whole(values, "listing_term_years")
    db.session.add(agreement)
    db.session.flush()
    action = "agreement.updated" if before else "agreement.created"
    _audit(action, agreement, AGREEMENT_FIELDS, before, actor)
    return agreement


def save_party(values: dict, actor=None) -> AgreementParty:
    agreement = find_agreement(text(values, "agreement"))
    economy = _economy(text(values, "economy"), "economy")
    party = next((p for p in agreement.parties if p.economy_code == economy), None)
    fields = ["economy_code", "joined_on", "left_on"]
    before = snapshot(party, fields) if party else None
    if party is None:
        party = AgreementParty(economy_code=economy)
        agreement.parties.append(party)
    party.joined_on = day(values, "joined_on")
    party.left_on = day(values, "left_on")
    _check_period(party.joined_on, party.left_on, "left_on")
    db.session.flush()
    record(
        "agreement.party_saved",
        agreement,
        summary=f"{agreement.code}: party {economy}",
        before=before,
        after=snapshot(party, fields),
        actor=actor,
    )
    return party


def save_phase(values: dict, actor=None) -> AgreementPhase:
    agreement = find_agreement(text(values, "agreement"))
    economy_a = text(values, "economy_a")
    economy_b = text(values, "economy_b")
    for name, code in (("economy_a", economy_a), ("economy_b", economy_b)):
        if code != "*":
            _economy(code, name)
    phase_number = whole(values, "phase", required=True)
    if phase_number not in (1, 2):
        raise DomainError(
            "phase must be 1 (test reports) or 2 (certificates).", "phase"
        )

    key = (economy_a, economy_b, phase_number)
    phase = next(
        (p for p in agreement.phases if (p.economy_a, p.economy_b, p.phase) == key),
        None,
    )
    fields = ["economy_a", "economy_b", "phase", "in_force_from", "in_force_until"]
    before = snapshot(phase, fields) if phase else None
    if phase is None:
        phase = AgreementPhase(economy_a=economy_a, economy_b=economy_b, phase=key[2])
        agreement.phases.append(phase)
    phase.in_force_from = day(values, "in_force_from")
    phase.in_force_until = day(values, "in_force_until")
    _check_period(phase.in_force_from, phase.in_force_until, "in_force_until")
    db.session.flush()
    record(
        "agreement.phase_saved",
        agreement,
        summary=f"{agreement.code}: phase {phase_number} {economy_a}–{economy_b}",
        before=before,
        after=snapshot(phase, fields),
        actor=actor,
    )
    return phase


def add_scope(values: dict, actor=None) -> AgreementScope:
    agreement = find_agreement(text(values, "agreement"))
    regulation_code = text(values, "regulation", required=False)
    category_name = text(values, "category", required=False)
    if bool(regulation_code) == bool(category_name):
        raise DomainError("Give either a regulation or a category.", "regulation")
    regulation = find_regulation(regulation_code) if regulation_code else None
    category = _find_category(category_name) if category_name else None
    for line in agreement.scope:
        if line.regulation is regulation and line.category is category:
            return line
    line = AgreementScope(regulation=regulation, category=category)
    agreement.scope.append(line)
    db.session.flush()
    record(
        "agreement.scope_added",
        agreement,
        summary=f"{agreement.code}: scope {regulation_code or category_name}",
        after={"regulation": regulation_code, "category": category_name},
        actor=actor,
    )
    return line


def _find_category(name: str) -> ProductCategory:
    category = db.session.scalar(
        db.select(ProductCategory).where(ProductCategory.name_en == name)
    )
    if category is None:
        raise DomainError(f"No product category {name!r} is recorded.", "category")
    return category


# Designations.


def save_designation(values: dict, actor=None) -> Designation:
    number = text(values, "number")
    designation = db.session.scalar(
        db.select(Designation).where(Designation.number == number)
    )
    before = _designation_snapshot(designation) if designation else None
    designation = designation or Designation(number=number)

    designation.body = find_body(text(values, "lab"))
    designation.agreement = find_agreement(text(values, "agreement"))
    designation.designating_authority = text(values, "designating_authority")
    designation.designated_on = day(values, "designated_on", required=True)
    designation.expires_on = day(values, "expires_on")
    _check_period(designation.designated_on, designation.expires_on, "expires_on")
    designation.regulations = [
        find_regulation(c, "regulations") for c in items(values, "regulations")
    ]
    if not designation.regulations:
        raise DomainError("regulations is missing; list at least one.", "regulations")
    if before is None:
        designation.status = choice(
            values, "status", DesignationStatus, DesignationStatus.DESIGNATED
        )
    db.session.add(designation)
    db.session.flush()

    action = "designation.updated" if before else "designation.created"
    record(
        action,
        designation,
        summary=f"{action} {number}",
        before=before,
        after=_designation_snapshot(designation),
        actor=actor,
    )
    return designation


def _designation_snapshot(designation: Designation) -> dict:
    values = snapshot(designation, DESIGNATION_FIELDS)
    values["lab"] = designation.body.code if designation.body else None
    values["agreement"] = designation.agreement.code if designation.agreement else None
    values["regulations"] = sorted(r.code for r in designation.regulations)
    return values


def change_designation_status(values: dict, actor=None) -> DesignationStatusChange:
    """Record a status change effective on a date; the history decides.

    Recording the same status on the same date again changes nothing, so a
    file can be imported twice. The current status follows the latest change
    in effect today, so a change dated in the future waits in the history.
    """
    designation = find_designation(text(values, "designation"))
    to_status = choice(values, "to_status", DesignationStatus)
    effective_on = day(values, "effective_on", required=True)
    if effective_on < designation.designated_on:
        raise DomainError(
            f"effective_on {effective_on.isoformat()} is before the designation "
            f"date {designation.designated_on.isoformat()}.",
            field="effective_on",
        )
    for existing in designation.status_changes:
        if (existing.to_status, existing.effective_on) == (to_status, effective_on):
            return existing
    before = {"status": designation.status.value}
    change = DesignationStatusChange(
        to_status=to_status,
        effective_on=effective_on,
        reason=text(values, "reason", required=False),
        actor_id=actor.id if actor is not None else None,
    )
    designation.status_changes.append(change)
    designation.status = _status_today(designation)
    db.session.flush()
    record(
        "designation.status_changed",
        designation,
        summary=f"{designation.number}: {to_status.value} from {effective_on}",
        before=before,
        after={
            "status": designation.status.value,
            "to_status": to_status.value,
            "effective_on": effective_on.isoformat(),
            "reason": change.reason,
        },
        actor=actor,
    )
    return change


def _status_today(designation: Designation) -> DesignationStatus:
    # NOTE: a listing that lapses at the end of its term keeps "designated"
    # here until an expired status is recorded. Recognition decisions apply
    # the term themselves (lims.recognition.rules.designation_status_on).
    today = date.today()
    status = DesignationStatus.DESIGNATED
    for change in sorted(designation.status_changes, key=lambda c: c.effective_on):
        if change.effective_on <= today:
            status = change.to_status
    return status


# Accreditation bodies and accreditations.


def save_accreditation_body(values: dict, actor=None) -> AccreditationBody:
    acronym = text(values, "acronym")
    body = db.session.scalar(
        db.select(AccreditationBody).where(AccreditationBody.acronym == acronym)
    )
    fields = ["acronym", "name", "economy_code", *SIGNATORY_FIELDS]
    before = snapshot(body, fields) if body else None
    if body is None:
        body = AccreditationBody(acronym=acronym)
    body.name = text(values, "name", required=before is None) or body.name
    economy = text(values, "economy", required=before is None)
    body.economy_code = _economy(economy, "economy") if economy else body.economy_code
    body.ilac_mra_testing = flag(values, "ilac_mra_testing")
    body.ilac_mra_since = day(values, "ilac_mra_since")
    body.iaf_mla_product = flag(values, "iaf_mla_product")
    body.iaf_mla_since = day(values, "iaf_mla_since")
    body.apac_member = flag(values, "apac_member")
    body.apac_since = day(values, "apac_since")
    db.session.add(body)
    db.session.flush()
    action = "accreditation_body.updated" if before else "accreditation_body.created"
    record(
        action,
        body,
        summary=f"{action} {acronym}",
        before=before,
        after=snapshot(body, fields),
        actor=actor,
    )
    return body


def save_accreditation(values: dict, actor=None) -> Accreditation:
    accreditor = find_accreditation_body(
        text(values, "accreditation_body"), "accreditation_body"
    )
    number = text(values, "number")
    accreditation = db.session.scalar(
        db.select(Accreditation).where(
            Accreditation.accreditation_body_id == accreditor.id,
            Accreditation.number == number,
        )
    )
    before = _accreditation_snapshot(accreditation) if accreditation else None
    accreditation = accreditation or Accreditation(
        accreditation_body=accreditor, number=number
    )

    accreditation.body = find_body(text(values, "lab"))
    accreditation.standard = text(values, "standard")
    accreditation.granted_on = day(values, "granted_on", required=True)
    accreditation.valid_until = day(values, "valid_until", required=True)
    _check_period(accreditation.granted_on, accreditation.valid_until, "valid_until")
    accreditation.status = choice(
        values, "status", AccreditationStatus, AccreditationStatus.ACTIVE
    )
    accreditation.scope_lines = [
        AccreditationScopeLine(standard=standard_for(label))
        for label in items(values, "scope")
    ]
    db.session.add(accreditation)
    db.session.flush()

    action = "accreditation.updated" if before else "accreditation.created"
    record(
        action,
        accreditation,
        summary=f"{action} {accreditor.acronym} {number}",
        before=before,
        after=_accreditation_snapshot(accreditation),
        actor=actor,
    )
    return accreditation


def _accreditation_snapshot(accreditation: Accreditation) -> dict:
    values = snapshot(accreditation, ACCREDITATION_FIELDS)
    values["lab"] = accreditation.body.code if accreditation.body else None
    values["scope"] = sorted(
        line.standard.label() for line in accreditation.scope_lines
    )
    return values


# Regulation editions.


def save_regulation_edition(values: dict, actor=None) -> Regulation:
    regulation = find_regulation(text(values, "regulation"))
    fields = ["effective_from", "transition_ends", "based_on_id", "supersedes_id"]
    before = snapshot(regulation, fields)
    supersedes = text(values, "supersedes", required=False)
    older = find_regulation(supersedes, "supersedes") if supersedes else None
    if older is regulation:
        raise DomainError("A regulation cannot supersede itself.", "supersedes")
    regulation.supersedes = older
    regulation.effective_from = day(values, "effective_from")
    regulation.transition_ends = day(values, "transition_ends")
    regulation.based_on = standard_for(text(values, "based_on", required=False))
    db.session.flush()
    record(
        "regulation.edition_updated",
        regulation,
        summary=f"{regulation.code}: edition data",
        before=before,
        after=snapshot(regulation, fields),
        actor=actor,
    )
    return regulation

"""Plain, frozen copies of the records a recognition decision reads.

A decision never touches the database: the caller loads a :class:`Snapshot`
once (for one lab, or for everything when checking a whole shipment) and the
rules in :mod:`lims.recognition.rules` work on it in memory.
"""

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lims.agreements.models import Agreement, AgreementScope, Designation
from lims.bodies.models import (
    Accreditation,
    AccreditationScopeLine,
    Body,
    BodyIdentifier,
)
from lims.extensions import db
from lims.regulations.models import ProductCategory, Regulation


def standard_key(label: str | None) -> str | None:
    """Normalise a standard edition label so "CISPR 32:2015" = "cispr 32 2015"."""
    if not label:
        return None
    return re.sub(r"[\s:]+", " ", label).strip().casefold() or None


def regulation_family(code: str) -> str:
    """Return the part of a regulation code shared by its editions: "QCVN 118"."""
    return code.split(":", 1)[0].strip()


@dataclass(frozen=True)
class RegulationFacts:
    code: str
    standard: str | None
    effective_from: date | None
    transition_ends: date | None
    supersedes: str | None


@dataclass(frozen=True)
class PartyFacts:
    economy: str
    joined_on: date | None
    left_on: date | None


@dataclass(frozen=True)
class PhaseFacts:
    economy_a: str
    economy_b: str
    phase: int
    in_force_from: date | None
    in_force_until: date | None


@dataclass(frozen=True)
class AgreementFacts:
    code: str
    in_force_from: date | None
    terminated_on: date | None
    listing_term_years: int | None
    parties: tuple[PartyFacts, ...]
    phases: tuple[PhaseFacts, ...]
    scope_regulations: frozenset[str]
    scope_categories: frozenset[str]


@dataclass(frozen=True)
class AccreditationFacts:
    number: str
    accreditation_body: str
    ilac_mra: bool | None
    ilac_mra_since: date | None
    iaf_mla: bool | None
    iaf_mla_since: date | None
    granted_on: date
    valid_until: date
    status: str
    # Normalised standard keys (see standard_key) of the scope lines.
    scope: frozenset[str]


@dataclass(frozen=True)
class BodyFacts:
    id: int
    code: str
    name: str
    kind: str
    economy: str
    accreditations: tuple[AccreditationFacts, ...]


@dataclass(frozen=True)
class DesignationFacts:
    number: str
    body_id: int
    agreement: str
    designated_on: date
    expires_on: date | None
    # (effective_on, to_status) in date order.
    status_changes: tuple[tuple[date, str], ...]
    regulations: frozenset[str]


@dataclass(frozen=True)
class CategoryFacts:
    name: str
    requires_local_testing: bool
    hs_codes: frozenset[str]
    regulations: frozenset[str]


@dataclass
class Snapshot:
    regulations: dict[str, RegulationFacts] = field(default_factory=dict)
    agreements: dict[str, AgreementFacts] = field(default_factory=dict)
    bodies: dict[int, BodyFacts] = field(default_factory=dict)
    # Casefolded body code or register identifier to body id.
    body_keys: dict[str, int] = field(default_factory=dict)
    # Casefolded designation number to designation.
    designations: dict[str, DesignationFacts] = field(default_factory=dict)
    designations_by_body: dict[int, list[DesignationFacts]] = field(
        default_factory=dict
    )
    categories: tuple[CategoryFacts, ...] = ()
    # Regulation code to the codes of the editions that supersede it.
    successors: dict[str, list[str]] = field(default_factory=dict)

    def add_designation(self, designation: DesignationFacts) -> None:
        self.designations[designation.number.casefold()] = designation
        self.designations_by_body.setdefault(designation.body_id, []).append(
            designation
        )

    def add_regulation(self, regulation: RegulationFacts) -> None:
        self.regulations[regulation.code] = regulation
        if regulation.supersedes:
            self.successors.setdefault(regulation.supersedes, []).append(
                regulation.code
            )


def load_snapshot(labs: list[str] | None = None) -> Snapshot:
    """Load the records for ``labs`` (designation numbers or lab codes).

    ``None`` loads every body and designation, for checking a whole shipment
    list in memory.
    """
    snapshot = Snapshot()
    for regulation in _regulation_facts():
        snapshot.add_regulation(regulation)
    snapshot.agreements = {a.code: a for a in _agreement_facts()}
    snapshot.categories = tuple(_category_facts())

    body_ids = None if labs is None else _body_ids_for(labs)
    _load_bodies(snapshot, body_ids)
    return snapshot


def _regulation_facts() -> list[RegulationFacts]:
    regulations = db.session.scalars(
        db.select(Regulation).options(
            selectinload(Regulation.based_on), selectinload(Regulation.supersedes)
        )
    )
    return [
        RegulationFacts(
            code=r.code,
            standard=r.based_on.label() if r.based_on else None,
            effective_from=r.effective_from,
            transition_ends=r.transition_ends,
            supersedes=r.supersedes.code if r.supersedes else None,
        )
        for r in regulations
    ]


def _agreement_facts() -> list[AgreementFacts]:
    agreements = db.session.scalars(
        db.select(Agreement).options(
            selectinload(Agreement.parties),
            selectinload(Agreement.phases),
            selectinload(Agreement.scope).selectinload(AgreementScope.regulation),
            selectinload(Agreement.scope).selectinload(AgreementScope.category),
        )
    )
    return [_agreement_fact(a) for a in agreements]


def _agreement_fact(agreement: Agreement) -> AgreementFacts:
    scope = agreement.scope
    return AgreementFacts(
        code=agreement.code,
        in_force_from=agreement.in_force_from,
        terminated_on=agreement.terminated_on,
        listing_term_years=agreement.listing_term_years,
        parties=tuple(
            PartyFacts(p.economy_code, p.joined_on, p.left_on)
            for p in agreement.parties
        ),
        phases=tuple(
            PhaseFacts(
                p.economy_a, p.economy_b, p.phase, p.in_force_from, p.in_force_until
            )
            for p in agreement.phases
        ),
        scope_regulations=frozenset(s.regulation.code for s in scope if s.regulation),
        scope_categories=frozenset(s.category.name_en for s in scope if s.category),
    )


def _category_facts() -> list[CategoryFacts]:
    categories = db.session.scalars(
        db.select(ProductCategory).options(
            selectinload(ProductCategory.hs_codes),
            selectinload(ProductCategory.regulations),
        )
    )
    return [
        CategoryFacts(
            name=c.name_en,
            requires_local_testing=c.requires_local_testing,
            hs_codes=frozenset(h.code for h in c.hs_codes),
            regulations=frozenset(r.code for r in c.regulations),
        )
        for c in categories
    ]


def _body_ids_for(labs: list[str]) -> set[int]:
    keys = [lab.strip().casefold() for lab in labs if lab.strip()]
    if not keys:
        return set()
    by_designation = db.select(Designation.body_id).where(
        sa.func.lower(Designation.number).in_(keys)
    )
    by_code = db.select(Body.id).where(sa.func.lower(Body.code).in_(keys))
    by_identifier = db.select(BodyIdentifier.body_id).where(
        sa.func.lower(BodyIdentifier.value).in_(keys)
    )
    query = sa.union(by_designation, by_code, by_identifier)
    return set(db.session.scalars(query))


def _load_bodies(snapshot: Snapshot, body_ids: set[int] | None) -> None:
    if body_ids is not None and not body_ids:
        return
    bodies = db.select(Body).options(
        selectinload(Body.identifiers),
        selectinload(Body.accreditations)
        .selectinload(Accreditation.scope_lines)
        .selectinload(AccreditationScopeLine.standard),
        selectinload(Body.accreditations).selectinload(
            Accreditation.accreditation_body
        ),
    )
    designations = db.select(Designation).options(
        selectinload(Designation.agreement),
        selectinload(Designation.regulations),
        selectinload(Designation.status_changes),
    )
    if body_ids is not None:
        bodies = bodies.where(Body.id.in_(body_ids))
        designations = designations.where(Designation.body_id.in_(body_ids))

    for body in db.session.scalars(bodies):
        snapshot.bodies[body.id] = _body_fact(body)
        snapshot.body_keys[body.code.casefold()] = body.id
        for identifier in body.identifiers:
            snapshot.body_keys.setdefault(identifier.value.casefold(), body.id)
    for designation in db.session.scalars(designations):
        snapshot.add_designation(_designation_fact(designation))


def _body_fact(body: Body) -> BodyFacts:
    return BodyFacts(
        id=body.id,
        code=body.code,
        name=body.name_en or body.name,
        kind=body.kind.value,
        economy=body.economy_code,
        accreditations=tuple(_accreditation_fact(a) for a in body.accreditations),
    )


def _accreditation_fact(accreditation: Accreditation) -> AccreditationFacts:
    accreditation_body = accreditation.accreditation_body
    return AccreditationFacts(
        number=accreditation.number,
        accreditation_body=accreditation_body.acronym,
        ilac_mra=accreditation_body.ilac_mra_testing,
        ilac_mra_since=accreditation_body.ilac_mra_since,
        iaf_mla=accreditation_body.iaf_mla_product,
        iaf_mla_since=accreditation_body.iaf_mla_since,
        granted_on=accreditation.granted_on,
        valid_until=accreditation.valid_until,
        status=accreditation.status.value,
        scope=frozenset(
            standard_key(line.standard.label()) for line in accreditation.scope_lines
        ),
    )


def _designation_fact(designation: Designation) -> DesignationFacts:
    return DesignationFacts(
        number=designation.number,
        body_id=designation.body_id,
        agreement=designation.agreement.code,
        designated_on=designation.designated_on,
        expires_on=designation.expires_on,
        status_changes=tuple(
            (change.effective_on, change.to_status.value)
            for change in sorted(
                designation.status_changes, key=lambda c: (c.effective_on, c.id)
            )
        ),
        regulations=frozenset(r.code for r in designation.regulations),
    )

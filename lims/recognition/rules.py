"""Decide whether a foreign test report or certificate is accepted in Viet Nam.

:func:`decide` checks six conditions against a :class:`Snapshot` of recorded
facts and returns a verdict with one line per condition:

1. ``agreement_in_force``: the lab's economy and Viet Nam share an agreement
   in force on the test date, at a phase that covers what is presented
   (phase 1 accepts test reports, phase 2 also accepts certificates);
2. ``agreement_scope``: the agreement covers the regulation at its edition;
3. ``designation_active``: the lab is designated under that agreement for
   the regulation, and the designation was active on the test date;
4. ``accreditation_valid``: an accreditation valid on the test date, from a
   signatory accreditation body, covers the standard edition;
5. ``standard_edition``: the standard edition used is the one the edition in
   force on the decision date adopts, or the one it superseded while the
   transition period runs;
6. ``no_local_testing``: no product category that demands testing in Viet
   Nam applies.

Each line is met (True), not met (False) or unknown (None, a fact is not
recorded). Any False gives ``not_accepted``; otherwise any None gives
``needs_review``; otherwise ``accepted``.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import g, has_request_context
from flask_babel import get_translations

from lims.errors import DomainError
from lims.recognition.snapshot import (
    AccreditationFacts,
    AgreementFacts,
    BodyFacts,
    CategoryFacts,
    DesignationFacts,
    PhaseFacts,
    RegulationFacts,
    Snapshot,
    regulation_family,
    standard_key,
)

OUR_ECONOMY = "VN"


def _(message: str, **values) -> str:
    """Translate ``message`` in a request; outside one, return it in English.

    The catalogue is looked up once per request and kept on ``g``, because a
    batch of 10,000 lines formats about 100,000 messages.
    """
    text = _translator()(message)
    return text % values if values else text


def _translator():
    if not has_request_context():
        return str
    translate = g.get("recognition_gettext")
    if translate is None:
        translate = get_translations().gettext
        g.recognition_gettext = translate
    return translate


KINDS = ("report", "certificate")
ACCEPTED, NOT_ACCEPTED, NEEDS_REVIEW = "accepted", "not_accepted", "needs_review"
CONDITION_CODES = (
    "agreement_in_force",
    "agreement_scope",
    "designation_active",
    "accreditation_valid",
    "standard_edition",
    "no_local_testing",
)


@dataclass(frozen=True)
class PresentedFacts:
    """The facts of a test report or certificate an importer presents."""

    kind: str
    # A designation number, a lab code or a register identifier of the lab.
    lab: str
    tested_on: date
    # The standard edition the report used; "" means the edition the
    # regulation adopts.
    standard: str = ""
    hs_code: str = ""
    category: str = ""


@dataclass(frozen=True)
class Condition:
    code: str
    met: bool | None
    detail: str
    facts: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Decision:
    verdict: str
    agreement: str | None
    conditions: tuple[Condition, ...]

    def as_dict(self) -> dict:
        """Return the public form: verdict, agreement and condition lines."""
        return {
            "verdict": self.verdict,
            "agreement": self.agreement,
            "conditions": [
                {"code": c.code, "met": c.met, "detail": c.detail}
                for c in self.conditions
            ],
        }

    def reasons(self) -> list[str]:
        """Return the details of the conditions not met or unknown."""
        return [c.detail for c in self.conditions if c.met is not True]


def verdict_of(conditions: tuple[Condition, ...]) -> str:
    states = [c.met for c in conditions]
    if False in states:
        return NOT_ACCEPTED
    if None in states:
        return NEEDS_REVIEW
    return ACCEPTED


def decide(
    facts: PresentedFacts, regulation_code: str, on: date, snapshot: Snapshot
) -> Decision:
    """Decide on ``facts`` for the regulation coded ``regulation_code``.

    ``on`` is the decision date, against which the edition in force and its
    transition period are judged. The other conditions are judged on the
    test date. Raises DomainError for an unknown regulation or kind.
    """
    regulation = find_regulation(regulation_code, snapshot)
    if facts.kind not in KINDS:
        raise DomainError(
            _("Kind %(kind)s is invalid; use report or certificate.", kind=facts.kind),
            field="kind",
        )
    body, named = find_lab(facts.lab, snapshot)
    used_standard = facts.standard or regulation.standard
    shared = (
        accreditation_condition(body, facts, used_standard),
        edition_condition(regulation, used_standard, on, snapshot),
        local_testing_condition(regulation, facts, snapshot),
    )

    candidates = candidate_agreements(body, named, snapshot)
    if not candidates:
        conditions = (*no_agreement_conditions(body, facts), *shared)
        return Decision(verdict_of(conditions), None, conditions)
    decisions = [
        _decide_under(agreement, body, named, regulation, facts, snapshot, shared)
        for agreement in candidates
    ]
    return min(decisions, key=_rank)


def _decide_under(
    agreement: AgreementFacts,
    body: BodyFacts,
    named: DesignationFacts | None,
    regulation: RegulationFacts,
    facts: PresentedFacts,
    snapshot: Snapshot,
    shared: tuple[Condition, ...],
) -> Decision:
    conditions = (
        agreement_condition(agreement, body.economy, facts),
        scope_condition(agreement, regulation, facts, snapshot),
        designation_condition(agreement, body, named, regulation, facts, snapshot),
        *shared,
    )
    return Decision(verdict_of(conditions), agreement.code, conditions)


_VERDICT_ORDER = {ACCEPTED: 0, NEEDS_REVIEW: 1, NOT_ACCEPTED: 2}


def _rank(decision: Decision) -> tuple:
    states = [c.met for c in decision.conditions]
    return (
        _VERDICT_ORDER[decision.verdict],
        states.count(False),
        states.count(None),
        decision.agreement or "",
    )


def find_regulation(code: str, snapshot: Snapshot) -> RegulationFacts:
    regulation = snapshot.regulations.get(code.strip())
    if regulation is None:
        raise DomainError(
            _(
                "No regulation coded %(code)s is recorded; "
                "give a code such as QCVN 118:2018/BTTTT.",
                code=code,
            ),
            field="regulation",
        )
    return regulation


def find_lab(
    lab: str, snapshot: Snapshot
) -> tuple[BodyFacts | None, DesignationFacts | None]:
    """Find the body by designation number, body code or register identifier."""
    key = lab.strip().casefold()
    designation = snapshot.designations.get(key)
    if designation is not None:
        return snapshot.bodies.get(designation.body_id), designation
    body_id = snapshot.body_keys.get(key)
    return snapshot.bodies.get(body_id) if body_id else None, None


def candidate_agreements(
    body: BodyFacts | None, named: DesignationFacts | None, snapshot: Snapshot
) -> list[AgreementFacts]:
    """List the agreements to judge: the named designation's, else every
    agreement the lab is designated under or its economy shares with ours."""
    if body is None:
        return []
    if named is not None:
        agreement = snapshot.agreements.get(named.agreement)
        return [agreement] if agreement else []
    codes = {d.agreement for d in snapshot.designations_by_body.get(body.id, [])}
    for agreement in snapshot.agreements.values():
        economies = {p.economy for p in agreement.parties}
        if {body.economy, OUR_ECONOMY} <= economies:
            codes.add(agreement.code)
    return [snapshot.agreements[c] for c in sorted(codes) if c in snapshot.agreements]


def no_agreement_conditions(
    body: BodyFacts | None, facts: PresentedFacts
) -> tuple[Condition, Condition, Condition]:
    if body is None:
        first = Condition(
            "agreement_in_force",
            None,
            _(
                "No lab or designation %(lab)s is recorded, so its economy is unknown.",
                lab=facts.lab,
            ),
            {"lab": facts.lab},
        )
        third = Condition(
            "designation_active",
            False,
            _("No designation or lab %(lab)s is recorded.", lab=facts.lab),
            {"lab": facts.lab},
        )
    else:
        first = Condition(
            "agreement_in_force",
            False,
            _(
                "No agreement between %(economy)s and %(ours)s is recorded.",
                economy=body.economy,
                ours=OUR_ECONOMY,
            ),
            {"economies": [body.economy, OUR_ECONOMY]},
        )
        third = Condition(
            "designation_active",
            False,
            _("Lab %(lab)s is not designated under any agreement.", lab=body.code),
            {"lab": body.code},
        )
    second = Condition(
        "agreement_scope", None, _("No agreement applies, so no scope to check.")
    )
    return first, second, third


# Condition 1: agreement and phase in force on the test date.


def agreement_condition(
    agreement: AgreementFacts, economy: str, facts: PresentedFacts
) -> Condition:
    day = facts.tested_on
    needed = 2 if facts.kind == "certificate" else 1
    used = {
        "agreement": agreement.code,
        "economies": [economy, OUR_ECONOMY],
        "phase_needed": needed,
        "tested_on": day.isoformat(),
    }

    def condition(met: bool | None, detail: str) -> Condition:
        return Condition("agreement_in_force", met, detail, used)

    absent = _absent_party(agreement, {economy, OUR_ECONOMY}, day)
    if absent:
        return condition(
            False,
            _(
                "%(economy)s was not a party to %(agreement)s on %(day)s.",
                economy=absent,
                agreement=agreement.code,
                day=day.isoformat(),
            ),
        )
    if agreement.terminated_on and day >= agreement.terminated_on:
        return condition(
            False,
            _(
                "%(agreement)s was terminated on %(end)s, before the test date.",
                agreement=agreement.code,
                end=agreement.terminated_on.isoformat(),
            ),
        )
    if agreement.in_force_from and day < agreement.in_force_from:
        return condition(
            False,
            _(
                "%(agreement)s entered into force on %(start)s, "
                "after the test date %(day)s.",
                agreement=agreement.code,
                start=agreement.in_force_from.isoformat(),
                day=day.isoformat(),
            ),
        )
    return _phase_condition(agreement, economy, day, needed, condition)


def _absent_party(agreement: AgreementFacts, economies: set[str], day: date):
    for economy in sorted(economies):
        party = next((p for p in agreement.parties if p.economy == economy), None)
        if party is None:
            return economy
        if party.joined_on and day < party.joined_on:
            return economy
        if party.left_on and day >= party.left_on:
            return economy
    return None


def _phase_condition(agreement, economy, day, needed, condition) -> Condition:
    phases = [p for p in agreement.phases if _phase_applies(p, economy)]
    pair = f"{economy}–{OUR_ECONOMY}"
    in_force = [p for p in phases if _phase_in_force(p, agreement, day) is True]
    undated = [p for p in phases if _phase_in_force(p, agreement, day) is None]
    covering = [p for p in in_force if p.phase >= needed]
    if covering:
        best = max(covering, key=lambda p: p.phase)
        return condition(
            True,
            _(
                "Phase %(phase)s of %(agreement)s is in force between %(pair)s "
                "on %(day)s.",
                phase=best.phase,
                agreement=agreement.code,
                pair=pair,
                day=day.isoformat(),
            ),
        )
    if any(p.phase >= needed for p in undated):
        return condition(
            None,
            _(
                "No date of entry into force is recorded for %(agreement)s "
                "between %(pair)s.",
                agreement=agreement.code,
                pair=pair,
            ),
        )
    if in_force:
        return condition(
            False,
            _(
                "Only phase %(phase)s of %(agreement)s is in force between %(pair)s; "
                "a certificate needs phase 2.",
                phase=max(p.phase for p in in_force),
                agreement=agreement.code,
                pair=pair,
            ),
        )
    return condition(
        False,
        _(
            "No phase of %(agreement)s was in force between %(pair)s on %(day)s.",
            agreement=agreement.code,
            pair=pair,
            day=day.isoformat(),
        ),
    )


def _phase_applies(phase: PhaseFacts, economy: str) -> bool:
    """Tell whether ``phase`` binds ``economy`` and Viet Nam ("*" = any party)."""
    ends = {phase.economy_a, phase.economy_b}
    pair = {economy, OUR_ECONOMY}
    if "*" in ends:
        return ends - {"*"} <= pair
    return ends == pair


def _phase_in_force(
    phase: PhaseFacts, agreement: AgreementFacts, day: date
) -> bool | None:
    start = phase.in_force_from or agreement.in_force_from
    if start is None:
        return None
    if day < start:
        return False
    return phase.in_force_until is None or day <= phase.in_force_until


# Condition 2: the agreement's scope.


def scope_condition(
    agreement: AgreementFacts,
    regulation: RegulationFacts,
    facts: PresentedFacts,
    snapshot: Snapshot,
) -> Condition:
    used = {"agreement": agreement.code, "regulation": regulation.code}
    if regulation.code in agreement.scope_regulations:
        return Condition(
            "agreement_scope",
            True,
            _(
                "%(agreement)s covers %(regulation)s.",
                agreement=agreement.code,
                regulation=regulation.code,
            ),
            used,
        )
    for category in _scope_categories(agreement, regulation, facts, snapshot):
        return Condition(
            "agreement_scope",
            True,
            _(
                "%(agreement)s covers the product category %(category)s.",
                agreement=agreement.code,
                category=category.name,
            ),
            {**used, "category": category.name},
        )
    if not agreement.scope_regulations and not agreement.scope_categories:
        return Condition(
            "agreement_scope",
            None,
            _("No scope is recorded for %(agreement)s.", agreement=agreement.code),
            used,
        )
    return Condition(
        "agreement_scope",
        False,
        _scope_miss(agreement, regulation),
        used,
    )


def _scope_categories(agreement, regulation, facts, snapshot) -> list[CategoryFacts]:
    hs_code = _hs_digits(facts.hs_code)
    return [
        c
        for c in snapshot.categories
        if c.name in agreement.scope_categories
        and (
            regulation.code in c.regulations
            or (hs_code and any(hs_code.startswith(h) for h in c.hs_codes))
        )
    ]


def _scope_miss(agreement: AgreementFacts, regulation: RegulationFacts) -> str:
    family = regulation_family(regulation.code)
    editions = sorted(
        c for c in agreement.scope_regulations if regulation_family(c) == family
    )
    if editions:
        return _(
            "%(agreement)s covers %(editions)s but not the edition %(regulation)s.",
            agreement=agreement.code,
            editions=", ".join(editions),
            regulation=regulation.code,
        )
    return _(
        "%(regulation)s is outside the scope of %(agreement)s.",
        agreement=agreement.code,
        regulation=regulation.code,
    )


# Condition 3: designation under the agreement, active on the test date.


def designation_condition(
    agreement: AgreementFacts,
    body: BodyFacts,
    named: DesignationFacts | None,
    regulation: RegulationFacts,
    facts: PresentedFacts,
    snapshot: Snapshot,
) -> Condition:
    day = facts.tested_on
    if named is not None:
        designations = [named]
    else:
        designations = [
            d
            for d in snapshot.designations_by_body.get(body.id, [])
            if d.agreement == agreement.code
        ]
    if not designations:
        return Condition(
            "designation_active",
            False,
            _(
                "Lab %(lab)s is not designated under %(agreement)s.",
                lab=body.code,
                agreement=agreement.code,
            ),
            {"lab": body.code, "agreement": agreement.code},
        )
    covering = [d for d in designations if regulation.code in d.regulations]
    if not covering:
        return Condition(
            "designation_active",
            False,
            _(
                "Designation %(number)s does not cover %(regulation)s.",
                number=", ".join(sorted(d.number for d in designations)),
                regulation=regulation.code,
            ),
            {"designations": sorted(d.number for d in designations)},
        )
    states = [
        (d, designation_status_on(d, day, agreement.listing_term_years))
        for d in sorted(covering, key=lambda d: d.number)
    ]
    active = [(d, s) for d, s in states if s[0] == "designated"]
    designation, (status, since) = (active or states)[0]
    used = {
        "designation": designation.number,
        "status": status,
        "since": since.isoformat(),
        "tested_on": day.isoformat(),
    }
    return Condition(
        "designation_active",
        status == "designated",
        _designation_detail(designation, status, since, day),
        used,
    )


def designation_status_on(
    designation: DesignationFacts, day: date, term_years: int | None
) -> tuple[str, date]:
    """Return the status on ``day`` and the date it took effect.

    The status history decides, so a designation suspended on D1 and
    reinstated on D2 is "suspended" from D1 to the day before D2. A listing
    lapses after its last day: ``expires_on``, or the end of the agreement's
    listing term counted from ``designated_on``. "not_yet" means the
    designation starts after ``day``.
    """
    if day < designation.designated_on:
        return "not_yet", designation.designated_on
    status, since = "designated", designation.designated_on
    for effective_on, to_status in designation.status_changes:
        if effective_on > day:
            break
        status, since = to_status, effective_on
    last_day = designation_last_day(designation, term_years)
    if status == "designated" and last_day and day > last_day:
        return "expired", last_day
    return status, since


def designation_last_day(
    designation: DesignationFacts, term_years: int | None
) -> date | None:
    if designation.expires_on:
        return designation.expires_on
    if not term_years:
        return None
    start = designation.designated_on
    try:
        end = start.replace(year=start.year + term_years)
    except ValueError:  # 29 February: the anniversary falls on 1 March
        end = start.replace(year=start.year + term_years, month=3, day=1)
    return end - timedelta(days=1)


def _designation_detail(designation, status: str, since: date, day: date) -> str:
    values = {
        "number": designation.number,
        "since": since.isoformat(),
        "day": day.isoformat(),
    }
    if status == "designated":
        return _("Designation %(number)s was active on %(day)s.", **values)
    if status == "not_yet":
        return _(
            "Designation %(number)s starts on %(since)s, after the test date %(day)s.",
            **values,
        )
    if status == "expired":
        return _(
            "Designation %(number)s lapsed after %(since)s, before the test date "
            "%(day)s.",
            **values,
        )
    if status == "suspended":
        return _(
            "Designation %(number)s was suspended from %(since)s and not "
            "reinstated by %(day)s.",
            **values,
        )
    return _(
        "Designation %(number)s was %(status)s from %(since)s.",
        status=status,
        **values,
    )


# Condition 4: accreditation valid on the test date.


def accreditation_condition(
    body: BodyFacts | None, facts: PresentedFacts, used_standard: str | None
) -> Condition:
    day = facts.tested_on
    if body is None:
        return Condition(
            "accreditation_valid",
            None,
            _("No lab or designation %(lab)s is recorded.", lab=facts.lab),
            {"lab": facts.lab},
        )
    valid = [a for a in body.accreditations if accreditation_valid_on(a, day)]
    if not valid:
        return Condition(
            "accreditation_valid",
            False,
            _(
                "No accreditation of %(lab)s was valid on %(day)s.",
                lab=body.code,
                day=day.isoformat(),
            ),
            {
                "lab": body.code,
                "accreditations": [
                    [a.number, a.granted_on.isoformat(), a.valid_until.isoformat()]
                    for a in body.accreditations
                ],
            },
        )
    checks = [_accreditation_check(a, body, day, used_standard) for a in valid]
    return min(checks, key=lambda c: {True: 0, None: 1, False: 2}[c.met])


def accreditation_valid_on(accreditation: AccreditationFacts, day: date) -> bool:
    # A suspension or withdrawal has no recorded date, so it counts for the
    # whole period. An expired accreditation was valid within its dates.
    return (
        accreditation.status in ("active", "expired")
        and accreditation.granted_on <= day <= accreditation.valid_until
    )


def _accreditation_check(
    accreditation: AccreditationFacts,
    body: BodyFacts,
    day: date,
    used_standard: str | None,
) -> Condition:
    signatory = _signatory_on(accreditation, body.kind, day)
    scope = _scope_covers(accreditation, used_standard)
    used = {
        "accreditation": accreditation.number,
        "accreditation_body": accreditation.accreditation_body,
        "arrangement": signatory[2],
        "valid_until": accreditation.valid_until.isoformat(),
        "standard": used_standard,
    }
    for met, detail in (signatory[:2], scope):
        if met is False:
            return Condition("accreditation_valid", False, detail, used)
    for met, detail in (signatory[:2], scope):
        if met is None:
            return Condition("accreditation_valid", None, detail, used)
    return Condition(
        "accreditation_valid",
        True,
        _(
            "Accreditation %(number)s by %(body)s (%(arrangement)s signatory) "
            "was valid on %(day)s and covers %(standard)s.",
            number=accreditation.number,
            body=accreditation.accreditation_body,
            arrangement=signatory[2],
            day=day.isoformat(),
            standard=used_standard,
        ),
        used,
    )


def _signatory_on(
    accreditation: AccreditationFacts, body_kind: str, day: date
) -> tuple[bool | None, str, str]:
    """Check the accreditation body signed the arrangement for this body kind:
    the ILAC MRA for labs, the IAF MLA for certification bodies."""
    if body_kind == "certification_body":
        arrangement = "IAF MLA"
        status, since = accreditation.iaf_mla, accreditation.iaf_mla_since
    else:
        arrangement = "ILAC MRA"
        status, since = accreditation.ilac_mra, accreditation.ilac_mra_since
    values = {
        "body": accreditation.accreditation_body,
        "arrangement": arrangement,
        "day": day.isoformat(),
    }
    if status is None:
        message = _("Whether %(body)s signed the %(arrangement)s is not recorded.")
        return None, message % values, arrangement
    if status is False:
        message = _("%(body)s is not a signatory of the %(arrangement)s.")
        return False, message % values, arrangement
    if since and day < since:
        message = _("%(body)s signed the %(arrangement)s on %(since)s, after %(day)s.")
        return False, message % {**values, "since": since.isoformat()}, arrangement
    return True, "", arrangement


def _scope_covers(
    accreditation: AccreditationFacts, used_standard: str | None
) -> tuple[bool | None, str]:
    values = {"number": accreditation.number, "standard": used_standard}
    if used_standard is None:
        return None, _("No standard edition is known to check the scope against.")
    if not accreditation.scope:
        return None, _("No scope is recorded for accreditation %(number)s.") % values
    if standard_key(used_standard) in accreditation.scope:
        return True, ""
    return False, _(
        "The scope of accreditation %(number)s does not include %(standard)s."
    ) % values


# Condition 5: the standard edition against the edition in force.


def edition_in_force(
    regulation: RegulationFacts, on: date, snapshot: Snapshot
) -> RegulationFacts:
    """Follow the editions that supersede ``regulation`` up to the one in force."""
    current, seen = regulation, {regulation.code}
    while True:
        newer = [
            snapshot.regulations[code]
            for code in snapshot.successors.get(current.code, [])
            if code not in seen
            and snapshot.regulations[code].effective_from
            and snapshot.regulations[code].effective_from <= on
        ]
        if not newer:
            return current
        current = max(newer, key=lambda r: (r.effective_from, r.code))
        seen.add(current.code)


def edition_condition(
    regulation: RegulationFacts,
    used_standard: str | None,
    on: date,
    snapshot: Snapshot,
) -> Condition:
    in_force = edition_in_force(regulation, on, snapshot)
    used = {
        "standard": used_standard,
        "edition_in_force": in_force.code,
        "required": in_force.standard,
        "decided_on": on.isoformat(),
    }
    values = {
        "standard": used_standard,
        "edition": in_force.code,
        "required": in_force.standard,
        "on": on.isoformat(),
    }
    if used_standard is None or in_force.standard is None:
        return Condition(
            "standard_edition",
            None,
            _("No standard edition is recorded for %(edition)s.") % values,
            used,
        )
    if standard_key(used_standard) == standard_key(in_force.standard):
        return Condition(
            "standard_edition",
            True,
            _(
                "%(standard)s is the edition that %(edition)s, in force on %(on)s, "
                "adopts."
            )
            % values,
            used,
        )
    return _superseded_edition(in_force, used_standard, on, snapshot, used, values)


def _superseded_edition(in_force, used_standard, on, snapshot, used, values):
    previous = snapshot.regulations.get(in_force.supersedes or "")
    matches_previous = previous is not None and standard_key(
        previous.standard
    ) == standard_key(used_standard)
    if not matches_previous:
        return Condition(
            "standard_edition",
            False,
            _("The report uses %(standard)s but %(edition)s requires %(required)s.")
            % values,
            used,
        )
    values = {**values, "previous": previous.code, "end": in_force.transition_ends}
    if in_force.transition_ends is None:
        message = _(
            "%(standard)s is the edition of %(previous)s, which %(edition)s "
            "superseded with no transition period recorded."
        )
        return Condition("standard_edition", False, message % values, used)
    values["end"] = in_force.transition_ends.isoformat()
    if on <= in_force.transition_ends:
        message = _(
            "%(standard)s is the edition of the superseded %(previous)s, "
            "accepted until %(end)s."
        )
        return Condition("standard_edition", True, message % values, used)
    message = _(
        "%(standard)s is the edition of the superseded %(previous)s, whose "
        "transition period ended on %(end)s."
    )
    return Condition("standard_edition", False, message % values, used)


# Condition 6: no category that demands local testing.


def local_testing_condition(
    regulation: RegulationFacts, facts: PresentedFacts, snapshot: Snapshot
) -> Condition:
    matched, basis = _matching_categories(regulation, facts, snapshot)
    local = sorted(c.name for c in matched if c.requires_local_testing)
    used = {"basis": basis, "categories": sorted(c.name for c in matched)}
    if not local:
        return Condition(
            "no_local_testing",
            True,
            _("No product category that demands testing in Viet Nam applies."),
            used,
        )
    names = ", ".join(local)
    if basis != "regulation" or len(local) == len(matched):
        return Condition(
            "no_local_testing",
            False,
            _("Category %(names)s must be tested in Viet Nam.", names=names),
            used,
        )
    return Condition(
        "no_local_testing",
        None,
        _(
            "Some products under %(regulation)s (%(names)s) must be tested in "
            "Viet Nam; give the HS code to decide.",
            regulation=regulation.code,
            names=names,
        ),
        used,
    )


def _matching_categories(
    regulation: RegulationFacts, facts: PresentedFacts, snapshot: Snapshot
) -> tuple[list[CategoryFacts], str]:
    if facts.category:
        requested = facts.category.strip().casefold()
        return [c for c in snapshot.categories if c.name.casefold() == requested], (
            "category"
        )
    hs_code = _hs_digits(facts.hs_code)
    if hs_code:
        return [
            c
            for c in snapshot.categories
            if any(hs_code.startswith(h) for h in c.hs_codes)
        ], "hs_code"
    return [
        c for c in snapshot.categories if regulation.code in c.regulations
    ], "regulation"


def _hs_digits(hs_code: str) -> str:
    return "".join(ch for ch in hs_code if ch.isdigit())


def presented_dict(facts: PresentedFacts) -> dict:
    return {
        "kind": facts.kind,
        "lab": facts.lab,
        "tested_on": facts.tested_on.isoformat(),
        "standard": facts.standard,
        "hs_code": facts.hs_code,
        "category": facts.category,
    }

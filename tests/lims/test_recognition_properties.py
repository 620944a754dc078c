"""Properties of the recognition decision, on in-memory snapshots.

The base snapshot accepts a test report from lab L1 (Korea) for any test date
from 2015 to 2030. Each breaker changes one recorded fact so that exactly one
condition fails.
"""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lims.recognition.rules import (
    ACCEPTED,
    CONDITION_CODES,
    NOT_ACCEPTED,
    PresentedFacts,
    decide,
    verdict_of,
)
from lims.recognition.snapshot import (
    AccreditationFacts,
    AgreementFacts,
    BodyFacts,
    CategoryFacts,
    DesignationFacts,
    PartyFacts,
    PhaseFacts,
    RegulationFacts,
    Snapshot,
    standard_key,
)

CODE = "QCVN 1:2020/BTTTT"
STANDARD = "STD 1:2020"
FIRST, LAST = date(2015, 1, 1), date(2030, 12, 31)
REGULATION = RegulationFacts(CODE, STANDARD, date(2014, 1, 1), None, None)
AGREEMENT = AgreementFacts(
    code="A",
    in_force_from=FIRST,
    terminated_on=None,
    listing_term_years=None,
    parties=(PartyFacts("KR", None, None), PartyFacts("VN", None, None)),
    phases=(PhaseFacts("KR", "VN", 1, None, None),),
    scope_regulations=frozenset({CODE}),
    scope_categories=frozenset(),
)
ACCREDITATION = AccreditationFacts(
    number="ACC-1",
    accreditation_body="AB",
    ilac_mra=True,
    ilac_mra_since=None,
    iaf_mla=None,
    iaf_mla_since=None,
    granted_on=FIRST,
    valid_until=LAST,
    status="active",
    scope=frozenset({standard_key(STANDARD)}),
)
BODY = BodyFacts(1, "L1", "Lab 1", "testing_lab", "KR", (ACCREDITATION,))
DESIGNATION = DesignationFacts("D-1", 1, "A", FIRST, None, (), frozenset({CODE}))
LOCAL = CategoryFacts("Phones", True, frozenset({"851713"}), frozenset())


def build(
    agreements=(AGREEMENT,),
    body=BODY,
    designations=(DESIGNATION,),
    regulations=(REGULATION,),
) -> Snapshot:
    snapshot = Snapshot(categories=(LOCAL,))
    for regulation in regulations:
        snapshot.add_regulation(regulation)
    snapshot.agreements = {a.code: a for a in agreements}
    snapshot.bodies = {body.id: body}
    snapshot.body_keys = {body.code.casefold(): body.id}
    for designation in designations:
        snapshot.add_designation(designation)
    return snapshot


def facts(tested_on: date, **changes) -> PresentedFacts:
    return replace(PresentedFacts("report", "D-1", tested_on), **changes)


test_dates = st.dates(FIRST, LAST)
gaps = st.integers(min_value=1, max_value=2000).map(lambda n: timedelta(days=n))


def met(decision, code: str):
    return decision.conditions[CONDITION_CODES.index(code)].met


@given(test_dates, st.integers(0, 1000))
def test_base_world_accepts(tested_on, wait):
    on = tested_on + timedelta(days=wait)
    decision = decide(facts(tested_on), CODE, on, build())
    assert decision.verdict == ACCEPTED
    assert decision.agreement == "A"


def _breakers(tested_on: date, gap: timedelta, text: str):
    """Yield (condition code, facts, snapshot) with one recorded fact failing."""
    yield (
        "agreement_in_force",
        facts(tested_on),
        build(agreements=(replace(AGREEMENT, in_force_from=tested_on + gap),)),
    )
    yield "agreement_in_force", facts(tested_on, kind="certificate"), build()
    yield (
        "agreement_scope",
        facts(tested_on),
        build(agreements=(replace(AGREEMENT, scope_regulations=frozenset({text})),)),
    )
    yield (
        "designation_active",
        facts(tested_on),
        build(designations=(replace(DESIGNATION, designated_on=tested_on + gap),)),
    )
    yield (
        "designation_active",
        facts(tested_on),
        build(designations=(replace(DESIGNATION, expires_on=tested_on - gap),)),
    )

    suspended = ((tested_on - gap, "suspended"),)
    yield (
        "designation_active",
        facts(tested_on),
        build(designations=(replace(DESIGNATION, status_changes=suspended),)),
    )

    for changed in (
        replace(ACCREDITATION, valid_until=tested_on - gap),
        replace(ACCREDITATION, granted_on=tested_on + gap),
        replace(ACCREDITATION, ilac_mra=False),
        replace(ACCREDITATION, ilac_mra_since=tested_on + gap),
        replace(ACCREDITATION, scope=frozenset({text})),
        replace(ACCREDITATION, status="withdrawn"),
    ):
        yield (
            "accreditation_valid",
            facts(tested_on),
            build(body=replace(BODY, accreditations=(changed,))),
        )

    other_standard = f"STD 9:{text}"
    with_other = replace(
        ACCREDITATION, scope=ACCREDITATION.scope | {standard_key(other_standard)}
    )
    yield (
        "standard_edition",
        facts(tested_on, standard=other_standard),
        build(body=replace(BODY, accreditations=(with_other,))),
    )
    yield "no_local_testing", facts(tested_on, hs_code="851713" + text[:2]), build()


@given(test_dates, gaps, st.text("0123456789", min_size=2, max_size=6))
def test_single_failing_fact_never_accepted(tested_on, gap, text):
    on = max(tested_on, LAST)
    for code, presented, snapshot in _breakers(tested_on, gap, text):
        decision = decide(presented, CODE, on, snapshot)
        assert decision.verdict == NOT_ACCEPTED, (code, decision)
        assert met(decision, code) is False, (code, decision)


@given(test_dates, gaps, st.booleans())
def test_decision_is_deterministic(tested_on, gap, certificate):
    presented = facts(tested_on, kind="certificate" if certificate else "report")
    snapshot = build(designations=(replace(DESIGNATION, expires_on=FIRST + gap),))
    first = decide(presented, CODE, LAST, snapshot)
    second = decide(
        presented, CODE, LAST, build(designations=snapshot_designations(snapshot))
    )
    assert first == second
    assert first.verdict == verdict_of(first.conditions)
    assert [c.code for c in first.conditions] == list(CONDITION_CODES)


def snapshot_designations(snapshot: Snapshot) -> tuple:
    return tuple(snapshot.designations.values())


agreements = st.builds(
    AgreementFacts,
    code=st.text("BCDEFG-", min_size=2, max_size=8),
    in_force_from=st.none() | test_dates,
    terminated_on=st.none() | test_dates,
    listing_term_years=st.none() | st.integers(1, 5),
    parties=st.lists(
        st.builds(
            PartyFacts,
            st.sampled_from(["KR", "VN", "JP", "SG"]),
            st.none() | test_dates,
            st.none() | test_dates,
        ),
        max_size=4,
    ).map(tuple),
    phases=st.lists(
        st.builds(
            PhaseFacts,
            st.sampled_from(["KR", "VN", "*"]),
            st.sampled_from(["KR", "VN", "*"]),
            st.integers(1, 2),
            st.none() | test_dates,
            st.none() | test_dates,
        ),
        max_size=3,
    ).map(tuple),
    scope_regulations=st.sets(st.just(CODE)).map(frozenset),
    scope_categories=st.just(frozenset()),
)


@given(test_dates, st.lists(agreements, max_size=3), st.sampled_from(["D-1", "L1"]))
def test_unrelated_agreement_keeps_refusal(tested_on, extra, lab):
    # The lab is designated under A, but not for this regulation.
    narrow = replace(DESIGNATION, regulations=frozenset({"QCVN 2:2020/BTTTT"}))
    snapshot = build(agreements=(AGREEMENT, *extra), designations=(narrow,))
    decision = decide(facts(tested_on, lab=lab), CODE, LAST, snapshot)
    assert decision.verdict == NOT_ACCEPTED
    assert met(decision, "designation_active") is False


@given(st.dates(date(2016, 1, 1), date(2024, 12, 31)), gaps, gaps)
def test_suspension_interval_excludes_test_dates(suspended_on, length, offset):
    reinstated_on = suspended_on + length
    changes = ((suspended_on, "suspended"), (reinstated_on, "designated"))
    snapshot = build(designations=(replace(DESIGNATION, status_changes=changes),))
    inside = min(suspended_on + offset, reinstated_on - timedelta(days=1))
    before = suspended_on - timedelta(days=1)
    on = reinstated_on + length

    assert decide(facts(inside), CODE, on, snapshot).verdict == NOT_ACCEPTED
    assert decide(facts(before), CODE, on, snapshot).verdict == ACCEPTED
    assert decide(facts(reinstated_on), CODE, on, snapshot).verdict == ACCEPTED


def test_listing_term_lapses_by_itself():
    term = replace(AGREEMENT, listing_term_years=3)
    listed = replace(DESIGNATION, designated_on=date(2020, 2, 29))
    snapshot = build(agreements=(term,), designations=(listed,))

    last_day = decide(facts(date(2023, 2, 28)), CODE, LAST, snapshot)
    lapsed = decide(facts(date(2023, 3, 1)), CODE, LAST, snapshot)

    assert last_day.verdict == ACCEPTED
    assert lapsed.verdict == NOT_ACCEPTED
    assert met(lapsed, "designation_active") is False
    assert "lapsed after 2023-02-28" in lapsed.conditions[2].detail

"""A fixed recognition world: agreements, foreign labs, designations.

Dates are fixed so that each test case names a boundary day. The world:

- TEST-KR-VN: bilateral, in force from 2020-01-01, phase 1 between KR and
  VN; scope QCVN 118:2018, QCVN 999:2019, QCVN 999:2024 and QCVN 74:2020.
- TEST-JP-VN: phase 1 from 2020-01-01 and phase 2 from 2021-01-01 between JP
  and VN; scope QCVN 118:2018.
- QCVN 999:2024 (TST 1:2022) supersedes QCVN 999:2019 (TST 1:2015) from
  2024-07-01 with a transition period to 2025-06-30.
- Products of HS 851713 must be tested in Viet Nam.
"""

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
from lims.bodies.models import (
    Accreditation,
    AccreditationBody,
    AccreditationScopeLine,
    Body,
    BodyKind,
)
from lims.extensions import db
from lims.reference.loader import standard_for
from lims.regulations.models import (
    HsCode,
    ProductCategory,
    Regulation,
    RegulationKind,
)

CISPR32 = "CISPR 32:2015"
ETSI_328 = "ETSI EN 300 328 V2.2.2 (2019-07)"
ETSI_440 = "ETSI EN 300 440 V2.2.1 (2018-07)"
FULL_SCOPE = (CISPR32, "TST 1:2015", "TST 1:2022", ETSI_328, ETSI_440)


def regulation(code: str) -> Regulation:
    return db.session.scalar(db.select(Regulation).where(Regulation.code == code))


def accreditation_body(acronym, economy, ilac=True, iaf=None, ilac_since=None):
    body = AccreditationBody(
        acronym=acronym,
        name=f"{acronym} accreditation",
        economy_code=economy,
        ilac_mra_testing=ilac,
        ilac_mra_since=ilac_since,
        iaf_mla_product=iaf,
        apac_member=True,
    )
    db.session.add(body)
    return body


def agreement(code, economy, phases, scope, in_force_from=date(2020, 1, 1)):
    record = Agreement(
        code=code,
        name=f"Agreement {code}",
        kind=AgreementKind.BILATERAL,
        in_force_from=in_force_from,
    )
    record.parties = [AgreementParty(economy_code=e) for e in (economy, "VN")]
    record.phases = [
        AgreementPhase(economy_a=economy, economy_b="VN", phase=n, in_force_from=d)
        for n, d in phases
    ]
    record.scope = [AgreementScope(regulation=regulation(c)) for c in scope]
    db.session.add(record)
    return record


def lab(
    code,
    economy,
    accredited_by,
    valid=(date(2019, 1, 1), date(2026, 12, 31)),
    scope=FULL_SCOPE,
    kind=BodyKind.TESTING_LAB,
):
    body = Body(
        code=code,
        name=f"Lab {code}",
        name_en=f"Lab {code}",
        kind=kind,
        economy_code=economy,
    )
    accreditation = Accreditation(
        body=body,
        accreditation_body=accredited_by,
        number=f"ACC-{code}",
        standard="ISO/IEC 17025:2017",
        granted_on=valid[0],
        valid_until=valid[1],
    )
    accreditation.scope_lines = [
        AccreditationScopeLine(standard=standard_for(label)) for label in scope
    ]
    db.session.add_all([body, accreditation])
    return body


def designate(number, body, under, since, regulations, expires_on=None, changes=()):
    designation = Designation(
        number=number,
        body=body,
        agreement=under,
        designating_authority="Ministry of Science and Technology",
        designated_on=since,
        expires_on=expires_on,
    )
    designation.regulations = [regulation(c) for c in regulations]
    designation.status_changes = [
        DesignationStatusChange(to_status=DesignationStatus(s), effective_on=d)
        for d, s in changes
    ]
    db.session.add(designation)
    return designation


def editions() -> None:
    old = Regulation(
        code="QCVN 999:2019/BTTTT",
        number="999",
        year=2019,
        issuer="BTTTT",
        kind=RegulationKind.RADIO,
        based_on=standard_for("TST 1:2015"),
        effective_from=date(2019, 7, 1),
    )
    new = Regulation(
        code="QCVN 999:2024/BTTTT",
        number="999",
        year=2024,
        issuer="BTTTT",
        kind=RegulationKind.RADIO,
        based_on=standard_for("TST 1:2022"),
        effective_from=date(2024, 7, 1),
        transition_ends=date(2025, 6, 30),
        supersedes=old,
    )
    db.session.add_all([old, new])
    db.session.flush()


def local_category() -> None:
    category = ProductCategory(name_en="Test smartphones", requires_local_testing=True)
    category.hs_codes = [db.session.get(HsCode, "851713")]
    db.session.add(category)


def world() -> dict:
    """Build the fixed world and commit it; return the records by key."""
    editions()
    local_category()
    tab_l = accreditation_body("TAB-L", "KR", ilac=True)
    tab_n = accreditation_body("TAB-N", "KR", ilac=False)
    tab_u = accreditation_body("TAB-U", "KR", ilac=None)
    tab_late = accreditation_body("TAB-LATE", "KR", ilac_since=date(2023, 1, 1))
    tab_c = accreditation_body("TAB-C", "JP", ilac=None, iaf=True)

    scope = ["QCVN 118:2018/BTTTT", "QCVN 999:2019/BTTTT", "QCVN 999:2024/BTTTT"]
    kr = agreement("TEST-KR-VN", "KR", [(1, None)], [*scope, "QCVN 74:2020/BTTTT"])
    jp = agreement(
        "TEST-JP-VN",
        "JP",
        [(1, date(2020, 1, 1)), (2, date(2021, 1, 1))],
        ["QCVN 118:2018/BTTTT"],
    )

    krl = lab("KRL", "KR", tab_l)
    designate(
        "D-KRL",
        krl,
        kr,
        date(2019, 6, 1),
        [*scope, "QCVN 54:2020/BTTTT"],
        expires_on=date(2025, 6, 30),
        changes=[(date(2022, 3, 1), "suspended"), (date(2022, 6, 1), "designated")],
    )
    krb = lab("KRB", "KR", tab_l, valid=(date(2021, 1, 1), date(2023, 12, 31)))
    designate("D-KRB", krb, kr, date(2020, 1, 1), scope)
    for code, accredited_by in (("KRN", tab_n), ("KRU", tab_u), ("KRS", tab_late)):
        designate(
            f"D-{code}", lab(code, "KR", accredited_by), kr, date(2020, 1, 1), scope
        )
    krc = lab("KRC", "KR", tab_l, scope=("TST 1:2015",))
    designate("D-KRC", krc, kr, date(2020, 1, 1), scope)
    lab("KRZ", "KR", tab_l)

    jpc = lab("JPC", "JP", tab_c, kind=BodyKind.CERTIFICATION_BODY)
    designate("D-JPC", jpc, jp, date(2020, 1, 1), ["QCVN 118:2018/BTTTT"])
    db.session.commit()
    return {"kr": kr, "jp": jp, "krl": krl}

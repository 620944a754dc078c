"""Factory helpers that build domain records through the real rules."""

import itertools
from datetime import date, timedelta

from lims.auth.models import Role, User
from lims.bodies.models import (
    Accreditation,
    AccreditationBody,
    Body,
    BodyKind,
)
from lims.equipment.models import Calibration, Instrument
from lims.extensions import db
from lims.regulations.models import Regulation, TestItem
from lims.testing import rules as testing
from lims.testing.models import DecisionRule

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def body(code=None, kind=BodyKind.TESTING_LAB, economy="VN", accredited=True):
    code = code or f"L{next(_seq)}"
    lab = Body(
        code=code,
        name=f"Phòng thử nghiệm {code}",
        name_en=f"Lab {code}",
        kind=kind,
        economy_code=economy,
        address="Số 1 Phố Huế, Hà Nội",
    )
    db.session.add(lab)
    db.session.flush()
    if accredited:
        boa = db.session.scalar(
            db.select(AccreditationBody).where(AccreditationBody.acronym == "BoA")
        )
        db.session.add(
            Accreditation(
                body=lab,
                accreditation_body=boa,
                number=f"VILAS {next(_seq)}",
                standard="ISO/IEC 17025:2017"
                if kind == BodyKind.TESTING_LAB
                else "ISO/IEC 17065:2012",
                granted_on=date.today() - timedelta(days=365),
                valid_until=date.today() + timedelta(days=365),
            )
        )
    return lab


def user(role: Role, lab=None, email=None, name=None):
    n = next(_seq)
    account = User(
        email=email or f"{role.value}{n}@example.test",
        name=name or f"{role.value.title()} {n}",
        role=role,
        body=lab,
    )
    account.set_password(PASSWORD)
    db.session.add(account)
    db.session.flush()
    return account


def instrument(lab, asset=None, due_in_days=180):
    item = Instrument(
        body=lab,
        asset_number=asset or f"EMI-{next(_seq)}",
        manufacturer="Keysight",
        model="N9038A",
        serial_number="MY0001",
    )
    due = date.today() + timedelta(days=due_in_days)
    item.calibrations.append(
        Calibration(
            calibrated_on=due - timedelta(days=365),
            due_on=due,
            certificate_number=f"CAL-{next(_seq)}",
            calibrated_by="VMI",
        )
    )
    db.session.add(item)
    db.session.flush()
    return item


def regulation(code="QCVN 118:2018/BTTTT") -> Regulation:
    return db.session.scalar(db.select(Regulation).where(Regulation.code == code))


def flat_item(reg: Regulation, level: float, unit="dBuV") -> TestItem:
    """A frequency-independent limit on ``reg``, for tests of the evaluation."""
    item = TestItem(
        regulation=reg,
        clause=f"flat {level} {next(_seq)}",
        name_en=f"Flat limit {level} {unit}",
        unit=unit,
        segments=[[0.0, None, level, level]],
        interpolation="linear",
    )
    db.session.add(item)
    db.session.flush()
    return item


def item_named(reg: Regulation, fragment: str) -> TestItem:
    return next(i for i in reg.test_items if fragment in i.name_en)


def request_with_sample(lab, technician, regs=None, rule=DecisionRule.SIMPLE):
    applicant = testing.find_or_create_organisation(
        "Công ty TNHH Thiết bị Viễn thông Đại Việt", "VN", "Hà Nội"
    )
    maker = testing.find_or_create_organisation("Lianhe Networks", "CN")
    product = testing.find_or_create_product(
        maker, "Bộ định tuyến Wi-Fi", f"AX-{next(_seq)}", "851762"
    )
    req = testing.register_request(
        lab=lab,
        applicant=applicant,
        product=product,
        regulations=regs or [regulation()],
        decision_rule=rule,
        registered_by=technician,
    )
    sample = testing.receive_sample(
        req,
        description="Router",
        serial_number="SN1",
        condition="new",
        received_on=date.today() - timedelta(days=5),
        received_by=technician,
    )
    return req, sample

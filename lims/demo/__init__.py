"""A realistic demo: two domestic labs, a certification body, a foreign lab.

Everything that has a lifecycle is created through the same rules the web
pages call, so the demo certificate went through the whole flow: request,
samples, an instrument file, review, test report and certificate.
"""

import logging
import secrets
from datetime import date, timedelta
from pathlib import Path

from instruments import ColumnMapping
from lims.agreements.models import Agreement, Designation
from lims.auth.models import Role, User
from lims.bodies.models import (
    Accreditation,
    AccreditationBody,
    AccreditationScopeLine,
    Body,
    BodyIdentifier,
    BodyKind,
)
from lims.certification import rules as certification
from lims.certification.models import CertificateScheme, CertificateStatus
from lims.equipment.models import Calibration, CalibrationOutcome, Instrument
from lims.extensions import db
from lims.recognition.demo import add_recognition_demo
from lims.regulations.models import Regulation, TestItem
from lims.results import mappings
from lims.results import rules as results
from lims.testing import rules as testing
from lims.testing.models import DecisionRule

logger = logging.getLogger(__name__)
FILES = Path(__file__).parent / "files"
DEMO_DOMAIN = "demo.lims.example"


# A German-locale spreadsheet of levels: tab separated, decimal comma,
# dd.mm.yyyy dates, and a units row under the column names.
GERMAN_LEVEL_TABLE = ColumnMapping(
    x_column="Frequenz",
    y_columns=("Pegel",),
    separator="\t",
    decimal=",",
    header_rows=2,
    units_row=1,
    x_unit=None,
    date_column="Datum",
    date_format="%d.%m.%Y",
)


def demo_loaded() -> bool:
    return db.session.scalar(db.select(Body).where(Body.code == "DVT")) is not None


def load_demo(password: str | None = None) -> tuple[dict[str, str], str]:
    """Create the demo records; return ({email: role}, the accounts' password)."""
    password = password or secrets.token_urlsafe(12)
    today = date.today()
    bodies = _bodies(today)
    users = _users(bodies, password)
    instruments = _instruments(bodies, users, today)
    _column_mappings(bodies, users)
    _designation(bodies, today)
    _flow(bodies, users, instruments, today)
    db.session.flush()
    return {u.email: u.role.value for u in users.values()}, password


def _bodies(today: date) -> dict[str, Body]:
    boa = _accreditation_body("BoA")
    kolas = _accreditation_body("KOLAS")
    specs = [
        (
            "DVT",
            "Phòng Thử nghiệm Viễn thông Đại Việt",
            "Dai Viet Telecom Test Lab",
            BodyKind.TESTING_LAB,
            "VN",
            "Số 18 Nguyễn Du, Hai Bà Trưng, Hà Nội",
        ),
        (
            "SGE",
            "Trung tâm Thử nghiệm EMC Sài Gòn",
            "Saigon EMC Test Centre",
            BodyKind.TESTING_LAB,
            "VN",
            "Lô B2, Khu Công nghệ cao, Thủ Đức, TP. Hồ Chí Minh",
        ),
        (
            "DVC",
            "Tổ chức Chứng nhận Hợp quy Đại Việt",
            "Dai Viet Certification",
            BodyKind.CERTIFICATION_BODY,
            "VN",
            "Số 18 Nguyễn Du, Hai Bà Trưng, Hà Nội",
        ),
        (
            "HBK",
            "Hanbit Radio Testing Laboratory",
            "Hanbit Radio Testing Laboratory",
            BodyKind.TESTING_LAB,
            "KR",
            "88 Techno-ro, Yuseong-gu, Daejeon",
        ),
    ]
    bodies = {}
    for code, name, name_en, kind, economy, address in specs:
        body = Body(
            code=code,
            name=name,
            name_en=name_en,
            kind=kind,
            economy_code=economy,
            address=address,
            timezone="Asia/Seoul" if economy == "KR" else "Asia/Ho_Chi_Minh",
        )
        db.session.add(body)
        bodies[code] = body
    db.session.flush()

    accreditations = [
        ("DVT", boa, "VILAS 1186", "ISO/IEC 17025:2017"),
        ("SGE", boa, "VILAS 1342", "ISO/IEC 17025:2017"),
        ("DVC", boa, "VICAS 097", "ISO/IEC 17065:2012"),
        ("HBK", kolas, "KT-1207", "ISO/IEC 17025:2017"),
    ]
    for code, acc_body, number, standard in accreditations:
        accreditation = Accreditation(
            body=bodies[code],
            accreditation_body=acc_body,
            number=number,
            standard=standard,
            granted_on=today - timedelta(days=700),
            valid_until=today + timedelta(days=760),
        )
        db.session.add(accreditation)
        db.session.add(
            BodyIdentifier(
                body=bodies[code],
                scheme=number.split()[0] if " " in number else acc_body.acronym,
                value=number,
            )
        )
        regulation = _regulation("QCVN 118:2018/BTTTT")
        if regulation.based_on is not None:
            accreditation.scope_lines.append(
                AccreditationScopeLine(standard=regulation.based_on)
            )
    return bodies


def _users(bodies, password: str) -> dict[str, User]:
    specs = [
        ("admin", "Quản trị hệ thống", Role.ADMIN, None),
        ("technician", "Nguyễn Văn An", Role.TECHNICIAN, "DVT"),
        ("technician2", "Trần Thị Bình", Role.TECHNICIAN, "SGE"),
        ("reviewer", "Lê Minh Châu", Role.REVIEWER, "DVT"),
        ("officer", "Phạm Quốc Dũng", Role.CERTIFICATION_OFFICER, "DVC"),
        ("importer", "Công ty Nhập khẩu Hải Phòng", Role.IMPORTER, None),
    ]
    users = {}
    for key, name, role, body_code in specs:
        user = User(
            email=f"{key}@{DEMO_DOMAIN}",
            name=name,
            role=role,
            body=bodies.get(body_code) if body_code else None,
        )
        user.set_password(password)
        db.session.add(user)
        users[key] = user
    db.session.flush()
    return users


def _instruments(bodies, users, today: date) -> dict[str, Instrument]:
    specs = [
        (
            "rx",
            "DVT",
            "DVT-EMI-01",
            "Keysight",
            "N9038A MXE EMI receiver",
            "MY51210142",
            200,
        ),
        (
            "lisn",
            "DVT",
            "DVT-LISN-02",
            "Rohde & Schwarz",
            "ENV216 two-line V-network",
            "101843",
            120,
        ),
        (
            "sa",
            "DVT",
            "DVT-SA-03",
            "Tektronix",
            "RSA507A spectrum analyser",
            "B010233",
            -20,
        ),
        (
            "sge",
            "SGE",
            "SGE-EMI-01",
            "Rohde & Schwarz",
            "ESRP7 EMI test receiver",
            "102117",
            90,
        ),
    ]
    instruments = {}
    for key, body, asset, maker, model, serial, days_left in specs:
        instrument = Instrument(
            body=bodies[body],
            asset_number=asset,
            manufacturer=maker,
            model=model,
            serial_number=serial,
        )
        due = today + timedelta(days=days_left)
        # days_left < 0 leaves the instrument overdue, as labs find them.
        instrument.calibrations.append(
            Calibration(
                calibrated_on=due - timedelta(days=365),
                due_on=due,
                certificate_number=f"CAL-{asset}-{due.year - 1}",
                calibrated_by="Viện Đo lường Việt Nam (VMI)",
                outcome=CalibrationOutcome.PASS,
                recorded_by_id=users["technician"].id,
            )
        )
        db.session.add(instrument)
        instruments[key] = instrument
    db.session.flush()
    return instruments


def _column_mappings(bodies, users) -> None:
    """Save the layout of a level table exported from a German-locale spreadsheet."""
    mappings.save_profile(
        bodies["DVT"],
        None,
        name="Bảng mức kiểu Đức / German level table",
        description=(
            "Tab, dấu phẩy thập phân, ngày dd.mm.yyyy / "
            "tabs, decimal comma, dd.mm.yyyy dates"
        ),
        mapping=GERMAN_LEVEL_TABLE,
        actor=users["technician"],
    )


def _designation(bodies, today: date) -> None:
    agreement = db.session.scalar(
        db.select(Agreement).where(Agreement.code == "KR-VN-MRA")
    )
    if agreement is None:
        return
    designation = Designation(
        number="KR-VN-MRA/VN-0042",
        body=bodies["HBK"],
        agreement=agreement,
        designating_authority=(
            "Bộ Khoa học và Công nghệ / Ministry of Science and Technology"
        ),
        designated_on=today - timedelta(days=400),
        expires_on=today + timedelta(days=695),
    )
    designation.regulations.append(_regulation("QCVN 118:2018/BTTTT"))
    db.session.add(designation)
    add_recognition_demo(today)


def _flow(bodies, users, instruments, today: date) -> None:
    tech, reviewer, officer = users["technician"], users["reviewer"], users["officer"]
    emc = _regulation("QCVN 118:2018/BTTTT")
    applicant = testing.find_or_create_organisation(
        "Công ty TNHH Thiết bị Viễn thông Đại Việt",
        "VN",
        "Lô 12, Khu công nghiệp Quang Minh, Mê Linh, Hà Nội",
    )
    maker = testing.find_or_create_organisation(
        "Shenzhen Lianhe Networks Co., Ltd.", "CN", "Bao'an District, Shenzhen"
    )
    importer = testing.find_or_create_organisation(
        "Công ty Cổ phần Xuất nhập khẩu Hải Phòng", "VN", "Ngô Quyền, Hải Phòng"
    )

    router = testing.find_or_create_product(
        maker, "Bộ định tuyến Wi-Fi 6 / Wi-Fi 6 router", "DV-AX1800", "851762"
    )
    switch = testing.find_or_create_product(
        maker, "Bộ chuyển mạch 8 cổng / 8-port switch", "DV-SW08", "851762"
    )
    modem = testing.find_or_create_product(
        maker, "Modem quang GPON / GPON optical modem", "DV-ONT4", "851762"
    )

    # 1. Conducted emission passes: the request goes all the way to a certificate.
    done = testing.register_request(
        lab=bodies["DVT"],
        applicant=applicant,
        product=router,
        regulations=[emc],
        decision_rule=DecisionRule.SIMPLE,
        registered_by=tech,
    )
    sample = testing.receive_sample(
        done,
        description="Router DV-AX1800 with 12 V adapter",
        serial_number="AX18-000731",
        condition="Mới, nguyên vẹn / new, undamaged",
        received_on=today - timedelta(days=10),
        received_by=tech,
    )
    result = results.record_result_from_file(
        done,
        sample,
        _item(emc, "class A, quasi-peak"),
        content=(FILES / "tektronix-EMC-EMI_v1_Example.csv").read_bytes(),
        filename="tektronix-EMC-EMI_v1_Example.csv",
        measured_on=today - timedelta(days=7),
        expanded_uncertainty=3.4,
        used=[instruments["rx"], instruments["lisn"]],
        entered_by=tech,
    )
    results.submit_for_review(done, tech)
    results.approve_result(result, reviewer)
    first_report = certification.issue_test_report(done, reviewer)
    # The first report misprinted the serial number, so it was amended: the
    # demo shows a superseded report beside the one that replaced it.
    report = certification.amend_test_report(
        first_report, "Sửa số seri mẫu / Corrected the sample serial number", reviewer
    )
    certification.issue_certificate(
        reports=[report],
        scheme=CertificateScheme.TYPE_TESTING,
        holder=applicant,
        importers=[importer],
        issuer=bodies["DVC"],
        issued_by=officer,
    )
    suspended = certification.issue_certificate(
        reports=[report],
        scheme=CertificateScheme.TYPE_TESTING_FACTORY,
        holder=applicant,
        importers=[importer],
        issuer=bodies["DVC"],
        issued_by=officer,
    )
    certification.change_certificate_status(
        suspended,
        CertificateStatus.SUSPENDED,
        "Đánh giá giám sát chưa thực hiện / Surveillance visit not done",
        officer,
    )

    # 2. Radiated emission over the class B limit, waiting for review.
    review = testing.register_request(
        lab=bodies["DVT"],
        applicant=applicant,
        product=switch,
        regulations=[emc],
        decision_rule=DecisionRule.NON_BINARY,
        registered_by=tech,
    )
    sample = testing.receive_sample(
        review,
        description="Switch DV-SW08",
        serial_number="SW08-1102",
        condition="Mới / new",
        received_on=today - timedelta(days=5),
        received_by=tech,
    )
    results.record_result_from_file(
        review,
        sample,
        _item(emc, "class B, 3 m"),
        content=(FILES / "keysight-N9038A_OneTrace.csv").read_bytes(),
        filename="keysight-N9038A_OneTrace.csv",
        measured_on=today - timedelta(days=3),
        expanded_uncertainty=5.2,
        used=[instruments["rx"]],
        entered_by=tech,
        field_strength=True,
    )
    results.submit_for_review(review, tech)

    # 3. Just registered, samples not yet in.
    testing.register_request(
        lab=bodies["DVT"],
        applicant=applicant,
        product=modem,
        regulations=[emc],
        decision_rule=DecisionRule.GUARD_BAND,
        registered_by=tech,
    )


def _accreditation_body(acronym: str) -> AccreditationBody:
    return db.session.scalar(
        db.select(AccreditationBody).where(AccreditationBody.acronym == acronym)
    )


def _regulation(code: str) -> Regulation:
    return db.session.scalar(db.select(Regulation).where(Regulation.code == code))


def _item(regulation: Regulation, fragment: str) -> TestItem:
    return next(i for i in regulation.test_items if fragment in i.name_en)

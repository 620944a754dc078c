"""Demo records for mutual recognition, added by lims.demo.load_demo.

The Korean lab HBK is designated under KR-VN-MRA (see lims.demo). This adds
the agreement's scope and a dated phase, a Chinese lab that is accredited
but not designated, and a Korean lab whose designation is suspended.
"""

from datetime import date, timedelta

from lims.agreements import rules
from lims.agreements.models import Agreement
from lims.bodies.models import Body, BodyKind
from lims.extensions import db

EMC = "QCVN 118:2018/BTTTT"
# The sources date the KR-VN MRA to 2006 without giving the day, so the demo
# uses the first day of that year.
KR_VN_IN_FORCE = date(2006, 1, 1)


def add_recognition_demo(today: date) -> None:
    agreement = db.session.scalar(
        db.select(Agreement).where(Agreement.code == "KR-VN-MRA")
    )
    if agreement is None:
        return
    rules.save_phase(
        {
            "agreement": agreement.code,
            "economy_a": "KR",
            "economy_b": "VN",
            "phase": "1",
            "in_force_from": KR_VN_IN_FORCE.isoformat(),
        }
    )
    rules.add_scope({"agreement": agreement.code, "regulation": EMC})
    _lab("SZT", "Shenzhen Tianhe Radio Test Centre", "CN", "CNAS", "L9921", today)
    _lab("KTL", "Korea Telecom Test Laboratory", "KR", "KOLAS", "KT-2290", today)
    rules.save_designation(
        {
            "number": "KR-VN-MRA/VN-0057",
            "lab": "KTL",
            "agreement": agreement.code,
            "designating_authority": "Ministry of Science and Technology",
            "designated_on": (today - timedelta(days=900)).isoformat(),
            "regulations": EMC,
        }
    )
    rules.change_designation_status(
        {
            "designation": "KR-VN-MRA/VN-0057",
            "to_status": "suspended",
            "effective_on": (today - timedelta(days=30)).isoformat(),
            "reason": "Proficiency test result not submitted",
        }
    )


def _lab(code, name, economy, accreditor, number, today: date) -> None:
    db.session.add(
        Body(
            code=code,
            name=name,
            name_en=name,
            kind=BodyKind.TESTING_LAB,
            economy_code=economy,
            timezone="Asia/Shanghai" if economy == "CN" else "Asia/Seoul",
        )
    )
    db.session.flush()
    rules.save_accreditation(
        {
            "lab": code,
            "accreditation_body": accreditor,
            "number": number,
            "standard": "ISO/IEC 17025:2017",
            "granted_on": (today - timedelta(days=1000)).isoformat(),
            "valid_until": (today + timedelta(days=800)).isoformat(),
            "scope": "CISPR 32:2015",
        }
    )

"""Admin pages for recognition records: forms, audit, import and export."""

import csv
import io

import openpyxl
import pytest

from lims.agreements.models import Agreement, Designation, DesignationStatus
from lims.audit.models import AuditEvent
from lims.auth.models import Role
from lims.bodies.models import AccreditationBody
from tests import factories as f
from tests.lims import recognition_factories as rf


@pytest.fixture
def admin(client, csrf_off, db):
    user = f.user(Role.ADMIN)
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": f.PASSWORD})
    assert response.status_code == 302
    return user


@pytest.fixture
def world(app, db):
    return rf.world()


def _actions(db) -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action)))


def test_admin_pages_need_permission(client, csrf_off, db):
    technician = f.user(Role.TECHNICIAN, f.body())
    db.session.commit()
    client.post("/login", data={"email": technician.email, "password": f.PASSWORD})

    assert client.get("/admin/recognition").status_code == 403
    assert client.get("/admin/recognition/export/agreements.csv").status_code == 403


def test_anonymous_admin_page_redirects_to_login(client):
    response = client.get("/admin/recognition")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_create_agreement_with_phase_and_scope(client, admin, db):
    client.post(
        "/admin/recognition/agreements/new",
        data={
            "code": "SG-VN-TEST",
            "name": "Singapore–Viet Nam test agreement",
            "kind": "bilateral",
            "in_force_from": "2021-03-01",
            "listing_term_years": "3",
        },
    )
    agreement = db.session.scalar(
        db.select(Agreement).where(Agreement.code == "SG-VN-TEST")
    )
    base = f"/admin/recognition/agreements/{agreement.id}"
    client.post(f"{base}/parties", data={"economy": "SG"})
    client.post(f"{base}/parties", data={"economy": "VN"})
    client.post(
        f"{base}/phases",
        data={"economy_a": "SG", "economy_b": "VN", "phase": "2"},
    )
    client.post(f"{base}/scope", data={"regulation": "QCVN 118:2018/BTTTT"})
    db.session.expire_all()

    assert agreement.listing_term_years == 3
    assert sorted(p.economy_code for p in agreement.parties) == ["SG", "VN"]
    assert [p.phase for p in agreement.phases] == [2]
    assert [s.regulation.code for s in agreement.scope] == ["QCVN 118:2018/BTTTT"]
    actions = _actions(db)
    assert "agreement.created" in actions
    assert actions.count("agreement.party_saved") == 2
    assert "agreement.phase_saved" in actions
    assert "agreement.scope_added" in actions
    page = client.get(base).get_data(as_text=True)
    assert "SG-VN-TEST" in page
    assert "agreement.scope_added" in page


def test_designation_status_change_is_audited(client, admin, world, db):
    designation = db.session.scalar(
        db.select(Designation).where(Designation.number == "D-KRB")
    )
    url = f"/admin/recognition/designations/{designation.id}/status"

    client.post(
        url,
        data={
            "to_status": "suspended",
            "effective_on": "2021-05-01",
            "reason": "Surveillance found unresolved findings",
        },
    )
    db.session.expire_all()

    assert designation.status == DesignationStatus.SUSPENDED
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "designation.status_changed")
    )
    assert event.before == {"status": "designated"}
    assert event.after["effective_on"] == "2021-05-01"
    assert event.actor_id == admin.id
    api = client.get(
        "/api/v1/recognition",
        query_string={
            "lab": "D-KRB",
            "regulation": "QCVN 118:2018/BTTTT",
            "tested_on": "2021-06-01",
        },
    ).get_json()
    assert api["verdict"] == "not_accepted"


def test_status_change_before_designation_rejected(client, admin, world, db):
    designation = db.session.scalar(
        db.select(Designation).where(Designation.number == "D-KRB")
    )
    url = f"/admin/recognition/designations/{designation.id}/status"

    response = client.post(
        url, data={"to_status": "withdrawn", "effective_on": "2010-01-01"}
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert designation.status_changes == []
    assert "designation.status_changed" not in _actions(db)


def test_signatory_dates_saved(client, admin, world, db):
    tab = db.session.scalar(
        db.select(AccreditationBody).where(AccreditationBody.acronym == "TAB-U")
    )
    client.post(
        f"/admin/recognition/accreditation-bodies/{tab.id}/edit",
        data={
            "name": tab.name,
            "economy": "KR",
            "ilac_mra_testing": "yes",
            "ilac_mra_since": "2000-11-02",
            "iaf_mla_product": "",
            "apac_member": "yes",
        },
    )
    db.session.expire_all()

    assert tab.ilac_mra_testing is True
    assert tab.ilac_mra_since == rf.date(2000, 11, 2)
    assert tab.iaf_mla_product is None
    assert "accreditation_body.updated" in _actions(db)


def test_export_neutralises_formulas(client, admin, world, db):
    client.post(
        "/admin/recognition/agreements/new",
        data={"code": "=HYPERLINK", "name": "@SUM(A1)", "kind": "bilateral"},
    )

    text = client.get("/admin/recognition/export/agreements.csv").get_data()
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get("/admin/recognition/export/recognition.xlsx").get_data())
    )

    assert ["'=HYPERLINK", "'@SUM(A1)"] in [r[:2] for r in rows]
    sheet = workbook["agreements"]
    cells = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "'=HYPERLINK" in cells
    assert "designations" in workbook.sheetnames


def test_export_then_import_round_trip(client, admin, world, db):
    content = client.get("/admin/recognition/export/recognition.xlsx").get_data()
    events_before = len(_actions(db))

    response = client.post(
        "/admin/recognition/import",
        data={"file": (io.BytesIO(content), "recognition.xlsx"), "table": "agreements"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    assert len(_actions(db)) > events_before
    designation = db.session.scalar(
        db.select(Designation).where(Designation.number == "D-KRL")
    )
    assert {r.code for r in designation.regulations} >= {"QCVN 118:2018/BTTTT"}


def test_import_is_all_or_nothing(client, admin, world, db):
    content = (
        b"code,name,kind,in_force_from\n"
        b"NEW-ONE,First new agreement,bilateral,2022-01-01\n"
        b"NEW-TWO,Second new agreement,trilateral,2022-01-01\n"
    )

    response = client.post(
        "/admin/recognition/import",
        data={"file": (io.BytesIO(content), "agreements.csv"), "table": "agreements"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )

    page = response.get_data(as_text=True)
    assert "agreements.csv, sheet agreements, line 3, column kind" in page
    codes = set(db.session.scalars(db.select(Agreement.code)))
    assert "NEW-ONE" not in codes
    assert "NEW-TWO" not in codes


def test_import_twice_adds_no_status_changes(client, admin, world, db):
    content = client.get("/admin/recognition/export/recognition.xlsx").get_data()
    for _ in range(2):
        client.post(
            "/admin/recognition/import",
            data={"file": (io.BytesIO(content), "all.xlsx"), "table": "agreements"},
            content_type="multipart/form-data",
        )

    designation = db.session.scalar(
        db.select(Designation).where(Designation.number == "D-KRL")
    )
    assert len(designation.status_changes) == 2

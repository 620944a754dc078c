"""The demo lab's recognition records give one verdict of each kind."""

from datetime import date, timedelta

import pytest

from lims.demo import load_demo

EMC = "QCVN 118:2018/BTTTT"


@pytest.fixture
def demo(app, db):
    load_demo(password="demo password for tests")
    db.session.commit()


@pytest.mark.parametrize(
    ("lab", "verdict", "failing"),
    [
        ("KR-VN-MRA/VN-0042", "accepted", []),
        ("HBK", "accepted", []),
        ("KR-VN-MRA/VN-0057", "not_accepted", ["designation_active"]),
        ("SZT", "not_accepted", ["agreement_in_force", "designation_active"]),
    ],
)
def test_demo_verdicts(client, demo, lab, verdict, failing):
    tested_on = date.today() - timedelta(days=10)

    body = client.get(
        "/api/v1/recognition",
        query_string={"lab": lab, "regulation": EMC, "tested_on": tested_on},
    ).get_json()

    assert body["verdict"] == verdict
    assert [c["code"] for c in body["conditions"] if c["met"] is False] == failing


def test_demo_suspension_is_audited(client, demo):
    bodies = client.get("/api/v1/bodies", query_string={"q": "KTL"}).get_json()
    detail = client.get(f"/api/v1/bodies/{bodies['items'][0]['id']}").get_json()

    designation = detail["designations"][0]
    assert designation["status"] == "suspended"
    assert (
        designation["history"][0]["reason"] == "Proficiency test result not submitted"
    )

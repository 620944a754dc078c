"""Every admin recognition route against anonymous, staff and admin users."""

import pytest

from lims.agreements.models import Designation
from lims.auth.models import Role
from lims.bodies.models import AccreditationBody
from tests import factories as f
from tests.lims import recognition_factories as rf


@pytest.fixture
def routes(app, db):
    world = rf.world()
    values = {
        "agreement_id": world["kr"].id,
        "designation_id": db.session.scalar(db.select(Designation.id)),
        "accreditation_body_id": db.session.scalar(db.select(AccreditationBody.id)),
        "regulation_id": rf.regulation("QCVN 118:2018/BTTTT").id,
        "part": "parties",
        "name": "agreements",
    }
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("agreements."):
            continue
        url = adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments})
        found += [(method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return found


def _login(client, role):
    lab = f.body() if role == Role.TECHNICIAN else None
    user = f.user(role, lab)
    f.db.session.commit()
    client.post("/login", data={"email": user.email, "password": f.PASSWORD})


def test_admin_routes_need_login(client, csrf_off, routes):
    assert len(routes) >= 20
    for method, url in routes:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"], (method, url)


def test_admin_routes_forbid_staff(client, csrf_off, routes):
    _login(client, Role.TECHNICIAN)
    for method, url in routes:
        assert client.open(url, method=method).status_code == 403, (method, url)


def test_admin_routes_serve_admin(client, csrf_off, routes):
    _login(client, Role.ADMIN)
    for method, url in routes:
        response = client.open(url, method=method)
        assert response.status_code < 500, (method, url)
        assert response.status_code != 403, (method, url)
        assert "/login" not in response.headers.get("Location", ""), (method, url)

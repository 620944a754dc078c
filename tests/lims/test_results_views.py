"""Result pages: worst points, lineage and the reason forms."""

import pytest

from lims.extensions import db as _db
from lims.results import rules
from lims.results.models import Result, ResultStatus
from lims.testing.models import RequestState
from tests import factories as f
from tests.lims import results_factories as rf

FLAT = [[0.0, None, 66.5, 66.5]]


@pytest.fixture
def imported(app, db, csrf_off):
    staff = rf.lab_staff()
    req, sample = f.request_with_sample(staff.lab, staff.tech)
    result = rf.import_file(req, sample, rf.item(f.regulation(), FLAT), staff)
    rules.submit_for_review(req, staff.tech)
    db.session.commit()
    return staff, result.id


def _login(client, user):
    client.post("/login", data={"email": user.email, "password": f.PASSWORD})


def test_detail_shows_worst_points(client, imported):
    staff, result_id = imported
    _login(client, staff.reviewer)

    page = client.get(f"/results/{result_id}").get_data(as_text=True)

    assert 'id="worst-points"' in page
    assert page.count("<tr><td>", page.index('id="worst-points"')) >= 10
    assert 'id="reject-form"' in page


def test_reject_through_form_then_lineage(client, imported):
    staff, result_id = imported
    _login(client, staff.reviewer)

    empty = client.post(f"/results/{result_id}/reject", data={"reason": ""})
    response = client.post(
        f"/results/{result_id}/reject", data={"reason": "Wrong antenna factor"}
    )

    assert empty.status_code == 400
    assert response.status_code == 302
    _db.session.expire_all()
    result = _db.session.get(Result, result_id)
    assert result.status == ResultStatus.REJECTED
    assert result.closed_reason == "Wrong antenna factor"
    assert result.request.state == RequestState.IN_TESTING
    retest = rf.import_file(result.request, result.sample, result.test_item, staff)
    _db.session.commit()
    page = client.get(f"/results/{retest.id}").get_data(as_text=True)
    assert 'id="lineage"' in page
    assert "Wrong antenna factor" in page


def test_technician_cannot_reject(client, imported):
    staff, result_id = imported
    _login(client, staff.tech)

    response = client.post(f"/results/{result_id}/reject", data={"reason": "x"})

    assert response.status_code == 403

"""A rejected form comes back with what was typed and the reason beside it."""

from datetime import date

import pytest

from lims.auth.models import Role
from lims.certification import rules as certification
from lims.certification.models import CertificateStatusChange
from lims.extensions import db as _db
from lims.results.models import Result
from lims.testing.models import Sample
from tests import factories as f
from tests.lims import certification_factories as cf
from tests.lims.pages import login, post_form


@pytest.fixture
def bench(app, db):
    lab = f.body("DVT")
    tech = f.user(Role.TECHNICIAN, lab)
    receiver = f.instrument(lab, "EMI-01")
    req, sample = f.request_with_sample(lab, tech)
    item = f.flat_item(f.regulation(), 60.0)
    db.session.commit()
    return tech, receiver, req, sample, item


def manual_data(sample, item, receiver, **changes) -> dict:
    data = {
        "manual-sample": str(sample.id),
        "manual-test_item": str(item.id),
        "manual-instruments": [str(receiver.id)],
        "manual-measured_on": date.today().isoformat(),
        "manual-expanded_uncertainty": "2.0",
        "manual-operand": "",
        "manual-value": "55.5",
        "manual-unit": "dBuV",
        "manual-frequency_mhz": "1.2345",
    }
    return {**data, **changes}


def post_manual(client, bench, **changes):
    """Sign in as the technician and post the manual result form."""
    tech, receiver, req, sample, item = bench
    login(client, tech)
    page = f"/requests/{req.id}"
    data = manual_data(sample, item, receiver, **changes)
    return post_form(client, page, f"{page}/results/manual", data)


def test_invalid_manual_result_keeps_input(client, bench):
    response = post_manual(client, bench, **{"manual-value": ""})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="1.2345"' in html
    assert "This field is required." in html
    assert _db.session.scalar(_db.select(Result)) is None


def test_rule_error_shown_under_its_field(client, bench):
    response = post_manual(client, bench, **{"manual-measured_on": "2000-01-03"})

    html = response.get_data(as_text=True)
    field_start = html.index('name="manual-measured_on"')
    field_end = html.index("</div>", field_start)
    assert response.status_code == 400
    assert 'value="2000-01-03"' in html
    assert 'value="1.2345"' in html
    assert "is before sample" in html[field_start:field_end]
    assert _db.session.scalar(_db.select(Result)) is None


def test_invalid_sample_keeps_description(client, bench):
    tech, _, req, _, _ = bench
    login(client, tech)
    page = f"/requests/{req.id}"
    data = {
        "description": "Bộ phát Wi-Fi mẫu thứ hai",
        "serial_number": "SN-778",
        "condition": "",
        "received_on": date.today().isoformat(),
    }

    response = post_form(client, page, f"{page}/samples", data)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bộ phát Wi-Fi mẫu thứ hai" in html
    assert 'value="SN-778"' in html
    assert _db.session.scalar(_db.select(_db.func.count(Sample.id))) == 1


def test_status_change_without_reason_keeps_choice(client, app, db):
    parties = cf.setup()
    certificate = cf.certificate(parties)
    db.session.commit()
    login(client, parties.officer)
    page = f"/certificates/{certificate.id}"

    response = post_form(
        client, page, f"{page}/status", {"to_status": "suspended", "reason": ""}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<option selected value="suspended">' in html
    assert (
        _db.session.scalar(_db.select(_db.func.count(CertificateStatusChange.id))) == 1
    )


def test_calibration_rule_error_keeps_input(client, bench):
    tech, receiver, _, _, _ = bench
    login(client, tech)
    page = f"/instruments/{receiver.id}"
    data = {
        "calibrated_on": "2030-01-01",
        "due_on": "2031-01-01",
        "certificate_number": "CAL-TYPED-77",
        "calibrated_by": "VMI",
        "outcome": "pass",
    }

    response = post_form(client, page, f"{page}/calibrations", data)

    html = response.get_data(as_text=True)
    field_start = html.index('name="calibrated_on"')
    field_end = html.index("</div>", field_start)
    assert response.status_code == 400
    assert 'value="CAL-TYPED-77"' in html
    assert "is in the future" in html[field_start:field_end]
    assert len(receiver.calibrations) == 1


def test_manual_value_of_zero_recorded(client, bench):
    response = post_manual(client, bench, **{"manual-value": "0"})

    assert response.status_code == 302
    assert _db.session.scalar(_db.select(Result)).value == 0.0


def test_manual_value_not_a_number_named(client, bench):
    response = post_manual(client, bench, **{"manual-value": "abc"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not a valid decimal value." in html
    assert "This field is required." not in html


def test_future_measurement_date_rejected(client, bench):
    response = post_manual(client, bench, **{"manual-measured_on": "2099-01-01"})

    assert response.status_code == 400
    assert "is in the future" in response.get_data(as_text=True)
    assert _db.session.scalar(_db.select(Result)) is None


def test_reason_rule_error_keeps_reason(client, bench):
    # Only an approved result is corrected; this one is still entered.
    tech, receiver, req, sample, item = bench
    login(client, tech)
    page = f"/requests/{req.id}"
    post_form(
        client, page, f"{page}/results/manual", manual_data(sample, item, receiver)
    )
    result = _db.session.scalar(_db.select(Result))
    detail = f"/results/{result.id}"

    response = post_form(
        client, detail, f"{detail}/correct", {"reason": "Sai đơn vị khi nhập tay"}
    )

    html = response.get_data(as_text=True)
    _db.session.expire_all()
    assert response.status_code == 400
    assert "Sai đơn vị khi nhập tay" in html
    assert "only an approved result" in html
    assert _db.session.get(Result, result.id).status.value == "entered"


def test_failing_report_offers_no_certificate_form(client, app, db):
    parties = cf.setup()
    req = cf.approved_request(parties, value=70.0, limit=60.0)
    report = certification.issue_test_report(req, parties.reviewer)
    db.session.commit()
    login(client, parties.officer)

    page = client.get(f"/reports/{report.id}").get_data(as_text=True)

    assert 'id="certificate-form"' not in page
    assert 'id="not-certifiable"' in page
    assert "did not pass" in page


def test_passing_report_offers_certificate_form(client, app, db):
    parties = cf.setup()
    report = cf.report(parties)
    db.session.commit()
    login(client, parties.officer)

    page = client.get(f"/reports/{report.id}").get_data(as_text=True)

    assert 'id="certificate-form"' in page
    assert 'id="not-certifiable"' not in page

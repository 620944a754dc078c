"""Calendar dates of requests and samples follow the lab's time zone."""

from datetime import timedelta

import pytest

from lims.auth.models import Role
from lims.db_types import today_in
from lims.errors import DomainError
from lims.testing import rules
from tests import factories as f


def test_sample_received_today_in_lab_zone(app, db):
    lab = f.body("DVT")
    lab.timezone = "Pacific/Kiritimati"  # UTC+14: often a day ahead of UTC
    tech = f.user(Role.TECHNICIAN, lab)
    req, _ = f.request_with_sample(lab, tech)

    sample = rules.receive_sample(
        req,
        description="Router",
        serial_number="SN2",
        condition="new",
        received_on=today_in(lab.timezone),
        received_by=tech,
    )

    assert sample.received_on == today_in("Pacific/Kiritimati")


def test_sample_in_lab_future_rejected(app, db):
    lab = f.body("DVT")
    tech = f.user(Role.TECHNICIAN, lab)
    req, _ = f.request_with_sample(lab, tech)

    with pytest.raises(DomainError, match="future"):
        rules.receive_sample(
            req,
            description="Router",
            serial_number="SN2",
            condition="new",
            received_on=today_in(lab.timezone) + timedelta(days=1),
            received_by=tech,
        )


def test_request_number_uses_lab_year(app, db):
    lab = f.body("DVT")
    tech = f.user(Role.TECHNICIAN, lab)
    req, _ = f.request_with_sample(lab, tech)
    assert req.number.startswith(f"DVT-{today_in(lab.timezone).year}-")

"""Login throttling, password policy, sessions and request ids in logs."""

import logging

import pytest

from lims.auth import rules
from lims.auth.models import LoginAttempt, Role
from lims.errors import DomainError
from tests import factories as f
from tests.lims.pages import login


@pytest.fixture
def technician(app, db):
    lab = f.body("DVT")
    user = f.user(Role.TECHNICIAN, lab, email="an@example.test")
    db.session.commit()
    return user


def test_login_throttled_after_five_failures(client, technician, db):
    for _ in range(rules.MAX_FAILURES_PER_ACCOUNT):
        assert login(client, technician, "wrong password").status_code == 401

    response = login(client, technician)

    assert response.status_code == 429
    assert client.get("/requests").status_code == 302
    failures = db.session.scalars(
        db.select(LoginAttempt).where(LoginAttempt.succeeded.is_(False))
    ).all()
    assert len(failures) == rules.MAX_FAILURES_PER_ACCOUNT


def test_login_throttle_spares_other_accounts(client, technician, db):
    other = f.user(Role.REVIEWER, technician.body)
    db.session.commit()
    for _ in range(rules.MAX_FAILURES_PER_ACCOUNT):
        login(client, technician, "wrong password")

    assert login(client, other).status_code == 302


def test_login_session_is_permanent_and_fresh(client, technician):
    with client.session_transaction() as session:
        session["planted"] = "value"
    login(client, technician)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.permanent


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short", "at least 12"),
        ("aaaaaaaaaaaaaaaa", "too few different"),
        ("password1234", "too common"),
        ("nguyenvanan-secret", "email name"),
    ],
)
def test_password_policy_rejects(password, fragment):
    with pytest.raises(DomainError, match=fragment):
        rules.check_password_policy(password, "nguyenvanan@example.test")


def test_password_policy_accepts_passphrase():
    rules.check_password_policy("mây trắng bay qua đồi", "an@example.test", "An")


def test_create_user_audited_without_password(app, db):
    lab = f.body("DVT")
    user = rules.create_user(
        email="Binh@Example.test",
        name="Trần Bình",
        role=Role.REVIEWER,
        password="sông Hồng chảy mãi",
        body=lab,
    )
    db.session.commit()

    from lims.audit.service import events_for

    events = events_for(user)
    assert user.email == "binh@example.test"
    assert [e.action for e in events] == ["user.created"]
    assert "sông Hồng" not in str(events[0].after)


def test_create_user_requires_body_for_staff(app, db):
    with pytest.raises(DomainError, match="must belong"):
        rules.create_user(
            email="x@example.test",
            name="X",
            role=Role.TECHNICIAN,
            password="mây trắng bay qua đồi",
        )


def test_log_lines_carry_request_id(client, technician, caplog):
    caplog.set_level(logging.INFO, logger="lims")
    logging.getLogger("lims").addHandler(caplog.handler)
    try:
        response = client.get("/login", headers={"X-Request-Id": "req-42"})
        login(client, technician, "wrong password")
    finally:
        logging.getLogger("lims").removeHandler(caplog.handler)

    assert response.headers["X-Request-Id"] == "req-42"
    messages = [r.getMessage() for r in caplog.records]
    assert any("failed login" in m for m in messages)
    assert all("wrong password" not in m for m in messages)

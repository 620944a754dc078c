"""Account administration and the audit trail pages."""

import pytest

from lims.audit.models import AuditEvent
from lims.auth.models import Role, User
from tests import factories as f
from tests.lims.pages import login, post_form


@pytest.fixture
def admin(app, db):
    lab = f.body("DVT")
    account = f.user(Role.ADMIN)
    f.user(Role.TECHNICIAN, lab, email="tech@example.test")
    db.session.commit()
    return account, lab


def test_admin_creates_account(client, admin, db):
    account, lab = admin
    login(client, account)
    response = post_form(
        client,
        "/admin/users",
        "/admin/users",
        {
            "email": "Reviewer@Example.com",
            "name": "Lê Minh Châu",
            "role": "reviewer",
            "body": str(lab.id),
            "password": "mây trắng bay qua đồi",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(
        db.select(User).where(User.email == "reviewer@example.com")
    )
    assert created.role == Role.REVIEWER
    assert created.body_id == lab.id
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "user.created")
    )
    assert event.actor_id == account.id


def test_admin_weak_password_creates_nothing(client, admin, db):
    account, lab = admin
    login(client, account)
    response = post_form(
        client,
        "/admin/users",
        "/admin/users",
        {
            "email": "weak@example.com",
            "name": "Weak",
            "role": "reviewer",
            "body": str(lab.id),
            "password": "short",
        },
        follow_redirects=True,
    )
    assert "at least 12" in response.get_data(as_text=True)
    assert (
        db.session.scalar(db.select(User).where(User.email == "weak@example.com"))
        is None
    )


def test_deactivated_account_cannot_log_in(client, admin, db):
    account, _ = admin
    tech = db.session.scalar(db.select(User).where(User.email == "tech@example.test"))
    login(client, account)
    post_form(client, "/admin/users", f"/admin/users/{tech.id}/active", {})
    client.post("/logout", data={})
    other = client.application.test_client()

    response = login(other, tech)

    assert response.status_code == 401


def test_technician_cannot_manage_users(client, admin, db):
    tech = db.session.scalar(db.select(User).where(User.email == "tech@example.test"))
    login(client, tech)
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_audit_export_neutralises_formulas(client, admin, db):
    account, lab = admin
    f.user(Role.TECHNICIAN, lab, email="x@example.test", name="=HYPERLINK(1)")
    from lims.auth import rules

    rules.create_user(
        email="formula@example.test",
        name="=cmd|' /C calc'!A0",
        role=Role.IMPORTER,
        password="mây trắng bay qua đồi",
        actor=account,
    )
    db.session.commit()
    login(client, account)

    csv_text = client.get("/admin/audit.csv").get_data(as_text=True)

    assert "formula@example.test" in csv_text
    assert ",=" not in csv_text
    assert "user.created" in csv_text

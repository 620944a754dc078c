"""Behind one reverse proxy that terminates TLS, forms still post."""

from lims.auth.models import Role
from tests import factories as f
from tests.lims.pages import TOKEN

PROXY_HEADERS = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "lims.example.vn",
    "X-Forwarded-For": "203.0.113.7",
}


def test_login_form_posts_through_proxy(client, app, db):
    user = f.user(Role.TECHNICIAN, f.body("DVT"))
    db.session.commit()
    page = client.get("/login", headers=PROXY_HEADERS)
    token = TOKEN.search(page.get_data(as_text=True)).group(1)

    response = client.post(
        "/login",
        data={"email": user.email, "password": f.PASSWORD, "csrf_token": token},
        headers={**PROXY_HEADERS, "Referer": "https://lims.example.vn/login"},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")


def test_proxy_address_recorded_for_login(client, app, db):
    from lims.auth.models import LoginAttempt

    user = f.user(Role.TECHNICIAN, f.body("DVT"))
    db.session.commit()
    page = client.get("/login", headers=PROXY_HEADERS)
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    client.post(
        "/login",
        data={"email": user.email, "password": "wrong", "csrf_token": token},
        headers={**PROXY_HEADERS, "Referer": "https://lims.example.vn/login"},
    )

    attempt = db.session.scalar(db.select(LoginAttempt))
    assert attempt.ip_address == "203.0.113.7"


def test_cross_site_post_rejected_over_https(client, app, db):
    user = f.user(Role.TECHNICIAN, f.body("DVT"))
    db.session.commit()
    page = client.get("/login", headers=PROXY_HEADERS)
    token = TOKEN.search(page.get_data(as_text=True)).group(1)

    response = client.post(
        "/login",
        data={"email": user.email, "password": f.PASSWORD, "csrf_token": token},
        headers={**PROXY_HEADERS, "Referer": "https://attacker.example/page"},
    )

    assert response.status_code == 400

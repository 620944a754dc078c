"""Behind one reverse proxy that terminates TLS, forms still post."""

from lims.auth.models import LoginAttempt, Role
from tests import factories as f
from tests.lims.pages import TOKEN

PROXY_HEADERS = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "lims.example.vn",
    "X-Forwarded-For": "203.0.113.7",
}


def _post_login(client, db, password: str, referer: str):
    """Log in through the proxy, with the Referer a browser would send."""
    user = f.user(Role.TECHNICIAN, f.body("DVT"))
    db.session.commit()
    page = client.get("/login", headers=PROXY_HEADERS)
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    return client.post(
        "/login",
        data={"email": user.email, "password": password, "csrf_token": token},
        headers={**PROXY_HEADERS, "Referer": referer},
    )


def test_login_form_posts_through_proxy(client, app, db):
    response = _post_login(client, db, f.PASSWORD, "https://lims.example.vn/login")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")


def test_proxy_address_recorded_for_login(client, app, db):
    _post_login(client, db, "wrong", "https://lims.example.vn/login")

    attempt = db.session.scalar(db.select(LoginAttempt))
    assert attempt.ip_address == "203.0.113.7"


def test_cross_site_post_rejected_over_https(client, app, db):
    response = _post_login(client, db, f.PASSWORD, "https://attacker.example/page")

    assert response.status_code == 400

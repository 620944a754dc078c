"""Helpers for driving pages through the test client with real CSRF tokens."""

import re

from tests.factories import PASSWORD

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, user, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"email": user.email, "password": password, "csrf_token": token},
    )


def post_form(client, page: str, action: str, data: dict, **kwargs):
    """Post ``data`` to ``action`` with the CSRF token found on ``page``."""
    payload = {"csrf_token": csrf_token(client, page), **data}
    return client.post(action, data=payload, **kwargs)

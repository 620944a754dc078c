"""A logged-in HTTP session against a live server, for fault and load tests."""

import re
from dataclasses import dataclass

import requests

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OPTION = re.compile(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>')


@dataclass
class Browser:
    base_url: str
    session: requests.Session

    @classmethod
    def open(cls, base_url: str) -> "Browser":
        return cls(base_url, requests.Session())

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=60, **kwargs)

    def token(self, page: str) -> str:
        match = TOKEN.search(self.get(page).text)
        if match is None:
            raise AssertionError(f"no CSRF token on {page}")
        return match.group(1)

    def post(self, page: str, action: str, data: dict, **kwargs) -> requests.Response:
        """Post ``data`` to ``action`` with the CSRF token found on ``page``."""
        payload = {"csrf_token": self.token(page), **data}
        return self.session.post(
            self.base_url + action,
            data=payload,
            allow_redirects=False,
            timeout=120,
            **kwargs,
        )

    def login(self, email: str, password: str) -> requests.Response:
        return self.post("/login", "/login", {"email": email, "password": password})

    def options(self, page: str, select_name: str) -> dict[str, str]:
        """Return {visible text: value} of one <select> on ``page``."""
        html = self.get(page).text
        start = html.index(f'name="{select_name}"')
        end = html.index("</select>", start)
        return {text.strip(): value for value, text in OPTION.findall(html[start:end])}

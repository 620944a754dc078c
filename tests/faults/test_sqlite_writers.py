"""SQLite behind four gunicorn workers: parallel writers never see a lock error."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.http_client import Browser
from tests.live_server import LiveServer

WRITERS = 8
REQUESTS_PER_WRITER = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("writers"), workers=4)
    live.setup()
    with live.start():
        yield live


def _register_requests(server: LiveServer, writer: int) -> list[tuple[int, str]]:
    browser = Browser.open(server.base_url)
    login = browser.login("technician@demo.lims.example", server.demo_password)
    outcomes = [(login.status_code, "login")]
    regulations = browser.options("/requests/new", "regulations")
    qcvn_118 = next(v for k, v in regulations.items() if "QCVN 118:2018" in k)
    for index in range(REQUESTS_PER_WRITER):
        response = browser.post(
            "/requests/new",
            "/requests/new",
            {
                "applicant_name": "Công ty TNHH Thiết bị Viễn thông Đại Việt",
                "manufacturer_name": "Shenzhen Lianhe Networks Co., Ltd.",
                "manufacturer_economy": "CN",
                "product_name": "Bộ định tuyến",
                "model": f"LOAD-{writer}-{index}",
                "hs_code": "851762",
                "regulations": qcvn_118,
                "decision_rule": "simple",
            },
        )
        outcomes.append((response.status_code, response.headers.get("Location", "")))
    return outcomes


def test_parallel_writers_all_succeed(server):
    with ThreadPoolExecutor(WRITERS) as pool:
        batches = list(
            pool.map(lambda w: _register_requests(server, w), range(WRITERS))
        )

    outcomes = [outcome for batch in batches for outcome in batch]
    failed = [o for o in outcomes if o[0] != 302]
    assert failed == [], f"{len(failed)} failed posts; log:\n{server.log_tail()}"
    assert "database is locked" not in server.log_tail(200_000)
    numbers = _listed_request_numbers(server)
    assert len(numbers) >= WRITERS * REQUESTS_PER_WRITER
    assert len(numbers) == len(set(numbers))


def _listed_request_numbers(server: LiveServer) -> list[str]:
    browser = Browser.open(server.base_url)
    browser.login("technician@demo.lims.example", server.demo_password)
    numbers = []
    page = 1
    while True:
        html = browser.get(f"/requests?page={page}").text
        found = re.findall(r'href="/requests/\d+">([A-Z0-9]+-\d{4}-\d{5})<', html)
        if not found:
            break
        numbers.extend(found)
        page += 1
    return numbers

"""Fixtures for browser tests: a real gunicorn server and a real Chromium.

The server runs the application as a deployment does (``flask lims setup`` on
a fresh SQLite database, then gunicorn with two workers), on a free port of
127.0.0.1 with a temporary folder of its own, so several pytest-xdist workers
can run browser tests side by side.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.live_server import LiveServer, ServerError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Start gunicorn on a fresh database with the demo data; stop it afterwards."""
    server = LiveServer(tmp_path_factory.mktemp("live_server"), workers=2)
    try:
        server.setup()
        server.start()
    except ServerError as error:
        server.stop()
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    """Launch the system Chromium through Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the server log to the report of a failed browser test."""
    outcome = yield
    report = outcome.get_result()
    server = item.funcargs.get("live_server") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(server, LiveServer):
        report.sections.append(("server log (tail)", server.log_tail()))

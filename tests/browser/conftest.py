"""Fixtures for browser tests: a real gunicorn server and a real Chromium.

The server runs the application as a deployment does: ``flask lims setup`` on
a fresh SQLite database, then gunicorn with two workers. Each server has a free
port of 127.0.0.1 and a temporary directory of its own, so several pytest-xdist
workers can run browser tests side by side.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT_S = 30
SETUP_TIMEOUT_S = 120
SHUTDOWN_TIMEOUT_S = 10
LOG_TAIL_CHARS = 6000


@dataclass
class LiveServer:
    """A running gunicorn serving the application, and the demo accounts' password."""

    base_url: str
    demo_password: str
    log_path: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self) -> str:
        if not self.log_path.exists():
            return "(no server log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text[-LOG_TAIL_CHARS:]


def _free_port() -> int:
    # NOTE: another process can take the port between close() and gunicorn's
    # bind. The server then exits at once, and the fixture fails with its log.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_setup(env: dict[str, str], log_path: Path) -> None:
    """Run ``flask lims setup``, keeping the checkout's demo-accounts.txt intact.

    Flask puts the instance folder next to the package, so setup writes
    ``instance/demo-accounts.txt`` of the checkout whatever DATABASE_URL is.
    That file contains the password of the developer's own demo database, so the
    fixture puts its previous content back.
    """
    accounts_file = REPO_ROOT / "instance" / "demo-accounts.txt"
    previous = accounts_file.read_bytes() if accounts_file.exists() else None
    try:
        with log_path.open("ab") as log:
            completed = subprocess.run(
                [str(BIN_DIR / "flask"), "--app", "app", "lims", "setup"],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=SETUP_TIMEOUT_S,
            )
    finally:
        if previous is None:
            accounts_file.unlink(missing_ok=True)
        else:
            accounts_file.write_bytes(previous)
            accounts_file.chmod(0o600)
    if completed.returncode != 0:
        log = log_path.read_text(encoding="utf-8", errors="replace")
        pytest.fail(
            f"flask lims setup exited with {completed.returncode}:\n{log}",
            pytrace=False,
        )


def _wait_until_healthy(process: subprocess.Popen, server: LiveServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {process.returncode} before answering "
                f"/healthz. Server log:\n{server.log_tail()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = str(error)
        time.sleep(0.1)
    pytest.fail(
        f"{server.url('/healthz')} did not answer 200 within {STARTUP_TIMEOUT_S} s "
        f"(last error: {last_error}). Server log:\n{server.log_tail()}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        # gunicorn runs in a session of its own, so this group is its master
        # and workers only.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=SHUTDOWN_TIMEOUT_S)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Start gunicorn on a fresh database with the demo data; stop it afterwards."""
    workdir = tmp_path_factory.mktemp("live_server")
    port = _free_port()
    server = LiveServer(
        base_url=f"http://127.0.0.1:{port}",
        demo_password=secrets.token_urlsafe(16),
        log_path=workdir / "server.log",
    )
    env = os.environ.copy()
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'lims.sqlite3'}",
            "LIMS_ENV": "development",
            "SECRET_KEY": secrets.token_hex(32),
            "LIMS_DEMO_PASSWORD": server.demo_password,
            "LIMS_BASE_URL": server.base_url,
            "LIMS_STORAGE_DIR": str(workdir / "files"),
            "PORT": str(port),
        }
    )
    _run_setup(env, server.log_path)

    log = server.log_path.open("ab")
    process = subprocess.Popen(
        [
            str(BIN_DIR / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            # gunicorn 27 otherwise opens ~/.gunicorn/gunicorn.ctl, a socket
            # path that every gunicorn of the same user shares.
            "--no-control-socket",
            "app:app",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_healthy(process, server)
        yield server
    finally:
        _stop(process)
        log.close()


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

"""Killing a gunicorn worker in the middle of an import leaves nothing half-written.

The import of one file is one transaction: the stored file, the result, its
trace and its audit event are committed together or not at all. The test
kills the only worker with SIGKILL at several moments of a large upload and
checks that each attempt left either everything or nothing.
"""

import os
import signal
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from tests.http_client import Browser
from tests.live_server import LiveServer

DATA = Path(__file__).resolve().parents[1] / "data" / "instruments"
POINTS = 400_000
KILL_DELAYS_S = (0.3, 0.8, 1.5, 3.0)


def _large_keysight_file(points: int) -> bytes:
    """Return a Keysight X-series export with ``points`` points, 30 to 300 MHz."""
    original = (DATA / "keysight-N9038A_OneTrace.csv").read_bytes()
    header = original[: original.index(b"DATA\n") + len(b"DATA\n")]
    header = header.replace(
        b"Number of Points,1001", f"Number of Points,{points}".encode()
    )
    step = 270e6 / (points - 1)
    rows = "".join(
        f"{30e6 + i * step:.0f},{20 + (i % 97) / 10:.3f}\r\n" for i in range(points)
    )
    return header + rows.encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("kill"), workers=1)
    live.setup()
    with live.start():
        yield live


def _new_sample(browser: Browser) -> tuple[int, str]:
    regulations = browser.options("/requests/new", "regulations")
    qcvn_118 = next(v for k, v in regulations.items() if "QCVN 118:2018" in k)
    created = browser.post(
        "/requests/new",
        "/requests/new",
        {
            "applicant_name": "Công ty TNHH Thiết bị Viễn thông Đại Việt",
            "manufacturer_name": "Shenzhen Lianhe Networks Co., Ltd.",
            "manufacturer_economy": "CN",
            "product_name": "Bộ định tuyến",
            "model": f"KILL-{time.monotonic_ns()}",
            "hs_code": "851762",
            "regulations": qcvn_118,
            "decision_rule": "simple",
        },
    )
    page = created.headers["Location"].replace(browser.base_url, "")
    request_id = int(page.rsplit("/", 1)[1])
    browser.post(
        page,
        f"/requests/{request_id}/samples",
        {
            "description": "Router",
            "serial_number": "SN-1",
            "condition": "new",
            "received_on": date.today().isoformat(),
        },
    )
    return request_id, page


def _upload(browser: Browser, request_id: int, page: str, content: bytes, out: dict):
    samples = browser.options(page, "sample")
    items = browser.options(page, "test_item")
    instruments = browser.options(page, "instruments")
    data = {
        "sample": next(iter(samples.values())),
        "test_item": next(v for k, v in items.items() if "class B, 3 m" in k),
        "instruments": next(v for k, v in instruments.items() if "DVT-EMI-01" in k),
        "measured_on": date.today().isoformat(),
        "expanded_uncertainty": "5.2",
        "format_name": "",
        "field_strength": "y",
    }
    try:
        response = browser.post(
            page,
            f"/requests/{request_id}/results/file",
            data,
            files={"file": ("big.csv", content, "text/csv")},
        )
        out["status"] = response.status_code
    except requests.RequestException as error:
        out["error"] = str(error)


def _state(database: Path, request_id: int) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        results = connection.execute(
            "SELECT id, trace_point_count, source_file_id FROM result "
            "WHERE request_id = ?",
            (request_id,),
        ).fetchall()
        events = connection.execute(
            "SELECT count(*) FROM audit_event WHERE action = 'result.entered' "
            "AND object_id IN (SELECT CAST(id AS TEXT) FROM result "
            "WHERE request_id = ?)",
            (request_id,),
        ).fetchone()[0]
        files = connection.execute(
            "SELECT count(*) FROM stored_file WHERE original_name = 'big.csv'"
        ).fetchone()[0]
    return {"results": results, "events": events, "files": files}


@pytest.mark.parametrize("delay", KILL_DELAYS_S)
def test_killed_import_is_all_or_nothing(server, delay):
    content = _large_keysight_file(POINTS)
    browser = Browser.open(server.base_url)
    browser.login("technician@demo.lims.example", server.demo_password)
    request_id, page = _new_sample(browser)
    files_before = _state(server.workdir / "lims.sqlite3", request_id)["files"]

    outcome: dict = {}
    upload = threading.Thread(
        target=_upload, args=(browser, request_id, page, content, outcome)
    )
    upload.start()
    time.sleep(delay)
    for pid in server.worker_pids():
        os.kill(pid, signal.SIGKILL)
    upload.join(timeout=120)
    server.wait_until_healthy()

    state = _state(server.workdir / "lims.sqlite3", request_id)
    stored = state["files"] - files_before
    if state["results"]:
        ((result_id, points, file_id),) = state["results"]
        assert points == POINTS, outcome
        assert file_id is not None, outcome
        assert state["events"] == 1, outcome
        assert stored == 1, outcome
    else:
        assert state["events"] == 0, outcome
        assert stored == 0, outcome

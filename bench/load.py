"""Load: concurrent users browse and check certificates against 4 workers.

Usage: python -m bench load [--users 100] [--seconds 60] [--certificates 200]
[--databases sqlite,postgresql]

For each database the benchmark sets up a fresh server (schema, reference
data, demo lab, then extra certificates issued through the real rules),
starts gunicorn with 4 workers on 127.0.0.1, and runs the users from this
process as threads, each with its own HTTP session. A user loops over the
public pages a certificate check touches: the start page, a register search,
the verification page and the JSON record. The last line printed is a JSON
object with throughput, p50/p99 latency and the error count per database.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import requests
import sqlalchemy as sa

from tests.live_server import BIN_DIR, REPO_ROOT, LiveServer

PG_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ISSUE_SCRIPT = """
from lims.certification.models import Certificate, ReportStatus, TestReport
from lims.certification import rules
from lims.database import write_intent
from lims.extensions import db
from app import app

with app.test_request_context(), write_intent():
    report = db.session.scalars(
        db.select(TestReport).where(TestReport.status == ReportStatus.ISSUED)
    ).first()
    model = db.session.scalars(db.select(Certificate)).first()
    for _ in range({count}):
        rules.issue_certificate(
            reports=[report], scheme=model.scheme, holder=model.holder,
            importers=list(model.importers), issuer=model.issuer,
            issued_by=model.issued_by,
        )
        db.session.commit()
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100, help="concurrent users")
    parser.add_argument("--seconds", type=float, default=60.0, help="run length")
    parser.add_argument(
        "--certificates", type=int, default=200, help="extra certificates to issue"
    )
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated list"
    )
    return parser.parse_args()


def prepare(server: LiveServer, certificates: int) -> list[str]:
    server.setup()
    script = ISSUE_SCRIPT.format(count=certificates)
    subprocess.run(
        [str(BIN_DIR / "python"), "-c", script],
        cwd=REPO_ROOT,
        env=server.env(),
        check=True,
    )
    engine = sa.create_engine(server.env()["DATABASE_URL"])
    with engine.connect() as connection:
        query = sa.text("SELECT number FROM certificate")
        numbers = [row[0] for row in connection.execute(query)]
    engine.dispose()
    return numbers


def pages_for(number: str) -> list[str]:
    """Return the pages one certificate check visits, in order."""
    return [
        "/",
        f"/register?q={number[:8]}",
        f"/verify/{number}",
        f"/api/v1/certificates/{number}",
    ]


def user_loop(
    base_url: str,
    numbers: list[str],
    stop_at: float,
    index: int,
    latencies: list[float],
    errors: list[str],
) -> None:
    session = requests.Session()
    turn = index
    while time.monotonic() < stop_at:
        number = numbers[turn % len(numbers)]
        turn += 1
        for path in pages_for(number):
            started = time.perf_counter()
            try:
                response = session.get(base_url + path, timeout=30)
                if response.status_code != 200:
                    errors.append(f"{path}: HTTP {response.status_code}")
            except requests.RequestException as error:
                errors.append(f"{path}: {error}")
            latencies.append(time.perf_counter() - started)


def run_load(server: LiveServer, numbers: list[str], users: int, seconds: float):
    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=user_loop,
            args=(server.base_url, numbers, stop_at, i, latencies, errors),
        )
        for i in range(users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": round(elapsed, 1),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
    }


def postgres_database(name: str) -> str:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return (
        sa.engine.make_url(PG_ADMIN_URL)
        .set(database=name)
        .render_as_string(hide_password=False)
    )


def main() -> int:
    args = parse_args()
    figures = {"users": args.users, "workers": 4, "cores": os.cpu_count()}
    for kind in args.databases.split(","):
        workdir = Path(tempfile.mkdtemp(prefix=f"bench-load-{kind}-"))
        url = "" if kind == "sqlite" else postgres_database("lims_bench_load")
        server = LiveServer(workdir, database_url=url, workers=4)
        numbers = prepare(server, args.certificates)
        with server.start():
            figures[kind] = run_load(server, numbers, args.users, args.seconds)
        print(f"{kind}: {json.dumps(figures[kind])}", flush=True)
    print(json.dumps(figures))
    return 0 if all(figures[k]["errors"] == 0 for k in args.databases.split(",")) else 1

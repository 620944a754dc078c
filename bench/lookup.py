"""Public certificate lookup among many certificates against a bare Flask endpoint.

`python -m bench lookup [--certificates N] [--requests R] [--clients C]`
builds a SQLite database with the migrations and reference data, inserts N
certificates (200,000 by default) with one status change each, then starts
two gunicorn servers with the same settings on free ports of 127.0.0.1:

- ours: the application, serving `GET /api/v1/certificates/<number>` (the
  JSON lookup) and `GET /verify/<number>` (the public page);
- bare: a Flask app with one endpoint that runs the same indexed query
  (`certificate.number = ?`, joined to holder and product) and returns the
  row as JSON, without ORM objects, templates or the status history.

C client threads send R requests to each endpoint for random existing
numbers, after a warm-up, in rounds that alternate between the endpoints;
the best round of each counts. The last line printed is a JSON object with the
figures. Its `ratio` is ours (JSON lookup) / bare in requests per second,
and `page_ratio` is the same for the public page.
"""

import argparse
import http.client
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

REPOSITORY = Path(__file__).resolve().parents[1]
WORKERS = 2
NUMBER_FORMAT = "HQ-BEN-{year}-{seq:06d}"
START_TIMEOUT_SECONDS = 60
# Product ids above those of any reference or demo data.
PRODUCT_ID_OFFSET = 1_000_000


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=200_000)
    parser.add_argument(
        "--requests", type=int, default=2000, help="requests per endpoint"
    )
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds per endpoint; the best counts"
    )
    return parser.parse_args()


def build_database(path: Path, count: int) -> list[str]:
    """Create the schema and ``count`` certificates; return their numbers."""
    from flask_migrate import upgrade

    from lims import create_app
    from lims.extensions import db
    from lims.reference.loader import load_all

    url = f"sqlite:///{path}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_all()
        db.session.commit()
        numbers = _insert_certificates(db, count)
        db.session.commit()
        db.engine.dispose()
    return numbers


def _insert_certificates(db, count: int) -> list[str]:
    metadata = db.metadata
    execute = db.session.execute
    now = datetime.now(UTC)
    today = date.today()
    body_id = _insert(
        db,
        "body",
        code="BEN",
        name="Trung tâm Chứng nhận Benchmark",
        name_en="Benchmark certification body",
        kind="certification_body",
        economy_code="VN",
        address="Hà Nội",
        timezone="Asia/Ho_Chi_Minh",
    )
    user_id = _insert(
        db,
        "user",
        email="officer@bench.test",
        name="Nguyễn Văn An",
        role="certification_officer",
        body_id=body_id,
        password_hash="!",
        is_active_account=True,
        created_at=now,
    )
    holder_id = _insert(
        db, "organisation", name="Công ty TNHH Benchmark", economy_code="VN"
    )
    hs_code = execute(sa.text("SELECT code FROM hs_code LIMIT 1")).scalar_one()
    file_id = _insert(
        db,
        "stored_file",
        sha256="0" * 64,
        original_name="bench.pdf",
        media_type="application/pdf",
        size=4,
        content=b"%PDF",
        uploaded_by_id=user_id,
        uploaded_at=now,
    )
    fixed = {
        "body_id": body_id,
        "user_id": user_id,
        "holder_id": holder_id,
        "hs_code": hs_code,
        "file_id": file_id,
        "today": today,
        "now": now,
    }
    numbers = []
    batch = 10_000
    for start in range(0, count, batch):
        rows = [
            _rows_for(seq, fixed)
            for seq in range(start + 1, min(start + batch, count) + 1)
        ]
        numbers.extend(row["certificate"]["number"] for row in rows)
        for table in ("product", "certificate", "certificate_status_change"):
            key = "change" if table == "certificate_status_change" else table
            execute(metadata.tables[table].insert(), [row[key] for row in rows])
    return numbers


def _rows_for(seq: int, fixed: dict) -> dict[str, dict]:
    """Return the product, certificate and status change rows of one certificate."""
    today, now = fixed["today"], fixed["now"]
    number = NUMBER_FORMAT.format(year=today.year, seq=seq)
    product_id = PRODUCT_ID_OFFSET + seq
    product = {
        "id": product_id,
        "manufacturer_id": fixed["holder_id"],
        "name": "Bộ định tuyến",
        "model": f"BX-{seq}",
        "hs_code": fixed["hs_code"],
        "description": "",
    }
    certificate = {
        "id": seq,
        "number": number,
        "sequence_key": f"CERT/BEN/{today.year}",
        "sequence": seq,
        "scheme": "type_testing",
        "issuer_id": fixed["body_id"],
        "holder_id": fixed["holder_id"],
        "product_id": product_id,
        "lot_description": "",
        "issued_on": today,
        "valid_until": today + timedelta(days=1000),
        "status": "valid",
        "surveillance_dates": [],
        "issued_by_id": fixed["user_id"],
        "issued_at": now,
        "pdf_file_id": fixed["file_id"],
        "pdf_sha256": f"{seq:064x}",
        "verification_url": f"http://127.0.0.1/verify/{number}",
    }
    change = {
        "certificate_id": seq,
        "to_status": "valid",
        "reason": "Issued",
        "actor_id": fixed["user_id"],
        "changed_at": now,
    }
    return {"product": product, "certificate": certificate, "change": change}


def _insert(db, table: str, **values) -> int:
    statement = db.metadata.tables[table].insert().values(**values)
    return db.session.execute(statement).inserted_primary_key[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(module: str, port: int, env: dict) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        module,
    ]
    process = subprocess.Popen(command, cwd=REPOSITORY, env=env)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"{module} did not start on port {port}")


def fetch(port: int, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} on port {port} returned {response.status}")


def requests_per_second(port: int, paths: list[str], clients: int) -> float:
    """Send ``paths`` from ``clients`` threads and return the request rate."""
    chunks = [paths[index::clients] for index in range(clients)]
    errors: list[Exception] = []

    def run(chunk: list[str]) -> None:
        try:
            for path in chunk:
                fetch(port, path)
        except Exception as exc:  # reported after the threads end
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return len(paths) / elapsed


def measure(port: int, template: str, numbers: list[str], arguments) -> float:
    picker = random.Random(7)
    warm = [template.format(picker.choice(numbers)) for _ in range(200)]
    requests_per_second(port, warm, arguments.clients)
    paths = [template.format(picker.choice(numbers)) for _ in range(arguments.requests)]
    return requests_per_second(port, paths, arguments.clients)


def server_environment(database: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "LIMS_ENV": "development",
        "SECRET_KEY": "bench-only-secret",
        "LIMS_BASE_URL": "http://127.0.0.1",
        "PYTHONPATH": str(REPOSITORY),
    }


def main() -> int:
    arguments = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="lims-lookup-") as folder:
        database = Path(folder) / "lookup.sqlite3"
        started = time.perf_counter()
        numbers = build_database(database, arguments.certificates)
        build_seconds = time.perf_counter() - started

        env = server_environment(database)
        ours_port, bare_port = free_port(), free_port()
        servers = [
            start_server("app:app", ours_port, env),
            start_server("bench._lookup_bare:app", bare_port, env),
        ]
        targets = {
            "bare": (bare_port, "/certificates/{}"),
            "ours": (ours_port, "/api/v1/certificates/{}"),
            "page": (ours_port, "/verify/{}"),
        }
        best = dict.fromkeys(targets, 0.0)
        try:
            # Rounds alternate between the servers, so a burst of load from
            # elsewhere on the machine hits all three alike.
            for _ in range(arguments.rounds):
                for name, (port, template) in targets.items():
                    rate = measure(port, template, numbers, arguments)
                    best[name] = max(best[name], rate)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)

    bare, ours, page = best["bare"], best["ours"], best["page"]
    figures = {
        "benchmark": "lookup",
        "rounds": arguments.rounds,
        "certificates": arguments.certificates,
        "requests": arguments.requests,
        "clients": arguments.clients,
        "gunicorn_workers": WORKERS,
        "build_seconds": round(build_seconds, 1),
        "bare_per_second": round(bare, 1),
        "ours_json_per_second": round(ours, 1),
        "ours_page_per_second": round(page, 1),
        "ratio": round(ours / bare, 3),
        "page_ratio": round(page / bare, 3),
        "python": platform.python_version(),
    }
    print(
        f"bare: {bare:.1f}/s, ours JSON: {ours:.1f}/s, ours page: {page:.1f}/s "
        f"over {arguments.certificates} certificates"
    )
    print(json.dumps(figures))
    return 0

"""Recognition checks: one batch request against one request per line.

`python -m bench recognition [--lines N] [--labs N] [--workers N]` builds a
SQLite database with the reference data plus N foreign labs. The labs have
accreditations and designations, some suspended and one in ten none. It then
starts gunicorn on a free port of 127.0.0.1 and checks the same shipment list
twice: as one CSV
upload to POST /api/v1/recognition/batch, and as one GET /api/v1/recognition
per line, sent one at a time. Both sides log every decision, as in
production. The verdicts of both sides must match line for line. The last
line printed is a JSON object with the figures and `ratio` = single-call
time / batch time.
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
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECIDED_ON = date(2026, 1, 15)
ECONOMIES = ("KR", "JP", "SG", "MY", "TH", "AU")
HS_CODES = ("851762", "851713", "852580", "851712")


def build_database(url: str, labs: int, count: int) -> list[dict[str, str]]:
    """Create the schema and records; return the shipment lines to check."""
    from flask_migrate import upgrade

    from lims import create_app
    from lims.extensions import db
    from lims.reference.loader import load_all

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_all()
        codes = _bench_records(labs)
        db.session.commit()
        regulations = _regulation_codes()
        db.engine.dispose()
    return _shipment(codes, regulations, count)


def _regulation_codes() -> list[str]:
    from lims.extensions import db
    from lims.regulations.models import Regulation

    return list(
        db.session.scalars(db.select(Regulation.code).order_by(Regulation.code))
    )


def _bench_records(labs: int) -> list[str]:
    """Add one agreement, one accreditation body and ``labs`` labs."""
    from lims.agreements.models import (
        Agreement,
        AgreementKind,
        AgreementParty,
        AgreementPhase,
        AgreementScope,
        Designation,
        DesignationStatus,
        DesignationStatusChange,
    )
    from lims.bodies.models import (
        Accreditation,
        AccreditationBody,
        AccreditationScopeLine,
        Body,
        BodyKind,
    )
    from lims.extensions import db
    from lims.regulations.models import Regulation

    regulations = list(db.session.scalars(db.select(Regulation)))
    agreement = Agreement(
        code="BENCH-MRA",
        name="Benchmark agreement",
        kind=AgreementKind.MULTILATERAL,
        in_force_from=date(2015, 1, 1),
        listing_term_years=3,
    )
    agreement.parties = [AgreementParty(economy_code=e) for e in (*ECONOMIES, "VN")]
    agreement.phases = [AgreementPhase(economy_a="VN", economy_b="*", phase=1)]
    agreement.scope = [AgreementScope(regulation=r) for r in regulations]
    accreditor = AccreditationBody(
        acronym="BENCH-AB",
        name="Benchmark accreditation body",
        economy_code="KR",
        ilac_mra_testing=True,
        ilac_mra_since=date(2001, 1, 1),
    )
    db.session.add_all([agreement, accreditor])
    standards = {r.based_on.id: r.based_on for r in regulations if r.based_on}

    rng = random.Random(7)
    keys = []
    for index in range(labs):
        code = f"BL{index:04d}"
        body = Body(
            code=code,
            name=f"Bench lab {index}",
            kind=BodyKind.TESTING_LAB,
            economy_code=ECONOMIES[index % len(ECONOMIES)],
        )
        accreditation = Accreditation(
            body=body,
            accreditation_body=accreditor,
            number=f"BENCH-{index}",
            standard="ISO/IEC 17025:2017",
            granted_on=date(2016, 1, 1) + timedelta(days=rng.randrange(1500)),
            valid_until=date(2021, 1, 1) + timedelta(days=rng.randrange(2000)),
        )
        accreditation.scope_lines = [
            AccreditationScopeLine(standard=s)
            for s in rng.sample(list(standards.values()), k=len(standards) * 3 // 4)
        ]
        db.session.add_all([body, accreditation])
        keys.append(code)
        if index % 10 == 9:
            continue  # one lab in ten is not designated
        designation = Designation(
            number=f"BENCH/{index:04d}",
            body=body,
            agreement=agreement,
            designating_authority="Benchmark authority",
            designated_on=date(2017, 1, 1) + timedelta(days=rng.randrange(2500)),
        )
        designation.regulations = rng.sample(regulations, k=len(regulations) // 2)
        if index % 7 == 0:
            start = designation.designated_on + timedelta(days=200)
            designation.status_changes = [
                DesignationStatusChange(
                    to_status=DesignationStatus.SUSPENDED, effective_on=start
                ),
                DesignationStatusChange(
                    to_status=DesignationStatus.DESIGNATED,
                    effective_on=start + timedelta(days=90),
                ),
            ]
        db.session.add(designation)
        keys.append(designation.number)
    db.session.flush()
    return keys


def _shipment(
    keys: list[str], regulations: list[str], count: int
) -> list[dict[str, str]]:
    return [
        {
            "model": f"M-{n}",
            "hs_code": HS_CODES[n % len(HS_CODES)],
            "regulation": regulations[n % len(regulations)],
            "lab": keys[(n * 7919) % len(keys)],
            "report_number": f"R-{n}",
            "tested_on": (
                date(2016, 1, 1) + timedelta(days=(n * 37) % 3600)
            ).isoformat(),
        }
        for n in range(count)
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "benchmark-only-secret",
        "LIMS_ENV": "development",
        "LIMS_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "300",
            "--log-level",
            "warning",
            "app:app",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/healthz")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn did not respond on port {port} within 60 s")


def request(port: int, method: str, path: str, body=b"", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def shipment_csv(lines: list[dict[str, str]]) -> bytes:
    header = list(lines[0])
    rows = [",".join(header)] + [",".join(line[h] for h in header) for line in lines]
    return ("\n".join(rows) + "\n").encode()


def time_batch(port: int, lines: list[dict[str, str]]) -> tuple[float, list[str]]:
    boundary = "bench-boundary-7f3a"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="shipment.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + shipment_csv(lines)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    started = time.perf_counter()
    status, content = request(
        port, "POST", f"/api/v1/recognition/batch?on={DECIDED_ON}", body, headers
    )
    elapsed = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"batch request failed with HTTP {status}: {content[:300]}")
    return elapsed, [line["verdict"] for line in json.loads(content)["lines"]]


def time_singles(port: int, lines: list[dict[str, str]]) -> tuple[float, list[str]]:
    verdicts = []
    started = time.perf_counter()
    for line in lines:
        query = urllib.parse.urlencode(
            {
                "lab": line["lab"],
                "regulation": line["regulation"],
                "tested_on": line["tested_on"],
                "hs_code": line["hs_code"],
                "on": DECIDED_ON.isoformat(),
            }
        )
        status, content = request(port, "GET", f"/api/v1/recognition?{query}")
        if status != 200:
            raise RuntimeError(f"GET failed with HTTP {status}: {content[:300]}")
        verdicts.append(json.loads(content)["verdict"])
    return time.perf_counter() - started, verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000, help="shipment lines")
    parser.add_argument("--labs", type=int, default=500, help="foreign labs")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-recognition-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        started = time.perf_counter()
        lines = build_database(url, args.labs, args.lines)
        print(f"database built in {time.perf_counter() - started:.1f} s", flush=True)
        port = free_port()
        server = start_server(url, port, args.workers)
        try:
            batch_seconds, batch_verdicts = time_batch(port, lines)
            print(f"batch: {batch_seconds:.2f} s", flush=True)
            single_seconds, single_verdicts = time_singles(port, lines)
            print(f"singles: {single_seconds:.2f} s", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)

    if batch_verdicts != single_verdicts:
        raise RuntimeError("the batch and the single requests gave different verdicts")
    counts = {v: batch_verdicts.count(v) for v in sorted(set(batch_verdicts))}
    print(
        json.dumps(
            {
                "lines": len(lines),
                "labs": args.labs,
                "workers": args.workers,
                "server": "gunicorn, SQLite",
                "python": platform.python_version(),
                "verdicts": counts,
                "batch_seconds": round(batch_seconds, 3),
                "single_seconds": round(single_seconds, 3),
                "batch_lines_per_second": round(len(lines) / batch_seconds, 1),
                "single_requests_per_second": round(len(lines) / single_seconds, 1),
                "ratio": round(single_seconds / batch_seconds, 1),
            }
        )
    )
    return 0

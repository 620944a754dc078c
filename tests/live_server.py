"""Start the application under gunicorn on 127.0.0.1, as a deployment runs it.

Used by the browser tests, the fault tests and the load benchmark. The server
gets a free port, its own instance folder and the database it is given; it
runs ``flask lims setup`` first, so the schema, reference data and (unless
disabled) the demo lab are there.
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
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN_DIR = Path(sys.executable).parent
STARTUP_TIMEOUT_S = 30
SETUP_TIMEOUT_S = 300
SHUTDOWN_TIMEOUT_S = 10


class ServerError(RuntimeError):
    """The server could not be set up or started; the message has its log."""


def free_port() -> int:
    # NOTE: another process can take the port between close() and gunicorn's
    # bind; the server then exits at once and start() raises with its log.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    workdir: Path
    database_url: str = ""
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    demo: bool = True
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    demo_password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "server.log"

    def url(self, path: str) -> str:
        return self.base_url + path

    def env(self) -> dict[str, str]:
        env = os.environ.copy()
        env.update(
            {
                "DATABASE_URL": self.database_url
                or f"sqlite:///{self.workdir / 'lims.sqlite3'}",
                "LIMS_ENV": "development",
                "LIMS_INSTANCE_PATH": str(self.workdir / "instance"),
                "SECRET_KEY": secrets.token_hex(32),
                "LIMS_DEMO_PASSWORD": self.demo_password,
                "LIMS_BASE_URL": self.base_url,
                "PORT": str(self.port),
                **self.extra_env,
            }
        )
        return env

    def log_tail(self, chars: int = 6000) -> str:
        if not self.log_path.exists():
            return "(no server log)"
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def setup(self) -> None:
        """Run ``flask lims setup`` against the server's database."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        command = [str(BIN_DIR / "flask"), "--app", "app", "lims", "setup"]
        if not self.demo:
            command.append("--no-demo")
        with self.log_path.open("ab") as log:
            completed = subprocess.run(
                command,
                cwd=REPO_ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=SETUP_TIMEOUT_S,
                check=False,
            )
        if completed.returncode != 0:
            raise ServerError(
                f"flask lims setup exited with {completed.returncode}:\n"
                + self.log_tail()
            )

    def start(self) -> "LiveServer":
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(BIN_DIR / "gunicorn"),
                f"--workers={self.workers}",
                f"--worker-class={self.worker_class}",
                f"--threads={self.threads}",
                f"--bind=127.0.0.1:{self.port}",
                "--graceful-timeout=5",
                # gunicorn 27 otherwise opens ~/.gunicorn/gunicorn.ctl, a
                # socket path that every gunicorn of the same user shares.
                "--no-control-socket",
                "app:app",
            ],
            cwd=REPO_ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.wait_until_healthy()
        return self

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"gunicorn exited with {self.process.returncode}:\n"
                    + self.log_tail()
                )
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as reply:
                    if reply.status == 200:
                        return
                    last_error = f"HTTP {reply.status}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                last_error = str(error)
            time.sleep(0.1)
        raise ServerError(
            f"{self.url('/healthz')} did not answer 200 within "
            f"{STARTUP_TIMEOUT_S} s ({last_error}):\n{self.log_tail()}"
        )

    def worker_pids(self) -> list[int]:
        """Return the process ids of the gunicorn workers."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=SHUTDOWN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            # gunicorn runs in a session of its own: this group is its master
            # and workers only.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=SHUTDOWN_TIMEOUT_S)

    def __enter__(self) -> "LiveServer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

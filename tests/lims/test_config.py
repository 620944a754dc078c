"""Configuration from the environment."""

import subprocess
import sys
from pathlib import Path

import pytest

from lims.config import ConfigurationError, load_config

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_production_requires_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("LIMS_ENV", "production")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_config(str(tmp_path))


def test_development_key_shared_between_processes(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("LIMS_ENV", "development")
    first = load_config(str(tmp_path))["SECRET_KEY"]
    second = load_config(str(tmp_path))["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_missing_secret_key_exits_with_message(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "LIMS_ENV": "production",
        "LIMS_INSTANCE_PATH": str(tmp_path),
    }
    completed = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "Configuration error: SECRET_KEY is not set" in completed.stderr
    assert "Traceback" not in completed.stderr

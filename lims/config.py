"""Configuration read from environment variables.

Every setting has a safe default for a laptop, except ``SECRET_KEY``: outside
development and tests the application refuses to start without one.
"""

import os
import secrets
from pathlib import Path


class ConfigurationError(RuntimeError):
    """A required setting is missing or invalid."""


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(
            f"{name}={raw!r} is not a whole number; set it to a number of bytes"
        ) from exc


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask configuration from the environment and ``overrides``."""
    overrides = overrides or {}
    env = os.environ.get("LIMS_ENV", "production")
    testing = bool(overrides.get("TESTING"))
    default_db = "sqlite:///" + str(Path(instance_path) / "lims.sqlite3")

    config = {
        "LIMS_ENV": env,
        "SQLALCHEMY_DATABASE_URI": _normalise_db_url(
            os.environ.get("DATABASE_URL", default_db)
        ),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "LIMS_TIMEZONE": os.environ.get("LIMS_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "MAX_CONTENT_LENGTH": _int_env("LIMS_MAX_UPLOAD_BYTES", 64 * 1024 * 1024),
        "LIMS_BASE_URL": os.environ.get("LIMS_BASE_URL", ""),
        "BABEL_DEFAULT_LOCALE": os.environ.get("LIMS_DEFAULT_LOCALE", "vi"),
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": env == "production",
        "PERMANENT_SESSION_LIFETIME": _int_env("LIMS_SESSION_SECONDS", 8 * 3600),
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": 25,
    }
    config.update(overrides)

    if not config["SECRET_KEY"]:
        if testing:
            config["SECRET_KEY"] = os.urandom(32).hex()
        elif env == "development":
            config["SECRET_KEY"] = _development_key(Path(instance_path))
        else:
            raise ConfigurationError(
                "SECRET_KEY is not set. Set it to a long random string "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set LIMS_ENV=development on a developer machine."
            )
    return config


def _development_key(instance: Path) -> str:
    """Return the instance folder's own random key, creating it on first use.

    Every gunicorn worker must sign sessions and CSRF tokens with the same
    key, so a per-process random key would reject half of all requests. The
    file is readable by its owner only and never leaves the machine.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
        except FileExistsError:
            pass
    return path.read_text().strip()


def _normalise_db_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url

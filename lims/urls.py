"""Redirect targets limited to this host."""

from urllib.parse import urlsplit

from flask import request


def same_host_url(target: str | None) -> str | None:
    """Return ``target`` if it points at this host, else None.

    Accepts relative paths ("/requests/3") and absolute URLs on the request's
    own host; rejects scheme-relative ("//evil.example") and other hosts.
    """
    if not target:
        return None
    target = target.strip()
    if target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != request.host:
        return None
    if not parts.netloc and not parts.path.startswith("/"):
        return None
    return target

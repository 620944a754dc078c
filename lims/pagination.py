"""Pagination of list pages and API collections."""

from flask import current_app, request

from lims.extensions import db


def page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def paginate(query, per_page: int | None = None):
    return db.paginate(
        query,
        page=page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
    )

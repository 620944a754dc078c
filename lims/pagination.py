"""Pagination of list pages and API collections."""

from flask import current_app, request

from lims.extensions import db

# The highest page number accepted. A larger one gets the first page on the
# web pages and a 400 from the API.
MAX_PAGE = 100_000


def page_number() -> int:
    """Return the requested page, or 1 when the argument is not a page number."""
    raw = request.args.get("page", "1")
    # isdecimal, not isdigit: "²" is a digit that int() cannot read.
    if raw.isascii() and raw.isdecimal() and 0 < int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


def paginate(query, per_page: int | None = None):
    return db.paginate(
        query,
        page=page_number(),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        error_out=False,
    )

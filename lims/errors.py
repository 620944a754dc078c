"""One error path: domain errors and HTTP errors, as HTML or JSON."""

import logging

from flask import Flask, flash, jsonify, redirect, render_template, request
from werkzeug.exceptions import HTTPException

from lims.urls import same_host_url

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule rejected an action. The message names the problem and the fix."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def wants_json() -> bool:
    """Return True on the API, or when the client prefers JSON to HTML.

    A client that accepts anything (``*/*``, as curl and requests send) gets
    HTML, as a browser does.
    """
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    accepted = request.accept_mimetypes
    return accepted["application/json"] > accepted["text/html"]


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        from lims.extensions import db

        db.session.rollback()
        logger.warning("rejected %s %s: %s", request.method, request.path, error)
        if wants_json():
            body = {"error": error.message}
            if error.field:
                body["field"] = error.field
            return jsonify(body), 400
        flash(error.message, "danger")
        return redirect(same_host_url(request.referrer) or "/")

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        if wants_json():
            return jsonify({"error": error.description, "status": error.code}), (
                error.code or 500
            )
        return (
            render_template("errors/error.html", error=error),
            error.code or 500,
        )

"""A laboratory information management system for conformity assessment."""

import logging
import os
import uuid

from flask import Flask, abort, g, request
from flask_babel import lazy_gettext
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from lims.config import load_config
from lims.extensions import csrf, db, login_manager, migrate
from lims.logging_setup import configure_logging

logger = logging.getLogger(__name__)


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        # Where the SQLite database, demo accounts and other local state live.
        instance_path=os.environ.get("LIMS_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="static",
    )
    app.config.update(load_config(app.instance_path, overrides))
    configure_logging(app.config.get("LIMS_LOG_LEVEL", "INFO"))
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    _init_extensions(app)
    app.url_map.converters["int"] = DatabaseIdConverter
    _register_blueprints(app)
    _register_request_hooks(app)

    from lims import cli, errors, i18n

    errors.register(app)
    i18n.register(app)
    cli.register(app)
    return app


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` limited to what an INTEGER primary key holds.

    PostgreSQL's INTEGER is 32-bit, so a larger number in a URL is a 404
    rather than an out-of-range error from the database driver.
    """

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    import lims.models  # noqa: F401  (complete metadata before use)
    from lims.database import configure_engine_events

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to open this page.")
    login_manager.login_message_category = "warning"
    with app.app_context():
        configure_engine_events(db.engine)


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).parent / "migrations"


def _register_blueprints(app: Flask) -> None:
    from lims.api import bp as api_bp
    from lims.auth.admin_views import bp as admin_bp
    from lims.auth.views import bp as auth_bp
    from lims.certification.views import bp as certification_bp
    from lims.equipment.views import bp as equipment_bp
    from lims.openapi import bp as openapi_bp
    from lims.public.views import bp as public_bp
    from lims.results.mapping_views import bp as mappings_bp
    from lims.results.views import bp as results_bp
    from lims.testing.views import bp as testing_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(testing_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(mappings_bp)
    app.register_blueprint(equipment_bp)
    app.register_blueprint(certification_bp)
    app.register_blueprint(api_bp)
    _register_recognition(app)


def _register_recognition(app: Flask) -> None:
    from lims.agreements.views import bp as agreements_bp
    from lims.recognition.api import bp as recognition_api_bp
    from lims.recognition.views import bp as recognition_bp

    app.register_blueprint(recognition_bp)
    app.register_blueprint(recognition_api_bp)
    app.register_blueprint(agreements_bp)


def _register_request_hooks(app: Flask) -> None:
    def assign_request_id() -> None:
        incoming = request.headers.get("X-Request-Id", "")
        valid = incoming and len(incoming) <= 64 and incoming.isascii()
        g.request_id = incoming if valid else uuid.uuid4().hex

    # First of all hooks, so that a request rejected by an earlier hook (the
    # CSRF check) still has an id in its log line and response.
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)

    @app.before_request
    def reject_nul_characters() -> None:
        # PostgreSQL text cannot hold U+0000 and no form field needs it.
        values = [*request.args.values(), *(request.view_args or {}).values()]
        if request.method not in ("GET", "HEAD") and request.mimetype in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            values.extend(request.form.values())
        if any(isinstance(v, str) and "\x00" in v for v in values):
            abort(400, description="The request contains a NUL character.")

    @app.after_request
    def add_security_headers(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

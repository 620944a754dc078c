"""Entry point for ``flask --app app`` and ``gunicorn app:app``."""

import sys

from lims import create_app
from lims.config import ConfigurationError

try:
    app = create_app()
except ConfigurationError as error:
    # A configuration mistake is the operator's to fix, so print the message
    # alone, without a traceback.
    sys.exit(f"Configuration error: {error}")

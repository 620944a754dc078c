"""Run the instruments command line: ``python -m instruments inspect FILE``."""

import sys

from instruments.cli import main

sys.exit(main())

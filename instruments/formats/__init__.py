"""File-format readers; importing this package registers every one of them.

The import order is the sniffing order: formats with the most specific
signature come first.
"""

from instruments.formats import (
    keysight_xseries,  # noqa: F401
    tektronix,  # noqa: F401
)

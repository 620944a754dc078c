"""File-format readers; importing this package registers every one of them.

The import order is the sniffing order: formats with the most specific
signature come first.
"""

from instruments.formats import (
    generic,  # noqa: F401
    keysight_legacy,  # noqa: F401
    keysight_pna,  # noqa: F401
    keysight_xseries,  # noqa: F401
    rohde_schwarz,  # noqa: F401
    tektronix,  # noqa: F401
    touchstone,  # noqa: F401
)

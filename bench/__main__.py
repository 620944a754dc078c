"""Run one benchmark: `python -m bench NAME [ARGS...]` calls bench/NAME.py's main().

The benchmark module receives `ARGS` as its command-line arguments in sys.argv.
"""

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    """Return the names of the benchmark modules beside this file."""
    folder = str(Path(__file__).resolve().parent)
    return sorted(
        module.name
        for module in pkgutil.iter_modules([folder])
        if not module.name.startswith("_")
    )


def main() -> int:
    names = available()
    if len(sys.argv) < 2 or sys.argv[1] not in names:
        print(
            "usage: python -m bench NAME [ARGS...]; NAME is one of: "
            + ", ".join(names),
            file=sys.stderr,
        )
        return 2

    name = sys.argv[1]
    sys.argv = [f"python -m bench {name}", *sys.argv[2:]]
    module = importlib.import_module(f"bench.{name}")
    result = module.main()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())

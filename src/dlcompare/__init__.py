"""dlcompare: compare deep-learning toolkits on a public evaluation, under your own weights.

The Python API (`load`, `show`, `rating`, `diff`, `rank`, ...) lives in `dlcompare.api` and is
re-exported here. It is imported on first use, so `import dlcompare` stays light.
"""

from __future__ import annotations

import sys as _sys

if _sys.argv[:1] == ["-m"] or _sys.argv[0].endswith("dlcompare"):
    # Run as the command line: Ctrl-C while Python imports it ends it quietly (exit 130);
    # dlcompare.__main__ takes over. Never done for a program that imports the library.
    import _signal  # type: ignore[import-not-found]

    try:  # noqa: SIM105 - contextlib is not imported yet
        _signal.signal(_signal.SIGINT, lambda *_: __import__("os")._exit(130))
    except ValueError:
        pass

TYPE_CHECKING = False  # not `from typing import ...`: typing alone triples the import time

if TYPE_CHECKING:
    from typing import Any

    from .api import (
        at,
        changes,
        criterion,
        diff,
        history_of,
        leaves_named,
        load,
        narrow,
        rank,
        rating,
        show,
        toolkit,
    )
    from .errors import DlcompareError
    from .schema_version import SCHEMA_VERSION

    __version__: str

__all__ = [
    "SCHEMA_VERSION",
    "DlcompareError",
    "__version__",
    "at",
    "changes",
    "criterion",
    "diff",
    "history_of",
    "leaves_named",
    "load",
    "narrow",
    "rank",
    "rating",
    "show",
    "toolkit",
]
_API = frozenset(__all__[3:])


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dlcompare")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    """Load the version and the API on first use: importlib.metadata alone costs more than
    the rest of `import dlcompare`."""
    if name == "__version__":
        value: Any = _version()
    elif name == "SCHEMA_VERSION":
        from .schema_version import SCHEMA_VERSION as value
    elif name == "DlcompareError":
        from .errors import DlcompareError as value
    elif name in _API:
        from . import api

        value = getattr(api, name)
    else:
        raise AttributeError(f"module 'dlcompare' has no attribute {name!r}")
    globals()[name] = value
    return value

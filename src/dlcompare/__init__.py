"""dlcompare: compare deep-learning toolkits on a public evaluation, under your own weights."""

from __future__ import annotations

SCHEMA_VERSION = 1
"""Version of every JSON document dlcompare prints; raised when a field changes meaning."""


def __getattr__(name: str) -> str:
    # `__version__` is looked up on first use: importlib.metadata costs more at start-up than
    # the rest of this package's own code, and only `--version` needs it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("dlcompare")
        except PackageNotFoundError:  # running from a checkout that was never installed
            found = "0+unknown"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""dlcompare: compare deep-learning toolkits on a public evaluation, under your own weights."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dlcompare")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

SCHEMA_VERSION = 1
"""Version of every JSON document dlcompare prints; raised when a field changes meaning."""

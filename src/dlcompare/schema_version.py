"""The version of dlcompare's JSON output. A module of its own, importing nothing, so that the
result models read it without going back up to the package (whose `__init__` re-exports the
API built on them)."""

SCHEMA_VERSION = 3
"""Version of every JSON document dlcompare prints; raised when a field changes meaning."""

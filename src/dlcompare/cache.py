"""A cache of checked data files: a file is parsed and validated once, not on every run.

Parsing YAML is by far the slowest thing dlcompare does (about 70 µs per rating, even with
libyaml), and data files rarely change between two runs. `loading` stores here every file it
validated, under the digest of the file's bytes (never its modification time), and, when the
whole folder had no problems, the loaded folder itself. The next load of the folder returns
the stored folder if no file changed, and otherwise parses only the files that changed (then
checks the folder as a whole again, as every load does).

Everything stored is bound to the source of the modules that decide what a valid file is and
what loading builds, and to the versions of Python, pydantic and PyYAML: when any of them
changes, everything is read afresh.

The cache is pickled, and read back with an unpickler that can build nothing but plain data,
dates and the schema models: a damaged or tampered file ends in a miss, never in running code.
Any problem with the cache (unwritable folder, damaged file) is silent: it only saves time.

Location: `DLCOMPARE_CACHE_DIR`, else `$XDG_CACHE_HOME/dlcompare`, else `~/.cache/dlcompare`.
`DLCOMPARE_NO_CACHE=1` turns it off. One file per data folder, replaced when the folder changes
and removed when it has not been written for 30 days.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = b"dlcompare-cache-2\n"
"""Raised when the layout of a cache file changes."""
DIGEST_SIZE = 32
MAX_AGE_DAYS = 30
"""A cache file not written for this long is removed the next time any is written."""
MAX_FILE_BYTES = 4 * 1024 * 1024
"""A data file larger than this is never read here (yamlio rejects it with a message)."""

_MODELS = (
    "Scale",
    "Part",
    "Criterion",
    "CriteriaFile",
    "Edition",
    "EditionsFile",
    "Assessment",
    "Toolkit",
)
_ALLOWED = {("datetime", "date"), *(("dlcompare.schema", name) for name in _MODELS)}
_RULES = ("schema.py", "yamlio.py", "loading.py", "cache.py")
"""The modules whose code decides what a valid file is and what loading builds."""


@dataclass
class Stored:
    """What the cache holds for one data folder."""

    folder: bytes = b""
    """Digest of the folder as a whole (see `folder_digest`) when `dataset` was stored."""
    dataset: Any = None
    """The loaded folder, as `loading` builds it, if it had no problems."""
    files: dict[str, tuple[bytes, Any]] = field(default_factory=dict)
    """Path of a file -> (digest of its bytes, the validated model)."""


def directory() -> Path | None:
    """Where cache files live, or None when caching is off."""
    if os.environ.get("DLCOMPARE_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("DLCOMPARE_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "dlcompare"
    try:
        return Path.home() / ".cache" / "dlcompare"
    except RuntimeError:  # no home directory
        return None


def _code_version() -> bytes:
    import pydantic.version
    import yaml

    digest = hashlib.blake2b(FORMAT, digest_size=DIGEST_SIZE)
    versions = (sys.version, pydantic.version.VERSION, yaml.__version__, yaml.__with_libyaml__)
    digest.update(repr(versions).encode())
    package = Path(__file__).parent
    for name in _RULES:
        digest.update((package / name).read_bytes())
    return digest.digest()


def file_digests(files: Sequence[Path]) -> dict[str, bytes] | None:
    """The digest of each file's bytes (unreadable or oversized files are left out); None when
    caching is off."""
    if directory() is None:
        return None
    digests: dict[str, bytes] = {}
    for path in files:
        try:
            if path.stat().st_size <= MAX_FILE_BYTES:
                content = path.read_bytes()
                digests[str(path)] = hashlib.blake2b(content, digest_size=DIGEST_SIZE).digest()
        except OSError:
            pass  # loading reports it
    return digests


def folder_digest(folder: Path, files: Sequence[Path], digests: dict[str, bytes]) -> bytes:
    """A digest of everything a loaded folder depends on: which files it has, their bytes, and
    the folder as given (it appears in messages and in `Dataset.origins`)."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    digest.update(str(folder).encode("utf-8", "surrogateescape") + b"\0")
    for path in files:
        name = str(path).encode("utf-8", "surrogateescape")
        digest.update(b"%d:%s" % (len(name), name) + digests.get(str(path), b"-" * DIGEST_SIZE))
    return digest.digest()


def _file_for(folder: Path, where: Path) -> Path:
    name = hashlib.blake2b(
        str(folder.absolute()).encode("utf-8", "surrogateescape"), digest_size=16
    )
    return where / f"folder-{name.hexdigest()}.pickle"


class _Unpickler(pickle.Unpickler):
    """Builds plain data, dates and dlcompare's schema models; refuses every other class."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} may not appear in a dlcompare cache")
        return super().find_class(module, name)


def read(folder: Path) -> Stored:
    """What was stored for this folder by this version of the code (empty if nothing)."""
    where = directory()
    if where is None:
        return Stored()
    try:
        with _file_for(folder, where).open("rb") as file:
            if file.read(len(FORMAT) + DIGEST_SIZE) != FORMAT + _code_version():
                return Stored()
            found = _Unpickler(io.BytesIO(file.read())).load()
    except Exception:  # a missing, unreadable or damaged cache is only a miss
        return Stored()
    if not isinstance(found, tuple) or len(found) != 3:
        return Stored()
    whole, dataset, files = found
    if not (isinstance(whole, bytes) and isinstance(files, dict)):
        return Stored()
    entries = {
        name: entry
        for name, entry in files.items()
        if isinstance(name, str)
        and isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], bytes)
    }
    return Stored(whole, dataset, entries)


def write(folder: Path, stored: Stored) -> None:
    """Store what was loaded from this folder, replacing what was stored before."""
    where = directory()
    if where is None:
        return
    import tempfile

    try:
        payload = pickle.dumps(
            (stored.folder, stored.dataset, stored.files), protocol=pickle.HIGHEST_PROTOCOL
        )
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=".folder-", dir=where)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(FORMAT + _code_version())
                file.write(payload)
            Path(temporary).replace(_file_for(folder, where))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(where)
    except (OSError, pickle.PicklingError):
        pass


def _prune(where: Path) -> None:
    """Remove what was not written for `MAX_AGE_DAYS`: folders since deleted or not used."""
    import time

    oldest = time.time() - MAX_AGE_DAYS * 24 * 3600
    for pattern in ("folder-*.pickle", ".folder-*"):
        for path in where.glob(pattern):
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink()
            except OSError:
                pass

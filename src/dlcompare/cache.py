"""A cache of checked data folders: a folder is parsed and validated once, not on every run.

Parsing YAML is by far the slowest thing dlcompare does (about 70 µs per rating, even with
libyaml), and a folder rarely changes between two runs. After `loading` has read a folder
without problems, the models it built are stored here; the next load of the same folder reads
them back in a small fraction of the time.

The key is the content of every data file in the folder (never modification times), the
folder as given (it appears in messages), and the source of the modules that decide what a
valid folder is, with the versions of Python, pydantic and PyYAML. Any change to any of them
is a miss, and the folder is read afresh.

The cache is pickled, and read back with an unpickler that can build nothing but the schema
models and dates: a damaged or tampered file ends in a miss, never in running code. Any
problem with the cache (unwritable folder, damaged file) is silent: it only ever saves time.

Location: `DLCOMPARE_CACHE_DIR`, else `$XDG_CACHE_HOME/dlcompare`, else `~/.cache/dlcompare`.
`DLCOMPARE_NO_CACHE=1` turns it off. One file per data folder, replaced when the folder changes.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FORMAT = b"dlcompare-cache-1\n"
"""Raised when the layout of a cache file changes."""
KEY_SIZE = 32
MAX_FILE_BYTES = 4 * 1024 * 1024
"""A data file larger than this is never read here (yamlio rejects it with a message)."""

_MODELS = ("Scale", "Part", "Criterion", "Edition", "Assessment", "Toolkit")
_ALLOWED = {("datetime", "date"), *(("dlcompare.schema", name) for name in _MODELS)}
_RULES = ("schema.py", "yamlio.py", "loading.py")
"""The modules whose code decides what a valid folder is and what loading it builds."""


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

    digest = hashlib.blake2b(FORMAT, digest_size=KEY_SIZE)
    versions = (sys.version, pydantic.version.VERSION, yaml.__version__, yaml.__with_libyaml__)
    digest.update(repr(versions).encode())
    package = Path(__file__).parent
    for name in _RULES:
        digest.update((package / name).read_bytes())
    return digest.digest()


def key(folder: Path, files: Sequence[Path]) -> bytes | None:
    """A digest of everything the loaded folder depends on; None when caching is off or a file
    cannot be read (then `loading` reports the problem, and nothing is cached)."""
    if directory() is None:
        return None
    digest = hashlib.blake2b(_code_version(), digest_size=KEY_SIZE)
    digest.update(str(folder).encode("utf-8", "surrogateescape") + b"\0")
    try:
        for path in files:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            content = path.read_bytes()
            name = str(path.relative_to(folder)).encode("utf-8", "surrogateescape")
            digest.update(b"%d:%s\0%d\0" % (len(name), name, len(content)))
            digest.update(content)
    except (OSError, ValueError):
        return None
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


def read(folder: Path, digest: bytes) -> Any | None:
    """What `write` stored for this folder under this key, or None."""
    where = directory()
    if where is None:
        return None
    try:
        with _file_for(folder, where).open("rb") as file:
            if file.read(len(FORMAT) + KEY_SIZE) != FORMAT + digest:
                return None
            return _Unpickler(io.BytesIO(file.read())).load()
    except Exception:  # a missing, unreadable or damaged cache is only a miss
        return None


def write(folder: Path, digest: bytes, value: Any) -> None:
    """Store `value` for this folder under this key, replacing what was stored before."""
    where = directory()
    if where is None:
        return
    import tempfile

    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=".folder-", dir=where)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(FORMAT + digest)
                file.write(payload)
            Path(temporary).replace(_file_for(folder, where))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        pass

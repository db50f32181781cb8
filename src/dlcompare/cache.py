"""A cache of checked data files: a file is parsed and validated once, not on every run.

Parsing YAML is by far the slowest thing dlcompare does (about 70 µs per rating, even with
libyaml), and data files rarely change between two runs. `loading` stores here every file it
validated, under the digest of the file's bytes (never its modification time), and, when the
data folders had no problems together, the loaded data itself. The next load of the same
folders returns the stored data if no file changed, and otherwise parses only the files that
changed (then merges and checks the folders as a whole again, as every load does).

Everything stored is bound to the source of the modules that decide what a valid file is and
what loading builds, and to the versions of Python, pydantic and PyYAML: when any of them
changes, everything is read afresh.

The cache is pickled, and read back with an unpickler that can build nothing but plain data,
dates and the schema models: a damaged or tampered file ends in a miss, never in running code.
Any problem with the cache (unwritable folder, damaged file) is silent: it only saves time.

Location: `DLCOMPARE_CACHE_DIR`, else `$XDG_CACHE_HOME/dlcompare`, else `~/.cache/dlcompare`.
`DLCOMPARE_NO_CACHE=1` turns it off. Two files per list of data folders (the bundled data
alone, the bundled data with `--data team`, ...): `dlcompare-folder-*`, the loaded data, the
only one a run reads when no file changed; and `dlcompare-files-*`, each validated file, read
when some file changed. Both are replaced when a folder changes and removed when not written
for 30 days. Only files named so that begin with a dlcompare header are ever removed.

A cache file is read only if it is a regular file of at most MAX_CACHE_BYTES (opened without
blocking), its payload matches the checksum stored with it, and, once unpickled, every score in
it is a finite number on the scale (`loading` checks): otherwise it is a miss.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

FAMILY = b"dlcompare-cache-"
"""How every cache file dlcompare ever wrote begins: pruning deletes nothing else."""
FORMAT = FAMILY + b"7\n"
"""Raised when the layout of a cache file changes."""
PREFIX = "dlcompare-folder-"
"""The loaded data of a list of folders: `dlcompare-folder-<digest of their paths>.pickle`."""
FILES_PREFIX = "dlcompare-files-"
"""The validated files of a list of folders, kept apart: read only when a file changed."""
TEMPORARY_PREFIX = ".dlcompare-folder-"
MAX_CACHE_BYTES = 256 * 1024 * 1024
"""A cache file larger than this is never read (nor written): a miss."""
DIGEST_SIZE = 32
"""SHA-256 for the bytes of files and of the cache: computed by the CPU's SHA instructions on
most machines, two to three times as fast as BLAKE2b in hashlib there."""
MAX_AGE_DAYS = 30
"""A cache file not written for this long is removed the next time any is written."""
MAX_FILE_BYTES = 4 * 1024 * 1024
"""A data file larger than this is never read here (yamlio rejects it with a message)."""

_MODELS = (
    "RatedToolkit",
    "Successor",
    "ProjectStatus",
    "Scale",
    "Part",
    "Criterion",
    "CriteriaFile",
    "Edition",
    "EditionsFile",
    "Assessment",
    "Toolkit",
    "ToolkitFile",
)
_ALLOWED = {
    ("datetime", "date"),
    ("dlcompare.dataset", "Conflict"),
    ("dlcompare.dataset", "Ratings"),
    *(("dlcompare.schema", name) for name in _MODELS),
}
_RULES = ("schema.py", "yamlio.py", "loading", "dataset.py", "cache.py")
"""The modules (and the package, every module of it) whose code decides what a valid file is
and what loading builds."""


@dataclass
class Stored:
    """What the cache holds for one list of data folders."""

    folder: bytes = b""
    """Digest of the folders as a whole (see `folder_digest`) when `dataset` was stored."""
    dataset: Any = None
    """The loaded data, as `loading` builds it, if it had no problems."""
    folders: tuple[Path, ...] = ()
    """The data folders, to find the validated files (stored apart) when they are needed."""

    @cached_property
    def files(self) -> dict[str, tuple[bytes, Any]]:
        """Path of a file -> (digest of its bytes, the validated model). Kept in a cache file
        of its own, read only when some file changed: never on a hit."""
        found = _read_payload(self.folders, FILES_PREFIX) if self.folders else None
        if not isinstance(found, dict):
            return {}
        return {
            name: entry
            for name, entry in found.items()
            if isinstance(name, str)
            and isinstance(entry, tuple)
            and len(entry) == 2
            and isinstance(entry[0], bytes)
        }


def directory() -> Path | None:
    """Where cache files live, or None when caching is off."""
    if os.environ.get("DLCOMPARE_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("DLCOMPARE_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if base and Path(base).is_absolute():  # the XDG spec: a relative path is invalid, ignore it
        return Path(base) / "dlcompare"
    try:
        return Path.home() / ".cache" / "dlcompare"
    except RuntimeError:  # no home directory
        return None


def _code_version() -> bytes:
    import pydantic.version

    digest = hashlib.sha256(FORMAT)
    digest.update(repr((sys.version, pydantic.version.VERSION)).encode())
    digest.update(_yaml_identity())
    package = Path(__file__).parent
    for name in _RULES:
        path = package / name
        for module in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(module.read_bytes())
    return digest.digest()


def _yaml_identity() -> bytes:
    """Which PyYAML would parse the files, without importing it (a run that finds every file
    in the cache never parses YAML, and importing PyYAML costs 20 ms): its `__init__.py`, which
    holds its version, and the names of its files, among them libyaml's extension if built."""
    import importlib.util

    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return b"no yaml"
    origin = Path(spec.origin)
    names = sorted(n for n in os.listdir(origin.parent) if n != "__pycache__")  # noqa: PTH208
    return origin.read_bytes() + "\0".join(names).encode("utf-8", "surrogateescape")


def _bounded_bytes(path: Path, limit: int, *, follow: bool = True) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, else None. Opened without
    blocking and checked once open: a pipe or a device (/dev/zero) could block or never end,
    even one swapped in after a check by name; a huge sparse file would cost seconds and
    gigabytes. `follow=False`: a symbolic link at the path is refused too (cache files)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        # Ask for the size stat gave, plus one byte to see a file that grew since: a buffered
        # read of `limit` bytes would allocate `limit` bytes for every small file.
        chunks, size, want = [], 0, info.st_size + 1
        while size <= limit:
            asked = min(want, limit + 1 - size)
            chunk = os.read(descriptor, asked)
            chunks.append(chunk)
            size += len(chunk)
            if len(chunk) < asked:  # a regular file reads short only at its end
                break
            want = 64 * 1024
    finally:
        os.close(descriptor)
    return b"".join(chunks) if size <= limit else None


def file_digests(files: Sequence[Path]) -> dict[str, bytes] | None:
    """The digest of each regular file's bytes (unreadable, oversized and special files are
    left out); None when caching is off."""
    if directory() is None:
        return None
    digests: dict[str, bytes] = {}
    for path in files:
        try:
            content = _bounded_bytes(path, MAX_FILE_BYTES)
        except OSError:
            continue  # loading reports it
        if content is not None:
            digests[str(path)] = hashlib.sha256(content).digest()
    return digests


def folder_digest(
    folders: Sequence[Path], files: Sequence[Path], digests: dict[str, bytes]
) -> bytes:
    """A digest of everything loaded data depends on: the folders as given, in order (they
    appear in messages and in `Dataset.origins`), which files they have, and their bytes."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for folder in folders:
        digest.update(str(folder).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(b"\1")
    for path in files:
        name = str(path).encode("utf-8", "surrogateescape")
        digest.update(b"%d:%s" % (len(name), name) + digests.get(str(path), b"-" * DIGEST_SIZE))
    return digest.digest()


def _file_for(folders: Sequence[Path], where: Path, kind: str = PREFIX) -> Path:
    name = hashlib.blake2b(digest_size=16)
    for folder in folders:
        name.update(str(folder.absolute()).encode("utf-8", "surrogateescape") + b"\0")
    return where / f"{kind}{name.hexdigest()}.pickle"


class _Unpickler(pickle.Unpickler):
    """Builds plain data, dates and dlcompare's schema models; refuses every other class."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} may not appear in a dlcompare cache")
        return super().find_class(module, name)


def _checksum(payload: bytes) -> bytes:
    checksum = hashlib.sha256(b"dlcompare-cache\0")
    checksum.update(payload)
    return checksum.digest()


def _read_payload(folders: Sequence[Path], kind: str) -> Any:
    """What a cache file of this version of the code holds, or None. The payload must match
    the checksum stored with it: a flipped bit is a miss, never data."""
    where = directory()
    if where is None:
        return None
    head = FORMAT + _code_version()
    try:
        content = _bounded_bytes(_file_for(folders, where, kind), MAX_CACHE_BYTES, follow=False)
        if content is None or not content.startswith(head):
            return None
        checksum = content[len(head) : len(head) + DIGEST_SIZE]
        payload = content[len(head) + DIGEST_SIZE :]
        if checksum != _checksum(payload):
            return None
        return _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # a missing, unreadable or damaged cache is only a miss
        return None


def read(folders: Sequence[Path]) -> Stored:
    """What was stored for these folders by this version of the code (empty if nothing)."""
    found = _read_payload(folders, PREFIX)
    if not isinstance(found, tuple) or len(found) != 2 or not isinstance(found[0], bytes):
        return Stored(folders=tuple(folders))
    whole, dataset = found
    return Stored(whole, dataset, tuple(folders))


def write(
    folders: Sequence[Path],
    whole: bytes,
    dataset: Any,
    files: dict[str, tuple[bytes, Any]] | None,
) -> None:
    """Store what was loaded from these folders, replacing what was stored before: the digest
    of the folders as a whole with the loaded data (`whole` empty when there is none), and,
    unless `files` is None (unchanged), each validated file under the digest of its bytes."""
    where = directory()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        if files is not None:
            _write_payload(folders, where, FILES_PREFIX, files)
        _write_payload(folders, where, PREFIX, (whole, dataset))
        _prune(where)
    except (OSError, pickle.PicklingError):
        pass


def _write_payload(folders: Sequence[Path], where: Path, kind: str, content: Any) -> None:
    import tempfile

    payload = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
    if len(payload) > MAX_CACHE_BYTES:
        return
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=where)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(FORMAT + _code_version() + _checksum(payload))
            file.write(payload)
        Path(temporary).replace(_file_for(folders, where, kind))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _ours(path: Path) -> bool:
    """Whether dlcompare wrote this file: a regular file (not a link) that starts with a
    dlcompare cache header. A temporary file is ours if empty or if it starts so too."""
    try:
        descriptor = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        )
    except OSError:
        return False
    with open(descriptor, "rb") as file:  # noqa: PTH123 - a descriptor, not a path
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        start = file.read(len(FAMILY))
    return start == FAMILY or (start == b"" and path.name.startswith(TEMPORARY_PREFIX))


def _prune(where: Path) -> None:
    """Remove what was not written for `MAX_AGE_DAYS`: folders since deleted or not used.
    Only files dlcompare wrote are touched (named as it names them, and starting with its
    header): `DLCOMPARE_CACHE_DIR` may point at a folder shared with other files."""
    import time

    oldest = time.time() - MAX_AGE_DAYS * 24 * 3600
    for pattern in (f"{PREFIX}*.pickle", f"{FILES_PREFIX}*.pickle", f"{TEMPORARY_PREFIX}*"):
        for path in where.glob(pattern):
            try:
                if path.lstat().st_mtime < oldest and _ours(path):
                    path.unlink()
            except OSError:
                pass

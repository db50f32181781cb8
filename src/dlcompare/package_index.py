"""What the Python package index says about a package: its releases, with their dates.

Read from the index's JSON API (`GET {index}/{package}/json`): `info.version` (the version the
index calls latest) and `releases` (each version's files, with `upload_time_iso_8601` or
`upload_time`, and `yanked`). The answer is untrusted text: versions are parsed with
`packaging.version` (a version that does not parse is left out, never shown), dates must be
real dates between the first Python release and tomorrow, and nothing of the answer but
parsed versions and dates reaches a report.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from packaging.version import InvalidVersion, Version

DEFAULT_INDEX = "https://pypi.org/pypi"
INDEX_VARIABLE = "DLCOMPARE_INDEX_URL"
EARLIEST = dt.date(1991, 2, 20)
"""Python's first release: no package is older."""


class MalformedAnswer(Exception):
    """The index answered, but not with what its JSON API serves."""


@dataclass(frozen=True, order=True)
class Release:
    """One version of a package on the index."""

    version: Version
    date: dt.date
    """The day its first file was uploaded."""
    yanked: bool = False
    """Every file of it was yanked (withdrawn by its project)."""

    @property
    def text(self) -> str:
        """The version in its normal form (`2.16.0rc1`): made from the parse, never the
        answer's own text."""
        return str(self.version)


@dataclass(frozen=True)
class PackageReleases:
    """A package's releases on the index, oldest version first."""

    name: str
    latest: Release | None
    """The release the index calls latest (`info.version`), if it has a date."""
    latest_version: str
    """`info.version` in its normal form."""
    releases: tuple[Release, ...]
    left_out: int = 0
    """Releases whose version or date did not parse, or that have no file."""

    def usable(self) -> tuple[Release, ...]:
        """Releases that count: not yanked."""
        return tuple(r for r in self.releases if not r.yanked)

    def newest_date(self) -> dt.date | None:
        """The day of the most recent upload of a release that counts."""
        return max((r.date for r in self.usable()), default=None)


def index_url(given: str | None = None) -> str:
    """The index to read: `given`, else DLCOMPARE_INDEX_URL, else the public index; without
    a trailing slash."""
    chosen = given or os.environ.get(INDEX_VARIABLE) or DEFAULT_INDEX
    return chosen.rstrip("/")


def package_url(index: str, name: str) -> str:
    return f"{index}/{quote(name, safe='')}/json"


def parse(name: str, body: bytes, today: dt.date) -> PackageReleases:
    """The releases in an answer of the JSON API, or MalformedAnswer saying what is wrong."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedAnswer("the answer is not JSON") from None
    if not isinstance(document, dict):
        raise MalformedAnswer("the answer is not a JSON object")
    info, releases = document.get("info"), document.get("releases")
    if not isinstance(info, dict) or not isinstance(info.get("version"), str):
        raise MalformedAnswer("the answer has no info.version")
    if not isinstance(releases, dict):
        raise MalformedAnswer("the answer has no releases")
    latest_version = _version(info["version"])
    if latest_version is None:
        raise MalformedAnswer("its info.version is not a version")
    found: list[Release] = []
    left_out = 0
    for text, files in releases.items():
        release = _release(text, files, today)
        if release is None:
            left_out += 1
        else:
            found.append(release)
    found.sort()
    latest = next((r for r in found if r.version == latest_version), None)
    return PackageReleases(name, latest, str(latest_version), tuple(found), left_out)


def _version(text: Any) -> Version | None:
    if not isinstance(text, str) or len(text) > 100:
        return None
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _release(text: Any, files: Any, today: dt.date) -> Release | None:
    version = _version(text)
    if version is None or not isinstance(files, list) or not files:
        return None
    dates = [_date(f) for f in files if isinstance(f, dict)]
    if not dates or None in dates:
        return None
    yanked = all(isinstance(f, dict) and f.get("yanked") is True for f in files)
    day = min(d for d in dates if d is not None)
    if not EARLIEST <= day <= today + dt.timedelta(days=1):
        return None
    return Release(version, day, yanked)


def _date(file: Mapping[str, Any]) -> dt.date | None:
    """The upload day of one file: `upload_time_iso_8601` (`2024-01-02T03:04:05.123456Z`),
    else `upload_time` (`2024-01-02T03:04:05`)."""
    for key in ("upload_time_iso_8601", "upload_time"):
        value = file.get(key)
        if isinstance(value, str) and len(value) <= 40:
            try:
                return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
            except ValueError:
                return None
    return None


def read_all(
    names: Iterable[str],
    fetch: Callable[[str], bytes],
    index: str,
    today: dt.date,
    *,
    workers: int = 8,
    advance: Callable[[], None] = lambda: None,
) -> dict[str, PackageReleases | Exception]:
    """Each package's releases, or the error that kept it from being read (a `WebError`, or
    `MalformedAnswer`), read side by side; `fetch(url)` returns an answer's body. `advance`
    is called once per package read (a progress bar)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(name: str) -> PackageReleases | Exception:
        try:
            return parse(name, fetch(package_url(index, name)), today)
        except Exception as error:
            return error
        finally:
            advance()

    wanted = list(dict.fromkeys(names))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(wanted) or 1))) as pool:
        return dict(zip(wanted, pool.map(one, wanted), strict=True))

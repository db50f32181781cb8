"""The results of `check`: where the data has fallen behind the toolkits (`CheckReport`) and
which of its sources no longer answer as they did (`LinkReport`). Every format renders them;
JSON is a dump. Text that came from the network is never here as it came: versions in their
parsed normal form, dates as dates, failures in our own words."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from ..schema_version import SCHEMA_VERSION
from .base import EditionInfo, Result


class FindingKind(StrEnum):
    NEW_RELEASE = "new-release"
    """Releases since the version (or the edition) the latest ratings were judged on."""
    INACTIVE = "inactive"
    """Status `active`, but no release for 12 months."""
    RELEASED_AFTER_END = "released-after-end"
    """Status `ended` or `inactive`, but a release after its date."""
    STATUS_STALE = "status-stale"
    """The status block was last checked longer ago than the threshold (or never)."""
    UNREACHABLE = "unreachable"
    """A package could not be read: unknown to the index, index unreachable, answer malformed."""


class Finding(Result):
    kind: FindingKind
    message: str


class PackageState(Result):
    """One package of a toolkit, as the index lists it (nulls when it could not be read)."""

    name: str
    latest_version: str | None
    latest_date: dt.date | None


class ToolkitCheck(Result):
    id: str
    name: str
    state: str | None
    """The toolkit's status in the data (`active`, `inactive`, `ended`), null when none."""
    rated_version: str | None
    """The newest version its ratings of the edition were judged on; null when none names
    one (then releases are counted from the edition's date)."""
    packages: tuple[PackageState, ...]
    findings: tuple[Finding, ...]


class CheckReport(Result):
    """`check`: per toolkit, what moved since the data was last judged."""

    schema_version: int = SCHEMA_VERSION
    edition: EditionInfo
    """The edition whose ratings releases are counted against."""
    today: dt.date
    index: str
    """The package index read (its JSON API's address)."""
    stale_after_days: int
    toolkits: tuple[ToolkitCheck, ...]
    moved: bool
    """Any finding at all: the exit code is 1."""


class LinkOutcome(StrEnum):
    OK = "ok"
    BROKEN = "broken"
    """An error status (4xx, 5xx), or no answer (DNS, TLS, refused, timeout)."""
    MOVED = "moved"
    """Redirected to another host."""
    SLOW = "slow"
    """Answered, but after more than half the timeout."""


class CitingCell(Result):
    toolkit: str
    criterion: str


class LinkCheck(Result):
    url: str
    outcome: LinkOutcome
    status: int | None
    """The HTTP status of the last answer; null when none came."""
    final_url: str | None
    """Where a redirect led (null when it was not redirected)."""
    seconds: float | None
    message: str
    cited_by: tuple[CitingCell, ...]


class LinkReport(Result):
    """`check --links`: every source address of an edition's ratings in force, checked once."""

    schema_version: int = SCHEMA_VERSION
    edition: EditionInfo
    today: dt.date
    timeout: float
    links: tuple[LinkCheck, ...]
    """Problems first (broken, moved, slow), then the addresses that answered well; each
    group by address."""
    moved: bool
    """A broken or moved link: the exit code is 1 (a slow one alone does not change it)."""

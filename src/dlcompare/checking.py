"""Where the data has fallen behind the toolkits: the findings of `check`, worked out from the
evaluation and what the package index answered (pure: the network is read elsewhere).

- `new-release`: releases since the version the toolkit's ratings of the edition were judged
  on (the newest `version` among its assessments in force from that edition's evaluator), or,
  when none names one, since the edition's date. Final and post releases count; pre-releases
  only when the rated version is one itself; yanked releases never. Counted apart as major
  (first number up), minor (second up) and patch (the rest).
- `inactive`: status `active`, but no release (of any of its packages) for INACTIVE_DAYS.
- `released-after-end`: status `ended` or `inactive`, but a release after its date.
- `status-stale`: the status block's `checked` date older than the threshold, or missing.
- `unreachable`: a package that could not be read, and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from packaging.version import InvalidVersion, Version

from .dataset import Evaluation
from .package_index import MalformedAnswer, PackageReleases, Release
from .results.base import EditionInfo
from .results.check import (
    CheckReport,
    CitingCell,
    Finding,
    FindingKind,
    LinkCheck,
    LinkOutcome,
    LinkReport,
    PackageState,
    ToolkitCheck,
)
from .schema import Toolkit

INACTIVE_DAYS = 365
"""An active project without a release for this long is reported (12 months)."""
DEFAULT_STALE_AFTER_DAYS = 180
LISTED = 6
"""Releases named in one message; beyond that the first and the last few, and a count."""


def rated_version(evaluation: Evaluation, toolkit_id: str) -> Version | None:
    """The newest version the toolkit's assessments in force were judged on, among those by
    the edition's evaluator (the source's 2015-2016 ratings name none)."""
    dataset, edition = evaluation.dataset, evaluation.edition
    found: list[Version] = []
    for leaf in evaluation.leaves:
        held = evaluation.in_force(toolkit_id, leaf.path)
        assessment = held.assessment
        if assessment is None or assessment.version is None or held.since is None:
            continue
        if dataset.edition_by_date[held.since].evaluator != edition.evaluator:
            continue
        try:
            found.append(Version(assessment.version))
        except InvalidVersion:
            continue
    return max(found, default=None)


def check_report(
    evaluation: Evaluation,
    answers: Mapping[str, PackageReleases | Exception],
    *,
    today: dt.date,
    index: str,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
) -> CheckReport:
    """The findings for every toolkit of the dataset (those with packages or a status), in
    id order. `answers` holds, per package name, its releases or why it could not be read."""
    checks = []
    for toolkit in evaluation.dataset.toolkits:
        if not toolkit.packages and toolkit.status is None:
            continue
        checks.append(_toolkit_check(evaluation, toolkit, answers, today, stale_after_days))
    return CheckReport(
        edition=EditionInfo.of(evaluation.edition),
        today=today,
        index=index,
        stale_after_days=stale_after_days,
        toolkits=tuple(checks),
        moved=any(c.findings for c in checks),
    )


def _toolkit_check(
    evaluation: Evaluation,
    toolkit: Toolkit,
    answers: Mapping[str, PackageReleases | Exception],
    today: dt.date,
    stale_after_days: int,
) -> ToolkitCheck:
    findings: list[Finding] = []
    states: list[PackageState] = []
    read: list[PackageReleases] = []
    for name in toolkit.packages:
        answer = answers.get(name)
        if isinstance(answer, PackageReleases):
            read.append(answer)
            latest = answer.latest
            states.append(
                PackageState(
                    name=name,
                    latest_version=answer.latest_version,
                    latest_date=latest.date if latest else None,
                )
            )
        else:
            states.append(PackageState(name=name, latest_version=None, latest_date=None))
            findings.append(Finding(kind=FindingKind.UNREACHABLE, message=_why(name, answer)))
    status = toolkit.status
    version = rated_version(evaluation, toolkit.id)
    if status is None or status.state == "active":
        for package in read:
            found = _new_releases(package, version, evaluation.edition.date)
            if found:
                findings.append(found)
    if status is not None and status.state == "active" and read:
        newest = max((r for p in read for r in p.usable()), key=lambda r: r.date, default=None)
        if newest is None or (today - newest.date).days > INACTIVE_DAYS:
            last = f"{newest.text} ({newest.date})" if newest else "none listed"
            findings.append(
                Finding(
                    kind=FindingKind.INACTIVE,
                    message=f"status active, but no release for over 12 months (last: {last})",
                )
            )
    if status is not None and status.state != "active" and status.date is not None:
        for package in read:
            after = [r for r in package.usable() if r.date > status.date]
            if after:
                findings.append(
                    Finding(
                        kind=FindingKind.RELEASED_AFTER_END,
                        message=f"{status.state} since {status.date}, but {package.name} "
                        f"released {_listed(after)} after that",
                    )
                )
    if status is not None:
        checked = status.checked
        if checked is None:
            findings.append(Finding(kind=FindingKind.STATUS_STALE, message="status never checked"))
        elif (today - checked).days > stale_after_days:
            findings.append(
                Finding(
                    kind=FindingKind.STATUS_STALE,
                    message=f"status last checked {checked}, {(today - checked).days} days ago "
                    f"(more than {stale_after_days})",
                )
            )
    return ToolkitCheck(
        id=toolkit.id,
        name=toolkit.name,
        state=status.state if status else None,
        rated_version=str(version) if version else None,
        packages=tuple(states),
        findings=tuple(findings),
    )


def _new_releases(
    package: PackageReleases, rated: Version | None, since: dt.date
) -> Finding | None:
    """Releases after the rated version, or, with none, uploaded after the edition's day."""
    usable = package.usable()
    if rated is not None:
        base = rated
        pre = rated.is_prerelease
        newer = [r for r in usable if r.version > rated and (pre or not r.version.is_prerelease)]
        said = f"{package.name}: rated on {rated}"
    else:
        older = [r.version for r in usable if r.date <= since and not r.version.is_prerelease]
        base = max(older, default=Version("0"))
        newer = [r for r in usable if r.date > since and not r.version.is_prerelease]
        said = f"{package.name}: no rating of the {since} edition names a version"
    if not newer:
        return None
    counts = _steps(base, newer)
    return Finding(
        kind=FindingKind.NEW_RELEASE,
        message=f"{said}; since then {_listed(newer)} ({counts})",
    )


def _steps(base: Version, newer: Sequence[Release]) -> str:
    major = minor = patch = 0
    for release in newer:
        version = release.version
        if version.major > base.major:
            major += 1
        elif version.major == base.major and version.minor > base.minor:
            minor += 1
        else:
            patch += 1
    return f"{major} major, {minor} minor, {patch} patch"


def _listed(releases: Sequence[Release]) -> str:
    """`2.16.0 (2027-01-20), 2.17.0 (2027-04-02)`, oldest first; a long list cut in the
    middle."""
    ordered = sorted(releases, key=lambda r: (r.date, r.version))
    named = [f"{r.text} ({r.date})" for r in ordered]
    if len(named) <= LISTED:
        return ", ".join(named)
    return f"{', '.join(named[:3])}, … {len(named) - 5} more …, {', '.join(named[-2:])}"


def _why(name: str, error: Exception | None) -> str:
    """Why a package could not be read, in our words (nothing of the answer is quoted)."""
    from .web import WebError

    if isinstance(error, WebError):
        if error.status == 404:
            return f"{name}: the index does not know this package (HTTP 404)"
        if error.kind == "http":
            return f"{name}: the index answered {error.message}"
        return f"{name}: the index could not be read ({error.kind}: {error.message})"
    if isinstance(error, MalformedAnswer):
        return f"{name}: the index's answer is malformed ({error})"
    return f"{name}: not read"


def cited_sources(evaluation: Evaluation) -> dict[str, tuple[CitingCell, ...]]:
    """Every source address of the ratings in force at the evaluation's edition, once, with
    the cells (toolkit, criterion) that cite it; in the order first cited."""
    cited: dict[str, list[CitingCell]] = {}
    for toolkit in evaluation.toolkits:
        for leaf in evaluation.leaves:
            assessment = evaluation.in_force(toolkit.id, leaf.path).assessment
            if assessment is None:
                continue
            for url in assessment.sources:
                cited.setdefault(url, []).append(
                    CitingCell(toolkit=toolkit.id, criterion=leaf.path)
                )
    return {url: tuple(cells) for url, cells in cited.items()}


def link_report(
    evaluation: Evaluation,
    cited: Mapping[str, tuple[CitingCell, ...]],
    checked: Mapping[str, LinkCheck],
    *,
    today: dt.date,
    timeout: float,
) -> LinkReport:
    """The checked links with the cells citing them: problems first, each group by address."""
    order = {LinkOutcome.BROKEN: 0, LinkOutcome.MOVED: 1, LinkOutcome.SLOW: 2, LinkOutcome.OK: 3}
    links = sorted(
        (checked[url].model_copy(update={"cited_by": cells}) for url, cells in cited.items()),
        key=lambda link: (order[link.outcome], link.url),
    )
    return LinkReport(
        edition=EditionInfo.of(evaluation.edition),
        today=today,
        timeout=timeout,
        links=tuple(links),
        moved=any(link.outcome in (LinkOutcome.BROKEN, LinkOutcome.MOVED) for link in links),
    )

"""The validated evaluation in memory, and its one central query: the evaluation as of a date."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .schema import Assessment, Criterion, Edition, Scale, Toolkit


@dataclass(frozen=True)
class Leaf:
    """A rateable criterion: a criterion without parts, or one part of a criterion.

    `path` is its id (`interfaces`) or `criterion.part` (`performance.single-gpu`).
    """

    path: str
    name: str
    description: str
    criterion: Criterion


def leaves_of(criterion: Criterion) -> tuple[Leaf, ...]:
    if not criterion.parts:
        return (Leaf(criterion.id, criterion.name, criterion.description, criterion),)
    return tuple(
        Leaf(
            f"{criterion.id}.{part.id}",
            f"{criterion.name}: {part.name}",
            part.description,
            criterion,
        )
        for part in criterion.parts
    )


@dataclass(frozen=True)
class Conflict:
    """`what` was defined in `earlier` and again in `later`; the later definition is used."""

    what: str
    earlier: str
    later: str


@dataclass(frozen=True)
class Timeline:
    """A toolkit's assessments on one leaf, oldest first."""

    dates: tuple[dt.date, ...]
    assessments: tuple[Assessment, ...]

    def at(self, day: dt.date) -> int:
        """Index of the assessment in force on `day` (latest at or before it), or -1."""
        return bisect_right(self.dates, day) - 1


def _timeline(entries: dict[dt.date, Assessment]) -> Timeline:
    days = sorted(entries)
    return Timeline(tuple(days), tuple(map(entries.__getitem__, days)))


@dataclass(frozen=True)
class Dataset:
    """Criteria, editions and toolkits, already checked against each other by `loading`."""

    scale: Scale
    criteria: tuple[Criterion, ...]
    editions: tuple[Edition, ...]  # oldest first
    toolkits: tuple[Toolkit, ...]  # by id
    origins: dict[str, str] = field(default_factory=dict)
    """Which file each toolkit's description was last read from, for messages."""
    rating_origins: dict[tuple[str, str, dt.date], str] = field(default_factory=dict)
    """(toolkit, leaf path, edition date) -> the file the assessment was read from."""
    layers: tuple[str, ...] = ()
    """The data folders, in the order they were layered."""
    conflicts: tuple[Conflict, ...] = ()
    """Definitions that a later data folder replaced."""

    @cached_property
    def leaves(self) -> tuple[Leaf, ...]:
        return tuple(leaf for criterion in self.criteria for leaf in leaves_of(criterion))

    @cached_property
    def leaf_by_path(self) -> dict[str, Leaf]:
        return {leaf.path: leaf for leaf in self.leaves}

    @cached_property
    def toolkit_by_id(self) -> dict[str, Toolkit]:
        return {toolkit.id: toolkit for toolkit in self.toolkits}

    @cached_property
    def _timeline_memo(self) -> dict[tuple[str, str], Timeline | None]:
        return {}

    def timeline(self, toolkit_id: str, path: str) -> Timeline | None:
        """The toolkit's assessments on one leaf, or None. Built on first use, so that a command
        that reads a few criteria of many toolkits does not sort every rating of every one."""
        memo = self._timeline_memo
        key = (toolkit_id, path)
        if key not in memo:
            toolkit = self.toolkit_by_id.get(toolkit_id)
            entries = toolkit.ratings.get(path) if toolkit is not None else None
            memo[key] = _timeline(entries) if entries is not None else None
        return memo[key]

    @cached_property
    def first_seen(self) -> dict[str, dt.date]:
        """The first edition date at which each toolkit has any assessment."""
        return {
            toolkit.id: min(min(entries) for entries in toolkit.ratings.values() if entries)
            for toolkit in self.toolkits
            if any(toolkit.ratings.values())
        }

    @cached_property
    def edition_by_date(self) -> dict[dt.date, Edition]:
        return {e.date: e for e in self.editions}

    @cached_property
    def source_evaluator(self) -> str:
        """The evaluator of the first edition: the evaluation the others are layered over."""
        return self.editions[0].evaluator

    @property
    def latest(self) -> Edition:
        return self.editions[-1]

    def edition_at(self, day: dt.date) -> Edition | None:
        """The edition in force on `day`: the latest one at or before it."""
        index = bisect_right([e.date for e in self.editions], day) - 1
        return self.editions[index] if index >= 0 else None

    def evaluation(self, edition: Edition, requested: dt.date | None = None) -> Evaluation:
        return Evaluation(self, edition, requested)


@dataclass(frozen=True)
class InForce:
    """What the evaluation says about one toolkit on one leaf at one edition."""

    assessment: Assessment | None
    since: dt.date | None
    """Date of the edition the assessment comes from."""
    last_rated: tuple[float, dt.date] | None
    """The most recent numeric score up to this edition, when the assessment in force has none."""

    @property
    def score(self) -> float | None:
        if self.assessment is None or self.assessment.withdrawn:
            return None
        return self.assessment.score


_NOTHING = InForce(None, None, None)


@dataclass(frozen=True)
class Evaluation:
    """The dataset as of one edition: the toolkits present then and the assessments in force."""

    dataset: Dataset
    edition: Edition
    requested: dt.date | None = None
    """The date the user asked for; None means 'the latest edition'."""

    @property
    def as_of(self) -> dt.date:
        return self.requested or self.edition.date

    @cached_property
    def toolkits(self) -> tuple[Toolkit, ...]:
        day = self.edition.date
        first = self.dataset.first_seen
        return tuple(t for t in self.dataset.toolkits if t.id in first and first[t.id] <= day)

    @property
    def leaves(self) -> tuple[Leaf, ...]:
        return self.dataset.leaves

    def score(self, toolkit_id: str, path: str) -> float | None:
        """The numeric score in force, or None (unrated, withdrawn or not covered)."""
        return self.in_force(toolkit_id, path).score

    @cached_property
    def _in_force_memo(self) -> dict[tuple[str, str], InForce]:
        return {}

    def in_force(self, toolkit_id: str, path: str) -> InForce:
        """Worked out once per toolkit and leaf: ranking, freshness and rendering all ask."""
        key = (toolkit_id, path)
        found = self._in_force_memo.get(key)
        if found is None:
            found = self._in_force_memo[key] = self._find_in_force(toolkit_id, path)
        return found

    def _find_in_force(self, toolkit_id: str, path: str) -> InForce:
        timeline = self.dataset.timeline(toolkit_id, path)
        if timeline is None:
            return _NOTHING
        index = timeline.at(self.edition.date)
        if index < 0:
            return _NOTHING
        assessment = timeline.assessments[index]
        last_rated = None
        if assessment.withdrawn or assessment.score is None:
            for i in range(index - 1, -1, -1):
                earlier = timeline.assessments[i]
                if earlier.score is not None:
                    last_rated = (earlier.score, timeline.dates[i])
                    break
        return InForce(assessment, timeline.dates[index], last_rated)

    def rates(self, toolkit_id: str) -> bool:
        """Whether the evaluation gives the toolkit a score on any leaf. A toolkit present but
        not rated anywhere (every assessment in force is null or withdrawn: the project ended
        before this edition) is in view by name only: not a candidate, not a column."""
        return any(self.score(toolkit_id, leaf.path) is not None for leaf in self.leaves)

    @cached_property
    def rated_toolkits(self) -> tuple[Toolkit, ...]:
        """The toolkits present that have a score on at least one leaf."""
        return tuple(t for t in self.toolkits if self.rates(t.id))

    @cached_property
    def unrated_toolkits(self) -> tuple[Toolkit, ...]:
        """The toolkits this edition names without rating them: present with no score on any
        leaf, or never rated in any edition and, by their status, ended or inactive on or
        before this edition's date (the status's date, else the day it was checked): a
        project that stopped before it could be rated."""
        present = {t.id for t in self.toolkits}
        day = self.edition.date
        found = []
        for toolkit in self.dataset.toolkits:
            if toolkit.id in present:
                if not self.rates(toolkit.id):
                    found.append(toolkit)
                continue
            status = toolkit.status
            if toolkit.id in self.dataset.first_seen or status is None or status.state == "active":
                continue
            known = status.date or status.checked
            if known is not None and known <= day:
                found.append(toolkit)
        return tuple(found)

    def scores(self, paths: Iterable[str]) -> dict[str, dict[str, float | None]]:
        """`{toolkit id: {path: score or None}}` for the toolkits present."""
        wanted = tuple(paths)
        return {t.id: {p: self.score(t.id, p) for p in wanted} for t in self.toolkits}

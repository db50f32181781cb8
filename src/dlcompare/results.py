"""Result objects: one per command. Every output format renders the same object, and JSON is
a dump of it. Names are ids (`tensorflow`, `performance.single-gpu`); numbers are unrounded."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from . import SCHEMA_VERSION
from .schema import Edition


class Result(BaseModel):
    # defer_build: each command builds only the result models it uses, on first use.
    model_config = ConfigDict(frozen=True, defer_build=True)


class Status(StrEnum):
    RATED = "rated"
    UNRATED = "unrated"
    """Discussed by the edition, but without a score."""
    WITHDRAWN = "withdrawn"
    """An earlier edition assessed it; this one dropped the assessment."""
    NOT_COVERED = "not-covered"


class EditionInfo(Result):
    date: dt.date
    commit: str | None
    url: str
    evaluator: str

    @classmethod
    def of(cls, edition: Edition) -> EditionInfo:
        return cls(
            date=edition.date, commit=edition.commit, url=edition.url, evaluator=edition.evaluator
        )


class Named(Result):
    id: str
    name: str


class LastRated(Result):
    score: float
    edition: dt.date


class Rating(Result):
    """One toolkit on one leaf criterion, as of the view's edition."""

    toolkit: str
    criterion: str
    status: Status
    score: float | None
    edition: dt.date | None
    """Date of the edition this assessment comes from (it stays in force until replaced)."""
    summary: str | None
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    last_rated: LastRated | None

    @property
    def reason(self) -> str:
        """Why there is no score, in words; empty when there is one."""
        last = (
            f"; last rated {format_score(self.last_rated.score)} on {self.last_rated.edition}"
            if self.last_rated
            else ""
        )
        if self.status is Status.UNRATED:
            return f"discussed but not rated{last}"
        if self.status is Status.WITHDRAWN:
            return f"not rated in this edition{last}"
        if self.status is Status.NOT_COVERED:
            return "not covered by the source"
        return ""


class RatingsView(Result):
    """`show`: one criterion, one toolkit, or the whole matrix."""

    schema_version: int = SCHEMA_VERSION
    kind: Literal["criterion", "toolkit", "matrix"]
    subject: str | None
    as_of: dt.date
    edition: EditionInfo
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    ratings: tuple[Rating, ...]


class DiffRow(Result):
    criterion: str
    left: float | None
    right: float | None
    delta: float | None
    """left minus right; null when either side has no score."""
    ahead: str | None
    """Id of the toolkit with the higher score, "tie", or null when one side has no score."""
    left_rating: Rating
    right_rating: Rating


class ToolkitDiff(Result):
    """`diff`: two toolkits, leaf criterion by leaf criterion. Nothing is totalled."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date
    edition: EditionInfo
    left: str
    right: str
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    rows: tuple[DiffRow, ...]


class RankRow(Result):
    rank: int
    toolkit: str
    score: float
    """Weighted mean Σ w·s / Σ w over the weighted criteria this toolkit is rated on."""
    contributions: dict[str, float]
    """w·s / Σ w per criterion; they add up to the score."""
    coverage: float
    """Share of the total weight this toolkit is rated on (1.0 unless --missing partial)."""
    missing: tuple[str, ...]


class Dropped(Result):
    toolkit: str
    missing: tuple[str, ...]


class Ranking(Result):
    """`rank`: the toolkits under the user's own weights, and the weights used."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date
    edition: EditionInfo
    weights: dict[str, float]
    """Each weighted criterion's share of the total weight."""
    raw_weights: dict[str, float]
    missing: Literal["error", "drop", "partial"]
    not_considered: tuple[str, ...]
    dropped: tuple[Dropped, ...]
    toolkits: tuple[Named, ...]
    criteria: tuple[Named, ...]
    rows: tuple[RankRow, ...]


def format_score(score: float) -> str:
    """4 -> '4.0', 4.5 -> '4.5', 4.75 -> '4.75': exact, never rounded away."""
    return f"{score:.1f}" if round(score, 1) == score else f"{score:g}"


class CriterionInfo(Result):
    id: str
    name: str
    description: str
    parts: tuple[CriterionInfo, ...] = ()


class ToolkitInfo(Result):
    id: str
    name: str
    aliases: tuple[str, ...]
    homepage: str | None
    repository: str | None
    first_edition: dt.date | None
    origin: str | None = None
    """The data file the toolkit was read from."""


class Catalog(Result):
    """`list`: the criteria tree and the toolkits present in an edition."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date
    edition: EditionInfo
    scale: tuple[float, float]
    criteria: tuple[CriterionInfo, ...]
    toolkits: tuple[ToolkitInfo, ...]


class EditionRow(Result):
    date: dt.date
    commit: str | None
    also: tuple[str, ...]
    url: str
    evaluator: str
    summary: str
    ratings_changed: int
    """Scores that moved, appeared or were withdrawn against the previous edition."""


class EditionList(Result):
    """`editions`: every edition, oldest first."""

    schema_version: int = SCHEMA_VERSION
    editions: tuple[EditionRow, ...]


class ProblemInfo(Result):
    file: str
    where: str
    message: str


class ValidationReport(Result):
    """`validate`: every problem found in a data folder (none when it is clean)."""

    schema_version: int = SCHEMA_VERSION
    folder: str
    ok: bool
    problems: tuple[ProblemInfo, ...]

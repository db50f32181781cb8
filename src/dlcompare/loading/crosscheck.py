"""The rules that span files, checked on the merged layers: unique names, known criteria and
editions, scores on the scale, each problem naming the file that brought it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from ..dataset import leaves_of
from ..errors import Problem, shown
from ..names import suggest
from ..schema import Assessment, Criterion, Scale, Toolkit
from .merging import Merged
from .messages import format_loc


def _as_written(number: float) -> str:
    """The shortest text that reads back as `number`: 5.0000001 stays 5.0000001, 7.0 is 7."""
    text = repr(number)
    return text[:-2] if text.endswith(".0") else text


def _lookalike_names(merged: Merged) -> list[Problem]:
    """No two toolkits may share a display name, or names that look alike (same skeleton:
    `TensorFlow`, `tensorflow`, `Tensor Flow`, `T\u0435nsorFlow`): a ranking would show two
    rows that read the same."""
    from ..lookalike import skeleton, unambiguous

    problems = []
    shapes: dict[str, Toolkit] = {}
    for toolkit, label in merged.toolkits.values():
        other = shapes.setdefault(skeleton(toolkit.name), toolkit)
        if other is toolkit:
            continue
        how = "is also" if other.name == toolkit.name else "looks like"
        problems.append(
            Problem(
                label,
                "name",
                f"'{unambiguous(toolkit.name)}' {how} the name of toolkit {other.id} "
                f"('{unambiguous(other.name)}'); give it a name of its own",
            )
        )
    return problems


@dataclass(frozen=True)
class _RatingCheck:
    """The checks of a toolkit's ratings that need the other files: a known leaf criterion,
    a declared edition date, a score on the scale. It reads validated ratings and, as far as
    their shape allows, the ratings of a file that did not validate."""

    leaves: frozenset[str]
    parents: dict[str, Criterion]
    declared: set[dt.date]
    scale: Scale
    splits: dict[str, Criterion] = field(default_factory=dict)
    """The leaves of each criterion that gains parts at an edition (`parts_from`): its whole
    path and its parts' paths."""

    def _era(self, path: str, day: Any) -> str | None:
        """Why a rating of `path` cannot be dated `day`: the whole of a criterion from the day
        it gained parts on, or a part before it; None when it can."""
        criterion = self.splits.get(path)
        if criterion is None or criterion.parts_from is None or not isinstance(day, dt.date):
            return None
        start = criterion.parts_from
        parts = ", ".join(f"{criterion.id}.{p.id}" for p in criterion.parts)
        if path == criterion.id and day >= start:
            return (
                f"'{criterion.id}' is rated per part from the edition of {start} on; "
                f"rate {parts} instead"
            )
        if path != criterion.id and day < start:
            return (
                f"'{path}' is a part only from the edition of {start} on; an edition "
                f"before it rates '{criterion.id}' as a whole"
            )
        return None

    def __call__(self, ratings: Any, label_of: Any) -> list[Problem]:
        problems: list[Problem] = []
        known_dates = ", ".join(str(d) for d in sorted(self.declared))
        for path, entries in ratings.items():
            if not isinstance(entries, dict) or not entries:
                continue
            days = sorted(entries, key=str)
            if str(path) not in self.leaves:
                where = format_loc(("ratings", path))
                if path in self.parents:
                    parts = ", ".join(f"{path}.{p.id}" for p in self.parents[path].parts)
                    message = f"'{path}' has parts; rate {parts}"
                else:
                    message = (
                        f"unknown criterion {shown(str(path))}{suggest(str(path), sorted(self.leaves))} "
                        "(`dlcompare list` shows every criterion)"
                    )
                problems.append(Problem(label_of(path, days[0]), where, message))
                continue  # one message per criterion is enough
            low, high = self.scale.min, self.scale.max
            for n, day in enumerate(days):
                withdrawn, score = _withdrawn_and_score(entries[day])
                undeclared = isinstance(day, dt.date) and day not in self.declared
                first_withdrawn = n == 0 and withdrawn
                off_scale = score is not None and not low <= score <= high
                era = self._era(str(path), day) if self.splits else None
                if not (undeclared or first_withdrawn or off_scale or era):
                    continue  # the common case: nothing to say, nothing to format
                label = label_of(path, day)
                where = format_loc(("ratings", path, day))
                if era:
                    problems.append(Problem(label, where, era))
                if undeclared:
                    problems.append(
                        Problem(label, where, f"no edition on {day} (editions: {known_dates})")
                    )
                if first_withdrawn:
                    problems.append(Problem(label, where, "withdrawn before it was ever assessed"))
                if off_scale and score is not None:
                    problems.append(
                        Problem(
                            label,
                            f"{where} › score",
                            f"{_as_written(score)} is outside the scale {low:g} to {high:g}",
                        )
                    )
        return problems


def _withdrawn_and_score(assessment: Any) -> tuple[bool, float | None]:
    """`withdrawn` and a usable numeric score of an assessment, validated or as parsed."""
    if isinstance(assessment, Assessment):
        return assessment.withdrawn, assessment.score
    if not isinstance(assessment, dict):
        return False, None
    score = assessment.get("score")
    withdrawn = assessment.get("withdrawn") is True
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        return withdrawn, None
    return withdrawn, float(score)


def cross_check(merged: Merged) -> list[Problem]:
    """Rules that span files: unique names, known criteria and editions, scores on the scale.
    Each problem names the file that brought the offending value."""
    problems: list[Problem] = []
    names: dict[str, str] = {}  # name -> what owns it, so a name never means two things

    def claim(name: str, owner: str, file: str, where: str) -> None:
        if name in names and names[name] != owner:
            problems.append(Problem(file, where, f"'{name}' already names {names[name]}"))
        else:
            names[name] = owner

    for criterion, label in merged.criteria.values():
        claim(criterion.id, f"criterion {criterion.id}", label, f"criteria › {criterion.id}")
        part_ids = [p.id for p in criterion.parts]
        for j, part_id in enumerate(part_ids):
            if part_ids.index(part_id) != j:
                problems.append(
                    Problem(
                        label, f"criteria › {criterion.id} › parts", f"duplicate part '{part_id}'"
                    )
                )
    for toolkit, label in merged.toolkits.values():
        for where, name in [("id", toolkit.id), *(("aliases", a) for a in toolkit.aliases)]:
            claim(name, f"toolkit {toolkit.id}", label, where)
        for criterion, _ in merged.criteria.values():
            if any(p.id == toolkit.id for p in criterion.parts):
                problems.append(
                    Problem(label, "id", f"'{toolkit.id}' already names a part of {criterion.id}")
                )

    problems += _lookalike_names(merged)

    commits: dict[str, str] = {}
    for edition, label in merged.editions.values():
        for commit in (edition.commit, *edition.also):
            if commit is None:
                continue
            if commit in commits:
                problems.append(
                    Problem(label, f"editions › {edition.date}", f"commit {commit} listed twice")
                )
            commits[commit] = label

    criteria = [c for c, _ in merged.criteria.values()]
    check = _RatingCheck(
        leaves=frozenset(leaf.path for c in criteria for leaf in leaves_of(c)),
        parents={c.id: c for c in criteria if c.parts and c.parts_from is None},
        declared=merged.declared,
        scale=merged.scale,
        splits={
            leaf.path: c for c in criteria if c.parts_from is not None for leaf in leaves_of(c)
        },
    )
    origins = merged.rating_origins
    for toolkit, _ in merged.toolkits.values():
        problems += check(toolkit.ratings, lambda path, day, t=toolkit.id: origins[t, path, day])
    for document, label in merged.broken:
        ratings = document.get("ratings")
        if isinstance(ratings, dict):
            problems += check(ratings, lambda path, day, label=label: label)
    return problems

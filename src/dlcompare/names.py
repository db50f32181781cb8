"""Turning what a user typed into a toolkit, a criterion or an edition."""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .dataset import Dataset, Leaf
from .errors import NotFoundError, shown
from .schema import Criterion, Edition, Toolkit


def _key(text: str) -> str:
    return " ".join(text.strip().lower().split())


def suggest(text: str, candidates: list[str]) -> str:
    """The hint `; did you mean 'x'?` for the closest of `candidates`; empty when none is."""
    close = difflib.get_close_matches(_key(text)[:MAX_NAME], candidates, n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""


MAX_NAME = 100
"""Longest name looked up; ids are at most 64 characters, display names are short."""
_PATHLIKE = re.compile(r"[/\\]|\.\.")


def _check_name(text: str, what: str, candidates: Iterable[str]) -> None:
    """Refuse what cannot be a name before looking it up: a name is a key in a table, never
    a path, so `../x` or `a/b` is a mistake (or an attack) and is said to be one."""
    if len(text) > MAX_NAME:
        raise NotFoundError(
            f"a {what} name of {len(text):,} characters is too long (at most {MAX_NAME}); "
            f"it starts {shown(text)}"
        )
    if _PATHLIKE.search(text):
        raise NotFoundError(
            f"{shown(text)} is not a {what} name: names never contain '/', '\\' or '..'"
            f"{suggest(_PATHLIKE.sub(' ', text), list(candidates))} (`dlcompare list` shows them all)"
        )


_T = TypeVar("_T")


def _memo(dataset: Dataset, build: Callable[[Dataset], _T]) -> _T:
    """`build(dataset)`, built once per dataset and kept with it (as `cached_property` keeps
    its values): a weights file of 4,000 criteria looks up 4,000 names, and rebuilding the
    table for each would be quadratic."""
    memo: dict[str, Any] = vars(dataset).setdefault("_names_memo", {})
    if build.__name__ not in memo:
        memo[build.__name__] = build(dataset)
    return memo[build.__name__]  # type: ignore[no-any-return]


def toolkit_names(dataset: Dataset) -> dict[str, Toolkit]:
    return _memo(dataset, _toolkit_names)


def criterion_names(dataset: Dataset) -> dict[str, Criterion | Leaf]:
    """Every way to name a criterion or a leaf: id, dotted path, display name, and a part's
    own id when no other criterion has a part of that id."""
    return _memo(dataset, _criterion_names)


def _toolkit_names(dataset: Dataset) -> dict[str, Toolkit]:
    names: dict[str, Toolkit] = {}
    for toolkit in dataset.toolkits:
        for name in (toolkit.id, *toolkit.aliases, toolkit.name):
            names.setdefault(_key(name), toolkit)
    return names


def _criterion_names(dataset: Dataset) -> dict[str, Criterion | Leaf]:
    names: dict[str, Criterion | Leaf] = {}
    part_counts: dict[str, int] = {}
    for criterion in dataset.criteria:
        for part in criterion.parts:
            part_counts[part.id] = part_counts.get(part.id, 0) + 1
    for criterion in dataset.criteria:
        target: Criterion | Leaf = (
            criterion if criterion.parts else dataset.leaf_by_path[criterion.id]
        )
        names.setdefault(_key(criterion.id), target)
        names.setdefault(_key(criterion.name), target)
        for part in criterion.parts:
            leaf = dataset.leaf_by_path[f"{criterion.id}.{part.id}"]
            names.setdefault(_key(leaf.path), leaf)
            names.setdefault(_key(leaf.name), leaf)
            names.setdefault(_key(f"{part.name} {criterion.name}"), leaf)
            if part_counts[part.id] == 1:
                names.setdefault(_key(part.id), leaf)
    return names


def _find(names: dict[str, _T], text: str, kind: str) -> _T:
    _check_name(text, kind, names)
    found = names.get(_key(text))
    if found is None:
        raise NotFoundError(
            f"unknown {kind} {shown(text)}{suggest(text, list(names))} "
            f"(`dlcompare list` shows every {kind})"
        )
    return found


def find_toolkit(dataset: Dataset, text: str) -> Toolkit:
    return _find(toolkit_names(dataset), text, "toolkit")


def find_criterion(dataset: Dataset, text: str) -> Criterion | Leaf:
    return _find(criterion_names(dataset), text, "criterion")


def find_subject(dataset: Dataset, text: str) -> Toolkit | Criterion | Leaf:
    """A criterion or a toolkit, for `show`; ids never collide (loading checks it)."""
    key = _key(text)
    criteria = criterion_names(dataset)
    toolkits = toolkit_names(dataset)
    _check_name(text, "criterion or toolkit", itertools.chain(criteria, toolkits))
    if key in criteria:
        return criteria[key]
    if key in toolkits:
        return toolkits[key]
    suggestion = suggest(text, [*criteria, *toolkits])
    raise NotFoundError(
        f"{shown(text)} is neither a criterion nor a toolkit{suggestion} "
        "(`dlcompare list` shows both)"
    )


_HASH = re.compile(r"^[0-9a-f]{4,40}$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def as_date(text: str) -> dt.date | None:
    """The date `text` names, when it is written as one (`2016-05-11`), else None. Only this
    form is a date: Python 3.11's `date.fromisoformat` also reads `20160511` and even
    `2016051101`, which are as much the start of a commit hash."""
    value = text.strip()
    if not _DATE_LIKE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise NotFoundError(f"{shown(text)} is not a valid date ({error})") from None


def _lenient_date(value: str) -> dt.date | None:
    """What `date.fromisoformat` makes of `value` (a reading named in an error), or None."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def find_edition(dataset: Dataset, text: str | None) -> Edition:
    """The edition in force at a date (`2016-05-11`, or any later date), or the edition whose
    commit hash starts with `text`. None means the latest edition. Text that is not written
    as a date but that Python could read as one (`20160511`) is a commit: where an edition's
    commit matches it, that edition; where none does, an error naming both readings."""
    if text is None:
        return dataset.latest
    value = text.strip().lower()
    first = dataset.editions[0].date
    day = as_date(value)
    if day is not None:
        edition = dataset.edition_at(day)
        if edition is None:
            raise NotFoundError(
                f"{day} is before the first edition ({first}); dlcompare has no ratings that early"
            )
        return edition
    if _HASH.match(value):
        matches = [
            e
            for e in dataset.editions
            if any(c.startswith(value) for c in (e.commit or "", *e.also) if c)
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFoundError(f"commit {shown(text)} is ambiguous; give more digits")
    lenient = _lenient_date(value)
    if lenient is not None:
        raise NotFoundError(
            f"{shown(text)} is ambiguous: it is no edition's commit, and it could be read as "
            f"the date {lenient}; for that date write {lenient.isoformat()} (YYYY-MM-DD), for "
            "a commit give one an edition has (`dlcompare editions` lists them)"
        )
    dates = ", ".join(str(e.date) for e in dataset.editions)
    raise NotFoundError(
        f"{shown(text)} is not a date (YYYY-MM-DD) or an edition's commit; editions: {dates}"
    )


def split_at(text: str) -> tuple[str, str | None]:
    """`tensorflow@2016-05-11` -> ("tensorflow", "2016-05-11"); without `@`, (text, None).
    The part after `@` is read like --as-of: an edition date, a later date or a commit."""
    name, at, when = text.rpartition("@")
    if not at:
        return text, None
    if not name.strip() or not when.strip():
        raise NotFoundError(f"'{text}' is not TOOLKIT or TOOLKIT@DATE (e.g. tensorflow@2016-05-11)")
    return name, when

"""How loaded data is packed into the cache and unpacked from it: validated files as plain
values, the loaded data whole, and every value from the cache checked before it is used (a
pickle builds objects without validating them)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import fields
from itertools import chain, compress
from operator import ge, lt
from pathlib import Path
from typing import Any

from .. import cache
from ..dataset import DESCRIPTION, Dataset, Ratings, trusted_assessment
from ..schema import (
    Assessment,
    Criterion,
    Edition,
    ProjectStatus,
    RatedToolkit,
    Scale,
    Toolkit,
    ToolkitFile,
)


def store(
    paths: tuple[Path, ...],
    files: list[Path],
    *,
    digests: dict[str, bytes],
    validated: dict[str, Any],
    stored: cache.Stored,
    dataset: Dataset | None,
    whole: bytes,
) -> None:
    """Update the cache with what this load validated, unless it holds that already."""
    # Keep only what was built from the bytes the digests describe: a file that changed while
    # it was being read is left out, and so is the loaded data.
    now = cache.file_digests(files) or {}
    entries = {
        name: (digests[name], _packed(model))
        for name, model in validated.items()
        if name in digests and now.get(name) == digests[name]
    }
    complete = dataset is not None and now == digests
    same_files = {n: d for n, (d, _) in entries.items()} == {
        n: d for n, (d, _) in stored.files.items()
    }
    if same_files and complete == (stored.folder == whole):
        return
    parts = None
    if dataset is not None and complete:
        parts = {f.name: getattr(dataset, f.name) for f in fields(Dataset)}
    cache.write(paths, whole if parts else b"", parts, None if same_files else entries)


_PACKED_TOOLKIT = "toolkit file"


def _packed(model: Any) -> Any:
    """A validated file as the cache keeps it. A toolkit file as plain values: pickling its
    assessment models costs five times as much (half a second for 50,000 of them, on every
    first run). Other files, small, as they are."""
    if not isinstance(model, ToolkitFile):
        return model
    return (
        _PACKED_TOOLKIT,
        tuple(model.model_fields_set),
        {name: getattr(model, name) for name in DESCRIPTION},
        {
            path: {
                day: (a.score, a.withdrawn, a.summary, a.sources, a.notes, a.version)
                for day, a in entries.items()
            }
            for path, entries in model.ratings.items()
        },
    )


def unpacked(entry: Any) -> Any:
    """The model of a cache entry that `_packed` made, or None when it is not one (a forged or
    damaged entry: then the file is read again). Values are checked for their types before
    they are used; `sane` checks the scores."""
    if not (type(entry) is tuple and len(entry) == 4 and entry[0] == _PACKED_TOOLKIT):
        return entry
    _, given, described, ratings = entry
    if not (
        type(given) is tuple
        and _types(given) <= {str}
        and type(described) is dict
        and set(described) == set(DESCRIPTION)
        and type(described["id"]) is str
        and _types([described["name"], described["homepage"], described["repository"]])
        <= {str, type(None)}
        and type(described["aliases"]) is tuple
        and _types(described["aliases"]) <= {str}
        and type(described["packages"]) is tuple
        and _types(described["packages"]) <= {str}
        and (described["status"] is None or type(described["status"]) is ProjectStatus)
        and type(described["official"]) is tuple
        and _types(described["official"]) <= {str}
        and type(ratings) is dict
        and _types(ratings) <= {str}
        and _types(ratings.values()) <= {dict}
    ):
        return None
    built: dict[str, dict[dt.date, Assessment]] = {}
    for path, entries in ratings.items():
        own = built[path] = {}
        for day, values in entries.items():
            if not (type(day) is dt.date and type(values) is tuple and len(values) == 6):
                return None
            score, withdrawn, summary, sources, notes, version = values
            if not (
                type(score) in (float, type(None))
                and type(withdrawn) is bool
                and type(summary) is str
                and type(sources) is tuple
                and type(notes) is tuple
                and _types(sources + notes) <= {str}
                and type(version) in (str, type(None))
            ):
                return None
            own[day] = trusted_assessment(
                score, withdrawn, summary, sources, notes, version=version
            )
    return ToolkitFile.model_construct(set(given), **described, ratings=built)


_PART_TYPES: dict[str, type] = {
    "scale": Scale,
    "criteria": tuple,
    "editions": tuple,
    "toolkits": tuple,
    "ratings": Ratings,
    "origins": dict,
    "layers": tuple,
    "conflicts": tuple,
    "evidence_hosts": tuple,
}


def cached_dataset(found: Any) -> Dataset | None:
    """The Dataset from what the cache held, or None if it is not what `store` stores."""
    if not isinstance(found, dict) or set(found) != {f.name for f in fields(Dataset)}:
        return None
    if not all(isinstance(found[name], kind) for name, kind in _PART_TYPES.items()):
        return None
    members = {"criteria": Criterion, "editions": Edition, "toolkits": Toolkit}
    if not all(type(x) is kind for name, kind in members.items() for x in found[name]):
        return None
    scale = found["scale"]
    if not (_finite(scale.min) and _finite(scale.max) and scale.min < scale.max):
        return None
    ids = {toolkit.id for toolkit in found["toolkits"]}
    try:
        if not _sane_ratings(found["ratings"], ids, scale.min, scale.max):
            return None
    except AttributeError:  # a Ratings without one of its columns
        return None
    return Dataset(**found)


def _types(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))


def _sane_ratings(ratings: Ratings, ids: set[str], low: float, high: float) -> bool:
    """Whether the columns of assessments from the cache are what `Ratings.of` builds from
    validated files, as far as a view could be misled or fail: every column as long as the
    others and of its type, every score a finite float within [low, high], the cells of known
    toolkits tiling the rows in order, each cell used once, and the dates of each cell rising.
    A pickle builds objects without validating them, so a forged cache could hold 99.0 or nan,
    or a cell pointing anywhere; then it is a miss. Checked with whole-column operations: a
    few milliseconds for 50,000 assessments."""
    columns = (ratings.dates, ratings.scores, ratings.withdrawn, ratings.origins)
    texts = (
        ratings.summary_text,
        ratings.source_text,
        ratings.note_text,
        ratings.version_text,
        ratings.row,
        ratings.item,
    )
    if _types((*columns, ratings.starts)) != {tuple} or _types(texts) != {str}:
        return False
    if type(ratings.cells) is not dict:
        return False
    rows = len(ratings.dates)
    if any(len(column) != rows for column in columns) or not ratings.separated():
        return False
    cells = list(ratings.cells.values())
    if not (set(ratings.cells) <= ids and _types(cells) <= {dict}):
        return False
    numbers = list(chain.from_iterable(map(dict.values, cells)))
    starts, dates = ratings.starts, ratings.dates
    scores = [score for score in ratings.scores if score is not None]
    if not (
        starts
        and _types(chain.from_iterable(cells)) <= {str}
        and _types(chain(numbers, starts)) <= {int}
        and _types(dates) <= {dt.date}
        and _types(scores) <= {float}
        and _types(ratings.withdrawn) <= {bool}
        and _types(ratings.origins) <= {str}
    ):
        return False  # a column, or an entry of one, of the wrong type
    if sorted(numbers) != list(range(len(starts) - 1)):
        return False  # each cell belongs to one toolkit and leaf
    if starts[0] != 0 or starts[-1] != rows or not all(map(lt, starts, starts[1:])):
        return False  # the cells tile the rows, in order, none empty
    first = bytearray(rows + 1)  # 1 where a cell begins
    for start in starts:
        first[start] = 1
    if not all(map(first.__getitem__, compress(range(1, rows), map(ge, dates, dates[1:])))):
        return False  # a date not after the one before it, within one cell
    return not any(map(math.isnan, scores)) and (
        not scores or (min(scores) >= low and max(scores) <= high)
    )


def _finite(value: Any) -> bool:
    return type(value) is float and math.isfinite(value)


def sane(model: Any, low: float = -math.inf, high: float = math.inf) -> bool:
    """Whether a model from the cache holds what validation lets through, as far as a view
    could be misled: every score a finite float (within [low, high] when the scale is known),
    every rating keyed by a criterion path and a date. A pickle builds models without
    validating them, so a forged or damaged cache could hold 99.0 or nan; then it is a miss."""
    if not isinstance(model, RatedToolkit):
        return True  # criteria and editions hold no number a ranking uses
    if not isinstance(model.ratings, dict):
        return False
    for path, entries in model.ratings.items():
        if not isinstance(path, str) or not isinstance(entries, dict):
            return False
        for day, assessment in entries.items():
            if type(day) is not dt.date or not isinstance(assessment, Assessment):
                return False
            score = assessment.score
            if score is not None and not (_finite(score) and low <= score <= high):
                return False
    return True

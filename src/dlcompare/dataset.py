"""The validated evaluation in memory, and its one central query: the evaluation as of a date."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import NamedTuple

from .schema import Assessment, Criterion, Edition, Part, RatedToolkit, Scale, Toolkit


class Leaf(NamedTuple):
    """A rateable criterion: a criterion without parts, or one part of a criterion.

    `path` is its id (`interfaces`) or `criterion.part` (`performance.single-gpu`). A criterion
    that gains parts at an edition (`Criterion.parts_from`) has both: the whole criterion is a
    leaf before that date, its parts from it on (`Leaf.in_force`).
    """

    path: str
    name: str
    description: str
    criterion: Criterion
    part: Part | None = None
    """The part this leaf is; None for a criterion rated whole."""

    @property
    def is_part(self) -> bool:
        return self.part is not None

    def in_force(self, day: dt.date) -> bool:
        """Whether an edition of `day` rates this leaf."""
        start = self.criterion.parts_from
        if start is None:
            return True
        return (day >= start) == self.is_part


def _whole(criterion: Criterion) -> Leaf:
    return Leaf(criterion.id, criterion.name, criterion.description, criterion)


def leaves_of(criterion: Criterion) -> tuple[Leaf, ...]:
    """Every leaf of the criterion in any edition: itself when it has no parts; its parts;
    or, when it gains them at an edition, itself (rated before) and then its parts."""
    parts = tuple(
        Leaf(
            f"{criterion.id}.{part.id}",
            f"{criterion.name}: {part.name}",
            part.description,
            criterion,
            part,
        )
        for part in criterion.parts
    )
    if not parts:
        return (_whole(criterion),)
    return (_whole(criterion), *parts) if criterion.parts_from is not None else parts


def leaves_at(criterion: Criterion, day: dt.date) -> tuple[Leaf, ...]:
    """The leaves of the criterion that an edition of `day` rates."""
    return tuple(leaf for leaf in leaves_of(criterion) if leaf.in_force(day))


class Conflict(NamedTuple):
    """`what` was defined in `earlier` and again in `later`; the later definition is used."""

    what: str
    earlier: str
    later: str


class Timeline(NamedTuple):
    """A toolkit's assessments on one leaf, oldest first (for views that read a whole history;
    a ranking reads the columns instead, see `Evaluation.in_force_table`)."""

    dates: tuple[dt.date, ...]
    assessments: tuple[Assessment, ...]


_new = object.__new__
_set = object.__setattr__


def trusted_assessment(
    score: float | None,
    withdrawn: bool,
    summary: str,
    sources: tuple[str, ...],
    notes: tuple[str, ...],
    *,
    version: str | None = None,
) -> Assessment:
    """An Assessment from values that were validated when their file was read (or checked when
    the cache gave them back), built without validating them again: about a third of the cost,
    for the thousands a large ranking reads. The same object as validation builds (a test
    compares them), with the fields a file sets marked as set."""
    assessment = _new(Assessment)
    _set(
        assessment,
        "__dict__",
        {
            "score": score,
            "withdrawn": withdrawn,
            "summary": summary,
            "sources": sources,
            "notes": notes,
            "version": version,
        },
    )
    given = {"summary"}
    if score is not None or not withdrawn:
        given.add("score")
    if withdrawn:
        given.add("withdrawn")
    if sources:
        given.add("sources")
    if notes:
        given.add("notes")
    if version is not None:
        given.add("version")
    _set(assessment, "__pydantic_fields_set__", given)
    _set(assessment, "__pydantic_extra__", None)
    _set(assessment, "__pydantic_private__", None)
    return assessment


DESCRIPTION = tuple(Toolkit.model_fields)
"""The keys that say what a toolkit is, without its assessments."""


def described(toolkit: Toolkit) -> Toolkit:
    """The toolkit without its assessments (a dataset keeps those in columns). Built from
    validated values, so without validating them again."""
    if type(toolkit) is Toolkit:
        return toolkit
    return Toolkit.model_construct(
        toolkit.model_fields_set - {"ratings"},
        **{name: getattr(toolkit, name) for name in DESCRIPTION},
    )


def _unused(text: str, taken: str = "") -> str:
    """The first character from U+0000 up that `text` does not hold (nor `taken`): a
    separator for it. Text from YAML may hold any character (`"\\0"` is a valid escape)."""
    code = 0
    while chr(code) in text or chr(code) in taken:
        code += 1
    return chr(code)


@dataclass(frozen=True)
class Ratings:
    """Every assessment of a dataset, in columns. The assessments of one toolkit on one leaf
    form a cell, `cells[toolkit][path] = k`: rows `starts[k]` to `starts[k + 1] - 1` of the
    columns, oldest first. The cells tile the rows in order.

    Plain values only, no model objects, and the text of all rows in one string per column
    (summaries, sources, notes): a folder read from the cache gives them back in a few
    milliseconds however many there are, the text is split into rows only when a command
    reads some, and an `Assessment` is built only for what a command reads (see
    `Dataset.timeline`, `Evaluation.in_force`)."""

    cells: dict[str, dict[str, int]]
    starts: tuple[int, ...]
    dates: tuple[dt.date, ...]
    scores: tuple[float | None, ...]
    withdrawn: tuple[bool, ...]
    summary_text: str
    """The summaries of all rows, separated by `row`."""
    source_text: str
    """The sources of all rows, separated by `row`; those of one row by spaces (an address
    holds no space)."""
    note_text: str
    """The notes of all rows, separated by `row`; those of one row by `item`."""
    row: str
    """A character that no text holds: between the texts of two rows."""
    item: str
    """Another: between the notes of one row."""
    version_text: str
    """The version each row was judged on, separated by `row` (empty: none given; a version
    is never empty)."""
    origins: tuple[str, ...]
    """The file each assessment was read from, for messages and provenance."""

    @classmethod
    def of(
        cls, toolkits: Iterable[tuple[str, dict[str, dict[dt.date, tuple[Assessment, str]]]]]
    ) -> Ratings:
        """The columns of `(toolkit id, {path: {date: (assessment, origin)}})` pairs. Equal
        dates and paths become one object each, which the cache then stores once."""
        cells: dict[str, dict[str, int]] = {}
        starts = [0]
        rows: list[tuple[dt.date, Assessment, str]] = []
        same_day: dict[dt.date, dt.date] = {}
        same_path: dict[str, str] = {}
        for toolkit_id, ratings in toolkits:
            own = cells[toolkit_id] = {}
            for path, entries in ratings.items():
                rows.extend((same_day.setdefault(d, d), *entries[d]) for d in sorted(entries))
                own[same_path.setdefault(path, path)] = len(starts) - 1
                starts.append(len(rows))
        summaries = [a.summary for _, a, _ in rows]
        notes = [a.notes for _, a, _ in rows]
        versions = [a.version or "" for _, a, _ in rows]
        every = "".join(summaries) + "".join("".join(n) for n in notes) + "".join(versions)
        row = _unused(every, " ")
        item = _unused(every, " " + row)
        found = cls(
            cells=cells,
            starts=tuple(starts),
            dates=tuple(day for day, _, _ in rows),
            scores=tuple(a.score for _, a, _ in rows),
            withdrawn=tuple(a.withdrawn for _, a, _ in rows),
            summary_text=row.join(summaries),
            source_text=row.join(" ".join(a.sources) for _, a, _ in rows),
            note_text=row.join(item.join(n) for n in notes),
            row=row,
            item=item,
            version_text=row.join(versions),
            origins=tuple(origin for _, _, origin in rows),
        )
        if not found.separated():  # pragma: no cover - sources are addresses without spaces
            raise ValueError("an assessment's source holds a space or a separator")
        return found

    def separated(self) -> bool:
        """Whether each text column holds the text of every row, and no more."""
        rows, row, item = len(self.dates), self.row, self.item
        if not (len(row) == len(item) == 1 and len({row, item, " "}) == 3):
            return False
        texts = (self.summary_text, self.source_text, self.version_text, self.note_text)
        return all(text.count(row) == rows - 1 if rows else text == "" for text in texts) and all(
            item not in text for text in texts[:3]
        )

    def __getstate__(self) -> dict[str, object]:
        # the fields only: the texts split into rows are rebuilt when first read
        return {name: value for name, value in vars(self).items() if name in _RATINGS_FIELDS}

    @cached_property
    def _texts(
        self,
    ) -> tuple[list[str], list[tuple[str, ...]], list[tuple[str, ...]], list[str | None]]:
        """The summary, sources, notes and version of each row."""
        row, item = self.row, self.item
        return (
            self.summary_text.split(row),
            [tuple(text.split(" ")) if text else () for text in self.source_text.split(row)],
            [tuple(text.split(item)) if text else () for text in self.note_text.split(row)],
            [text or None for text in self.version_text.split(row)],
        )

    def rows(self, toolkit_id: str, path: str) -> tuple[int, int] | None:
        """The rows of the toolkit's assessments on `path` (start, end), or None."""
        cell = self.cells.get(toolkit_id, {}).get(path)
        return None if cell is None else (self.starts[cell], self.starts[cell + 1])

    def timeline(self, toolkit_id: str, path: str) -> Timeline | None:
        rows = self.rows(toolkit_id, path)
        if rows is None:
            return None
        return Timeline(self.dates[slice(*rows)], tuple(map(self.assessment, range(*rows))))

    def in_force(self, cell: int | None, day: dt.date) -> InForce:
        """What cell `cell` (None: no cell) has in force on `day`: its latest assessment on or
        before that day."""
        if cell is None:
            return _NOTHING
        first = self.starts[cell]
        row = bisect_right(self.dates, day, first, self.starts[cell + 1]) - 1
        return _NOTHING if row < first else InForce.of(self, first, row)

    def assessment(self, row: int) -> Assessment:
        summaries, sources, notes, versions = self._texts
        return trusted_assessment(
            self.scores[row],
            self.withdrawn[row],
            summaries[row],
            sources[row],
            notes[row],
            version=versions[row],
        )

    def origin(self, toolkit_id: str, path: str, day: dt.date) -> str | None:
        """The file the assessment of that day was read from."""
        rows = self.rows(toolkit_id, path)
        if rows is None:
            return None
        for i in range(*rows):
            if self.dates[i] == day:
                return self.origins[i]
        return None

    def first_dates(self) -> dict[str, dt.date]:
        """The first date each toolkit is assessed on, for the toolkits assessed at all."""
        first_row, date_of = self.starts.__getitem__, self.dates.__getitem__
        return {
            toolkit_id: min(map(date_of, map(first_row, cells.values())))
            for toolkit_id, cells in self.cells.items()
            if cells
        }


_RATINGS_FIELDS = frozenset(f.name for f in fields(Ratings))


@dataclass(frozen=True)
class Dataset:
    """Criteria, editions and toolkits, already checked against each other by `loading`."""

    scale: Scale
    criteria: tuple[Criterion, ...]
    editions: tuple[Edition, ...]  # oldest first
    toolkits: tuple[Toolkit, ...]  # by id; what each is (its assessments are in `ratings`)
    ratings: Ratings
    origins: dict[str, str] = field(default_factory=dict)
    """Which file each toolkit's description was last read from, for messages."""
    layers: tuple[str, ...] = ()
    """The data folders, in the order they were layered."""
    conflicts: tuple[Conflict, ...] = ()
    """Definitions that a later data folder replaced."""
    evidence_hosts: tuple[str, ...] = ()
    """Places accepted as evidence beyond the toolkits' own (`EditionsFile.evidence_hosts`)."""

    @classmethod
    def of(
        cls,
        scale: Scale,
        criteria: tuple[Criterion, ...],
        editions: tuple[Edition, ...],
        toolkits: Iterable[RatedToolkit],
        *,
        origins: dict[str, str] | None = None,
        rating_origins: Mapping[tuple[str, str, dt.date], str] | None = None,
        layers: tuple[str, ...] = (),
        conflicts: tuple[Conflict, ...] = (),
        evidence_hosts: tuple[str, ...] = (),
    ) -> Dataset:
        """A dataset of toolkits with their assessments (as toolkit files give them);
        `rating_origins` names the file of each assessment (toolkit, leaf path, date), by
        default the toolkit's own file in `origins`."""
        rated = sorted(toolkits, key=lambda t: t.id)
        origins = origins or {}
        files = rating_origins or {}
        ratings = Ratings.of(
            (
                t.id,
                {
                    path: {
                        day: (a, files.get((t.id, path, day), origins.get(t.id, "")))
                        for day, a in entries.items()
                    }
                    for path, entries in t.ratings.items()
                },
            )
            for t in rated
        )
        return cls(
            scale=scale,
            criteria=criteria,
            editions=editions,
            toolkits=tuple(map(described, rated)),
            ratings=ratings,
            origins=origins,
            layers=layers,
            conflicts=conflicts,
            evidence_hosts=evidence_hosts,
        )

    @cached_property
    def leaves(self) -> tuple[Leaf, ...]:
        """Every leaf of any edition (see `leaves_of`); `leaves_at` gives one edition's."""
        return tuple(leaf for criterion in self.criteria for leaf in leaves_of(criterion))

    @cached_property
    def leaf_by_path(self) -> dict[str, Leaf]:
        return {leaf.path: leaf for leaf in self.leaves}

    @cached_property
    def _leaves_memo(self) -> dict[dt.date, tuple[Leaf, ...]]:
        return {}

    def leaves_at(self, day: dt.date) -> tuple[Leaf, ...]:
        """The leaves an edition of `day` rates: `leaves` without the parts of a criterion
        not yet split then, or the whole of one split by then (see `Criterion.parts_from`)."""
        found = self._leaves_memo.get(day)
        if found is None:
            found = self._leaves_memo[day] = tuple(
                leaf for leaf in self.leaves if leaf.in_force(day)
            )
        return found

    def leaves_until(self, day: dt.date) -> tuple[Leaf, ...]:
        """The leaves some edition up to `day` rates: a criterion that gained parts by then
        has both its whole (rated before) and its parts."""
        days = [e.date for e in self.editions if e.date <= day] or [day]
        return tuple(leaf for leaf in self.leaves if any(leaf.in_force(d) for d in days))

    @cached_property
    def splits(self) -> tuple[Criterion, ...]:
        """The criteria that gain parts at an edition (`parts_from`), in criteria order."""
        return tuple(c for c in self.criteria if c.parts_from is not None)

    @cached_property
    def toolkit_by_id(self) -> dict[str, Toolkit]:
        return {toolkit.id: toolkit for toolkit in self.toolkits}

    @cached_property
    def _timeline_memo(self) -> dict[tuple[str, str], Timeline | None]:
        return {}

    def timeline(self, toolkit_id: str, path: str) -> Timeline | None:
        """The toolkit's assessments on one leaf, or None. Built on first use, so that a command
        that reads a few criteria of many toolkits builds only those assessments."""
        memo = self._timeline_memo
        key = (toolkit_id, path)
        if key not in memo:
            memo[key] = self.ratings.timeline(toolkit_id, path)
        return memo[key]

    def assessments(self, toolkit_id: str) -> dict[str, dict[dt.date, Assessment]]:
        """Every assessment of a toolkit, `{leaf path: {edition date: assessment}}`."""
        found: dict[str, dict[dt.date, Assessment]] = {}
        for path in self.ratings.cells.get(toolkit_id, {}):
            timeline = self.timeline(toolkit_id, path)
            if timeline is not None:
                found[path] = dict(zip(timeline.dates, timeline.assessments, strict=True))
        return found

    def rated_toolkit(self, toolkit: Toolkit) -> RatedToolkit:
        """The toolkit with its assessments, as a toolkit file gives them."""
        fields = {name: getattr(toolkit, name) for name in type(toolkit).model_fields}
        return RatedToolkit.model_construct(
            toolkit.model_fields_set | {"ratings"},
            **fields,
            ratings=self.assessments(toolkit.id),
        )

    def origin(self, toolkit_id: str, path: str, day: dt.date) -> str | None:
        """The file the toolkit's assessment on `path` of `day` was read from."""
        return self.ratings.origin(toolkit_id, path, day)

    @cached_property
    def first_seen(self) -> dict[str, dt.date]:
        """The first edition date at which each toolkit has any assessment."""
        return self.ratings.first_dates()

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


class InForce:
    """What the evaluation says about one toolkit on one leaf at one edition: the assessment
    in force (None: not assessed), the date of its edition, and the latest numeric score
    before it when it has none. Read from a timeline, the assessment itself is built only
    when asked for: a ranking needs the score and the date."""

    __slots__ = ("_assessment", "_ratings", "_row", "last_rated", "score", "since")

    def __init__(
        self,
        assessment: Assessment | None,
        since: dt.date | None,
        last_rated: tuple[float, dt.date] | None,
    ) -> None:
        self._assessment = assessment
        self._ratings: Ratings | None = None
        self._row = -1
        self.since = since
        """Date of the edition the assessment comes from."""
        self.last_rated = last_rated
        """The most recent numeric score up to this edition, when the one in force has none."""
        self.score: float | None = (
            None if assessment is None or assessment.withdrawn else assessment.score
        )
        """The numeric score in force: None when not assessed, withdrawn or unrated."""

    @classmethod
    def of(cls, ratings: Ratings, first: int, row: int) -> InForce:
        """The assessment in `row` of `ratings` in force, its cell beginning at row `first`."""
        found = cls.__new__(cls)
        found._assessment = None
        found._ratings, found._row = ratings, row
        found.since = ratings.dates[row]
        score = None if ratings.withdrawn[row] else ratings.scores[row]
        found.score = score
        found.last_rated = None
        if score is None:
            for i in range(row - 1, first - 1, -1):
                earlier = ratings.scores[i]
                if earlier is not None:
                    found.last_rated = (earlier, ratings.dates[i])
                    break
        return found

    @property
    def assessment(self) -> Assessment | None:
        if self._assessment is None and self._ratings is not None:
            self._assessment = self._ratings.assessment(self._row)
        return self._assessment


_NOTHING = InForce(None, None, None)


@dataclass(frozen=True)
class Evaluation:
    """The dataset as of one edition: the toolkits present then and the assessments in force."""

    dataset: Dataset
    edition: Edition
    requested: dt.date | None = None
    """The date the user asked for; None means 'the latest edition'."""
    only: tuple[str, ...] | None = None
    """The toolkit ids the user narrowed the view to (`--toolkits`), in their order; None:
    every toolkit. The others are left out of `toolkits` and `unrated_toolkits`."""

    @property
    def as_of(self) -> dt.date:
        return self.requested or self.edition.date

    @cached_property
    def toolkits(self) -> tuple[Toolkit, ...]:
        day = self.edition.date
        first = self.dataset.first_seen
        return tuple(
            t
            for t in self.dataset.toolkits
            if t.id in first and first[t.id] <= day and self.chosen(t.id)
        )

    def chosen(self, toolkit_id: str) -> bool:
        """Whether the toolkit is in view: every toolkit, unless narrowed with `only`."""
        return self.only is None or toolkit_id in self.only

    @property
    def leaves(self) -> tuple[Leaf, ...]:
        """The leaves this edition rates (see `Dataset.leaves_at`)."""
        return self.dataset.leaves_at(self.edition.date)

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

    @cached_property
    def _out_of_force(self) -> frozenset[str]:
        """Leaves of the data that this edition does not rate: the parts of a criterion it
        rates whole, or the whole of one it rates per part. Nothing is in force on them."""
        return frozenset(leaf.path for leaf in self.dataset.leaves) - {
            leaf.path for leaf in self.leaves
        }

    def _find_in_force(self, toolkit_id: str, path: str) -> InForce:
        if path in self._out_of_force:
            return _NOTHING
        ratings = self.dataset.ratings
        return ratings.in_force(ratings.cells.get(toolkit_id, {}).get(path), self.edition.date)

    def in_force_table(
        self, toolkit_ids: Iterable[str], paths: Sequence[str]
    ) -> dict[str, dict[str, InForce]]:
        """`in_force` of every toolkit on every path, `{toolkit: {path: in force}}`, in one
        pass: a ranking of thousands of toolkits asks for tens of thousands."""
        ratings = self.dataset.ratings
        cells, memo, day = ratings.cells, self._in_force_memo, self.edition.date
        out = self._out_of_force
        table: dict[str, dict[str, InForce]] = {}
        for toolkit_id in toolkit_ids:
            own = cells.get(toolkit_id, {})
            found = table[toolkit_id] = {}
            for path in paths:
                key = (toolkit_id, path)
                known = memo.get(key)
                if known is None:
                    cell = None if path in out else own.get(path)
                    known = memo[key] = ratings.in_force(cell, day)
                found[path] = known
        return table

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
            if not self.chosen(toolkit.id):
                continue
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

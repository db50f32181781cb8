"""Result objects for `list`, `editions` and `validate`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .dataset import Dataset, Evaluation
from .errors import DataError, Problem, shown_path
from .provenance import notes
from .results.base import EditionInfo, Freshness
from .results.catalog import (
    Catalog,
    ConflictInfo,
    CriterionInfo,
    EditionList,
    EditionRow,
    ProblemInfo,
    ToolkitInfo,
    ValidationReport,
)

if TYPE_CHECKING:
    from .freshness import Ages


def catalog(evaluation: Evaluation, ages: Ages | None = None, *, verbose: bool = False) -> Catalog:
    """The criteria and toolkits in view; `verbose` adds the data folders and the definitions
    that later folders replaced. Toolkits of the data that no edition rates yet (a file just
    written by `new toolkit`) are listed too, after the others, with `rated` false."""
    dataset = evaluation.dataset
    extra = {}
    if verbose:
        extra = {
            "layers": dataset.layers,
            "conflicts": tuple(
                ConflictInfo(what=c.what, replaced=c.earlier, used=c.later)
                for c in dataset.conflicts
            ),
        }
    unrated = [
        t for t in dataset.toolkits if t.id not in dataset.first_seen and evaluation.chosen(t.id)
    ]
    in_force = {leaf.path for leaf in evaluation.leaves}
    return Catalog(
        as_of=evaluation.as_of,
        edition=EditionInfo.of(evaluation.edition, ages),
        scale=(dataset.scale.min, dataset.scale.max),
        criteria=tuple(
            CriterionInfo(
                id=c.id,
                name=c.name,
                description=c.description,
                parts=tuple(
                    CriterionInfo(id=p.id, name=p.name, description=p.description)
                    for p in c.parts
                    if f"{c.id}.{p.id}" in in_force
                ),
                parts_from=c.parts_from,
            )
            for c in dataset.criteria
        ),
        toolkits=tuple(
            ToolkitInfo(
                id=t.id,
                name=t.name,
                aliases=t.aliases,
                homepage=t.homepage,
                repository=t.repository,
                first_edition=dataset.first_seen.get(t.id),
                origin=dataset.origins.get(t.id),
                status=t.status,
                rated=t.id in dataset.first_seen,
            )
            for t in (*evaluation.toolkits, *unrated)
        ),
        freshness=Freshness.of(ages) if ages else None,
        notes=notes(dataset, evaluation.edition),
        **extra,
    )


def edition_list(dataset: Dataset) -> EditionList:
    from .history import ratings_changed  # counted on the history's results: `editions` only

    return EditionList(
        editions=tuple(
            EditionRow(
                date=e.date,
                commit=e.commit,
                also=e.also,
                url=e.url,
                evaluator=e.evaluator,
                summary=e.summary,
                notes=e.notes,
                ratings_changed=ratings_changed(dataset, e),
                method=e.method,
            )
            for e in dataset.editions
        )
    )


def validate(
    folders: Sequence[Path], *, bundled: bool = True, strict: bool = False
) -> ValidationReport:
    """Check data folders layered as `--data` would use them (over the bundled data unless
    `bundled` is false); problems are findings, not errors. Sources that are not primary
    evidence (`evidence.source_problems`) are warnings, or problems when `strict`."""
    from .evidence import source_problems
    from .loading import data_folders, load_layers, with_lines

    checked = data_folders(folders, bundled=bundled)
    label = ", ".join(shown_path(f) for f in checked) or "(no folder)"
    warnings = placeholders(folders)
    try:
        dataset = load_layers(folders, bundled=bundled)
    except DataError as error:
        return ValidationReport(
            folder=label, ok=False, problems=_infos(error.problems), warnings=warnings
        )
    sources = _infos(with_lines(source_problems(dataset)))
    if strict:
        return ValidationReport(folder=label, ok=not sources, problems=sources, warnings=warnings)
    return ValidationReport(folder=label, ok=True, problems=(), warnings=warnings + sources)


def _infos(problems: Sequence[Problem]) -> tuple[ProblemInfo, ...]:
    return tuple(
        ProblemInfo(file=p.file, where=p.where, message=p.message, line=p.line) for p in problems
    )


def placeholders(folders: Sequence[Path]) -> tuple[ProblemInfo, ...]:
    """An edition whose evaluator is still the placeholder `new toolkit` writes ("my team"),
    in the editions.yaml of each folder given: it would be shown next to every rating."""
    import datetime as dt

    from .errors import DlcompareError
    from .loading import EDITIONS_FILE
    from .scaffold import PLACEHOLDER_EVALUATOR
    from .yamlio import load

    found = []
    for folder in folders:
        path = folder / EDITIONS_FILE
        try:
            data = load(path) if path.is_file() else None
        except (DlcompareError, OSError):
            continue  # loading says what is wrong with it
        editions = data.get("editions") if isinstance(data, dict) else None
        for entry in editions if isinstance(editions, list) else ():
            if isinstance(entry, dict) and entry.get("evaluator") == PLACEHOLDER_EVALUATOR:
                day = entry.get("date")
                found.append(
                    ProblemInfo(
                        file=shown_path(path),
                        where=f"editions › {day if isinstance(day, dt.date) else '?'} › evaluator",
                        message=f"still the template's placeholder {PLACEHOLDER_EVALUATOR!r}: "
                        "put whose ratings these are (it is shown next to every one of them)",
                    )
                )
    return tuple(found)

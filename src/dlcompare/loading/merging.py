"""How the layers are merged: criteria and editions by id and date, toolkits by id, a later
folder overriding an earlier one, every replacement recorded as a conflict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..dataset import Conflict, Dataset
from ..errors import Problem
from ..schema import Assessment, Criterion, Edition, RatedToolkit, Scale
from .folders import CRITERIA_FILE, EDITIONS_FILE, file_label
from .layers import Layer


@dataclass
class Merged:
    scale: Scale
    criteria: dict[str, tuple[Criterion, str]]  # id -> (criterion, file label)
    editions: dict[dt.date, tuple[Edition, str]]
    toolkits: dict[str, tuple[RatedToolkit, str]]  # id -> (merged toolkit, label of its metadata)
    rating_origins: dict[tuple[str, str, dt.date], str]
    conflicts: list[Conflict]
    evidence_hosts: tuple[str, ...] = ()
    declared: set[dt.date] = field(default_factory=set)
    """Every edition date a data folder declares, including those of an editions file that
    does not validate (so that its other mistakes do not hide undeclared dates)."""
    broken: list[tuple[dict[Any, Any], str]] = field(default_factory=list)
    """Toolkit files that do not validate, as parsed, for the checks across files."""

    def dataset(self, layers: tuple[str, ...]) -> Dataset:
        return Dataset.of(
            scale=self.scale,
            criteria=tuple(c for c, _ in self.criteria.values()),
            editions=tuple(e for _, (e, _) in sorted(self.editions.items())),
            toolkits=(t for t, _ in self.toolkits.values()),
            origins={i: label for i, (_, label) in self.toolkits.items()},
            rating_origins=self.rating_origins,
            layers=layers,
            conflicts=tuple(self.conflicts),
            evidence_hosts=self.evidence_hosts,
        )


def merge(layers: list[Layer], problems: list[Problem]) -> Merged | None:
    scale: tuple[Scale, str] | None = None
    criteria: dict[str, tuple[Criterion, str]] = {}
    editions: dict[dt.date, tuple[Edition, str]] = {}
    evidence_hosts: dict[str, None] = {}
    conflicts: list[Conflict] = []
    for layer in layers:
        if layer.criteria is not None:
            label = file_label(layer.folder, CRITERIA_FILE)
            if layer.criteria.scale is not None:
                if scale is not None and scale[0] != layer.criteria.scale:
                    problems.append(
                        Problem(label, "scale", f"differs from the scale defined in {scale[1]}")
                    )
                else:
                    scale = (layer.criteria.scale, label)
            for criterion in layer.criteria.criteria:
                if criterion.id in criteria:
                    earlier, earlier_label = criteria[criterion.id]
                    if not _keeps_parts(earlier, criterion):
                        problems.append(
                            Problem(
                                label,
                                f"criteria › {criterion.id}",
                                f"redefines '{criterion.id}' with other parts than {earlier_label}"
                                f" ({_parts(criterion)} here, {_parts(earlier)} there); a later "
                                "folder may add parts, or give a criterion rated whole parts "
                                "from an edition on (parts_from), never drop one",
                            )
                        )
                        continue
                    conflicts.append(Conflict(f"criterion {criterion.id}", earlier_label, label))
                criteria[criterion.id] = (criterion, label)
        if layer.editions is not None:
            label = file_label(layer.folder, EDITIONS_FILE)
            evidence_hosts.update(dict.fromkeys(layer.editions.evidence_hosts))
            for edition in layer.editions.editions:
                if edition.date in editions and editions[edition.date][1] != label:
                    taken, taken_label = editions[edition.date]
                    if taken.evaluator != edition.evaluator:
                        # one edition per date: taking the date over would put this
                        # evaluator's name on every rating the earlier edition gave that day
                        problems.append(
                            Problem(
                                label,
                                f"editions › {edition.date}",
                                f"{edition.date} is already an edition by {taken.evaluator} "
                                f"({taken_label}); one edition per date: date yours another day",
                            )
                        )
                        continue
                    conflicts.append(Conflict(f"edition {edition.date}", taken_label, label))
                editions[edition.date] = (edition, label)
    declared = set(editions)
    for layer in layers:
        for document, _ in layer.broken_editions:
            entries = document.get("editions")
            for entry in entries if isinstance(entries, list) else ():
                if isinstance(entry, dict) and isinstance(entry.get("date"), dt.date):
                    declared.add(entry["date"])
    has_editions_file = any(layer.broken_editions for layer in layers)
    if not criteria:
        problems.append(Problem(_first(layers), "", f"no {CRITERIA_FILE} in any data folder"))
    if not editions and not has_editions_file:
        problems.append(Problem(_first(layers), "", f"no {EDITIONS_FILE} in any data folder"))
    if not criteria or not (editions or declared):
        return None

    toolkits: dict[str, tuple[RatedToolkit, str]] = {}
    rating_origins: dict[tuple[str, str, dt.date], str] = {}
    for layer in layers:
        for toolkit, label in layer.toolkits:
            ratings: dict[str, dict[dt.date, Assessment]] = {}
            merged: RatedToolkit = toolkit
            if toolkit.id in toolkits:
                # keys the later file sets replace the earlier ones; the rest are inherited
                base, base_label = toolkits[toolkit.id]
                conflicts.append(Conflict(f"toolkit {toolkit.id}", base_label, label))
                ratings = {path: dict(entries) for path, entries in base.ratings.items()}
                given = toolkit.model_fields_set - {"id", "ratings"}
                merged = base.model_copy(update={key: getattr(toolkit, key) for key in given})
            elif toolkit.name is None:
                problems.append(
                    Problem(
                        label,
                        "name",
                        "required key is missing: a new toolkit needs a name (only a file that "
                        "overrides a toolkit of an earlier data folder may give just its id and "
                        "what it changes)",
                    )
                )
                continue
            for path, entries in toolkit.ratings.items():
                for day, assessment in entries.items():
                    key = (toolkit.id, path, day)
                    if key in rating_origins:
                        conflicts.append(
                            Conflict(
                                f"rating {toolkit.id} › {path} › {day}", rating_origins[key], label
                            )
                        )
                    ratings.setdefault(path, {})[day] = assessment
                    rating_origins[key] = label
            toolkits[toolkit.id] = (merged.model_copy(update={"ratings": ratings}), label)
    return Merged(
        scale=scale[0] if scale else Scale(),
        criteria=criteria,
        editions=editions,
        toolkits=toolkits,
        rating_origins=rating_origins,
        conflicts=conflicts,
        evidence_hosts=tuple(evidence_hosts),
        declared=declared,
        broken=[entry for layer in layers for entry in layer.broken],
    )


def _keeps_parts(earlier: Criterion, later: Criterion) -> bool:
    """A later definition may add parts to a criterion that has parts (a team's own
    `performance.cpu`, say), since every earlier rating stays valid; it may give parts to a
    criterion rated as a whole from an edition on (`parts_from`: the whole ratings before it
    keep their meaning); it may not drop a part, move the date a criterion gained its parts,
    nor give parts to a criterion rated as a whole from the start."""
    before = [p.id for p in earlier.parts]
    after = [p.id for p in later.parts]
    if not before:
        return not after or later.parts_from is not None
    if earlier.parts_from != later.parts_from:
        return False
    return set(before) <= set(after)


def _parts(criterion: Criterion) -> str:
    parts = ", ".join(p.id for p in criterion.parts) or "no parts"
    return parts if criterion.parts_from is None else f"{parts} from {criterion.parts_from}"


def _first(layers: list[Layer]) -> str:
    return str(layers[0].folder) if len(layers) == 1 else ", ".join(str(x.folder) for x in layers)

"""The user's weights: read from a YAML file and `-w CRITERION=WEIGHT`, checked, and turned
into `{leaf path: weight}`. There are no default weights: nothing here invents one."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .dataset import Dataset, Evaluation, Leaf, leaves_at
from .errors import SHOWN_LENGTH, NotFoundError, WeightsError, kind_of, shown
from .names import find_criterion
from .schema import Criterion

Weights = dict[str, float]
"""Leaf criterion path -> non-negative finite weight."""


def _number(value: Any, where: str) -> float:
    """A weight as a float. Text that reads as a number is one: YAML 1.1 reads `1e3` (no dot)
    and `.5e3` as text, while `-w x=1e3` reads it as a number, and the file and the option
    must accept the same numbers."""
    written = shown(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
            written = shown(number) if math.isfinite(number) else shown(value.strip())[1:-1]
            value = number
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WeightsError(f"{where}: weight must be a number, got {shown(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise WeightsError(f"{where}: weight must be a finite number, got {written}")
    if number < 0:
        raise WeightsError(f"{where}: weight must be zero or more, got {written}")
    return number


def _resolve(dataset: Dataset, key: Any, where: str) -> Criterion | Leaf:
    if not isinstance(key, str):
        raise WeightsError(f"{where}: {shown(key)} is not a criterion name")
    try:
        return find_criterion(dataset, key)
    except NotFoundError as error:
        raise WeightsError(f"{where}: {error}") from None


def _overlap(weights: Mapping[str, float], path: str) -> str | None:
    """A weight already given that `path` would overlap: the whole criterion of a part, or a
    part of a whole criterion."""
    whole, dot, _ = path.partition(".")
    if dot:
        return whole if whole in weights else None
    return next((p for p in weights if p.startswith(f"{path}.")), None)


def flatten(dataset: Dataset, mapping: Mapping[Any, Any], label: str) -> Weights:
    """Nested (`performance: {single-gpu: 3}`) and dotted (`performance.single-gpu: 3`) keys
    alike become leaf paths; a number on a criterion that has parts (`performance: 2`) stays
    on the criterion's id, and ranking spreads it over the parts the edition rates. A
    criterion named twice, or weighted both whole and by part, is an error."""
    weights: Weights = {}

    def put(path: str, value: Any, where: str) -> None:
        if path in weights:
            raise WeightsError(f"{where}: {path} is given more than once")
        other = _overlap(weights, path)
        if other is not None:
            raise WeightsError(
                f"{where}: {path} and {other} are both weighted; weight a criterion as a "
                "whole or by its parts, not both"
            )
        weights[path] = _number(value, where)

    for key, value in mapping.items():
        where = f"{label} › {_key_text(key)}"
        target = _resolve(dataset, key, where)
        if isinstance(target, Leaf):
            if isinstance(value, Mapping):
                raise WeightsError(f"{where}: '{target.path}' has no parts; give it a number")
            put(target.path, value, where)
            continue
        if not isinstance(value, Mapping):
            put(target.id, value, where)
            continue
        for part_key, part_value in value.items():
            part_where = f"{where} › {_key_text(part_key)}"
            part = next((p for p in target.parts if p.id == str(part_key).strip().lower()), None)
            if part is None:
                names = ", ".join(p.id for p in target.parts)
                raise WeightsError(
                    f"{part_where}: '{target.id}' has no part {shown(part_key)} (parts: {names})"
                )
            put(f"{target.id}.{part.id}", part_value, part_where)
    return weights


def _key_text(key: Any) -> str:
    """A mapping key as it appears in a message: plain if short text, else `shown`."""
    if isinstance(key, str) and len(key) <= SHOWN_LENGTH and key.isprintable():
        return key
    return shown(key)


def read_file(dataset: Dataset, path: Path) -> Weights:
    """Weights from a YAML file (a pipe is fine too: `--weights <(...)`)."""
    from . import yamlio  # here: weights given on the command line need no YAML

    data = yamlio.load(path, allow_pipe=True)
    if data is None:
        raise WeightsError(f"{path}: the file is empty; write `criterion: weight` lines")
    if not isinstance(data, Mapping):
        raise WeightsError(
            f"{path}: expected a mapping of `criterion: weight`, found {kind_of(data)}"
        )
    return flatten(dataset, data, str(path))


def parse_option(dataset: Dataset, text: str) -> Weights:
    """One `-w CRITERION=WEIGHT`; the criterion may be dotted (`performance.single-gpu=3`)."""
    name, sep, raw = text.partition("=")
    where = f"-w {text if len(text) <= SHOWN_LENGTH and text.isprintable() else shown(text)}"
    if not sep or not name.strip():
        raise WeightsError(f"{where}: expected CRITERION=WEIGHT, e.g. -w interfaces=2")
    value = raw.strip()
    target = _resolve(dataset, name.strip(), where)
    path = target.path if isinstance(target, Leaf) else target.id
    return {path: _number(value, where)}


def combine(dataset: Dataset, file: Path | None, options: Sequence[str]) -> Weights:
    """Weights from the file, then each `-w` over them. Empty when the user gave none.
    The same criterion in two `-w` options is an error: which one was meant is unclear."""
    weights = read_file(dataset, file) if file is not None else {}
    given: dict[str, str] = {}
    for option in options:
        parsed = parse_option(dataset, option)
        for path in parsed:
            if path in given:
                raise WeightsError(
                    f"-w {option}: {path} is already weighted by -w {given[path]}; give it once"
                )
            other = _overlap(weights, path)
            if other is not None and other in given:
                raise WeightsError(
                    f"-w {option}: {other} is already weighted by -w {given[other]}; weight a "
                    "criterion as a whole or by its parts, not both"
                )
            if other is not None:
                # the option replaces the file's weight on this criterion, whole or by parts
                for old in [k for k in weights if k == other or k.startswith(f"{path}.")]:
                    del weights[old]
            given[path] = option
        weights.update(parsed)
    return weights


def template(
    dataset: Dataset,
    chosen: Mapping[str, float] | None = None,
    *,
    evaluation: Evaluation | None = None,
) -> str:
    """A commented weights file listing every rateable criterion with weight 0; or, given
    `chosen` (`{leaf path: weight}`), only the chosen criteria with their weights, and a note
    naming those left out. Given `evaluation`, a criterion no toolkit is rated on in its
    edition says so (rank refuses a weight on it), as the interactive questions do."""
    import textwrap

    nobody: set[str] = set()
    if evaluation is not None:
        nobody = {
            leaf.path
            for leaf in evaluation.leaves
            if all(evaluation.score(t.id, leaf.path) is None for t in evaluation.toolkits)
        }

    def unrated(path: str, indent: str) -> list[str]:
        if path not in nobody:
            return []
        assert evaluation is not None
        return textwrap.wrap(
            f"No toolkit is rated on this in the edition of {evaluation.edition.date}: "
            "leave it at 0 (rank refuses a weight on it).",
            88 - len(indent),
            initial_indent=f"{indent}# ",
            subsequent_indent=f"{indent}# ",
        )

    lines = [
        "# dlcompare weights: how much each criterion matters to you (0 = ignore it).",
        "# Only the ratios count: 2 and 1 weigh the same as 20 and 10.",
        "# Use it with: dlcompare rank --weights FILE",
    ]
    day = (evaluation.edition if evaluation is not None else dataset.latest).date
    if chosen is not None:
        left_out = [leaf.path for leaf in dataset.leaves_at(day) if leaf.path not in chosen]
        if left_out:
            lines += textwrap.wrap(
                f"Left out: {', '.join(left_out)}.",
                88,
                initial_indent="# ",
                subsequent_indent="# ",
                break_on_hyphens=False,
            )

    def weight(path: str) -> str:
        return "0" if chosen is None else format(chosen[path], "g")

    lines.append("")
    for criterion in dataset.criteria:
        leaves = leaves_at(criterion, day)
        if chosen is not None and not any(leaf.path in chosen for leaf in leaves):
            continue
        lines += [
            f"# {line}" for line in textwrap.wrap(f"{criterion.name}: {criterion.description}", 88)
        ]
        if not any(leaf.is_part for leaf in leaves):
            lines += unrated(criterion.id, "")
            lines += [f"{criterion.id}: {weight(criterion.id)}", ""]
            continue
        lines += textwrap.wrap(
            f"Rated per part. A single number here ({criterion.id}: 2) is spread equally "
            "over the parts the edition rates.",
            88,
            initial_indent="# ",
            subsequent_indent="# ",
        )
        lines.append(f"{criterion.id}:")
        for leaf in leaves:
            if chosen is not None and leaf.path not in chosen:
                continue
            assert leaf.part is not None
            lines += [
                f"  # {line}"
                for line in textwrap.wrap(f"{leaf.part.name}: {leaf.part.description}", 86)
            ]
            lines += unrated(leaf.path, "  ")
            lines.append(f"  {leaf.part.id}: {weight(leaf.path)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

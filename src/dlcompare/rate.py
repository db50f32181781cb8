"""`dlcompare rate`: one assessment written into a data folder of your own (an overlay),
checked as `--data DIR` would load it before anything is written.

The assessment goes into the folder's latest edition by the evaluator (`--evaluator`), or its
latest edition when none is named; a folder without one gets a new edition dated today (the
latest free day, as `new toolkit` does). Files are edited, not regenerated: the new lines are
put in place and the file is read back to check that it says exactly what was meant; only
when that cannot be done (an assessment replaced) is the file written anew from its data, and
its comments are then lost (the result says so)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dataset import Dataset, Leaf
from .errors import DataError, DlcompareError, NotFoundError, Problem, UsageError
from .scaffold import PLACEHOLDER_EVALUATOR, free_day


@dataclass(frozen=True)
class Rated:
    """What `rate` wrote."""

    toolkit: str
    name: str
    criterion: str
    score: float
    day: dt.date
    evaluator: str
    toolkit_file: Path
    editions_file: Path | None
    """Set when editions.yaml was written (a new edition, or a new file)."""
    replaced: bool
    """An assessment of this toolkit on this criterion in this edition was there before."""
    rewritten: tuple[Path, ...]
    """Files written anew from their data, whose comments are lost."""


@dataclass(frozen=True)
class Assessment:
    toolkit: str
    criterion: str
    score: float
    summary: str
    sources: tuple[str, ...]


def _load_yaml(path: Path) -> Any:
    from .yamlio import load

    return load(path)


def _parse(text: str, path: Path) -> Any:
    from .yamlio import parse

    return parse(text, path)


def _dump(data: Any) -> str:
    import yaml

    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88))


def _block(data: Any, indent: int) -> str:
    """`data` as block YAML, each line indented by `indent` spaces."""
    pad = " " * indent
    return "".join(pad + line + "\n" for line in _dump(data).splitlines())


def _insert_after(text: str, pattern: str, block: str) -> str | None:
    """`text` with `block` inserted after the one line matching `pattern` (None: not one)."""
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if re.fullmatch(pattern, line.rstrip("\r\n"))]
    if len(found) != 1:
        return None
    at = found[0]
    if not lines[at].endswith("\n"):
        lines[at] += "\n"
    return "".join(lines[: at + 1]) + block + "".join(lines[at + 1 :])


def _edited(text: str, path: Path, expected: Any, candidates: Sequence[str | None]) -> str | None:
    """The first candidate text that reads back as `expected`."""
    for candidate in candidates:
        if candidate is None:
            continue
        try:
            if _parse(candidate, path) == expected:
                return candidate
        except DlcompareError:
            continue
    return None


def _entry(rating: Assessment) -> dict[str, Any]:
    score: float | int = int(rating.score) if rating.score.is_integer() else rating.score
    return {"score": score, "summary": rating.summary, "sources": list(rating.sources)}


def toolkit_text(path: Path, rating: Assessment, day: dt.date) -> tuple[str, bool, bool]:
    """The toolkit file's new text, whether an assessment was replaced, and whether the file
    was written anew (comments lost)."""
    entry = _entry(rating)
    criterion = rating.criterion
    if not path.exists():
        data = {"id": rating.toolkit, "ratings": {criterion: {day: entry}}}
        return _dump(data), False, False
    text = path.read_text(encoding="utf-8")
    data = _load_yaml(path)
    if not isinstance(data, dict):
        raise DlcompareError(f"{path}: not a toolkit file (a mapping with id and ratings)")
    ratings = data.get("ratings") or {}
    if not isinstance(ratings, dict):
        raise DlcompareError(f"{path} › ratings: not a mapping of criterion to assessments")
    history = ratings.get(criterion) or {}
    if not isinstance(history, dict):
        raise DlcompareError(f"{path} › ratings › {criterion}: not a mapping of dates")
    replaced = day in history
    expected = {**data, "ratings": {**ratings, criterion: {**history, day: entry}}}
    candidates: list[str | None] = []
    if not replaced:
        escaped = re.escape(criterion)
        if ratings.get(criterion):
            candidates.append(
                _insert_after(text, rf"  {escaped}:\s*(#.*)?", _block({day: entry}, 4))
            )
        elif "ratings" in data:
            candidates.append(
                _insert_after(text, r"ratings:\s*(#.*)?", _block({criterion: {day: entry}}, 2))
            )
        else:
            ending = "" if text.endswith("\n") or not text else "\n"
            candidates.append(f"{text}{ending}ratings:\n{_block({criterion: {day: entry}}, 2)}")
    found = _edited(text, path, expected, candidates)
    if found is not None:
        return found, replaced, False
    return _dump(expected), replaced, True


def _editions(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    data = _load_yaml(path)
    editions = data.get("editions") if isinstance(data, dict) else None
    if not isinstance(editions, list):
        raise DlcompareError(f"{path}: not an editions file (a list under `editions`)")
    return [e for e in editions if isinstance(e, dict) and isinstance(e.get("date"), dt.date)]


def choose_edition(
    dataset: Dataset, folder: Path, evaluator: str | None, today: dt.date
) -> tuple[dt.date, str, str | None]:
    """(date, evaluator, new editions.yaml text or None) of the edition the rating goes into:
    the folder's latest by `evaluator` (or latest of all when None), else a new one."""
    from .loading import EDITIONS_FILE
    from .scaffold import edition_file

    path = folder / EDITIONS_FILE
    editions = _editions(path)
    own = {e["date"] for e in editions}
    others = {e.date for e in dataset.editions if e.evaluator == evaluator} - own
    if evaluator is not None and others:
        raise UsageError(
            f"--evaluator {evaluator!r} is whose ratings the edition of {min(others)} in the "
            "data in use are: name yourself, so that nobody takes your ratings for theirs"
        )
    mine = [e for e in editions if evaluator is None or e.get("evaluator") == evaluator]
    if mine:
        latest = max(mine, key=lambda e: e["date"])
        return latest["date"], str(latest.get("evaluator", "")), None
    if evaluator is None:
        raise UsageError(
            f"{folder} has no edition to put the rating in: give --evaluator NAME (whose "
            "rating this is; shown next to it) and one dated today is added"
        )
    placeholder = [e for e in editions if e.get("evaluator") == PLACEHOLDER_EVALUATOR]
    if placeholder:
        # the edition `new toolkit` wrote, waiting for a name: it becomes this evaluator's
        latest = max(placeholder, key=lambda e: e["date"])
        return latest["date"], evaluator, _named(path, latest["date"], evaluator)
    day = free_day(dataset, today)
    if not path.exists():
        return day, evaluator, edition_file(day, evaluator)
    entry = {"date": day, "evaluator": evaluator, "summary": f"Ratings by {evaluator}."}
    text = path.read_text(encoding="utf-8")
    data = _load_yaml(path)
    expected = {**data, "editions": [*data["editions"], entry]}
    ending = "" if text.endswith("\n") or not text else "\n"
    # the list as `new toolkit` writes it (items indented by 2), or flush with `editions:`
    appended = [f"{text}{ending}{_block([entry], indent)}" for indent in (2, 0)]
    found = _edited(text, path, expected, appended)
    return day, evaluator, found if found is not None else _dump(expected)


def _named(path: Path, day: dt.date, evaluator: str) -> str:
    """editions.yaml with the edition of `day` by `evaluator` instead of the placeholder."""
    from .scaffold import scalar

    text = path.read_text(encoding="utf-8")
    data = _load_yaml(path)
    editions = [
        {**e, "evaluator": evaluator}
        if isinstance(e, dict)
        and e.get("date") == day
        and e.get("evaluator") == PLACEHOLDER_EVALUATOR
        else e
        for e in data["editions"]
    ]
    expected = {**data, "editions": editions}
    lines = text.splitlines(keepends=True)
    candidates = []
    for i, line in enumerate(lines):
        match = re.fullmatch(r"(\s*(?:- )?evaluator: )my team(\s*#.*)?(\r?\n)?", line)
        if match:
            comment = "" if match.group(2) is None else "  # whose ratings these are"
            edited = f"{match.group(1)}{scalar(evaluator)}{comment}{match.group(3) or ''}"
            candidates.append("".join([*lines[:i], edited, *lines[i + 1 :]]))
    found = _edited(text, path, expected, candidates)
    return found if found is not None else _dump(expected)


def check_folder(
    folder: Path, files: dict[Path, str], layers: Sequence[Path], bundled: bool
) -> None:
    """Load a copy of `folder` with `files` (path in the folder -> new text) written into it,
    layered as `--data` would (after `layers`): DataError, naming the real files, when it does
    not load."""
    from .loading import load_layers

    with tempfile.TemporaryDirectory(prefix="dlcompare-rate-") as scratch:
        copy = Path(scratch) / (folder.resolve().name or "data")
        if folder.is_dir():
            shutil.copytree(folder, copy, symlinks=True)
        else:
            copy.mkdir()
        for path, text in files.items():
            target = copy / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            load_layers([*layers, copy], bundled=bundled)
        except DataError as error:
            shown = str(copy)
            raise DataError(
                [
                    Problem(
                        file=p.file.replace(shown, str(folder)),
                        where=p.where,
                        message=p.message.replace(shown, str(folder)),
                        line=p.line,
                    )
                    for p in error.problems
                ]
            ) from None


def leaf_of(dataset: Dataset, text: str) -> Leaf:
    from .names import find_criterion

    found = find_criterion(dataset, text)
    if not isinstance(found, Leaf):
        parts = ", ".join(f"{found.id}.{p.id}" for p in found.parts)
        raise NotFoundError(f"'{found.id}' is rated part by part; name one of: {parts}")
    return found


def toolkit_path(folder: Path, toolkit: str) -> Path:
    """The folder's file of `toolkit`: the one whose id it is, else toolkits/ID.yaml."""
    from .loading import TOOLKITS_DIR

    default = folder / TOOLKITS_DIR / f"{toolkit}.yaml"
    if default.exists() or not (folder / TOOLKITS_DIR).is_dir():
        return default
    for path in sorted((folder / TOOLKITS_DIR).glob("*.yaml")):
        try:
            data = _load_yaml(path)
        except DlcompareError:
            continue
        if isinstance(data, dict) and data.get("id") == toolkit:
            return path
    return default


def rate(
    dataset: Dataset,
    folder: Path,
    rating: tuple[str, str, float],
    summary: str,
    sources: Sequence[str],
    *,
    evaluator: str | None,
    today: dt.date,
    layers: Sequence[Path],
    bundled: bool,
) -> Rated:
    """Write one assessment (toolkit, criterion, score: names as on the command line) into
    `folder`, after checking the folder with it as `--data` would load it over `layers`.
    `dataset` is the data in use, the folder included."""
    from .loading import EDITIONS_FILE
    from .names import find_toolkit
    from .output import write_atomic

    toolkit_name, criterion_name, score = rating
    toolkit = find_toolkit(dataset, toolkit_name)
    leaf = leaf_of(dataset, criterion_name)
    scale = dataset.scale
    if not scale.min <= score <= scale.max:
        raise UsageError(f"score {score:g} is off the scale ({scale.min:g} to {scale.max:g})")
    if not summary.strip():
        raise UsageError("--summary is empty: say why this score, in your own words")
    day, who, editions_text = choose_edition(dataset, folder, evaluator, today)
    assessment = Assessment(toolkit.id, leaf.path, score, summary.strip(), tuple(sources))
    target = toolkit_path(folder, toolkit.id)
    text, replaced, rewritten = toolkit_text(target, assessment, day)
    editions_path = folder / EDITIONS_FILE
    files = {target: text}
    if editions_text is not None:
        files[editions_path] = editions_text
    check_folder(folder, files, layers, bundled)
    if editions_text is not None:
        editions_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(editions_path, editions_text, force=editions_path.exists())
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text, force=target.exists())
    return Rated(
        toolkit=toolkit.id,
        name=toolkit.name,
        criterion=leaf.path,
        score=score,
        day=day,
        evaluator=who,
        toolkit_file=target,
        editions_file=editions_path if editions_text is not None else None,
        replaced=replaced,
        rewritten=(target,) if rewritten else (),
    )

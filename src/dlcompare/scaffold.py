"""`dlcompare new toolkit`: the text of a toolkit file to fill in, and of a team's edition, and
writing them into a data folder."""

from __future__ import annotations

import datetime as dt
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from .dataset import Dataset
from .errors import DlcompareError, shown_path
from .schema import SLUG_PATTERN


def check_id(toolkit_id: str) -> str:
    """A toolkit id becomes a file name, so it must be a plain slug (no `/`, `..` or spaces)."""
    if not re.fullmatch(SLUG_PATTERN, toolkit_id) or len(toolkit_id) > 64:
        raise DlcompareError(
            f"'{toolkit_id[:80]}' is not a valid toolkit id: use lower-case letters and digits "
            "joined by single hyphens, e.g. my-toolkit"
        )
    return toolkit_id


def check_new(dataset: Dataset, toolkit_id: str, name: str | None = None) -> None:
    """Refuse, before anything is written, a new toolkit that loading would refuse beside the
    data in use: an id that is another toolkit's alias (`tf`) or a criterion's or part's id,
    or a name that looks like another toolkit's (`tensor-flow`, `Tensor Flow`). An existing
    toolkit's own id is fine: that is a re-rating. `name`: the name the file will carry
    (default: the id as typed)."""
    from .lookalike import skeleton

    if toolkit_id in dataset.toolkit_by_id:
        return
    hint = "; pick another id, or use that toolkit's own id to rate it"
    for toolkit in dataset.toolkits:
        if toolkit_id in toolkit.aliases:
            raise DlcompareError(
                f"'{toolkit_id}' is an alias of toolkit {toolkit.id} ({toolkit.name}){hint}"
            )
    for criterion in dataset.criteria:
        if toolkit_id == criterion.id or any(p.id == toolkit_id for p in criterion.parts):
            raise DlcompareError(
                f"'{toolkit_id}' already names criterion {criterion.id} or one of its parts; "
                "pick another id"
            )
    name = name if name is not None else toolkit_id
    for toolkit in dataset.toolkits:
        if skeleton(toolkit.name) == skeleton(name) or skeleton(toolkit.id) == skeleton(name):
            raise DlcompareError(
                f"'{toolkit_id}' (named '{name}') looks like toolkit {toolkit.id} "
                f"({toolkit.name}){hint}"
            )


def free_day(dataset: Dataset | None, day: dt.date) -> dt.date:
    """`day`, or the latest earlier day that is not yet an edition in `dataset`: one edition
    per date, so a new evaluation may not take over a date that another one already has."""
    taken = dataset.edition_by_date if dataset is not None else {}
    while day in taken:
        day -= dt.timedelta(days=1)
    return day


PLACEHOLDER_EVALUATOR = "my team"
"""The evaluator of the edition `new toolkit` writes, to be replaced by a real name:
`validate` warns while it is left in place."""


def scalar(text: str) -> str:
    """`text` as one YAML scalar that reads back as exactly this string: plain where that is
    safe, quoted otherwise (`yes`, `1.0`, `#`, `: ` or a leading space would change it)."""
    import yaml

    dumped: str = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=10**6)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def edition_file(day: dt.date, evaluator: str = PLACEHOLDER_EVALUATOR) -> str:
    placeholder = evaluator == PLACEHOLDER_EVALUATOR
    return (
        "# Editions of your own evaluation: one per date. Ratings in toolkits/*.yaml refer to them.\n"
        "editions:\n"
        f"  - date: {day}\n"
        f"    evaluator: {scalar(evaluator)}"
        + ("  # whose ratings these are; shown next to every rating\n" if placeholder else "\n")
        + (
            "    summary: Our own ratings.\n"
            if placeholder
            else f"    summary: {scalar(f'Ratings by {evaluator}.')}\n"
        )
        + "    # url: https://example.org/our-evaluation\n"
    )


def toolkit_file(dataset: Dataset, toolkit_id: str, day: dt.date, name: str | None = None) -> str:
    """A toolkit file listing every rateable criterion as a commented placeholder dated `day`.
    Its name is `name` as given; else, for an id that already exists (a re-rating), that
    toolkit's name (and its aliases); else the id as typed: dlcompare never guesses a
    spelling ("mlx" is not "Mlx"; `--name MLX` says it)."""
    existing = dataset.toolkit_by_id.get(toolkit_id)
    shown = name if name is not None else existing.name if existing else toolkit_id
    aliases = ", ".join(existing.aliases) if existing else ""
    lines = [
        "# A toolkit for dlcompare. Uncomment and fill in the criteria you rate; leave the rest,",
        "# or rate one at a time: `dlcompare rate TOOLKIT CRITERION SCORE ...` writes it here.",
        "# `dlcompare validate DIR` checks the file; `dlcompare schema toolkit` gives its schema.",
        f"id: {toolkit_id}",
        f"name: {scalar(shown)}",
        f"aliases: [{aliases}]",
        "# homepage: https://example.org",
        "# repository: https://github.com/owner/name",
        "# packages: [name]  # its packages on PyPI, for `dlcompare check`",
        "ratings:",
    ]
    scale = f"{dataset.scale.min:g} to {dataset.scale.max:g}"
    for leaf in dataset.leaves_at(day):  # the leaves an edition of that day rates
        lines.append("")
        lines += [f"  # {text}" for text in textwrap.wrap(f"{leaf.name}: {leaf.description}", 86)]
        lines += [
            f"  # {leaf.path}:",
            f"  #   {day}:  # the date of an edition in editions.yaml",
            f"  #     score: 0  # {scale}, or null with the reason in the summary",
            "  #     summary: Why this score, in one to three sentences.",
            "  #     sources: []  # links that back it up",
            '  #     version: "1.0"  # the toolkit version you judged',
        ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Scaffolded:
    """What `write_toolkit` wrote."""

    toolkit_file: Path
    name: str
    editions_file: Path | None
    """Set when the folder had no editions.yaml and one was written."""
    day: dt.date
    """The date of the edition the placeholders refer to."""


def _editions_problem(path: Path) -> str | None:
    """Why the editions file at `path` can be neither read nor created, or None."""
    import os

    if path.is_symlink() and not path.exists():
        return "is a symbolic link to nothing (or a loop); fix or remove it"
    if path.is_dir():
        return "is a folder, expected a file"
    if os.path.lexists(path) and not path.is_file():
        return "is not a regular file"
    return None


def write_toolkit(
    dataset: Dataset,
    folder: Path,
    toolkit_id: str,
    today: dt.date,
    *,
    force: bool,
    name: str | None = None,
) -> Scaffolded:
    """Write FOLDER/toolkits/ID.yaml, and FOLDER/editions.yaml with an edition dated `today`
    if FOLDER has none (the latest free day when `today` is already an edition in `dataset`,
    with a note on stderr). The toolkit file is replaced only with `force`."""
    from .loading import EDITIONS_FILE, TOOLKITS_DIR
    from .output import refuse_existing, write_atomic

    check_new(dataset, toolkit_id, name)
    editions_path = folder / EDITIONS_FILE
    problem = _editions_problem(editions_path)
    if problem is not None:
        raise DlcompareError(f"{shown_path(editions_path)}: {problem}; nothing was written")
    day = today if editions_path.exists() else free_day(dataset, today)
    if day != today:
        taken = dataset.edition_by_date[today]
        sys.stderr.write(
            f"note: {today} is already an edition (by {taken.evaluator}); one edition per "
            f"date, so yours is dated {day}\n"
        )
    target = folder / TOOLKITS_DIR / f"{toolkit_id}.yaml"
    refuse_existing(target, force=force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DlcompareError(f"{target.parent}: cannot create ({error.strerror})") from None
    wrote_editions = not editions_path.exists()
    if wrote_editions:
        write_atomic(editions_path, edition_file(day), force=False)
    text = toolkit_file(dataset, toolkit_id, day, name)
    write_atomic(target, text, force=force)
    existing = dataset.toolkit_by_id.get(toolkit_id)
    return Scaffolded(
        toolkit_file=target,
        name=name if name is not None else existing.name if existing else toolkit_id,
        editions_file=editions_path if wrote_editions else None,
        day=day,
    )

"""Shell completion candidates: toolkits, criteria, editions, from the data in use.

Typer calls these when the shell asks for completions (`_DLCOMPARE_COMPLETE=complete_bash
COMP_WORDS=... dlcompare`), one new process per Tab press. The data in use is read from the
command line typed so far (`--data`, `--no-bundled`, before or after the command, and
DLCOMPARE_DATA), since the option callbacks that set the CLI's selection do not run then.
Only the data is loaded, never the renderers. A data folder that does not load gives no
candidates rather than an error in the middle of the user's prompt.

Each function takes the Click context and the word being completed, and returns
`(candidate, help)` pairs that start with that word; zsh and fish show the help.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer import Context  # at run time: Typer reads these functions' signatures

if TYPE_CHECKING:
    from .dataset import Dataset

Candidates = list[tuple[str, str]]

HELP_LENGTH = 60
"""Longest help text shown beside a candidate; zsh and fish print it on one line."""


def selection(ctx: Context) -> tuple[list[Path], bool]:
    """The `--data` folders (outermost command first, as the CLI layers them) and whether the
    bundled data is used, as typed so far on the command line."""
    chain = []
    current: Context | None = ctx
    while current is not None:
        chain.append(current)
        current = current.parent  # type: ignore[assignment]
    folders: list[Path] = []
    bundled = True
    for context in reversed(chain):
        folders += [Path(folder) for folder in context.params.get("data") or ()]
        if context.params.get("no_bundled"):
            bundled = False
    return folders, bundled


def dataset_in_use(ctx: Context) -> Dataset | None:
    from .errors import DlcompareError
    from .loading import load_layers

    folders, bundled = selection(ctx)
    try:
        return load_layers(folders, bundled=bundled)
    except DlcompareError:
        return None


def _short(text: str) -> str:
    """Help text on one line, cut to HELP_LENGTH. A straight apostrophe becomes a curly one:
    Typer's zsh script drops straight ones (`CNTK's` would show as `CNTKs`)."""
    text = " ".join(text.split()).replace("'", "’")
    return text if len(text) <= HELP_LENGTH else text[: HELP_LENGTH - 1] + "…"


def _matching(candidates: Candidates, incomplete: str) -> Candidates:
    seen: set[str] = set()
    chosen = []
    for value, help_text in candidates:
        if value.startswith(incomplete) and value not in seen:
            seen.add(value)
            chosen.append((value, _short(help_text)))
    return chosen


def toolkit_candidates(dataset: Dataset, incomplete: str) -> Candidates:
    """Toolkit ids, then aliases, each with the toolkit's name."""
    ids = [(t.id, t.name) for t in dataset.toolkits]
    aliases = [(a, f"{t.name} ({t.id})") for t in dataset.toolkits for a in t.aliases]
    return _matching(ids + aliases, incomplete)


def criterion_candidates(dataset: Dataset, incomplete: str) -> Candidates:
    """Criterion ids and the dotted paths of their parts, each with its name."""
    candidates = []
    for criterion in dataset.criteria:
        whole = f"{criterion.name} (every part)" if criterion.parts else criterion.name
        if criterion.parts_from is not None:
            whole = f"{criterion.name} (whole before {criterion.parts_from}, every part from it)"
        candidates.append((criterion.id, whole))
        candidates += [
            (f"{criterion.id}.{part.id}", f"{criterion.name}: {part.name}")
            for part in criterion.parts
        ]
    return _matching(candidates, incomplete)


def edition_candidates(dataset: Dataset, incomplete: str, prefix: str = "") -> Candidates:
    """Edition dates, newest first, each with the start of its summary."""
    return _matching(
        [(f"{prefix}{e.date}", f"{e.evaluator}: {e.summary}") for e in reversed(dataset.editions)],
        incomplete,
    )


def toolkits(ctx: Context, incomplete: str) -> Candidates:
    dataset = dataset_in_use(ctx)
    return toolkit_candidates(dataset, incomplete) if dataset else []


def criteria(ctx: Context, incomplete: str) -> Candidates:
    dataset = dataset_in_use(ctx)
    return criterion_candidates(dataset, incomplete) if dataset else []


def subjects(ctx: Context, incomplete: str) -> Candidates:
    """For `show`: criteria, then toolkits."""
    dataset = dataset_in_use(ctx)
    if dataset is None:
        return []
    return criterion_candidates(dataset, incomplete) + toolkit_candidates(dataset, incomplete)


def editions(ctx: Context, incomplete: str) -> Candidates:
    dataset = dataset_in_use(ctx)
    return edition_candidates(dataset, incomplete) if dataset else []


def toolkits_at(ctx: Context, incomplete: str) -> Candidates:
    """For `diff`: a toolkit, or after `TOOLKIT@` the dates of the editions it is in."""
    dataset = dataset_in_use(ctx)
    if dataset is None:
        return []
    name, at, _ = incomplete.rpartition("@")
    if not at:
        return toolkit_candidates(dataset, incomplete)
    from .names import toolkit_names

    found = toolkit_names(dataset).get(" ".join(name.lower().split()))
    first = dataset.first_seen.get(found.id) if found else None
    if first is None:
        return []
    return [
        (value, help_text)
        for value, help_text in edition_candidates(dataset, incomplete, f"{name}@")
        if value.rpartition("@")[2] >= first.isoformat()
    ]


MISSING_POLICIES = (
    ("error", "stop with a message"),
    ("drop", "leave such toolkits out and list them (default)"),
    ("partial", "score each over the criteria it has"),
)


def missing_policies(incomplete: str) -> Candidates:
    return _matching(list(MISSING_POLICIES), incomplete)


FORMATS = (
    ("table", "for the terminal (default)"),
    ("json", "the result, every number exact"),
    ("markdown", "GitHub-flavoured Markdown"),
    ("csv", "one row per rating"),
)


def formats(incomplete: str) -> Candidates:
    return _matching(list(FORMATS), incomplete)


REPORT_FORMATS = (
    ("markdown", "GitHub-flavoured Markdown (default)"),
    ("html", "one self-contained web page"),
    ("json", "the result the documents are made from"),
)


def report_formats(incomplete: str) -> Candidates:
    return _matching(list(REPORT_FORMATS), incomplete)


def glue_bash_at() -> None:
    """Make bash complete `TOOLKIT@DATE` as one word.

    Bash splits the command line at '@' (it is in COMP_WORDBREAKS), so `tf@2016` reaches
    Typer as three words, `tf`, `@` and `2016`, and no argument would be completed. This
    registers, in place of Typer's bash completion class, a subclass that glues such words
    back together and answers with the part from '@' on, which is what bash replaces (it keeps
    '@' in the word it completes). Call it after Typer has registered its own classes (after
    `typer.main.get_command`). Without Typer's class, it does nothing."""
    import sys

    try:
        from typer._completion_classes import BashComplete
    except ImportError:  # pragma: no cover - another Typer layout: bash just completes less
        return
    registry = sys.modules[BashComplete.__mro__[1].__module__]
    add = getattr(registry, "add_completion_class", None)
    if add is None:  # pragma: no cover
        return

    class GluedBashComplete(BashComplete):
        tail = False

        def get_completion_args(self) -> tuple[list[str], str]:
            args, incomplete = super().get_completion_args()
            words: list[str] = []
            join_next = False
            for word in [*args, incomplete]:
                if word == "@" and words:
                    words[-1] += "@"
                    join_next = True
                elif join_next:
                    words[-1] += word
                    join_next = False
                else:
                    words.append(word)
            self.tail = words[-1] != incomplete and "@" in words[-1]
            return words[:-1], words[-1]

        def format_completion(self, item: Any) -> str:
            text = str(super().format_completion(item))
            return "@" + text.rpartition("@")[2] if self.tail else text

    add(GluedBashComplete, BashComplete.name)

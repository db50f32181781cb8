"""What the commands share: the data selection (--data, --no-bundled, wherever they are given),
the options several commands take, declared once, and reading the data in use."""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from .. import completion
from ..freshness import Ages
from ..output import Format

if TYPE_CHECKING:  # the data models load pydantic: only the commands that read data need them
    from ..dataset import Dataset, Evaluation


def parse_format(value: "str | Format") -> Format:
    """--format's value, any case; anything else is a usage error in our own words."""
    if isinstance(value, Format):
        return value
    try:
        return Format(value.strip().lower())
    except ValueError:
        from ..errors import UsageError, shown

        *first, last = (f.value for f in Format)
        raise UsageError(
            f"--format {shown(value)} is not a format of this command; choose "
            f"{', '.join(first)} or {last} (`report` writes markdown, html or json)"
        ) from None


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        metavar="table|json|markdown|csv",
        parser=parse_format,
        autocompletion=completion.formats,
        help="Output format.",
    ),
]

VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Table and Markdown: add the reference material (reasoning, project status of "
        "every toolkit, source addresses). JSON and CSV always carry everything.",
    ),
]

ToolkitsOption = Annotated[
    str | None,
    typer.Option(
        "--toolkits",
        "-t",
        metavar="A,B",
        help="Only these toolkits (ids, aliases or names, any case, comma-separated).",
    ),
]

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE|COMMIT",
        autocompletion=completion.editions,
        help="Use the edition in force on DATE (YYYY-MM-DD) or the edition with this commit hash. "
        "Default: the latest edition.",
    ),
]

StaleAfterOption = Annotated[
    float,
    typer.Option(
        "--stale-after",
        metavar="YEARS",
        min=0,
        help="Mark ratings older than YEARS (counted to today) as stale, with a dagger (†) in "
        "table and Markdown output.",
    ),
]

WeightsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--weights",
        metavar="FILE",
        help="Your weights: a YAML file of `criterion: weight` (nested or dotted).",
    ),
]

WeightOption = Annotated[
    list[str] | None,
    typer.Option(
        "--weight",
        "-w",
        metavar="CRITERION=WEIGHT",
        help="A weight; repeatable; overrides the file.",
    ),
]

MISSING_HELP = (
    "A toolkit without a rating on a weighted criterion: left out of the ranking and listed "
    "below it with what it lacks (drop, the default), scored over what it has (partial), or "
    "an error (error, for scripts)."
)

MissingOption = Annotated[
    str,
    typer.Option(
        "--missing",
        metavar="drop|partial|error",
        autocompletion=completion.missing_policies,
        help=MISSING_HELP,
    ),
]


def missing_policy(missing: str) -> Literal["error", "drop", "partial"]:
    if missing not in ("error", "drop", "partial"):
        raise typer.BadParameter("choose drop, partial or error", param_hint="--missing")
    return missing  # type: ignore[return-value]


class _Selection:
    """Which data folders this run uses. Set by --data/--no-bundled wherever they are given
    (before the command or after it) and reset by the app callback at the start of each run."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.folders: list[Path] = []
        self.bundled = True
        self.cache: Dataset | None = None


selection = _Selection()


def add_data(value: list[Path] | None) -> list[Path] | None:
    if value:
        selection.folders.extend(value)
        selection.cache = None
    return value


def drop_bundled(value: bool) -> bool:
    if value:
        selection.bundled = False
        selection.cache = None
    return value


DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        metavar="DIR",
        callback=add_data,
        help="A data folder layered over the bundled data (repeatable; later folders win). "
        "Also read from DLCOMPARE_DATA, a path list.",
    ),
]

NoBundledOption = Annotated[
    bool,
    typer.Option(
        "--no-bundled",
        callback=drop_bundled,
        help="Use only the --data folders, not the bundled data.",
    ),
]


def ages(stale_after: float) -> Ages:
    from ..clock import today

    return Ages(today(), stale_after)


def data_in_use() -> "Dataset":
    """The data in use: the bundled data and the chosen overlay folders, loaded once."""
    if selection.cache is None:
        from ..loading import load_layers

        selection.cache = load_layers(selection.folders, bundled=selection.bundled)
    return selection.cache


def evaluation_at(
    as_of: str | None, dataset: "Dataset | None" = None, toolkits: str | None = None
) -> "Evaluation":
    """The data in use as of `as_of`, narrowed to `toolkits` (`--toolkits a,b`) if given."""
    from ..api import at, narrow

    evaluation = at(dataset or data_in_use(), as_of)
    return evaluation if toolkits is None else narrow(evaluation, toolkits)

"""The command line: a thin Typer layer over loading, views, scoring and output."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from .errors import UsageError
from .output import Format, emit, write_atomic

if TYPE_CHECKING:  # the data models load pydantic: only the commands that read data need them
    from .dataset import Dataset, Evaluation

EPILOG = (
    "Examples:\n\n"
    "  dlcompare show performance\n\n"
    "  dlcompare diff tensorflow torch\n\n"
    "  dlcompare weights init -o mine.yaml   (then edit it)\n\n"
    "  dlcompare rank --weights mine.yaml\n\n"
    "  dlcompare rank -w performance.single-gpu=3 -w interfaces=1 --format json\n\n"
    "Ratings come from 'Evaluation of Deep Learning Toolkits' (github.com/zer0n/deepframeworks),"
    " 2015-2016. dlcompare never adds ratings up without your weights."
)

app = typer.Typer(
    name="dlcompare",
    help="Compare deep-learning toolkits on a public evaluation, and rank them under your own weights.",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: Typer's rich help imports rich.markdown and markdown-it,
    # which cost more than the rest of `dlcompare --help` together.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
weights_app = typer.Typer(
    help="Write a weights file to edit and pass to `rank --weights`.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(weights_app, name="weights")

FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE|COMMIT",
        help="Use the edition in force on DATE (YYYY-MM-DD) or the edition with this commit hash. "
        "Default: the latest edition.",
    ),
]


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"dlcompare {__version__}")
        raise typer.Exit


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an error.")
    ] = False,
) -> None:
    """Compare deep-learning toolkits on a public evaluation, and rank them under your own weights."""


def _dataset() -> Dataset:
    from .loading import load_dataset

    return load_dataset()


def _evaluation(as_of: str | None) -> Evaluation:
    from .names import find_edition

    dataset = _dataset()
    edition = find_edition(dataset, as_of)
    requested = None
    if as_of is not None:
        import datetime as dt

        try:
            requested = dt.date.fromisoformat(as_of.strip())
        except ValueError:
            requested = None
    return dataset.evaluation(edition, requested)


@app.command("list")
def list_(as_of: AsOfOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """List the criteria (with their parts) and the toolkits.

    Example: dlcompare list --format json
    """
    from .catalog import catalog

    emit(catalog(_evaluation(as_of)), fmt)


@app.command()
def editions(fmt: FormatOption = Format.TABLE) -> None:
    """List the editions of the source evaluation, with how many ratings each changed.

    Example: dlcompare editions
    """
    from .catalog import edition_list

    emit(edition_list(_dataset()), fmt)


@app.command()
def validate(
    folder: Annotated[
        Path | None, typer.Argument(help="Data folder to check. Default: the bundled data.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Check a data folder and print every problem found; exit 1 if there are any.

    Example: dlcompare validate ./my-data
    """
    from .catalog import validate as check

    report = check(folder)
    emit(report, fmt)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def schema(
    kind: Annotated[
        str, typer.Argument(help="Which file: toolkit, criteria or editions.")
    ] = "toolkit",
) -> None:
    """Print the JSON Schema of a data file, for editors and the YAML language server.

    Example: dlcompare schema toolkit > toolkit.schema.json
    """
    import json

    from .errors import NotFoundError
    from .schema import json_schemas

    schemas = json_schemas()
    if kind not in schemas:
        raise NotFoundError(f"unknown schema '{kind}'; choose one of: {', '.join(schemas)}")
    typer.echo(json.dumps(schemas[kind], indent=2))


@app.command()
def show(
    subject: Annotated[
        str | None,
        typer.Argument(
            help="A criterion (id, dotted path or name) or a toolkit (id, alias or name)."
        ),
    ] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Show one criterion across toolkits, one toolkit across criteria, or the whole matrix.

    Examples: dlcompare show performance | dlcompare show tf | dlcompare show
    """
    from .names import find_subject
    from .views import show as build

    evaluation = _evaluation(as_of)
    target = find_subject(evaluation.dataset, subject) if subject is not None else None
    emit(build(evaluation, target), fmt)


@app.command()
def diff(
    left: Annotated[str, typer.Argument(help="First toolkit (id, alias or name).")],
    right: Annotated[str, typer.Argument(help="Second toolkit.")],
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Compare two toolkits criterion by criterion (nothing is totalled).

    Example: dlcompare diff tensorflow torch
    """
    from .names import find_toolkit
    from .views import diff as build

    evaluation = _evaluation(as_of)
    dataset = evaluation.dataset
    emit(build(evaluation, find_toolkit(dataset, left), find_toolkit(dataset, right)), fmt)


NO_WEIGHTS = (
    "rank needs your weights. Ratings are subjective and priorities differ, so dlcompare has "
    "no default weighting and never ranks without yours.\n"
    "Give them in a file:        dlcompare rank --weights mine.yaml\n"
    "or on the command line:     dlcompare rank -w performance.single-gpu=3 -w interfaces=1\n"
    "A template of every criterion: dlcompare weights init -o mine.yaml"
)


@app.command()
def rank(
    weights_file: Annotated[
        Path | None,
        typer.Option(
            "--weights", metavar="FILE", help="YAML file of `criterion: weight` (nested or dotted)."
        ),
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight",
            "-w",
            metavar="CRITERION=WEIGHT",
            help="A weight; repeatable; overrides the file.",
        ),
    ] = None,
    missing: Annotated[
        str,
        typer.Option(
            "--missing",
            metavar="error|drop|partial",
            help="A toolkit without a rating on a weighted criterion: an error (default), "
            "left out (drop), or scored over what it has (partial).",
        ),
    ] = "error",
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Rank the toolkits by the weighted mean of their ratings, under your weights only.

    Examples: dlcompare rank --weights mine.yaml | dlcompare rank -w interfaces=2 -w model-deployment=1
    """
    from .scoring import rank as build
    from .weights import combine

    if missing not in ("error", "drop", "partial"):
        raise typer.BadParameter("choose error, drop or partial", param_hint="--missing")
    if weights_file is None and not weight:
        raise UsageError(NO_WEIGHTS)
    evaluation = _evaluation(as_of)
    chosen = combine(evaluation.dataset, weights_file, weight or [])
    policy: Literal["error", "drop", "partial"] = missing  # type: ignore[assignment]
    emit(build(evaluation, chosen, policy), fmt)


@weights_app.command("init")
def weights_init(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a commented weights template: every rateable criterion with weight 0.

    Example: dlcompare weights init -o mine.yaml
    """
    from .weights import template

    text = template(_dataset())
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text, force=force)

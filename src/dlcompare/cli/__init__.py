"""The command line: a thin Typer layer over loading, views, scoring and output. The app and
its global options are here, with the list of commands in the order `--help` shows them;
each group of commands has a module of its own:

    catalog.py  list, editions, validate, schema
    views.py    show, diff, rank, history, changes
    files.py    report, rate, weights init, new toolkit
    measure.py  measure
    check.py    check
    common.py   the data selection and the options several commands share
    lazy.py     the group that imports and builds only the command that runs
"""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

from pathlib import Path
from typing import Annotated, ClassVar

import typer

from ..output import emit_text
from .common import add_data, drop_bundled, selection
from .lazy import Entry, LazyGroup

EPILOG = (
    "Examples:\n\n"
    "  dlcompare show performance\n\n"
    "  dlcompare diff tensorflow torch\n\n"
    "  dlcompare diff tensorflow@2015-11-20 tensorflow@2016-05-11\n\n"
    "  dlcompare history tensorflow performance\n\n"
    "  dlcompare changes 2016-05-11\n\n"
    "  dlcompare weights init -o mine.yaml   # then edit it\n\n"
    "  dlcompare rank --weights mine.yaml\n\n"
    "  dlcompare rank -w performance.single-gpu=3 -w interfaces=1 --format json\n\n"
    "Ratings: every edition of 'Evaluation of Deep Learning Toolkits'"
    " (github.com/zer0n/deepframeworks, 2015-2016), and dlcompare's own current edition"
    " (--as-of 2016-12-06 shows the source's last). Every view names whose ratings it shows."
    " dlcompare never adds ratings up without your weights."
)

OVERVIEW = """\
dlcompare compares deep-learning toolkits criterion by criterion, on the
ratings of "Evaluation of Deep Learning Toolkits" (zer0n/deepframeworks,
2015-2016) and of its own current edition, and ranks them only under your
own weights.

Main commands:
  dlcompare show                        every toolkit on every criterion
  dlcompare show performance            one criterion, with the reasoning
  dlcompare diff tensorflow pytorch     two toolkits, criterion by criterion
  dlcompare rank -w interfaces=1        a ranking under your weights
  dlcompare weights init -o mine.yaml   a weights file to edit, for rank
  dlcompare history tensorflow          how one toolkit's ratings moved
  dlcompare report -o report.md         everything, as one document

Each command's options: dlcompare COMMAND --help
Every command: dlcompare --help
"""


class Commands(LazyGroup):
    """Every command, in the order `--help` lists them (the groups, weights and new, last);
    each module is imported, and its command built, only when that command is asked for."""

    table: ClassVar[dict[str, Entry]] = {
        "list": Entry(
            "catalog",
            "list_",
            "List the criteria (with their parts) and the toolkits, with each toolkit's "
            "project status (active, inactive or ended).",
        ),
        "editions": Entry(
            "catalog",
            "editions",
            "List the editions of the source evaluation, with how many ratings each changed.",
        ),
        "validate": Entry(
            "catalog",
            "validate",
            "Check data folders and print every problem found; quiet and exit 0 when all is "
            "well, exit 1 if there are any.",
        ),
        "schema": Entry(
            "catalog",
            "schema",
            "Print the JSON Schema of a data file, for editors and the YAML language server; "
            "or, with `output`, of a command's `--format json` output, generated from the "
            "same result models the JSON is a dump of (every key always present; options "
            "never move one).",
        ),
        "method": Entry(
            "catalog",
            "method",
            "Show how dlcompare rates its own editions: the toolkits it includes, how each "
            "criterion is read today, what counts as evidence (the places `validate --strict`"
            " accepts), the scale and how to propose a change.",
        ),
        "show": Entry(
            "views",
            "show",
            "Show one criterion across toolkits, one toolkit across criteria, or the whole matrix.",
        ),
        "diff": Entry(
            "views",
            "diff",
            "Compare two toolkits criterion by criterion (nothing is totalled); Δ is the "
            "right side's score minus the left side's.",
        ),
        "rank": Entry(
            "views",
            "rank",
            "Rank the toolkits by the weighted mean of their ratings, under your weights only.",
        ),
        "history": Entry(
            "views",
            "history",
            "Show how a toolkit's ratings changed across editions: one line per criterion, a "
            "score that held over several editions as one span.",
        ),
        "changes": Entry(
            "views",
            "changes",
            "Show what one edition changed against the previous one: scores moved, added and "
            "withdrawn, reasoning revised, toolkits added; one line per toolkit and kind of "
            "change.",
        ),
        "report": Entry(
            "files",
            "report",
            "Write the whole evaluation as one document: the edition and its age, the "
            "toolkits and their project status, the matrix, every criterion with every "
            "toolkit's rating, reasoning and sources, and, only when you give weights, the "
            "ranking under them with how robust it is.",
        ),
        "rate": Entry(
            "files",
            "rate",
            "Write (or update) one rating in a data folder of your own: TOOLKIT on CRITERION,"
            " with your summary and sources, in the folder's latest edition (by --evaluator).",
        ),
        "measure": Entry(
            "measure",
            "measure",
            "Measure training speed on this machine: a small MLP and a small CNN on every "
            "installed toolkit (PyTorch, JAX, TensorFlow, Keras 3 on each backend, MLX, "
            "PaddlePaddle, MindSpore, tinygrad), each in its own process, checked against a "
            "NumPy reference.",
        ),
        "check": Entry(
            "check",
            "check",
            "Find where the data has fallen behind the toolkits: releases since the version "
            "each toolkit was rated on, status that no longer holds (active without a release"
            " for 12 months, ended with a release since), status blocks not checked for "
            "--stale-after days, and packages that could not be read.",
        ),
        "weights": Entry(
            "files",
            "weights_app",
            "Write a weights file to edit and pass to `rank --weights`.",
        ),
        "new": Entry(
            "files",
            "new_app",
            "Scaffold a data file of your own.",
        ),
    }


app = typer.Typer(
    cls=Commands,
    name="dlcompare",
    help="Compare deep-learning toolkits on a public evaluation, and rank them under your own weights.",
    epilog=EPILOG,
    # bare `dlcompare` shows OVERVIEW and exits 0 (see _main)
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: Typer's rich help imports rich.markdown and markdown-it,
    # which cost more than the rest of `dlcompare --help` together.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        emit_text(f"dlcompare {__version__}\n")
        raise typer.Exit


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an error.")
    ] = False,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            metavar="DIR",
            help="A data folder layered over the bundled data (repeatable); "
            "also accepted after the command.",
        ),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Use only the --data folders.")
    ] = False,
) -> None:
    """Compare deep-learning toolkits on a public evaluation, and rank them under your own weights."""
    selection.reset()
    add_data(data)
    drop_bundled(no_bundled)
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        # A request for what the tool does, not a mistake: the overview on stdout, exit 0
        emit_text(OVERVIEW)
        raise typer.Exit

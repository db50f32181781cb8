"""The command line: a thin Typer layer over loading, views, scoring and output. The app and
its global options are here, with the list of commands in the order `--help` shows them;
each group of commands has a module of its own:

    catalog.py  list, editions, validate, schema
    views.py    show, diff, rank, history, changes
    files.py    report, rate, weights init, new toolkit
    measure.py  measure
    check.py    check
    common.py   the data selection and the options several commands share
"""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

from pathlib import Path
from typing import Annotated

import typer

from ..output import emit_text
from . import catalog, check, files, measure, views
from .common import add_data, drop_bundled, selection

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

app = typer.Typer(
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

weights_app = typer.Typer(
    help="Write a weights file to edit and pass to `rank --weights`.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

new_app = typer.Typer(
    help="Scaffold a data file of your own.", no_args_is_help=True, rich_markup_mode=None
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


# Every command, in the order `--help` lists them (Typer lists the groups, weights and new, last).
app.command("list")(catalog.list_)
app.command()(catalog.editions)
app.command()(catalog.validate)
app.command()(catalog.schema)
app.command()(catalog.method)
app.command()(views.show)
app.command()(views.diff)
app.command()(views.rank)
app.command()(views.history)
app.command()(views.changes)
app.command()(files.report)
app.command()(files.rate)
app.command()(measure.measure)
app.command()(check.check)
app.add_typer(weights_app, name="weights")
weights_app.command("init")(files.weights_init)
app.add_typer(new_app, name="new")
new_app.command("toolkit")(files.new_toolkit)

"""`report`, `weights init` and `new toolkit`: the commands that write a file (or print it)."""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

from pathlib import Path
from typing import Annotated

import typer

from .. import completion
from ..errors import UsageError
from ..freshness import DEFAULT_STALE_AFTER_YEARS
from ..output import STDOUT, ReportFormat, document_text, emit_text, refuse_existing, write_atomic
from .common import (
    AsOfOption,
    DataOption,
    MissingOption,
    NoBundledOption,
    StaleAfterOption,
    WeightOption,
    WeightsFileOption,
    ages,
    data_in_use,
    evaluation_at,
    missing_policy,
)


def report(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="markdown|html|json",
            autocompletion=completion.report_formats,
            help="markdown (GitHub-flavoured), html (one self-contained page) or json.",
        ),
    ] = ReportFormat.MARKDOWN.value,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write here instead of stdout (`-`: stdout)."
        ),
    ] = None,
    weights_file: WeightsFileOption = None,
    weight: WeightOption = None,
    missing: MissingOption = "drop",
    as_of: AsOfOption = None,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
    *,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write the whole evaluation as one document: the edition and its age, the toolkits and
    their project status, the matrix, every criterion with every toolkit's rating, reasoning
    and sources, and, only when you give weights, the ranking under them with how robust it
    is. The ratings are never totalled without weights. -o writes the file atomically and
    refuses to replace an existing one unless --force is given.

    Examples:

    \b
      dlcompare report -o report.md
      dlcompare report -f html -o report.html --weights mine.yaml
    """
    from ..report import report as build

    try:
        document_format = ReportFormat(fmt.lower())
    except ValueError:
        raise UsageError(
            f"report writes a document: --format markdown, html or json, not {fmt!r} "
            "(tables and CSV come from show, rank and the other commands)"
        ) from None
    policy = missing_policy(missing)
    evaluation = evaluation_at(as_of)
    chosen = None
    if weights_file is not None or weight:
        from ..weights import combine

        chosen = combine(evaluation.dataset, weights_file, weight or [])
    text = document_text(build(evaluation, ages(stale_after), chosen, policy), document_format)
    output = None if output == STDOUT else output
    if output is None:
        emit_text(text, json=document_format is ReportFormat.JSON)
    else:
        write_atomic(output, text, force=force)


def weights_init(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write here instead of stdout (`-`: stdout)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Ask how much each criterion matters (0-5, or skip), showing how the toolkits "
            "score on it, and write your answers (questions on stderr; needs a terminal).",
        ),
    ] = False,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Write a commented weights template: every rateable criterion with weight 0. With
    --interactive, ask criterion by criterion instead and write your answers.

    Examples:

    \b
      dlcompare weights init -o mine.yaml
      dlcompare weights init -i -o mine.yaml
    """
    from ..weights import template

    if not interactive:
        evaluation = evaluation_at(as_of)
        text = template(evaluation.dataset, evaluation=evaluation)
    else:
        from ..interactive import build

        if output is not None and output != STDOUT:  # before asking anything
            refuse_existing(output, force=force)
        evaluation = evaluation_at(as_of)
        text = template(evaluation.dataset, build(evaluation), evaluation=evaluation)
    output = None if output == STDOUT else output
    if output is None:
        emit_text(text)
    else:
        write_atomic(output, text, force=force)
        if interactive:
            import sys

            sys.stderr.write(f"Wrote {output}. Rank with: dlcompare rank --weights {output}\n")


def new_toolkit(
    toolkit_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new toolkit's id, e.g. pytorch.")
    ],
    folder: Annotated[
        Path,
        typer.Option(
            "--dir", metavar="DIR", help="The data folder to write into (created if needed)."
        ),
    ] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite the toolkit file.")] = False,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Write DIR/toolkits/ID.yaml listing every criterion as a commented placeholder, and
    DIR/editions.yaml with an edition dated today if DIR has none. Fill in what you rate,
    then check it with `dlcompare validate DIR` and use it with `--data DIR`.

    Example:

    \b
      dlcompare new toolkit flax --dir team && dlcompare validate team
    """
    from ..clock import today
    from ..scaffold import check_id, write_toolkit

    check_id(toolkit_id)
    write_toolkit(data_in_use(), folder, toolkit_id, today(), force=force)

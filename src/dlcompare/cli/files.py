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
    ToolkitsOption,
    WeightOption,
    WeightsFileOption,
    ages,
    data_in_use,
    evaluation_at,
    missing_policy,
)


def report(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="markdown|html|json",
            autocompletion=completion.report_formats,
            help="markdown (GitHub-flavoured), html (one self-contained page) or json. "
            "Default: from the extension of -o FILE (.md, .markdown, .html, .htm, .json), "
            "else markdown.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write here instead of stdout (`-`: stdout)."
        ),
    ] = None,
    weights_file: WeightsFileOption = None,
    weight: WeightOption = None,
    toolkits: ToolkitsOption = None,
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
    is. The ratings are never totalled without weights. --toolkits limits it to the toolkits
    you are choosing between. -o writes the file atomically, in the format its extension
    names, and refuses to replace an existing one unless --force is given.

    Examples:

    \b
      dlcompare report -o report.md
      dlcompare report -o report.html --weights mine.yaml
      dlcompare report --toolkits pytorch,jax -o choice.md
    """
    from ..report import report as build

    document_format = report_format(fmt, output)
    policy = missing_policy(missing)
    evaluation = evaluation_at(as_of, toolkits=toolkits)
    chosen = None
    if weights_file is not None or weight:
        from ..weights import combine

        chosen = combine(evaluation.dataset, weights_file, weight or [])

    from ..schema import METHOD_PATH

    method = None
    if evaluation.edition.method == METHOD_PATH:
        from ..loading import bundled_method

        method = bundled_method()
    result = build(evaluation, ages(stale_after), chosen, policy, method)
    text = document_text(result, document_format)
    output = None if output == STDOUT else output
    if output is None:
        emit_text(text, json=document_format is ReportFormat.JSON)
    else:
        write_atomic(output, text, force=force)


EXTENSIONS = {
    ".md": ReportFormat.MARKDOWN,
    ".markdown": ReportFormat.MARKDOWN,
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".json": ReportFormat.JSON,
}
"""The file extensions `report -o FILE` reads its format from."""


def report_format(fmt: str | None, output: Path | None) -> ReportFormat:
    """The format of `report`: --format when given, else the extension of -o FILE, else
    Markdown. A --format that contradicts the extension, or an extension that names no
    format report writes (without --format), is a usage error: a file named .html must
    never hold Markdown."""
    chosen = None
    if fmt is not None:
        try:
            chosen = ReportFormat(fmt.lower())
        except ValueError:
            raise UsageError(
                f"report writes a document: --format markdown, html or json, not {fmt!r} "
                "(tables and CSV come from show, rank and the other commands)"
            ) from None
    suffix = output.suffix.lower() if output is not None else ""
    named = EXTENSIONS.get(suffix)
    if chosen is None and named is None and suffix:
        known = ", ".join(EXTENSIONS)
        raise UsageError(
            f"report cannot tell a format from '{suffix}' in -o {output}: name the file "
            f"{known}, or give --format markdown, html or json"
        )
    if chosen is not None and named is not None and chosen is not named:
        raise UsageError(
            f"--format {chosen.value} contradicts -o {output}, which names {named.value}; "
            "give one or make them agree"
        )
    return chosen or named or ReportFormat.MARKDOWN


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
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="NAME",
            help="The toolkit's display name, kept as written (default: the name of a toolkit "
            "with this id in the data, else the id as typed).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the toolkit file.")] = False,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Write DIR/toolkits/ID.yaml listing every criterion as a commented placeholder, and
    DIR/editions.yaml with an edition dated today if DIR has none, and say what was written.
    Rate one criterion at a time with `dlcompare rate`, or fill in the file; check it with
    `dlcompare validate DIR` and use it with `--data DIR`.

    Examples:

    \b
      dlcompare new toolkit flax --dir team && dlcompare validate team
      dlcompare new toolkit mlx --name "MLX" --dir team
    """
    import sys

    from ..clock import today
    from ..scaffold import PLACEHOLDER_EVALUATOR, check_id, write_toolkit

    check_id(toolkit_id)
    if name is not None and not name.strip():
        raise UsageError("--name is empty; give the toolkit's display name, e.g. --name MLX")
    done = write_toolkit(data_in_use(), folder, toolkit_id, today(), force=force, name=name)
    lines = [f"Wrote {done.toolkit_file}: toolkit {toolkit_id}, named {done.name!r}."]
    if done.editions_file is not None:
        lines.append(
            f"Wrote {done.editions_file}: an edition dated {done.day} whose evaluator is the "
            f"placeholder {PLACEHOLDER_EVALUATOR!r}: put whose ratings these are there."
        )
    lines.append(
        f"Rate a criterion with: dlcompare rate {toolkit_id} interfaces 4 "
        f"--summary 'Why this score.' --source https://example.org/docs --dir {folder}"
    )
    sys.stderr.write("\n".join(lines) + "\n")


def rate(
    toolkit: Annotated[
        str,
        typer.Argument(
            metavar="TOOLKIT",
            help="The toolkit (id, alias or name).",
            autocompletion=completion.toolkits,
        ),
    ],
    criterion: Annotated[
        str,
        typer.Argument(
            metavar="CRITERION",
            help="The criterion rated (id, dotted path or name; a part, for one with parts).",
            autocompletion=completion.criteria,
        ),
    ],
    score: Annotated[
        float, typer.Argument(metavar="SCORE", help="The score, on the data's scale (0 to 5).")
    ],
    summary: Annotated[
        str,
        typer.Option("--summary", metavar="TEXT", help="Why this score, in your own words."),
    ],
    source: Annotated[
        list[str],
        typer.Option("--source", metavar="URL", help="A link that backs it up (repeatable)."),
    ],
    folder: Annotated[
        Path,
        typer.Option(
            "--dir",
            metavar="DIR",
            help="The data folder to write into, as with `new toolkit` (created if needed).",
        ),
    ] = Path(),
    evaluator: Annotated[
        str | None,
        typer.Option(
            "--evaluator",
            metavar="NAME",
            help="Whose rating this is: it goes into DIR's latest edition by NAME (one dated "
            "today is added if there is none). Default: DIR's latest edition.",
        ),
    ] = None,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Write (or update) one rating in a data folder of your own: TOOLKIT on CRITERION, with
    your summary and sources, in the folder's latest edition (by --evaluator). The folder is
    checked as `--data DIR` would load it before anything is written; each file is written
    whole or not at all, and stderr says what was written.

    Example:

    \b
      dlcompare rate pytorch interfaces 4.5 --summary "Python first, C++ too." --source https://docs.pytorch.org/docs/stable/cpp_index.html --dir team --evaluator "ML platform team"
    """
    import sys

    from ..clock import today
    from ..loading import CRITERIA_FILE, EDITIONS_FILE, TOOLKITS_DIR, load_layers
    from ..rate import rate as write
    from ..scaffold import PLACEHOLDER_EVALUATOR
    from .common import selection

    if evaluator is not None and not evaluator.strip():
        raise UsageError(
            "--evaluator is empty; give whose rating this is, e.g. --evaluator 'ML team'"
        )
    holds_data = any(
        (folder / name).exists() for name in (CRITERIA_FILE, EDITIONS_FILE, TOOLKITS_DIR)
    )
    dataset = (
        load_layers([*selection.folders, folder], bundled=selection.bundled)
        if holds_data
        else data_in_use()
    )
    done = write(
        dataset,
        folder,
        (toolkit, criterion, score),
        summary,
        source,
        evaluator=evaluator,
        today=today(),
        layers=selection.folders,
        bundled=selection.bundled,
    )
    replaced = ", replacing the rating there" if done.replaced else ""
    lines = [
        f"Wrote {done.toolkit_file}: {done.name} on {done.criterion}, score {done.score:g}, in "
        f"the edition of {done.day} by {done.evaluator}{replaced}."
    ]
    if done.editions_file is not None:
        lines.append(f"Wrote {done.editions_file}: the edition of {done.day} by {done.evaluator}.")
    for path in done.rewritten:
        lines.append(f"{path} was written anew from its data: its comments are not kept.")
    if done.evaluator == PLACEHOLDER_EVALUATOR:
        lines.append(
            f"note: the evaluator is still the placeholder {PLACEHOLDER_EVALUATOR!r}; put "
            f"whose ratings these are in {folder / EDITIONS_FILE}"
        )
    later = [e for e in dataset.editions if e.date > done.day]
    when = ""
    if later:
        after = min(later, key=lambda e: e.date)
        when = f" --as-of {done.day}"
        lines.append(
            f"note: the edition of {after.date} (by {after.evaluator}) comes after it: views "
            f"show the ratings in force at the latest edition unless given --as-of {done.day}"
        )
    lines.append(f"See it with: dlcompare show {done.toolkit} --data {folder}{when}")
    sys.stderr.write("\n".join(lines) + "\n")


weights_app = typer.Typer(
    help="Write a weights file to edit and pass to `rank --weights`.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
weights_app.command("init")(weights_init)

new_app = typer.Typer(
    help="Scaffold a data file of your own.", no_args_is_help=True, rich_markup_mode=None
)
new_app.command("toolkit")(new_toolkit)

"""`list`, `editions`, `validate` and `schema`: what the data holds, and whether it is sound."""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

from pathlib import Path
from typing import Annotated

import typer

from ..freshness import DEFAULT_STALE_AFTER_YEARS
from ..output import Format, emit, emit_text
from .common import (
    AsOfOption,
    DataOption,
    FormatOption,
    NoBundledOption,
    StaleAfterOption,
    ages,
    data_in_use,
    evaluation_at,
    selection,
)


def list_(
    as_of: AsOfOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also show data folders and overrides.")
    ] = False,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """List the criteria (with their parts) and the toolkits, with each toolkit's project
    status (active, inactive or ended). --verbose adds the data folders in use and what a
    later folder replaced.

    Examples:

    \b
      dlcompare list --format json
      dlcompare new toolkit flax --dir team && dlcompare list --verbose --data team
    """
    from ..catalog import catalog

    emit(catalog(evaluation_at(as_of), ages(stale_after), verbose=verbose), fmt)


def editions(
    fmt: FormatOption = Format.TABLE, data: DataOption = None, no_bundled: NoBundledOption = False
) -> None:
    """List the editions of the source evaluation, with how many ratings each changed.

    Example:

    \b
      dlcompare editions
    """
    from ..catalog import edition_list

    emit(edition_list(data_in_use()), fmt)


def validate(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Data folder to check, layered over the bundled data as --data would use it "
            "(alone with --no-bundled). Default: the bundled data."
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Count sources that are not primary evidence (outside every toolkit's "
            "official places and the accepted evidence hosts, a mirror, a translated page, an "
            "older version's page) as problems, not warnings.",
        ),
    ] = False,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Check data folders and print every problem found; quiet and exit 0 when all is well,
    exit 1 if there are any. Sources that are not primary evidence are warnings (exit 0), or
    problems with --strict.

    Examples:

    \b
      dlcompare validate --strict
      dlcompare new toolkit flax --dir team && dlcompare validate team
    """
    from ..catalog import validate as check

    folders = [*selection.folders, *([folder] if folder is not None else [])]
    report = check(folders, bundled=selection.bundled, strict=strict)
    emit(report, fmt)
    if not report.ok:
        raise typer.Exit(1)


def schema(
    kind: Annotated[
        str,
        typer.Argument(
            help="Which file: toolkit, criteria or editions; or output, for a command's JSON."
        ),
    ] = "toolkit",
    command: Annotated[
        str | None,
        typer.Argument(
            metavar="[COMMAND]",
            help="With output: the command (rank, show, ...). Default: every command's, as "
            "one object keyed by command.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a data file, for editors and the YAML language server; or,
    with `output`, of a command's `--format json` output, generated from the same result
    models the JSON is a dump of (every key always present; options never move one).

    Examples:

    \b
      dlcompare schema toolkit > toolkit.schema.json
      dlcompare schema output rank > rank.schema.json
    """
    import json

    from ..errors import NotFoundError, UsageError

    if kind == "output":
        from ..outputs import COMMANDS, output_schema, output_schemas

        if command is None:
            document: object = output_schemas()
        elif command in COMMANDS:
            document = output_schema(command)
        else:
            raise NotFoundError(
                f"no JSON output for '{command}'; choose one of: {', '.join(COMMANDS)}"
            )
        emit_text(json.dumps(document, indent=2) + "\n")
        return
    from ..schema import json_schemas

    schemas = json_schemas()
    if kind not in schemas:
        raise NotFoundError(f"unknown schema '{kind}'; choose one of: {', '.join(schemas)}, output")
    if command is not None:
        raise UsageError(f"schema {kind} takes no COMMAND (only `schema output COMMAND` does)")
    emit_text(json.dumps(schemas[kind], indent=2) + "\n")


def method(fmt: FormatOption = Format.TABLE) -> None:
    """Show how dlcompare rates its own editions: the toolkits it includes, how each criterion
    is read today, what counts as evidence (the places `validate --strict` accepts), the scale
    and how to propose a change. Every view of dlcompare's editions points here. The document
    is Markdown; --format json wraps it with its path.

    Examples:

    \b
      dlcompare method
      dlcompare method -f markdown > method.md
    """
    from ..errors import UsageError
    from ..loading import bundled_method
    from ..results.catalog import MethodDocument
    from ..schema import METHOD_PATH

    if fmt is Format.CSV:
        raise UsageError("method is a document: --format table, markdown or json, not csv")
    document = MethodDocument(path=METHOD_PATH, text=bundled_method())
    if fmt is Format.JSON:
        emit(document, fmt)
    else:
        from ..render.escape import terminal

        emit_text(terminal(document.text) if fmt is Format.TABLE else document.text)

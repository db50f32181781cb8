"""`check`: where the data has fallen behind the toolkits (new releases, status that no longer
holds, dead source links). The only command that reads the network; its modules are imported
when it runs, never at start-up."""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..output import Format, emit
from .common import AsOfOption, DataOption, FormatOption, NoBundledOption, evaluation_at

DEFAULT_TIMEOUT = 10.0
DEFAULT_STALE_AFTER_DAYS = 180


def check(
    links: Annotated[
        bool,
        typer.Option(
            "--links",
            help="Check every source address of the edition's ratings instead: broken, moved "
            "to another host, or slow, with the cells that cite each.",
        ),
    ] = False,
    index_url: Annotated[
        str | None,
        typer.Option(
            "--index-url",
            metavar="URL",
            help="The package index's JSON API. Default: DLCOMPARE_INDEX_URL, else "
            "https://pypi.org/pypi.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar="SECONDS", min=0.1, help="Per request."),
    ] = DEFAULT_TIMEOUT,
    stale_after: Annotated[
        int,
        typer.Option(
            "--stale-after",
            metavar="DAYS",
            min=0,
            help="Report a status block last checked more than DAYS ago.",
        ),
    ] = DEFAULT_STALE_AFTER_DAYS,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Also write an overlay folder refreshing the status blocks that could be "
            "verified (use it with --data DIR).",
        ),
    ] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
    *,
    force: Annotated[bool, typer.Option("--force", help="Replace files already in DIR.")] = False,
) -> None:
    """Find where the data has fallen behind the toolkits: releases since the version each
    toolkit was rated on, status that no longer holds (active without a release for 12
    months, ended with a release since), status blocks not checked for --stale-after days,
    and packages that could not be read. Reads the package index's JSON API for the packages
    the toolkit files list. Exit 0 when nothing moved, 1 when anything did or could not be
    checked (or the network is unreachable), 2 on usage errors.

    Examples:

    \b
      dlcompare check
      dlcompare check -f json
      dlcompare check --links
      dlcompare check -o refreshed
    """
    from .. import check as run
    from .common import data_in_use

    if index_url is not None and not index_url.startswith(("http://", "https://")):
        raise UsageError(f"--index-url must be an http:// or https:// address, not {index_url!r}")
    if links and output is not None:
        raise UsageError("-o writes refreshed status blocks; it does not go with --links")
    evaluation = evaluation_at(as_of)
    client = run.new_client(timeout)
    if links:
        sources = run.links(evaluation, client)
        emit(sources, fmt)
        moved = sources.moved
    else:
        found = run.packages(evaluation, client, index=index_url, stale_after_days=stale_after)
        if output is not None:
            import sys

            from ..errors import shown_path

            written = run.write_overlay(data_in_use(), found, output, force=force)
            sys.stderr.write(
                f"wrote {written} refreshed status block(s) to {shown_path(output)}; "
                f"use it with --data {shown_path(output)}\n"
            )
        emit(found, fmt)
        moved = found.moved
    if moved:
        raise typer.Exit(1)

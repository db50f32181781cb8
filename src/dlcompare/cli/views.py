"""`show`, `diff`, `rank`, `history` and `changes`: the ratings, side by side, ranked under
your weights, and across editions."""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

from typing import Annotated

import typer

from .. import completion
from ..errors import UsageError
from ..freshness import DEFAULT_STALE_AFTER_YEARS
from ..output import Format, emit, progress
from .common import (
    AsOfOption,
    DataOption,
    FormatOption,
    MissingOption,
    NoBundledOption,
    StaleAfterOption,
    ToolkitsOption,
    VerboseOption,
    WeightOption,
    WeightsFileOption,
    data_in_use,
    evaluation_at,
    missing_policy,
)


def show(
    subject: Annotated[
        str | None,
        typer.Argument(
            help="A criterion (id, dotted path or name) or a toolkit (id, alias or name).",
            autocompletion=completion.subjects,
        ),
    ] = None,
    toolkits: ToolkitsOption = None,
    verbose: VerboseOption = False,
    as_of: AsOfOption = None,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Show one criterion across toolkits, one toolkit across criteria, or the whole matrix.
    --toolkits narrows it to the toolkits you are choosing between; -v adds every toolkit's
    project status (and, for the matrix, why the ended ones are not rated).

    Examples:

    \b
      dlcompare show performance
      dlcompare show tf
      dlcompare show
      dlcompare show --toolkits pytorch,jax
    """
    from .. import api

    evaluation = evaluation_at(as_of, toolkits=toolkits)
    emit(api.show(evaluation, subject, stale_after=stale_after), fmt, verbose=verbose)


def diff(
    left: Annotated[
        str,
        typer.Argument(
            metavar="TOOLKIT[@DATE]",
            autocompletion=completion.toolkits_at,
            help="First toolkit (id, alias or name), optionally @DATE: an edition's date, a "
            "later date or a commit, as with --as-of.",
        ),
    ],
    right: Annotated[
        str,
        typer.Argument(
            metavar="TOOLKIT[@DATE]", autocompletion=completion.toolkits_at, help="Second toolkit."
        ),
    ],
    criteria: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[CRITERION]...",
            autocompletion=completion.criteria,
            help="Only these criteria (ids, dotted paths or names; a criterion with parts "
            "stands for all of them). Default: all.",
        ),
    ] = None,
    verbose: VerboseOption = False,
    as_of: AsOfOption = None,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Compare two toolkits criterion by criterion (nothing is totalled); Δ is the right
    side's score minus the left side's. Each side may name its own date, so a toolkit can be
    compared with itself in another edition; a side without @DATE uses --as-of (default: the
    latest edition). A toolkit the edition does not rate (it ended) is shown as such, with
    the commands to compare its successor or the latest edition that rated it. Criteria
    after the two toolkits narrow it; -v adds both sides' reasoning, criterion by criterion.

    Examples:

    \b
      dlcompare diff tensorflow torch
      dlcompare diff tf@2015-11-20 tf@2016-05-11
      dlcompare diff tensorflow pytorch model-deployment interfaces -v
    """
    from .. import api

    result = api.diff(
        evaluation_at(as_of), left, right, criteria=criteria or None, stale_after=stale_after
    )
    emit(result, fmt, verbose=verbose)


NO_WEIGHTS = (
    "rank needs your weights. Ratings are subjective and priorities differ, so dlcompare has "
    "no default weighting and never ranks without yours.\n"
    "Give them in a file:        dlcompare rank --weights mine.yaml\n"
    "or on the command line:     dlcompare rank -w performance.single-gpu=3 -w interfaces=1\n"
    "A template of every criterion: dlcompare weights init -o mine.yaml"
)


def rank(
    weights_file: WeightsFileOption = None,
    weight: WeightOption = None,
    toolkits: ToolkitsOption = None,
    verbose: VerboseOption = False,
    missing: MissingOption = "drop",
    as_of: AsOfOption = None,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
    *,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity",
            help="Also show how robust first place is: how far each weight may move before "
            "it changes, and how often each toolkit holds each rank under random weights.",
        ),
    ] = False,
    uncertainty: Annotated[
        float | None,
        typer.Option(
            "--uncertainty",
            metavar="U",
            min=0.0,
            max=1.0,
            help="With --sensitivity: multiply each weight by a random factor in [1-U, 1+U] "
            "(default 0.25).",
        ),
    ] = None,
    rating_noise: Annotated[
        bool,
        typer.Option(
            "--rating-noise",
            help="With --sensitivity: also move each rating at random by up to half a star "
            "either way (uniformly), clipped to the scale.",
        ),
    ] = False,
    samples: Annotated[
        int | None,
        typer.Option(
            "--samples", metavar="N", min=1, help="With --sensitivity: samples (default 10000)."
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="With --sensitivity: seed of the random samples (default 2016)."
        ),
    ] = None,
) -> None:
    """Rank the toolkits by the weighted mean of their ratings, under your weights only. A
    toolkit not rated on a weighted criterion is left out and listed below the ranking with
    what it lacks (--missing partial scores it over what it has; --missing error stops).
    --toolkits ranks only the toolkits you name; -v adds every toolkit's project status.

    Examples:

    \b
      dlcompare rank --weights mine.yaml
      dlcompare rank -w interfaces=2 -w model-deployment=1
      dlcompare rank --weights mine.yaml --sensitivity --rating-noise
      dlcompare rank --weights mine.yaml --toolkits pytorch,jax,tensorflow
    """
    from .. import api
    from ..weights import combine

    policy = missing_policy(missing)
    if weights_file is None and not weight:
        raise UsageError(NO_WEIGHTS)
    if not sensitivity and (rating_noise or (uncertainty, samples, seed) != (None, None, None)):
        raise UsageError("--uncertainty, --rating-noise, --samples and --seed need --sensitivity")
    evaluation = evaluation_at(as_of, toolkits=toolkits)
    chosen = combine(evaluation.dataset, weights_file, weight or [])
    from .. import sampling

    result = api.rank(
        evaluation,
        chosen,
        missing=policy,
        sensitivity=sensitivity,
        uncertainty=sampling.DEFAULT_UNCERTAINTY if uncertainty is None else uncertainty,
        rating_noise=sampling.HALF_STAR if rating_noise else 0.0,
        samples=sampling.DEFAULT_SAMPLES if samples is None else samples,
        seed=sampling.DEFAULT_SEED if seed is None else seed,
        stale_after=stale_after,
        progress=progress("sampling weights"),
    )
    emit(result, fmt, verbose=verbose)


def history(
    toolkit: Annotated[
        str,
        typer.Argument(help="A toolkit (id, alias or name).", autocompletion=completion.toolkits),
    ],
    criterion: Annotated[
        str | None,
        typer.Argument(
            help="Only this criterion (id, dotted path or name). Default: all.",
            autocompletion=completion.criteria,
        ),
    ] = None,
    verbose: VerboseOption = False,
    as_of: AsOfOption = None,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Show how a toolkit's ratings changed across editions: one line per criterion, a score
    that held over several editions as one span. -v adds the reasoning at every step.
    --as-of stops the history at that edition.

    Examples:

    \b
      dlcompare history tensorflow
      dlcompare history tf performance.single-gpu -v
    """
    from .. import api

    result = api.history_of(evaluation_at(as_of), toolkit, criterion, stale_after=stale_after)
    emit(result, fmt, verbose=verbose)


def changes(
    edition: Annotated[
        str | None,
        typer.Argument(
            metavar="EDITION",
            autocompletion=completion.editions,
            help="An edition's date (or a later date, or a commit). Default: the latest edition.",
        ),
    ] = None,
    toolkits: ToolkitsOption = None,
    criteria: Annotated[
        str | None,
        typer.Option(
            "--criteria",
            "-c",
            metavar="A,B",
            help="Only these criteria (ids, dotted paths or names, comma-separated; a "
            "criterion with parts stands for all of them).",
        ),
    ] = None,
    verbose: VerboseOption = False,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Show what one edition changed against the previous one: scores moved, added and
    withdrawn, reasoning revised, toolkits added; one line per toolkit and kind of change.
    --toolkits and --criteria narrow it; -v adds the reasoning behind each change.

    Examples:

    \b
      dlcompare changes
      dlcompare changes 2016-05-11 --format json
      dlcompare changes 2016-05-11 --toolkits tensorflow --criteria performance -v
    """
    from .. import api

    result = api.changes(
        data_in_use(), edition, toolkits=toolkits, criteria=criteria, stale_after=stale_after
    )
    emit(result, fmt, verbose=verbose)

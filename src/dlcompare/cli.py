"""The command line: a thin Typer layer over loading, views, scoring and output."""
# No `from __future__ import annotations` here: Typer reads every command's signature at start-up,
# and string annotations would make it evaluate each one (about 20 ms per run).

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from . import completion
from .errors import DlcompareError, UsageError
from .freshness import DEFAULT_STALE_AFTER_YEARS, Ages
from .output import (
    Format,
    ReportFormat,
    document_text,
    emit,
    emit_text,
    progress,
    write_atomic,
)

if TYPE_CHECKING:  # the data models load pydantic: only the commands that read data need them
    from .dataset import Dataset, Evaluation

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

app = typer.Typer(
    name="dlcompare",
    help="Compare deep-learning toolkits on a public evaluation, and rank them under your own weights.",
    epilog=EPILOG,
    no_args_is_help=True,
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
app.add_typer(weights_app, name="weights")
new_app = typer.Typer(
    help="Scaffold a data file of your own.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(new_app, name="new")

FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
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


def _policy(missing: str) -> Literal["error", "drop", "partial"]:
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


_selection = _Selection()


def _add_data(value: list[Path] | None) -> list[Path] | None:
    if value:
        _selection.folders.extend(value)
        _selection.cache = None
    return value


def _drop_bundled(value: bool) -> bool:
    if value:
        _selection.bundled = False
        _selection.cache = None
    return value


DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        metavar="DIR",
        callback=_add_data,
        help="A data folder layered over the bundled data (repeatable; later folders win). "
        "Also read from DLCOMPARE_DATA, a path list.",
    ),
]
NoBundledOption = Annotated[
    bool,
    typer.Option(
        "--no-bundled",
        callback=_drop_bundled,
        help="Use only the --data folders, not the bundled data.",
    ),
]


def _ages(stale_after: float) -> Ages:
    from .clock import today

    return Ages(today(), stale_after)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        emit_text(f"dlcompare {__version__}\n")
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
    _selection.reset()
    _add_data(data)
    _drop_bundled(no_bundled)


def _dataset() -> "Dataset":
    """The data in use: the bundled data and the chosen overlay folders, loaded once."""
    if _selection.cache is None:
        from .loading import load_layers

        _selection.cache = load_layers(_selection.folders, bundled=_selection.bundled)
    return _selection.cache


def _evaluation(as_of: str | None, dataset: "Dataset | None" = None) -> "Evaluation":
    from .api import at

    return at(dataset or _dataset(), as_of)


@app.command("list")
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
    from .catalog import catalog

    emit(catalog(_evaluation(as_of), _ages(stale_after), verbose=verbose), fmt)


@app.command()
def editions(
    fmt: FormatOption = Format.TABLE, data: DataOption = None, no_bundled: NoBundledOption = False
) -> None:
    """List the editions of the source evaluation, with how many ratings each changed.

    Example:

    \b
      dlcompare editions
    """
    from .catalog import edition_list

    emit(edition_list(_dataset()), fmt)


@app.command()
def validate(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Data folder to check, layered over the bundled data as --data would use it "
            "(alone with --no-bundled). Default: the bundled data."
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Check data folders and print every problem found; quiet and exit 0 when all is well,
    exit 1 if there are any.

    Examples:

    \b
      dlcompare validate
      dlcompare new toolkit flax --dir team && dlcompare validate team
    """
    from .catalog import validate as check

    folders = [*_selection.folders, *([folder] if folder is not None else [])]
    report = check(folders, bundled=_selection.bundled)
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

    Example:

    \b
      dlcompare schema toolkit > toolkit.schema.json
    """
    import json

    from .errors import NotFoundError
    from .schema import json_schemas

    schemas = json_schemas()
    if kind not in schemas:
        raise NotFoundError(f"unknown schema '{kind}'; choose one of: {', '.join(schemas)}")
    emit_text(json.dumps(schemas[kind], indent=2) + "\n")


@app.command()
def show(
    subject: Annotated[
        str | None,
        typer.Argument(
            help="A criterion (id, dotted path or name) or a toolkit (id, alias or name).",
            autocompletion=completion.subjects,
        ),
    ] = None,
    as_of: AsOfOption = None,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Show one criterion across toolkits, one toolkit across criteria, or the whole matrix.

    Examples:

    \b
      dlcompare show performance
      dlcompare show tf
      dlcompare show
    """
    from . import api

    emit(api.show(_evaluation(as_of), subject, stale_after=stale_after), fmt)


@app.command()
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
    the commands to compare its successor or the latest edition that rated it.

    Examples:

    \b
      dlcompare diff tensorflow torch
      dlcompare diff tf@2015-11-20 tf@2016-05-11
    """
    from . import api

    emit(api.diff(_evaluation(as_of), left, right, stale_after=stale_after), fmt)


NO_WEIGHTS = (
    "rank needs your weights. Ratings are subjective and priorities differ, so dlcompare has "
    "no default weighting and never ranks without yours.\n"
    "Give them in a file:        dlcompare rank --weights mine.yaml\n"
    "or on the command line:     dlcompare rank -w performance.single-gpu=3 -w interfaces=1\n"
    "A template of every criterion: dlcompare weights init -o mine.yaml"
)


@app.command()
def rank(
    weights_file: WeightsFileOption = None,
    weight: WeightOption = None,
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

    Examples:

    \b
      dlcompare rank --weights mine.yaml
      dlcompare rank -w interfaces=2 -w model-deployment=1
      dlcompare rank --weights mine.yaml --sensitivity --rating-noise
    """
    from . import api
    from .weights import combine

    policy = _policy(missing)
    if weights_file is None and not weight:
        raise UsageError(NO_WEIGHTS)
    if not sensitivity and (rating_noise or (uncertainty, samples, seed) != (None, None, None)):
        raise UsageError("--uncertainty, --rating-noise, --samples and --seed need --sensitivity")
    evaluation = _evaluation(as_of)
    chosen = combine(evaluation.dataset, weights_file, weight or [])
    from . import sensitivity as robustness

    result = api.rank(
        evaluation,
        chosen,
        missing=policy,
        sensitivity=sensitivity,
        uncertainty=robustness.DEFAULT_UNCERTAINTY if uncertainty is None else uncertainty,
        rating_noise=robustness.HALF_STAR if rating_noise else 0.0,
        samples=robustness.DEFAULT_SAMPLES if samples is None else samples,
        seed=robustness.DEFAULT_SEED if seed is None else seed,
        stale_after=stale_after,
        progress=progress("sampling weights"),
    )
    emit(result, fmt)


@app.command()
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
    as_of: AsOfOption = None,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Show how a toolkit's ratings changed across editions, with the reasoning behind each
    change. --as-of stops the history at that edition.

    Examples:

    \b
      dlcompare history tensorflow
      dlcompare history tf performance.single-gpu
    """
    from . import api

    emit(api.history_of(_evaluation(as_of), toolkit, criterion, stale_after=stale_after), fmt)


@app.command()
def changes(
    edition: Annotated[
        str | None,
        typer.Argument(
            metavar="EDITION",
            autocompletion=completion.editions,
            help="An edition's date (or a later date, or a commit). Default: the latest edition.",
        ),
    ] = None,
    stale_after: StaleAfterOption = DEFAULT_STALE_AFTER_YEARS,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Show what one edition changed against the previous one: scores moved, added and
    withdrawn, reasoning revised, toolkits added.

    Examples:

    \b
      dlcompare changes
      dlcompare changes 2016-05-11 --format json
    """
    from . import api

    emit(api.changes(_dataset(), edition, stale_after=stale_after), fmt)


@weights_app.command("init")
def weights_init(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
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
    from .weights import template

    if not interactive:
        evaluation = _evaluation(as_of)
        text = template(evaluation.dataset, evaluation=evaluation)
    else:
        from .interactive import build

        if output is not None and output.exists() and not force:  # before asking anything
            raise DlcompareError(f"{output}: already exists; use --force to overwrite it")
        evaluation = _evaluation(as_of)
        text = template(evaluation.dataset, build(evaluation), evaluation=evaluation)
    if output is None:
        emit_text(text)
    else:
        write_atomic(output, text, force=force)
        if interactive:
            import sys

            sys.stderr.write(f"Wrote {output}. Rank with: dlcompare rank --weights {output}\n")


@new_app.command("toolkit")
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
    import sys

    from .clock import today
    from .loading import EDITIONS_FILE, TOOLKITS_DIR
    from .scaffold import check_id, edition_file, free_day, toolkit_file

    check_id(toolkit_id)
    dataset = _dataset()
    editions_path = folder / EDITIONS_FILE
    day = today() if editions_path.exists() else free_day(dataset, today())
    if day != today():
        taken = dataset.edition_by_date[today()]
        sys.stderr.write(
            f"note: {today()} is already an edition (by {taken.evaluator}); one edition per "
            f"date, so yours is dated {day}\n"
        )
    target = folder / TOOLKITS_DIR / f"{toolkit_id}.yaml"
    if target.exists() and not force:
        raise DlcompareError(f"{target}: already exists; use --force to overwrite it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DlcompareError(f"{target.parent}: cannot create ({error.strerror})") from None
    if not editions_path.exists():
        write_atomic(editions_path, edition_file(day), force=False)
    write_atomic(target, toolkit_file(dataset, toolkit_id, day), force=force)


@app.command()
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
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
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
    from .report import report as build

    try:
        document_format = ReportFormat(fmt.lower())
    except ValueError:
        raise UsageError(
            f"report writes a document: --format markdown, html or json, not {fmt!r} "
            "(tables and CSV come from show, rank and the other commands)"
        ) from None
    policy = _policy(missing)
    evaluation = _evaluation(as_of)
    chosen = None
    if weights_file is not None or weight:
        from .weights import combine

        chosen = combine(evaluation.dataset, weights_file, weight or [])
    text = document_text(build(evaluation, _ages(stale_after), chosen, policy), document_format)
    if output is None:
        emit_text(text)
    else:
        write_atomic(output, text, force=force)


# --- measure (issue 15): the command calls into dlcompare.measure -----------------------------


class Device(StrEnum):
    CPU = "cpu"
    GPU = "gpu"


@app.command()
def measure(
    device: Annotated[
        Device,
        typer.Option(
            "--device",
            case_sensitive=False,
            help="Where the toolkits run. gpu: only toolkits that see a GPU; the others are "
            "reported as no-gpu (NumPy, the reference, always runs on the CPU).",
        ),
    ] = Device.CPU,
    steps: Annotated[
        int,
        typer.Option(
            "--steps", metavar="N", min=8, help="Steps timed after the first (at least 8)."
        ),
    ] = 20,
    batch_size: Annotated[
        int, typer.Option("--batch-size", metavar="N", min=1, help="Samples per batch.")
    ] = 64,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            metavar="N",
            min=1,
            help="Pin every run to N CPUs and set OMP_NUM_THREADS and the like and each "
            "toolkit's own thread settings to N. Default: each toolkit's defaults.",
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            metavar="TOOLKIT",
            help="Run only these (repeatable or comma-separated): pytorch, jax, tensorflow, "
            "keras (every backend) or keras-jax etc. The NumPy reference always runs.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=1,
            help="Time limit of each run (one toolkit on one workload, import included).",
        ),
    ] = 300.0,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Also write a data folder for --data DIR: an edition dated today and ratings "
            "derived from the figures.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace DIR if it is a folder an earlier measure -o wrote."),
    ] = False,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Measure training speed on this machine: a small MLP and a small CNN on every installed
    toolkit (PyTorch, JAX, TensorFlow, Keras 3 on each backend), each in its own process,
    checked against a NumPy reference. Progress on stderr; results on stdout.

    Examples: dlcompare measure | dlcompare measure --only jax --steps 10 --format json
    | dlcompare measure -o measured && dlcompare show performance.cpu --data measured
    """
    from .measure.command import run, write_folder
    from .measure.runner import Options

    chosen = tuple(
        name.strip() for value in only or [] for name in value.split(",") if name.strip()
    )
    dataset = None
    if output is not None:  # bad data or a folder that may not be replaced fail before the runs
        from .measure.folder import check_target

        check_target(output, force=force)
        dataset = _dataset()
    result = run(
        Options(
            device=device.value,
            steps=steps,
            batch_size=batch_size,
            threads=threads,
            only=chosen,
            timeout_s=timeout,
        )
    )
    if output is not None:
        from .loading import load_layers

        write_folder(
            result,
            output,
            force=force,
            dataset=dataset,
            load=lambda extra: load_layers(
                [*_selection.folders, *extra], bundled=_selection.bundled
            ),
        )
    emit(result, fmt)

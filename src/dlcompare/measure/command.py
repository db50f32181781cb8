"""`dlcompare measure` end to end: progress on stderr, the runs, and the `-o DIR` folder."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..dataset import Dataset
from ..errors import DlcompareError
from ..scaffold import free_day
from .results import Measurement
from .runner import Options, Progress, measure


@contextmanager
def progress_display() -> Iterator[Progress]:
    """A live status line on a terminal; plain lines on stderr otherwise."""
    if sys.stderr.isatty():
        from rich.console import Console

        console = Console(stderr=True, highlight=False, markup=False, emoji=False)
        with console.status("Measuring…") as status:

            def show(text: str) -> None:
                status.update(f"Measuring: {text}")

            yield show
    else:

        def plain(text: str) -> None:
            sys.stderr.write(f"measure: {text}\n")
            sys.stderr.flush()

        yield plain


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP while measuring: handled as Ctrl-C is (every worker's process group
    killed, no temporary folder left, exit 130), instead of ending the parent at once and
    leaving a worker running."""


@contextmanager
def ending_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Terminated for as long as the block runs (main thread only;
    elsewhere the block runs as it is). The previous handlers come back after it."""

    def stop(number: int, frame: object) -> None:
        raise Terminated(signal.Signals(number).name)

    previous = {}
    for number in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(number, handler)


def chosen(only: Sequence[str]) -> tuple[str, ...]:
    """The toolkits of `--only`, each given once or comma-separated: ("jax", "keras-torch")."""
    return tuple(name.strip() for value in only for name in value.split(",") if name.strip())


def run(options: Options) -> Measurement:
    with progress_display() as show:
        return measure(options, show)


def write_folder(
    result: Measurement,
    target: Path,
    *,
    force: bool,
    dataset: Dataset | None,
    load: Callable[[Sequence[Path]], object],
) -> None:
    """Write the data folder of `result` to `target`, checked by `load([folder])` (the data in
    use with the new folder on top) before it is renamed into place."""
    from . import folder

    if dataset is not None and free_day(dataset, result.date) != result.date:
        taken = dataset.edition_by_date[result.date]
        sys.stderr.write(
            f"note: {result.date} is already an edition (by {taken.evaluator}); one edition per "
            f"date, so the measurement's edition is dated {free_day(dataset, result.date)}\n"
        )

    def check(candidate: Path) -> None:
        try:
            load([candidate])
        except DlcompareError as error:  # a bug of ours, not of the user's
            raise DlcompareError(
                f"{target}: the measurement's data folder does not load; nothing written:\n{error}"
            ) from None

    folder.write(target, folder.files(result, dataset), force=force, check=check)

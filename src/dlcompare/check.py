"""How `check` runs: read what the toolkits' packages and the data's sources say today, over
the network, and hand it to `checking` (the findings) and `refresh` (the overlay).

The network is read through `web.Client` (urllib; see there for why) with a thread pool; a
progress bar is drawn on stderr while it waits, on a terminal only.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .checking import DEFAULT_STALE_AFTER_DAYS, check_report, cited_sources, link_report
from .dataset import Dataset, Evaluation
from .errors import DlcompareError, shown_path
from .package_index import index_url, read_all
from .results.check import CheckReport, LinkReport
from .web import CONNECTION_KINDS, Client, WebError


class Offline(DlcompareError):
    """No request got any answer: the machine (or the index) is not reachable at all."""


@contextmanager
def progress_bar(what: str, total: int) -> Iterator[Callable[[], None]]:
    """A callback to call once per item done: a rich progress bar on stderr when it is a
    terminal, nothing otherwise (piped, logged, in tests)."""
    if total == 0 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    # the real stream: run() wraps stderr to escape messages, and a bar is no message
    stream = getattr(sys.stderr, "inner", sys.stderr)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(file=stream),
        transient=True,
    )
    with bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


def packages(
    evaluation: Evaluation,
    client: Client,
    *,
    index: str | None = None,
    today: dt.date | None = None,
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS,
) -> CheckReport:
    """What moved for each toolkit since the edition's ratings were judged; Offline when no
    package could be reached at all."""
    from .clock import today as clock_today

    day = today or clock_today()
    where = index_url(index)
    names = [name for t in evaluation.dataset.toolkits for name in t.packages]

    def fetch(url: str) -> bytes:
        return client.get(url).body

    with progress_bar("Reading the package index", len(set(names))) as advance:
        answers = read_all(names, fetch, where, day, advance=advance)
    if answers and all(
        isinstance(a, WebError) and a.kind in CONNECTION_KINDS for a in answers.values()
    ):
        error = next(iter(answers.values()))
        assert isinstance(error, WebError)
        raise Offline(
            f"cannot reach the package index at {where} ({error.kind}: {error.message}); "
            "check the network connection, a proxy (https_proxy) or --index-url"
        )
    return check_report(
        evaluation, answers, today=day, index=where, stale_after_days=stale_after_days
    )


def links(evaluation: Evaluation, client: Client, *, today: dt.date | None = None) -> LinkReport:
    """Every source address of the edition's ratings in force, checked once each."""
    from .clock import today as clock_today
    from .links import check_links

    day = today or clock_today()
    cited = cited_sources(evaluation)
    with progress_bar("Checking the sources", len(cited)) as advance:
        checked = check_links(client, cited, advance=advance)
    if checked and all(
        link.status is None and link.message.split(":")[0] in CONNECTION_KINDS - {"timeout"}
        for link in checked.values()
    ):
        raise Offline(
            f"none of the {len(checked)} sources could be reached (first: "
            f"{next(iter(checked.values())).message}); check the network connection or a "
            "proxy (https_proxy)"
        )
    return link_report(evaluation, cited, checked, today=day, timeout=client.timeout)


def new_client(timeout: float) -> Client:
    """The client of one run (tests replace it with one that does not wait between tries)."""
    return Client(timeout=timeout)


def write_overlay(dataset: Dataset, report: CheckReport, folder: Path, *, force: bool) -> int:
    """Write the refreshed status blocks under `folder`, all or nothing: a new folder is
    built beside it and renamed into place; in an existing one, no file is written unless
    none is refused (an existing file needs `force`). Returns how many files it wrote."""
    import shutil
    import tempfile

    from .output import write_atomic
    from .refresh import overlay

    files = overlay(dataset, report)
    if folder.exists() and not folder.is_dir():
        raise DlcompareError(f"{shown_path(folder)}: is not a folder")
    if not folder.exists():
        parent = folder.absolute().parent
        try:
            building = Path(tempfile.mkdtemp(prefix=".dlcompare-", dir=parent))
        except OSError as error:
            raise DlcompareError(
                f"{shown_path(folder)}: cannot write here ({error.strerror})"
            ) from None
        try:
            for name, text in files.items():
                (building / name).parent.mkdir(parents=True, exist_ok=True)
                (building / name).write_text(text, encoding="utf-8")
            building.chmod(0o777 & ~_umask())
            building.rename(folder)
        except OSError as error:
            raise DlcompareError(f"{shown_path(folder)}: cannot write ({error.strerror})") from None
        finally:
            shutil.rmtree(building, ignore_errors=True)
        return len(files)
    targets = {folder / name: text for name, text in files.items()}
    taken = [path for path in targets if path.exists()]
    if taken and not force:
        raise DlcompareError(f"{shown_path(taken[0])}: already exists; use --force to overwrite it")
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text, force=force)
    return len(files)


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask

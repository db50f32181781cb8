"""The `measure` result in the human formats (a Document for table and Markdown) and as CSV
rows. Formats only: every figure comes from the result, rounded here for reading."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..measure.results import Measurement, Run
from ..measure.text import machine_line, milliseconds, settings_line
from .blocks import Cell, Column, Document, Heading, Paragraph, Table

NOT_SHOWN = "—"


def _s(seconds: float) -> str:
    return f"{seconds:.2f}"


def _status(run: Run) -> str:
    return f"{run.status}: {run.reason}" if run.reason else run.status


def _steady_row(run: Run) -> tuple[Cell, ...]:
    t = run.timing
    if t is None:  # an unchecked time is not a result: the status instead, the reason below
        return (Cell(run.target), Cell(run.status, "yellow"), Cell(NOT_SHOWN), Cell(NOT_SHOWN))
    return (
        Cell(run.target),
        Cell(milliseconds(t.step_median_s)),
        Cell(f"{milliseconds(t.step_q1_s)}–{milliseconds(t.step_q3_s)}"),
        Cell(f"{t.samples_per_s:,.0f}"),
    )


def _start_row(run: Run) -> tuple[Cell, ...]:
    t = run.timing
    if t is None:
        return (Cell(run.target), Cell(run.status, "yellow"), Cell(NOT_SHOWN), Cell(NOT_SHOWN))
    return (
        Cell(run.target),
        Cell(milliseconds(t.first_step_s)),
        Cell(_s(t.import_s)),
        Cell(f"{t.peak_rss_mib:,.0f}"),
    )


# Two tables of four columns with two-line headers, so that every figure fits from 60 columns.
STEADY = (
    Column("Toolkit", no_wrap=True),
    Column("Median\nstep ms", "right", no_wrap=True),
    Column("IQR\nms", "right", no_wrap=True),
    Column("Samples\n/s", "right", no_wrap=True),
)
START = (
    Column("Toolkit", no_wrap=True),
    Column("First\nstep ms", "right", no_wrap=True),
    Column("Import\ns", "right", no_wrap=True),
    Column("Peak\nMiB", "right", no_wrap=True),
)


def layout(result: Measurement) -> Document:
    doc = Document()
    doc.add(Heading("Measured training speed"))
    doc.add(Paragraph(machine_line(result)))
    doc.add(Paragraph(settings_line(result)))
    for workload in result.workloads:
        runs = [r for r in result.runs if r.workload == workload.id]
        doc.add(
            Heading(
                f"{workload.name}: {', '.join(workload.layers)} "
                f"({workload.parameters:,} parameters)",
                2,
            )
        )
        # labels as paragraphs, not table titles: Markdown has no table titles
        doc.add(Paragraph("Steady state:", "bold"))
        doc.add(Table(STEADY, tuple(_steady_row(r) for r in runs)))
        doc.add(Paragraph("First step, import, memory:", "bold"))
        doc.add(Table(START, tuple(_start_row(r) for r in runs)))
        for run in runs:
            if run.status != "valid":
                doc.add(Paragraph(f"{run.target}: {_status(run)}", "yellow"))
    doc.add(
        Paragraph(
            "Check: the loss of the first two steps must agree with the NumPy reference's "
            f"within {result.settings.tolerance_rel:g} (relative), and the mean loss of the last "
            "pass through the batches must be below that of the first. A run that fails either "
            "is invalid and its figures are not shown. IQR: the middle half of the step times.",
            "dim",
        )
    )
    doc.add(Heading("Toolkits", 2))
    doc.add(
        Table(
            (
                Column("Toolkit", no_wrap=True),
                Column("Version"),
                Column("Device"),
                Column("Threads", ratio=1),
            ),
            tuple(
                (Cell(target), Cell(version), Cell(device), Cell(threads))
                for target, version, device, threads in _toolkits(result.runs)
            ),
        )
    )
    doc.add(Heading(f"Ratings on {result.leaf}", 2))
    doc.add(Paragraph(f"Rule: {result.rule}", "dim"))
    if result.ratings:
        doc.add(
            Table(
                (
                    Column("Toolkit", no_wrap=True),
                    Column("From run"),
                    Column("Score", "right"),
                    Column("How", ratio=1),
                ),
                tuple(
                    (
                        Cell(r.toolkit),
                        Cell(r.target),
                        Cell(f"{r.score:g}" if r.score is not None else "not rated"),
                        Cell(r.reason.removeprefix("not rated: ")),
                    )
                    for r in result.ratings
                ),
            )
        )
    else:
        doc.add(Paragraph("No toolkit to rate: only the NumPy reference ran."))
    if result.skipped:
        doc.add(Heading("Not run", 2))
        doc.add(
            Table(
                (Column("Toolkit", no_wrap=True), Column("Why", ratio=1)),
                tuple((Cell(s.target), Cell(s.reason)) for s in result.skipped),
            )
        )
    return doc


def _toolkits(runs: Sequence[Run]) -> list[tuple[str, str, str, str]]:
    """Each target's version, device and thread settings, from its first run that has them."""
    seen: dict[str, tuple[str, str, str, str]] = {}
    for run in runs:
        if run.target in seen and seen[run.target][3]:
            continue
        seen[run.target] = (
            run.target,
            run.version or NOT_SHOWN,
            run.gpu or run.device or NOT_SHOWN,
            "; ".join(f"{k}={v}" for k, v in run.threads.items()),
        )
    return list(seen.values())


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


CSV_HEADER = (
    "date",
    "target",
    "toolkit",
    "backend",
    "workload",
    "status",
    "reason",
    "version",
    "device",
    "gpu",
    "import_s",
    "first_step_s",
    "step_median_s",
    "step_q1_s",
    "step_q3_s",
    "step_min_s",
    "step_max_s",
    "samples_per_s",
    "rss_after_import_mib",
    "peak_rss_mib",
    "loss_1",
    "loss_2",
    "reference_1",
    "reference_2",
    "rel_error",
    "first_pass_mean",
    "last_pass_mean",
    "leaf",
    "score",
    "threads",
    "cpu",
    "cores",
    "cpus_allowed",
    "system",
    "python",
    "gpus",
    "setting_device",
    "setting_steps",
    "setting_batch_size",
    "setting_threads",
    "setting_timeout_s",
    "setting_learning_rate",
    "setting_seed",
    "setting_tolerance_rel",
    "setting_keras_default_backend",
)


def rows(result: Measurement) -> Iterable[Sequence[object]]:
    """One row per run (and one per toolkit not run), each carrying the machine and settings."""
    m, s = result.machine, result.settings
    tail = (
        m.cpu,
        m.cores,
        m.cpus_allowed,
        m.system,
        m.python,
        " ".join(m.gpus),
        s.device,
        s.steps,
        s.batch_size,
        "" if s.threads is None else s.threads,
        s.timeout_s,
        s.learning_rate,
        s.seed,
        s.tolerance_rel,
        s.keras_default_backend,
    )
    scores = {r.target: r.score for r in result.ratings}
    yield CSV_HEADER
    for run in result.runs:
        t, c = run.timing, run.check
        timing = (
            (
                t.import_s,
                t.first_step_s,
                t.step_median_s,
                t.step_q1_s,
                t.step_q3_s,
                t.step_min_s,
                t.step_max_s,
                t.samples_per_s,
                t.rss_after_import_mib,
                t.peak_rss_mib,
            )
            if t is not None
            else (None,) * 10
        )
        losses = (*c.losses, None, None)[:2] if c else (None, None)
        reference = (*(c.reference or ()), None, None)[:2] if c else (None, None)
        check = (c.rel_error, c.first_mean, c.last_mean) if c else (None, None, None)
        rated = run.target in scores
        yield (
            result.date,
            run.target,
            run.toolkit,
            run.backend or "",
            run.workload,
            run.status,
            run.reason or "",
            run.version or "",
            run.device or "",
            run.gpu or "",
            *map(_number, timing),
            *map(_number, (*losses, *reference, *check)),
            result.leaf if rated else "",
            _number(scores.get(run.target)) if rated else "",
            "; ".join(f"{k}={v}" for k, v in run.threads.items()),
            *tail,
        )
    for skipped in result.skipped:
        blank = ("",) * (CSV_HEADER.index("threads") - CSV_HEADER.index("device"))
        yield (
            result.date,
            skipped.target,
            "",
            "",
            "",
            "not-run",
            skipped.reason,
            "",
            *blank,
            "",
            *tail,
        )

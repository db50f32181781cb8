"""Sentences about a measurement, shared by its renderers and the summaries of `-o DIR`."""

from __future__ import annotations

from .results import Measurement


def machine_line(result: Measurement) -> str:
    m = result.machine
    gpus = f", GPU {', '.join(m.gpus)}" if m.gpus else ""
    return (
        f"Measured {result.date} on {m.cpu}, {m.cores} logical CPUs ({m.cpus_allowed} allowed)"
        f"{gpus}; {m.system}; Python {m.python}."
    )


def threads_text(threads: int | None) -> str:
    return (
        f"{threads} (each run pinned to {threads} CPU(s); OMP_NUM_THREADS and the like, and the "
        f"toolkit's own settings, set to {threads})"
        if threads
        else "each toolkit's own defaults"
    )


def settings_line(result: Measurement) -> str:
    s = result.settings
    return (
        f"Device {s.device}; batch {s.batch_size}; {s.steps} steps timed after the first; "
        f"float32; SGD, learning rate {s.learning_rate:g}; {s.batches} synthetic batches in "
        f"turn, seed {s.seed}; threads: {threads_text(s.threads)}; time limit {s.timeout_s:g} s "
        "per run."
    )


def milliseconds(seconds: float) -> str:
    """A time in ms to about three significant digits, without exponents: 0.844, 4.87, 1,680."""
    ms = seconds * 1000
    return f"{ms:.3g}" if ms < 100 else f"{ms:,.0f}"

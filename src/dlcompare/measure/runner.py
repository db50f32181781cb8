"""Running the measurement: find the toolkits, run each on each workload in a worker process,
check the losses against the NumPy reference, and gather the `Measurement`."""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..clock import today
from ..errors import DlcompareError, UsageError, printable
from . import rating
from .results import (
    Check,
    Machine,
    Measurement,
    Run,
    RunStatus,
    Settings,
    Skipped,
    Timing,
    WorkloadInfo,
)
from .targets import ORDER, Found, Target, detect, installed, keras_default_backend

TOLERANCE_REL = 1e-4
"""Float32 carries about 7 significant digits (eps = 1.2e-7). A loss here sums hundreds of
products per activation (784 in the MLP, 800 in the last CNN layer), and toolkits sum in
different orders and with different kernels (blocked BLAS, oneDNN, XLA, Winograd or im2col
convolutions), so honest results differ by up to about n·eps ≈ 1e-4 relative in the worst
case (seen here: 1e-7 to 1e-6). A wrong initialisation, layout, flatten order or gradient
moves the loss by percents, a thousand times more."""

MIN_STEPS = 8
"""Steady steps at least: with the first step, two whole passes through the 4 batches, so
that the loss can be compared on the same batches at the start and the end."""

DEFAULT_STEPS = 20
DEFAULT_BATCH = 64
DEFAULT_TIMEOUT = 300.0

THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    device: Literal["cpu", "gpu"] = "cpu"
    steps: int = DEFAULT_STEPS
    batch_size: int = DEFAULT_BATCH
    threads: int | None = None
    only: tuple[str, ...] = ()
    timeout_s: float = DEFAULT_TIMEOUT


def machine(gpus: Sequence[str] = ()) -> Machine:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    allowed = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return Machine(
        cpu=cpu or "unknown",
        cores=os.cpu_count() or 0,
        cpus_allowed=allowed or 0,
        system=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        gpus=tuple(dict.fromkeys(gpus)),
    )


def select(found: Sequence[Found], only: Sequence[str]) -> list[Found]:
    """The targets to run: all, or those named in `only` (a target id such as `keras-jax`, or
    an adapter such as `keras` for every backend). The NumPy reference always runs."""
    if not only:
        return list(found)
    known = {f.target.id for f in found} | set(ORDER)
    unknown = [name for name in only if name not in known]
    if unknown:
        raise UsageError(
            f"--only: unknown toolkit {', '.join(map(repr, unknown))}; choose from "
            + ", ".join(sorted(known))
        )
    return [
        f
        for f in found
        if f.target.adapter == "numpy" or f.target.id in only or f.target.adapter in only
    ]


def worker_env(target: Target, options: Options) -> dict[str, str]:
    """The environment of a worker: thread settings, the device, Keras's backend."""
    env = dict(os.environ)
    if options.threads:
        env |= dict.fromkeys(THREAD_VARIABLES, str(options.threads))
    if options.device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""  # every toolkit alike on the CPU
        env["JAX_PLATFORMS"] = "cpu"
    if target.backend:
        env["KERAS_BACKEND"] = target.backend
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONHASHSEED", "0")
    return env


@dataclass(frozen=True)
class Outcome:
    """What came back from one worker."""

    status: Literal["ran", "failed", "timeout", "oom", "no-gpu"]
    reason: str | None = None
    figures: dict[str, Any] | None = None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def run_worker(
    request: dict[str, Any],
    env: dict[str, str],
    timeout_s: float,
    python: str = sys.executable,
) -> Outcome:
    """Run one worker to its end or the time limit; the worker's whole process group is
    killed at the limit (and on Ctrl-C, which is then raised again)."""
    process = subprocess.Popen(
        [python, "-m", "dlcompare.measure.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(json.dumps(request), timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        return Outcome("timeout", f"still running after {timeout_s:g} s; stopped")
    except BaseException:
        _kill(process)
        process.communicate()
        raise
    lines = [line for line in out.splitlines() if line.strip()]
    if lines:
        try:
            answer = json.loads(lines[-1])
        except ValueError:
            answer = None
        if isinstance(answer, dict):
            status = answer.get("status")
            if status == "ran":
                return Outcome("ran", None, answer)
            if status in ("failed", "oom", "no-gpu"):
                return Outcome(status, str(answer.get("reason")), answer)
    if process.returncode == -signal.SIGKILL:
        return Outcome("oom", "killed (SIGKILL), most likely by the out-of-memory killer")
    if process.returncode < 0:
        return Outcome("failed", f"killed by signal {-process.returncode}")
    return Outcome("failed", f"exit status {process.returncode}: {_last_line(err) or 'no output'}")


def _kill(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def timing(figures: dict[str, Any], batch_size: int) -> Timing:
    steady = figures["step_s"][1:]
    q1, _, q3 = statistics.quantiles(steady, n=4, method="inclusive")
    median = statistics.median(steady)
    return Timing(
        import_s=figures["import_s"],
        first_step_s=figures["step_s"][0],
        step_median_s=median,
        step_q1_s=q1,
        step_q3_s=q3,
        step_min_s=min(steady),
        step_max_s=max(steady),
        samples_per_s=batch_size / median,
        rss_after_import_mib=figures["rss_after_import_mib"],
        peak_rss_mib=figures["peak_rss_mib"],
    )


def check(losses: Sequence[float], reference: Sequence[float] | None, batches: int) -> Check:
    """Agreement: each of the first two losses (the first checks the forward pass, the second
    the gradient and the update) within TOLERANCE_REL of the reference's. Fall: the mean loss
    of the last whole pass through the batches below that of the first pass (same batches)."""
    first = list(losses[:2])
    passes = len(losses) // batches
    first_mean = statistics.fmean(losses[:batches])
    last_mean = statistics.fmean(losses[(passes - 1) * batches : passes * batches])
    finite = all(math.isfinite(x) for x in losses)
    rel_error = None
    agrees = finite
    if reference is not None:
        rel_error = max(abs(a - b) / abs(b) for a, b in zip(first, reference, strict=True))
        agrees = finite and rel_error <= TOLERANCE_REL
    return Check(
        losses=tuple(first),
        reference=tuple(reference) if reference is not None else None,
        rel_error=rel_error,
        first_mean=first_mean,
        last_mean=last_mean,
        agrees=agrees,
        falls=finite and passes >= 2 and last_mean < first_mean,
    )


def _text(value: object) -> str | None:
    """Text a worker sent (a version, an error message): one line, no control codes, since it
    may come from a toolkit's own output."""
    if value is None:
        return None
    return printable(" ".join(str(value).split()), newlines=False)[:500]


def verdict(
    target: Target,
    workload: str,
    outcome: Outcome,
    *,
    reference: Sequence[float] | None,
    batch_size: int,
    batches: int,
) -> Run:
    """A run from a worker's outcome: checked, and timed only when valid."""
    figures = outcome.figures or {}
    base = {
        "target": target.id,
        "toolkit": "keras" if target.adapter == "keras" else target.adapter,
        "backend": target.backend,
        "workload": workload,
        "version": _text(figures.get("version")),
    }
    if outcome.status != "ran":
        status: RunStatus = outcome.status
        return Run(**base, status=status, reason=_text(outcome.reason))
    is_reference = target.adapter == "numpy"
    result = check(figures["losses"], None if is_reference else reference, batches)
    problems = []
    if not is_reference and reference is None:
        problems.append("no NumPy reference to check against (the reference did not run)")
    elif not result.agrees:
        if result.rel_error is None or not math.isfinite(result.rel_error):
            problems.append("loss is not a finite number")
        else:
            problems.append(
                f"first losses {', '.join(f'{x:.6g}' for x in result.losses)} differ from the "
                f"reference's {', '.join(f'{x:.6g}' for x in result.reference or ())} by "
                f"{result.rel_error:.2g} (relative; allowed {TOLERANCE_REL:g})"
            )
    if not result.falls:
        problems.append(
            f"loss does not fall (mean {result.first_mean:.4g} on the first pass through the "
            f"batches, {result.last_mean:.4g} on the last)"
        )
    return Run(
        **base,
        status="invalid" if problems else "valid",
        reason="; ".join(problems) or None,
        device=_text(figures.get("device")),
        gpu=_text(figures.get("gpu")),
        threads={str(k): _text(v) or "" for k, v in (figures.get("threads") or {}).items()},
        check=result,
        timing=None if problems else timing(figures, batch_size),
    )


def measure(
    options: Options,
    progress: Progress | None = None,
    *,
    python: str = sys.executable,
    found: Sequence[Found] | None = None,
    data_for: Callable[[str, str], Path] | None = None,
) -> Measurement:
    """Run every selected target on every workload and check it against the reference.

    `found` replaces the detection of installed toolkits and `data_for(target, workload)`
    replaces the data file a target gets: tests use them to run an adapter on a wrong
    initialisation and see it marked invalid."""
    if not installed("numpy"):
        raise DlcompareError(
            "measure needs NumPy, for the reference and the shared data: "
            "pip install 'dlcompare[measure]' (every supported toolkit installs it too)"
        )
    if options.steps < MIN_STEPS:
        raise UsageError(f"--steps must be at least {MIN_STEPS}")
    from . import workloads as wl

    chosen = select(found if found is not None else detect(), options.only)
    keras_backend = keras_default_backend()
    runnable = [f.target for f in chosen if f.missing is None]
    skipped = tuple(Skipped(target=f.target.id, reason=f.missing) for f in chosen if f.missing)
    total = len(runnable) * len(wl.WORKLOADS)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="dlcompare-measure-") as folder:
        shared = {}
        for spec in wl.WORKLOADS.values():
            shared[spec.id] = Path(folder) / f"{spec.id}.npz"
            wl.save(wl.make_data(spec, options.batch_size, wl.SEED), shared[spec.id])
        done = 0
        for workload in wl.WORKLOADS:
            reference: list[float] | None = None
            for target in runnable:
                done += 1
                if progress:
                    progress(f"[{done}/{total}] {target.id} on {workload}")
                request = {
                    "adapter": target.adapter,
                    "workload": workload,
                    "data": str(data_for(target.id, workload) if data_for else shared[workload]),
                    "steps": options.steps + 1,
                    "learning_rate": wl.LEARNING_RATE,
                    "device": options.device,
                    "threads": options.threads,
                }
                outcome = run_worker(
                    request, worker_env(target, options), options.timeout_s, python
                )
                run = verdict(
                    target,
                    workload,
                    outcome,
                    reference=reference,
                    batch_size=options.batch_size,
                    batches=wl.POOL,
                )
                if target.adapter == "numpy" and run.status == "valid" and outcome.figures:
                    reference = list(outcome.figures["losses"][:2])
                runs.append(run)
    leaf = "performance.single-gpu" if options.device == "gpu" else "performance.cpu"
    workload_ids = list(wl.WORKLOADS)
    return Measurement(
        date=today(),
        machine=machine([r.gpu for r in runs if r.gpu]),
        settings=Settings(
            device=options.device,
            steps=options.steps,
            batch_size=options.batch_size,
            threads=options.threads,
            thread_env=dict.fromkeys(THREAD_VARIABLES, str(options.threads))
            if options.threads
            else {},
            timeout_s=options.timeout_s,
            only=tuple(options.only),
            seed=wl.SEED,
            learning_rate=wl.LEARNING_RATE,
            batches=wl.POOL,
            tolerance_rel=TOLERANCE_REL,
            keras_default_backend=keras_backend,
        ),
        workloads=tuple(
            WorkloadInfo(
                id=w.id,
                name=w.name,
                input_shape=w.input_shape,
                layers=w.layers,
                parameters=wl.parameter_count(w),
            )
            for w in wl.WORKLOADS.values()
        ),
        runs=tuple(runs),
        skipped=skipped,
        leaf=leaf,
        rule=rating.RULE,
        ratings=rating.derive(runs, workload_ids, keras_backend),
    )

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
from .answer import Invalid as InvalidAnswer
from .answer import Ran, Stopped
from .answer import read as read_answer
from .install import measure_extra
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
    scale: tuple[float, float] = (0.0, 5.0)
    """The rating scale (min, max) of the data in use: ratings are made on it."""


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
    an adapter such as `keras` for every backend). The NumPy reference always runs. A name
    that is not known is a usage error; one of which nothing can run here (not installed,
    say) is an error too, raised before anything is measured, with the reasons."""
    if not only:
        return list(found)
    known = {f.target.id for f in found} | set(ORDER)
    unknown = [name for name in only if name not in known]
    if unknown:
        raise UsageError(
            f"--only: unknown toolkit {', '.join(map(repr, unknown))}; choose from "
            + ", ".join(sorted(known))
        )
    chosen = [
        f
        for f in found
        if f.target.adapter == "numpy" or f.target.id in only or f.target.adapter in only
    ]
    cannot = []
    for name in dict.fromkeys(only):
        named = [f for f in chosen if name in (f.target.id, f.target.adapter)]
        if not any(f.missing is None for f in named):
            cannot += [f"{f.target.id}: {f.missing}" for f in named if f.missing]
    if cannot:
        raise DlcompareError(
            "--only names what cannot run here; nothing measured:\n  " + "\n  ".join(cannot)
        )
    return chosen


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
    if target.adapter == "tinygrad" and options.device == "cpu":
        env["DEV"] = "CPU"  # tinygrad's choice of device
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONHASHSEED", "0")
    return env


@dataclass(frozen=True)
class Outcome:
    """What came back from one worker: its checked answer, or why there is none."""

    status: Literal["ran", "failed", "timeout", "oom", "no-gpu"]
    reason: str | None = None
    answer: Ran | Stopped | None = None


PYTHON = sys.executable
"""The interpreter that runs the workers: this one, which sees the same installed toolkits."""

TAIL_BYTES = 64 * 1024
"""How much of the end of a worker's output is read: its answer is the last line, and the
last words of an error are at the end too; a toolkit may print megabytes before them."""


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _tail(path: Path) -> str:
    """The end of a file a worker wrote, as text: bytes that are not UTF-8 (a toolkit's own
    messages may be in any encoding) become U+FFFD instead of ending the run."""
    with path.open("rb") as file:
        file.seek(0, os.SEEK_END)
        file.seek(max(0, file.tell() - TAIL_BYTES))
        return file.read().decode("utf-8", errors="replace")


def run_worker(
    request: dict[str, Any],
    env: dict[str, str],
    timeout_s: float,
    python: str | None = None,
) -> Outcome:
    """Run one worker to its end or the time limit.

    The worker starts a session (and process group) of its own. Its input and output are
    files, not pipes, so a process it leaves behind cannot hold the parent up: the parent
    waits for the worker alone, up to the limit. When the worker has ended, at the limit, or
    when the parent is leaving for any reason (Ctrl-C, SIGTERM made an exception by
    `command.ending_signals`, an error), its whole process group is killed."""
    steps = int(request.get("steps") or 0)
    with tempfile.TemporaryDirectory(prefix="dlcompare-worker-") as scratch:
        folder = Path(scratch)
        (folder / "request.json").write_text(json.dumps(request), encoding="utf-8")
        with (
            (folder / "request.json").open("rb") as stdin,
            (folder / "out").open("wb") as stdout,
            (folder / "err").open("wb") as stderr,
        ):
            process = subprocess.Popen(
                [python or PYTHON, "-m", "dlcompare.measure.worker"],
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                env=env | {PARENT_VARIABLE: str(os.getpid())},
                start_new_session=True,
            )
        try:
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                return Outcome("timeout", f"still running after {timeout_s:g} s; stopped")
        finally:
            _end(process)
        return _outcome(process.returncode, _tail(folder / "out"), _tail(folder / "err"), steps)


PARENT_VARIABLE = "DLCOMPARE_MEASURE_PARENT"
"""The parent's process id, given to each worker: a worker whose parent is gone stops."""


def _outcome(returncode: int, out: str, err: str, steps: int) -> Outcome:
    lines = [text for text in out.splitlines() if text.strip()]
    problem = None
    if lines:
        try:
            answer = read_answer(lines[-1], steps)
        except InvalidAnswer as error:
            problem = str(error)
        else:
            if isinstance(answer, Ran):
                return Outcome("ran", None, answer)
            return Outcome(answer.status, answer.reason, answer)
    if returncode == -signal.SIGKILL:
        return Outcome("oom", "killed (SIGKILL), most likely by the out-of-memory killer")
    if returncode < 0:
        return Outcome("failed", f"killed by signal {-returncode}")
    if returncode != 0:
        return Outcome("failed", f"exit status {returncode}: {_last_line(err) or 'no output'}")
    return Outcome("failed", problem or "the worker answered nothing")


def _end(process: subprocess.Popen[bytes]) -> None:
    """Kill the worker's process group (the worker and whatever it started that stayed in its
    group) and reap the worker."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        process.wait()


def timing(answer: Ran, batch_size: int) -> Timing:
    steady = answer.step_s[1:]
    q1, _, q3 = statistics.quantiles(steady, n=4, method="inclusive")
    median = statistics.median(steady)
    return Timing(
        import_s=answer.import_s,
        first_step_s=answer.step_s[0],
        step_median_s=median,
        step_q1_s=q1,
        step_q3_s=q3,
        step_min_s=min(steady),
        step_max_s=max(steady),
        samples_per_s=batch_size / median,
        rss_after_import_mib=answer.rss_after_import_mib,
        peak_rss_mib=answer.peak_rss_mib,
    )


def _relative(value: float, reference: float) -> float:
    """|value - reference| / |reference|; infinite when the reference is 0 and value is not."""
    if reference == 0:
        return 0.0 if value == 0 else math.inf
    return abs(value - reference) / abs(reference)


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
        rel_error = max(_relative(a, b) for a, b in zip(first, reference, strict=True))
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
    answer = outcome.answer
    base = {
        "target": target.id,
        "toolkit": target.toolkit,
        "backend": target.backend,
        "workload": workload,
        "version": _text(answer.version if answer else None),
    }
    if outcome.status != "ran" or not isinstance(answer, Ran):
        status: RunStatus = "failed" if outcome.status == "ran" else outcome.status
        return Run(**base, status=status, reason=_text(outcome.reason))
    is_reference = target.adapter == "numpy"
    result = check(answer.losses, None if is_reference else reference, batches)
    problems = []
    if not is_reference and reference is None:
        problems.append("no NumPy reference to check against (the reference did not run)")
    elif not result.agrees:
        if not all(math.isfinite(x) for x in answer.losses):
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
        device=_text(answer.device),
        gpu=_text(answer.gpu),
        threads={_text(k) or "": _text(v) or "" for k, v in answer.threads.items()},
        check=result,
        timing=None if problems else timing(answer, batch_size),
    )


def measure(
    options: Options,
    progress: Progress | None = None,
    *,
    python: str | None = None,
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
            f"{measure_extra()} (every supported toolkit installs it too)"
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
                if target.adapter == "numpy" and run.status == "valid" and run.check:
                    reference = list(run.check.losses)
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
            scale_min=options.scale[0],
            scale_max=options.scale[1],
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
        rule=rating.rule(options.scale),
        ratings=rating.derive(runs, workload_ids, keras_backend, options.scale),
    )

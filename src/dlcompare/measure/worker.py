"""One toolkit on one workload, in a process of its own: `python -m dlcompare.measure.worker`.

Reads a JSON request on stdin: {"adapter", "workload", "data" (the .npz file), "steps" (all
steps, the first included), "learning_rate", "device", "threads"}. Writes one JSON object
on stdout: the import time, every step's time and loss, the device, the thread settings, the
version and the peak memory; or {"status": "no-gpu"|"oom"|"failed", "reason"}. Anything the
toolkit itself prints goes to stderr, so stdout carries only that object.

The toolkit is imported first, before NumPy or anything else, so that its import time is the
time a fresh program pays for it.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import time
import traceback
from typing import Any

from .targets import MODULES


def _peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _limit_cpus(threads: int | None) -> None:
    """Pin the process to `threads` of the CPUs it may use, so that every toolkit gets the
    same cores whatever its own thread settings do."""
    if threads and hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, allowed[:threads])


def run(request: dict[str, Any]) -> dict[str, Any]:
    adapter = request["adapter"]
    _limit_cpus(request.get("threads"))
    started = time.perf_counter()
    module = importlib.import_module(MODULES[adapter])
    import_s = time.perf_counter() - started
    rss_after_import = _peak_rss_mib()
    # only now NumPy and the adapters (which import it), so the toolkit's import is timed alone
    from .adapters import ADAPTERS, Job, Unavailable, version_of
    from .workloads import load

    prepare = ADAPTERS[adapter]

    data = load(request["data"])
    try:
        prepared = prepare(
            module,
            Job(
                request["workload"],
                data,
                request["learning_rate"],
                request["device"],
                request.get("threads"),
            ),
        )
    except Unavailable as error:
        return {"status": "no-gpu", "reason": str(error), "version": version_of(adapter, module)}
    losses: list[float] = []
    times: list[float] = []
    for i in range(request["steps"]):
        started = time.perf_counter()
        loss = prepared.step(i)
        times.append(time.perf_counter() - started)
        losses.append(loss)
    return {
        "status": "ran",
        "version": version_of(adapter, module),
        "device": prepared.device,
        "gpu": prepared.gpu,
        "threads": {key: str(value) for key, value in prepared.threads.items()},
        "import_s": import_s,
        "step_s": times,
        "losses": losses,
        "rss_after_import_mib": rss_after_import,
        "peak_rss_mib": _peak_rss_mib(),
    }


def _die_with_parent() -> None:
    """Linux: be killed when the parent process ends, however it ends (even SIGKILL, which
    it cannot catch to stop its workers). The parent's id comes in DLCOMPARE_MEASURE_PARENT:
    a parent already gone before this line is caught by comparing it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    parent = os.environ.get("DLCOMPARE_MEASURE_PARENT", "")
    if parent.isdigit() and os.getppid() != int(parent):
        os._exit(1)


def main() -> None:
    _die_with_parent()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the toolkit prints goes to stderr
    sys.stdout = sys.stderr
    try:
        result = run(json.loads(sys.stdin.read()))
    except MemoryError:
        result = {"status": "oom", "reason": "out of memory (MemoryError)"}
    except Exception as error:
        traceback.print_exc()
        text = f"{type(error).__name__}: {error}".strip()
        if "out of memory" in text.lower() or "resource_exhausted" in text.lower():
            result = {"status": "oom", "reason": text[:500]}
        else:
            result = {"status": "failed", "reason": text[:500]}
    out.write(json.dumps(result) + "\n")
    out.flush()


if __name__ == "__main__":
    main()

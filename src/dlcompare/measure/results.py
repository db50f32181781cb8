"""The result of `dlcompare measure`: the machine, the settings, every run with its check and
figures, and the ratings derived from them. Times in seconds, memory in MiB, unrounded."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from ..results.base import Result
from ..schema_version import SCHEMA_VERSION

RunStatus = Literal["valid", "invalid", "failed", "timeout", "oom", "no-gpu"]
"""valid: ran and passed both checks (only then are its figures shown); invalid: ran but its
losses disagree with the reference or do not fall; failed: an error; timeout: killed at the
time limit; oom: out of memory; no-gpu: --device gpu, but the toolkit sees none."""


class Machine(Result):
    cpu: str
    cores: int
    """Logical CPUs of the machine (os.cpu_count())."""
    cpus_allowed: int
    """Logical CPUs this process may run on (its affinity), before --threads."""
    system: str
    python: str
    gpus: tuple[str, ...] = ()
    """The GPUs the runs used (with --device gpu)."""


class Settings(Result):
    device: Literal["cpu", "gpu"]
    steps: int
    """Steady-state steps timed per run, after the first step."""
    batch_size: int
    threads: int | None
    """--threads: every run pinned to this many CPUs, with the thread settings below; None:
    each toolkit's own defaults."""
    thread_env: dict[str, str]
    """Environment variables set in every worker for --threads."""
    timeout_s: float
    """Time limit of each run (one toolkit on one workload), import included."""
    only: tuple[str, ...]
    seed: int
    learning_rate: float
    batches: int
    """Distinct synthetic batches, used in turn."""
    tolerance_rel: float
    """Largest relative difference allowed between a toolkit's loss and the reference's on
    each of the first two steps."""
    keras_default_backend: str
    """The backend `import keras` picks here; Keras is rated from its run on it."""
    scale_min: float = 0
    scale_max: float = 5
    """The rating scale of the data in use (its criteria file): ratings are made on it."""


class WorkloadInfo(Result):
    id: str
    name: str
    input_shape: tuple[int, ...]
    layers: tuple[str, ...]
    parameters: int


class Check(Result):
    """The same computation, checked: losses against the NumPy reference's, and the fall."""

    losses: tuple[float, ...]
    """The loss of the first two steps (before each update)."""
    reference: tuple[float, ...] | None
    """The reference's losses on the same steps; None for the reference itself, or when the
    reference did not run."""
    rel_error: float | None
    """Largest |loss - reference| / |reference| over those steps."""
    first_mean: float
    """Mean loss over the first pass through the batches."""
    last_mean: float
    """Mean loss over the last whole pass through the same batches."""
    agrees: bool
    falls: bool


class Timing(Result):
    import_s: float
    first_step_s: float
    """The first step alone: tracing, compilation and warm-up."""
    step_median_s: float
    step_q1_s: float
    step_q3_s: float
    step_min_s: float
    step_max_s: float
    samples_per_s: float
    """batch_size / step_median_s."""
    rss_after_import_mib: float
    peak_rss_mib: float
    """Peak resident memory of the run's process (ru_maxrss), import included."""


class Run(Result):
    target: str
    """numpy, pytorch, jax, tensorflow or keras-BACKEND."""
    toolkit: str
    """The toolkit's id in the data (keras for every Keras backend)."""
    backend: str | None
    workload: str
    status: RunStatus
    reason: str | None = None
    version: str | None = None
    device: str | None = None
    gpu: str | None = None
    threads: dict[str, str] = Field(default_factory=dict)
    check: Check | None = None
    timing: Timing | None = None
    """Only for a valid run: an unchecked time is not a result."""


class Skipped(Result):
    target: str
    reason: str


class DerivedRating(Result):
    toolkit: str
    target: str
    """The run the rating comes from (keras-tensorflow for Keras on its default backend)."""
    score: float | None
    reason: str
    """How the score follows from the figures, or why there is none."""
    ratios: dict[str, float] = Field(default_factory=dict)
    """Per workload: the fastest valid median divided by this toolkit's median."""


class Measurement(Result):
    schema_version: int = SCHEMA_VERSION
    kind: Literal["measurement"] = "measurement"
    date: dt.date
    machine: Machine
    settings: Settings
    workloads: tuple[WorkloadInfo, ...]
    runs: tuple[Run, ...]
    skipped: tuple[Skipped, ...]
    leaf: str
    """The criterion the ratings are on: performance.cpu, or performance.single-gpu on a GPU."""
    rule: str
    ratings: tuple[DerivedRating, ...]

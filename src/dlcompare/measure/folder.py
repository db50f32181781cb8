"""`measure -o DIR`: the measurement as a data folder for `--data DIR`.

The folder holds `editions.yaml` (one edition dated the day of the measurement, whose evaluator
says these are measurements on this machine), `criteria.yaml` (the `performance` criterion with
its parts and a `cpu` part added, which an overlay may do), `toolkits/ID.yaml` (one rating per
toolkit on `performance.cpu`, or `performance.single-gpu` for a GPU run, each summary giving
the figures, the machine and the rule) and `measurement.json` (the whole result, which loading
ignores). It is written to a temporary folder beside DIR, checked by loading it as `--data`
would, and only then renamed into place.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..dataset import Dataset
from ..errors import DlcompareError
from ..scaffold import free_day
from .results import DerivedRating, Measurement, Run
from .text import machine_line, milliseconds, settings_line

CPU_PART = {
    "id": "cpu",
    "name": "CPU",
    "description": (
        "Training speed on the CPU, measured by `dlcompare measure`: the median time of a full "
        "float32 training step of a small MLP and a small CNN, against the fastest toolkit "
        "measured on the same machine the same day."
    ),
}
NAMES = {
    "pytorch": "PyTorch",
    "jax": "JAX",
    "tensorflow": "TensorFlow",
    "keras": "Keras",
    "mlx": "MLX",
    "paddlepaddle": "PaddlePaddle",
    "mindspore": "MindSpore",
    "tinygrad": "tinygrad",
}
"""Display names for a toolkit the data in use has no file for (its id otherwise)."""
RESULT_FILE = "measurement.json"
WRITTEN = {"criteria.yaml", "editions.yaml", RESULT_FILE, "toolkits"}


def evaluator(result: Measurement) -> str:
    m = result.machine
    where = f"{m.cpu}, {m.cores} logical CPUs" + (f", {', '.join(m.gpus)}" if m.gpus else "")
    return f"dlcompare measure: measurements on this machine ({where})"


def _criteria(result: Measurement, dataset: Dataset | None) -> dict[str, Any]:
    """The `performance` criterion as the data in use defines it, with the `cpu` part added,
    on the scale the ratings were made on (the data's own)."""
    known = dataset and next((c for c in dataset.criteria if c.id == "performance"), None)
    if known and known.parts:
        criterion = known.model_dump(mode="json")
    else:
        criterion = {
            "id": "performance",
            "name": "Performance",
            "description": "Training speed, on one GPU and on the CPU.",
            "parts": [
                {
                    "id": "single-gpu",
                    "name": "Single-GPU",
                    "description": "Training speed on one GPU.",
                }
            ],
        }
    if all(part["id"] != "cpu" for part in criterion["parts"]):
        criterion["parts"].append(CPU_PART)
    scale = {"min": result.settings.scale_min, "max": result.settings.scale_max}
    return {"scale": scale, "criteria": [criterion]}


def _figures(runs: list[Run]) -> str:
    parts = []
    for run in runs:
        if run.timing is None:
            parts.append(f"{run.workload.upper()} {run.status}")
            continue
        t = run.timing
        parts.append(
            f"{run.workload.upper()} median step {milliseconds(t.step_median_s)} ms "
            f"(interquartile {milliseconds(t.step_q1_s)}-{milliseconds(t.step_q3_s)} ms, "
            f"{t.samples_per_s:,.0f} samples/s, first step {milliseconds(t.first_step_s)} ms, "
            f"peak memory {t.peak_rss_mib:,.0f} MiB)"
        )
    return "; ".join(parts)


def summary(result: Measurement, rating: DerivedRating) -> str:
    """A rating's summary: the figures, the machine, the settings and the rule."""
    runs = [r for r in result.runs if r.target == rating.target]
    version = next((r.version for r in runs if r.version), "unknown version")
    lines = [
        f"{NAMES.get(rating.toolkit, rating.toolkit)} {version}"
        + (
            f" on the {runs[0].backend} backend (Keras's default here)"
            if runs and runs[0].backend
            else ""
        )
        + f": {_figures(runs)}.",
    ]
    fastest = []
    rated = {x.target for x in result.ratings if x.score is not None}
    for workload in result.workloads:
        timed = [
            r for r in result.runs if r.workload == workload.id and r.timing and r.target in rated
        ]
        if timed:
            best = min(timed, key=lambda r: r.timing.step_median_s if r.timing else 0.0)
            assert best.timing is not None
            fastest.append(
                f"{workload.name} {milliseconds(best.timing.step_median_s)} ms ({best.target})"
            )
    if fastest:
        lines.append(f"Fastest rated: {', '.join(fastest)}.")
    if rating.toolkit == "keras":
        others = sorted({r.target for r in result.runs if r.toolkit == "keras"} - {rating.target})
        for target in others:
            lines.append(
                f"Not rated, for comparison: {target}: {_figures([r for r in result.runs if r.target == target])}."
            )
    lines.append(f"Score: {rating.reason}. Rule: {result.rule}")
    lines.append(machine_line(result) + " " + settings_line(result))
    return " ".join(lines)


def files(result: Measurement, dataset: Dataset | None) -> dict[str, str]:
    """Every file of the folder: relative path -> text."""
    # one edition per date: on a day the data in use already has an edition (a bundled one,
    # say), the measurement's edition takes the latest free day before it; measurement.json
    # keeps the day it was measured
    day = free_day(dataset, result.date)
    edition = {
        "date": day,
        "evaluator": evaluator(result),
        "summary": (
            f"Training speed measured by `dlcompare measure` ({result.leaf}): a small MLP and a "
            "small CNN on every installed toolkit, each checked against a NumPy reference. "
            f"Rule: {result.rule}"
        ),
        "notes": [machine_line(result), settings_line(result)],
    }
    out = {
        "editions.yaml": _yaml({"editions": [edition]}),
        "criteria.yaml": _yaml(_criteria(result, dataset)),
        RESULT_FILE: result.model_dump_json(indent=2) + "\n",
    }
    known = dataset.toolkit_by_id if dataset else {}
    for rating in result.ratings:
        toolkit = known.get(rating.toolkit)
        document = {
            "id": rating.toolkit,
            "name": toolkit.name if toolkit else NAMES.get(rating.toolkit, rating.toolkit),
            "ratings": {
                result.leaf: {
                    day: {"score": rating.score, "summary": summary(result, rating), "sources": []}
                }
            },
        }
        out[f"toolkits/{rating.toolkit}.yaml"] = _yaml(document)
    return out


def _yaml(document: dict[str, Any]) -> str:
    header = "# Written by `dlcompare measure -o`. The figures behind it are in measurement.json.\n"
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _ours(folder: Path) -> bool:
    """Does `folder` hold only what `measure -o` writes (so --force may replace it)?"""
    try:
        entries = {entry.name for entry in folder.iterdir()}
        toolkits = folder / "toolkits"
        inside = list(toolkits.iterdir()) if toolkits.is_dir() else []
        marked = json.loads((folder / RESULT_FILE).read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return False
    return (
        marked == "measurement"
        and entries <= WRITTEN
        and all(p.suffix == ".yaml" and p.is_file() for p in inside)
    )


def check_target(target: Path, *, force: bool) -> None:
    """Refuse a `target` that may not be written: its parent folder is missing, not a folder
    or not writable; it exists and `force` is not given; or it is not a folder that
    `measure -o` wrote (nothing else in it). Called before measuring, so that no figures are
    lost to a target that was never going to be written, and again before writing."""
    parent = target.parent if str(target.parent) else Path()
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise DlcompareError(f"{target}: cannot write here: the folder {parent} {what}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise DlcompareError(f"{target}: cannot write here: the folder {parent} is not writable")
    if target.exists() or target.is_symlink():
        if not force:
            raise DlcompareError(f"{target}: already exists; use --force to replace it")
        if target.is_symlink() or not target.is_dir() or not _ours(target):
            raise DlcompareError(
                f"{target}: not a folder written by `dlcompare measure -o`; refusing to replace it"
            )


def write(
    target: Path, texts: dict[str, str], *, force: bool, check: Callable[[Path], None]
) -> None:
    """Write the folder completely or not at all: into a temporary folder beside `target`,
    `check`ed, then renamed into place. An existing `target` is replaced only with `force`,
    and only when it is a folder that `measure -o` wrote (see `check_target`)."""
    check_target(target, force=force)
    parent = target.parent if str(target.parent) else Path()
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as error:
        raise DlcompareError(f"{target}: cannot write here ({error.strerror})") from None
    old: Path | None = None
    try:
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o777 & ~umask)
        for name, text in texts.items():
            path = temporary / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        check(temporary)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
            target.replace(old / "previous")
        temporary.replace(target)
    except OSError as error:
        if old is not None and not target.exists():
            (old / "previous").replace(target)  # put the old folder back
        shutil.rmtree(temporary, ignore_errors=True)
        raise DlcompareError(f"{target}: cannot write ({error.strerror})") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

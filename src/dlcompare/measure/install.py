"""How to install what `measure` needs: each toolkit's CPU build, and NumPy for the reference.

The commands are those of each toolkit's own install page (read 2026-12): the package index's
CPU build where the plain `pip install NAME` is one (JAX, TensorFlow's `tensorflow-cpu`,
PaddlePaddle, MindSpore, tinygrad), PyTorch's own index of CPU wheels (on Linux the package
index's `torch` is a CUDA build of several GB), MLX's `cpu` extra (its Linux CPU build).
"""

from __future__ import annotations

import importlib.metadata
import json
import shlex
import sys
from pathlib import Path

CPU_BUILD = {
    "numpy": "pip install numpy",
    "pytorch": "pip install torch --index-url https://download.pytorch.org/whl/cpu",
    "jax": "pip install -U jax",
    "tensorflow": "pip install tensorflow-cpu",
    "keras": "pip install keras",
    "mlx": "pip install 'mlx[cpu]'",
    "paddlepaddle": "pip install paddlepaddle",
    "mindspore": "pip install mindspore",
    "tinygrad": "pip install tinygrad",
}
"""Adapter id (or Keras backend's toolkit) -> the command that installs its CPU build."""


def cpu_build(toolkit: str) -> str:
    return CPU_BUILD[toolkit]


def _checkout_of(root: Path) -> Path | None:
    """`root` when it is the source checkout this copy of dlcompare runs from (it holds
    `src/dlcompare` and a pyproject.toml that names the project), else None."""
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return None
    return root if 'name = "dlcompare"' in text else None


def _installed_from() -> Path | None:
    """The local folder an installed dlcompare was built from (pip's direct_url.json), if any."""
    try:
        raw = importlib.metadata.distribution("dlcompare").read_text("direct_url.json")
        url = json.loads(raw or "{}").get("url", "")
    except (importlib.metadata.PackageNotFoundError, ValueError, AttributeError):
        return None
    if isinstance(url, str) and url.startswith("file://") and "dir_info" in (raw or ""):
        folder = Path(url.removeprefix("file://"))
        return folder if (folder / "pyproject.toml").is_file() else None
    return None


def measure_extra(package_root: Path | None = None) -> str:
    """The command that brings what `measure` itself needs (NumPy), true for how this copy of
    dlcompare came to be here: run from a checkout, installed from a folder, or installed from
    a built package (dlcompare is not on the package index: its `measure` extra holds NumPy
    only, so `pip install numpy` is the same thing)."""
    here = package_root or Path(__file__).resolve().parents[3]  # src/dlcompare/measure/.
    root = _checkout_of(here) or _installed_from()
    if root is not None:
        return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(f'{root}[measure]')}"
    return f"{shlex.quote(sys.executable)} -m pip install numpy"

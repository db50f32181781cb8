"""What can be measured: the adapters, the module each imports, and which are installed.

Detection never imports a toolkit: `importlib.util.find_spec` and the installed package's
metadata only, so that the parent process stays free of every toolkit.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .install import cpu_build

MODULES = {
    "numpy": "numpy",
    "pytorch": "torch",
    "jax": "jax",
    "tensorflow": "tensorflow",
    "keras": "keras",
    "mlx": "mlx.core",
    "paddlepaddle": "paddle",
    "mindspore": "mindspore",
    "tinygrad": "tinygrad",
}
"""Adapter id -> the module its worker imports (and times)."""

KERAS_BACKENDS = ("tensorflow", "jax", "torch")
"""The Keras 3 backends dlcompare runs, in this order. The backend `torch` is the
`pytorch` toolkit."""

BACKEND_TOOLKIT = {"tensorflow": "tensorflow", "jax": "jax", "torch": "pytorch"}

ORDER = (
    "numpy",
    "pytorch",
    "jax",
    "tensorflow",
    "keras",
    "mlx",
    "paddlepaddle",
    "mindspore",
    "tinygrad",
)


@dataclass(frozen=True)
class Target:
    """One thing to measure: an adapter, and for Keras the backend it runs on."""

    adapter: str
    backend: str | None = None

    @property
    def id(self) -> str:
        """`numpy`, `pytorch`, `jax`, `tensorflow`, or `keras-<backend>`."""
        return f"{self.adapter}-{self.backend}" if self.backend else self.adapter

    @property
    def toolkit(self) -> str:
        """The toolkit's id in the data: the adapter's (`keras` for every Keras backend)."""
        return self.adapter


def installed(module: str) -> bool:
    """Is `module` there to import? For `package.sub`, the package is found and `sub` looked
    for in its folder, so that not even the package's `__init__` runs here."""
    top, _, sub = module.partition(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return False
    if spec is None or not sub:
        return spec is not None
    return any(
        (Path(folder) / sub).is_dir() or any(Path(folder).glob(f"{sub}.*"))
        for folder in spec.submodule_search_locations or ()
    )


def keras_version() -> str | None:
    try:
        return importlib.metadata.version("keras")
    except importlib.metadata.PackageNotFoundError:
        return None


def keras_default_backend() -> str:
    """The backend `import keras` picks: KERAS_BACKEND, else the `backend` in
    $KERAS_HOME/keras.json (default ~/.keras/keras.json), else tensorflow."""
    chosen = os.environ.get("KERAS_BACKEND")
    if chosen:
        return chosen
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    try:
        config = json.loads((home / "keras.json").read_text(encoding="utf-8"))
        backend = config.get("backend") if isinstance(config, dict) else None
        if isinstance(backend, str) and backend:
            return backend
    except (OSError, ValueError):
        pass
    return "tensorflow"


def not_installed(module: str, toolkit: str) -> str:
    """Why a toolkit cannot run, with the command that installs its CPU build."""
    return f"not installed (no module '{module}'); its CPU build: {cpu_build(toolkit)}"


@dataclass(frozen=True)
class Found:
    target: Target
    missing: str | None = None
    """Why it cannot run here (not installed, Keras 2, ...); None when it can."""


def detect() -> list[Found]:
    """Every target dlcompare knows, in order, with why it cannot run where it cannot."""
    found: list[Found] = []
    for adapter in ORDER:
        if adapter != "keras":
            module = MODULES[adapter]
            missing = None if installed(module) else not_installed(module, adapter)
            found.append(Found(Target(adapter), missing))
            continue
        version = keras_version() if installed("keras") else None
        if version is None:
            found.append(Found(Target("keras"), not_installed("keras", "keras")))
            continue
        if not version.split(".")[0].isdigit() or int(version.split(".")[0]) < 3:
            found.append(
                Found(
                    Target("keras"),
                    f"Keras {version} installed; Keras 3 needed: pip install -U keras",
                )
            )
            continue
        for backend in KERAS_BACKENDS:
            missing = (
                None if installed(backend) else not_installed(backend, BACKEND_TOOLKIT[backend])
            )
            found.append(Found(Target("keras", backend), missing))
    return found

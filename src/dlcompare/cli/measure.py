"""`measure`: training speed on this machine; the command calls into `dlcompare.measure`."""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..output import Format, emit
from .common import DataOption, FormatOption, NoBundledOption, data_in_use, selection


class Device(StrEnum):
    CPU = "cpu"
    GPU = "gpu"


def measure(
    device: Annotated[
        Device,
        typer.Option(
            "--device",
            case_sensitive=False,
            help="Where the toolkits run. gpu: only toolkits that see a GPU; the others are "
            "reported as no-gpu (NumPy, the reference, always runs on the CPU).",
        ),
    ] = Device.CPU,
    steps: Annotated[
        int,
        typer.Option(
            "--steps", metavar="N", min=8, help="Steps timed after the first (at least 8)."
        ),
    ] = 20,
    batch_size: Annotated[
        int, typer.Option("--batch-size", metavar="N", min=1, help="Samples per batch.")
    ] = 64,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            metavar="N",
            min=1,
            help="Pin every run to N CPUs and set OMP_NUM_THREADS and the like and each "
            "toolkit's own thread settings to N. Default: each toolkit's defaults.",
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            metavar="TOOLKIT",
            help="Run only these (repeatable or comma-separated): pytorch, jax, tensorflow, "
            "keras (every backend) or keras-jax etc., mlx, paddlepaddle, mindspore, tinygrad. "
            "The NumPy reference always runs. One that cannot run here is an error (exit 1).",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=1,
            help="Time limit of each run (one toolkit on one workload, import included).",
        ),
    ] = 300.0,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Also write a data folder for --data DIR: an edition dated today and ratings "
            "derived from the figures (score null, figures kept, with fewer than two toolkits "
            "measured). Checked before measuring.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace DIR if it is a folder an earlier measure -o wrote."),
    ] = False,
    fmt: FormatOption = Format.TABLE,
    data: DataOption = None,
    no_bundled: NoBundledOption = False,
) -> None:
    """Measure training speed on this machine: a small MLP and a small CNN on every installed
    toolkit (PyTorch, JAX, TensorFlow, Keras 3 on each backend, MLX, PaddlePaddle, MindSpore,
    tinygrad), each in its own process,
    checked against a NumPy reference. Progress on stderr; results on stdout. Ratings need at
    least two toolkits measured; they are on the scale of the data in use.

    Examples:

    \b
    dlcompare measure --threads 1
    dlcompare measure --only jax --steps 8 --format json
    dlcompare measure -o measured && dlcompare show performance.cpu --data measured
    """
    from ..measure.command import chosen, ending_signals, run, write_folder
    from ..measure.runner import Options

    if output is not None:  # a folder that may not be written fails before the runs
        from ..measure.folder import check_target

        check_target(output, force=force)
    dataset = data_in_use()  # bad data fails before the runs too; the ratings take its scale
    with ending_signals():
        result = run(
            Options(
                device=device.value,
                steps=steps,
                batch_size=batch_size,
                threads=threads,
                only=chosen(only or []),
                timeout_s=timeout,
                scale=(dataset.scale.min, dataset.scale.max),
            )
        )
        if output is not None:
            from ..loading import load_layers

            write_folder(
                result,
                output,
                force=force,
                dataset=dataset,
                load=lambda extra: load_layers(
                    [*selection.folders, *extra], bundled=selection.bundled
                ),
            )
    emit(result, fmt)

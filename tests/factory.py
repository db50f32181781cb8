"""Building small datasets in memory for scoring tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from dlcompare.dataset import Dataset, Evaluation
from dlcompare.schema import Assessment, Criterion, Edition, RatedToolkit, Scale

DAY = dt.date(2020, 1, 1)
EDITION = Edition(date=DAY, url="https://example.org/ed", evaluator="tests", summary="test edition")


def make_evaluation(matrix: Mapping[str, Mapping[str, float | None]]) -> Evaluation:
    """`{toolkit: {criterion: score or None}}`; None means discussed but unrated."""
    criteria_ids = sorted({c for row in matrix.values() for c in row})
    criteria = tuple(
        Criterion(id=c, name=c.title(), description=f"{c} criterion") for c in criteria_ids
    )
    toolkits = tuple(
        RatedToolkit(
            id=t,
            name=t.title(),
            ratings={c: {DAY: Assessment(score=s, summary="test")} for c, s in row.items()},
        )
        for t, row in sorted(matrix.items())
    )
    dataset = Dataset.of(Scale(), criteria, (EDITION,), toolkits)
    return dataset.evaluation(EDITION)


SOURCE = "zer0n/deepframeworks"
OURS = "dlcompare"
NOTICE = "The toolkits have moved on a great deal since this study."

_CRITERIA = """\
criteria:
  - id: interfaces
    name: Interfaces
    description: Languages and front ends.
  - id: model-deployment
    name: Model deployment
    description: Running a trained model in production.
  - id: performance
    name: Performance
    description: Training speed.
    parts:
      - {id: single-gpu, name: Single-GPU, description: On one GPU.}
      - {id: multi-gpu, name: Multi-GPU, description: On several GPUs.}
"""

_EDITIONS = f"""\
editions:
  - date: 2015-11-20
    evaluator: {SOURCE}
    url: https://github.com/zer0n/deepframeworks/blob/35480e4/README.md
    summary: The source's first ratings.
  - date: 2016-11-13
    evaluator: {SOURCE}
    url: https://github.com/zer0n/deepframeworks/blob/3b40324/README.md
    summary: No rating changed; a notice opens the document.
    notes:
      - {NOTICE}
  - date: 2026-12-03
    evaluator: {OURS}
    summary: Today's toolkits, rated by this project.
"""

_LEAVES = ("interfaces", "model-deployment", "performance.single-gpu", "performance.multi-gpu")


def _ratings(old: tuple[float, ...] | None, new: tuple[float, ...] | None, why: str = "") -> str:
    lines = ["ratings:"]
    for i, leaf in enumerate(_LEAVES):
        lines.append(f"  {leaf}:")
        if old is not None:
            lines.append(f"    2015-11-20: {{score: {old[i]}, summary: The source's view.}}")
        if new is not None:
            lines.append(
                f"    2026-12-03: {{score: {new[i]}, summary: Our view.,"
                " sources: ['https://example.org/evidence']}"
            )
        elif why:
            lines.append(f"    2026-12-03: {{score: null, summary: '{why}'}}")
    return "\n".join(lines) + "\n"


def write_two_evaluators(root: Path) -> Path:
    """A data folder (use it with --no-bundled) with the shape of the bundled data after the
    current edition: the source's editions (2015-11-20, and 2016-11-13 with a notice) and
    ours (2026-12-03, by `dlcompare`). TensorFlow is rated by both; Torch and Theano only by
    the source, with null assessments in ours (they ended; Torch's successor PyTorch is in
    the data, Theano's PyTensor is not); PyTorch only by us; MXNet never (retired 2023)."""
    folder = root / "two"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "criteria.yaml").write_text(_CRITERIA, encoding="utf-8")
    (folder / "editions.yaml").write_text(_EDITIONS, encoding="utf-8")
    files = {
        "tensorflow": "id: tensorflow\nname: TensorFlow\naliases: [tf]\n"
        + _ratings((4.9, 4.5, 3, 4), (4.5, 5, 4.5, 4.5)),
        "torch": "id: torch\nname: Torch\nstatus:\n  state: ended\n"
        "  source: https://github.com/torch/torch7\n"
        "  successor: {name: PyTorch (its ATen library), url: https://github.com/pytorch/pytorch}\n"
        "  note: Not developed any more.\n"
        + _ratings((4, 3, 5, 3), None, "Ended; its successor is PyTorch."),
        "theano": "id: theano\nname: Theano\nstatus:\n  state: ended\n  date: 2017-09-28\n"
        "  source: https://groups.google.com/g/theano-users/c/7Poq8BZutbY\n"
        "  successor: {name: PyTensor, url: https://github.com/pymc-devs/pytensor}\n"
        "  note: Major development stopped after 1.0.\n"
        + _ratings((4.5, 3, 3, 2), None, "Ended in 2017; PyTensor carries it on."),
        "pytorch": "id: pytorch\nname: PyTorch\nrepository: https://github.com/pytorch/pytorch\n"
        + _ratings(None, (5, 4.5, 5, 5)),
        "mxnet": "id: mxnet\nname: MXNet\nstatus:\n  state: ended\n  date: 2023-09-20\n"
        "  source: https://github.com/apache/mxnet\n  note: Retired to the Apache Attic.\n",
    }
    for toolkit, text in files.items():
        (folder / "toolkits" / f"{toolkit}.yaml").write_text(text, encoding="utf-8")
    return folder

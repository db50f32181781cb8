"""How ratings moved between editions."""

from __future__ import annotations

from .dataset import Dataset
from .schema import Edition


def ratings_changed(dataset: Dataset, edition: Edition) -> int:
    """How many (toolkit, leaf) scores differ from the previous edition: moved, newly given or
    withdrawn. For the first edition, every score it gives."""
    index = dataset.editions.index(edition)
    now = dataset.evaluation(edition)
    before = dataset.evaluation(dataset.editions[index - 1]) if index > 0 else None
    count = 0
    for toolkit in dataset.toolkits:
        for leaf in dataset.leaves:
            old = before.score(toolkit.id, leaf.path) if before else None
            if now.score(toolkit.id, leaf.path) != old:
                count += 1
    return count

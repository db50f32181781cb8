"""How data folders are loaded: layered in order and checked together, from the cache when it
holds them, every problem found reported at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .. import cache
from ..dataset import Dataset
from ..errors import DataError, Problem, UsageError
from .folders import data_folders, layer_files
from .layout import layout_problems
from .packing import cached_dataset, store, unpacked

if TYPE_CHECKING:  # reading, merging and checking files: imported only when the cache misses
    from .layers import Files


def load_dataset(folder: Path | None = None) -> Dataset:
    """Load and check one data folder on its own (default: the bundled data)."""
    if folder is None:
        return load_layers((), bundled=True)
    return load_layers((folder,), bundled=False)


def load_layers(folders: Sequence[Path], *, bundled: bool = True) -> Dataset:
    """Load data folders layered in order (see `data_folders`) and check them together.

    Criteria and editions are merged by id and date, toolkits by id: a later folder's
    definition replaces an earlier one, and a later toolkit file adds its assessments to the
    earlier ones (replacing any for the same criterion and edition). Every replacement is
    recorded in `Dataset.conflicts`. A later folder may add parts to a criterion that has
    parts (all the earlier ones kept), or parts from an edition on (`parts_from`) to one rated
    whole; a criterion redefined without one of its parts, with parts from the start where it
    had none, or a scale that differs, cannot be resolved and is an error
    naming both files. Raises DataError listing
    every problem found."""
    paths = data_folders(folders, bundled=bundled)
    if not paths:
        raise UsageError("--no-bundled needs at least one --data folder")
    with _without_cycle_collection():
        return _load_cached(paths)


def _load(paths: tuple[Path, ...], files: Files) -> Dataset:
    from .crosscheck import cross_check
    from .layers import read_layer
    from .merging import merge
    from .messages import with_lines

    problems: list[Problem] = [p for folder in paths for p in layout_problems(folder)]
    layers = [read_layer(folder, problems, files) for folder in paths]
    merged = merge(layers, problems)
    if merged is not None:
        problems += cross_check(merged)
    if problems:
        raise DataError(with_lines(problems))
    assert merged is not None
    return merged.dataset(tuple(str(p) for p in paths))


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Loading builds a great many objects and no reference cycles. The cyclic garbage
    collector, triggered by every few hundred new objects, would walk them all again and
    again: on a large folder that costs more than the validation itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_cached(paths: tuple[Path, ...]) -> Dataset:
    """`_load`, with what the cache holds for these folders (see `cache`)."""
    files = [file for folder in paths for file in layer_files(folder)]
    digests = cache.file_digests(files)
    if digests is None:  # caching is off
        from .layers import Files

        return _load(paths, Files())
    whole = cache.folder_digest(paths, files, digests)
    stored = cache.read(paths)
    # the folders are listed on every run: a stray `toolkit/` or a dangling link changes
    # none of the files the cache is keyed by
    if stored.folder == whole and not any(layout_problems(folder) for folder in paths):
        found = cached_dataset(stored.dataset)
        if found is not None:
            return found
    from .layers import Files  # here: a run the cache serves reads no file of the folders

    read = Files(
        known={
            name: unpacked(entry)
            for name, (digest, entry) in stored.files.items()
            if digests.get(name) == digest
        }
    )
    dataset = None
    try:
        try:
            dataset = _load(paths, read)
        except DataError:
            if not read.known:
                raise
            # A problem is reported only as the files themselves show it: a cached model
            # could be damaged or forged, so every file is read afresh before saying so.
            read = Files()
            dataset = _load(paths, read)
    finally:
        store(
            paths,
            files,
            digests=digests,
            validated=read.validated,
            stored=stored,
            dataset=dataset,
            whole=whole,
        )
    return dataset

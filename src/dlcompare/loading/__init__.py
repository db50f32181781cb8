"""Finding and reading data folders: the only code that opens data files.

A data folder holds `criteria.yaml`, `editions.yaml` and `toolkits/ID.yaml`. Every problem in
a folder is collected and reported together (file › key path: problem), never one per run.
One module per job:

    bundled.py     what ships with dlcompare: the bundled data and the method document
    folders.py     where data folders are found, and which files of one a load reads
    layout.py      what a folder holds that a load would pass over in silence
    messages.py    validation errors as messages, and the line of each
    packing.py     packing loaded data into the cache and checking what comes out of it
    layers.py      reading one folder into its validated files
    merging.py     merging the layers, later folders over earlier ones
    crosscheck.py  the rules that span files (names, criteria, editions, the scale)
    load.py        loading folders together, from the cache when it holds them
"""

import importlib
from typing import TYPE_CHECKING, Any

from .bundled import bundled_data_dir, bundled_method
from .folders import CRITERIA_FILE, DATA_VARIABLE, EDITIONS_FILE, TOOLKITS_DIR, data_folders
from .layout import layout_problems
from .load import load_dataset, load_layers

if TYPE_CHECKING:
    from .crosscheck import cross_check
    from .messages import validate_document, with_lines

_ON_A_MISS = {
    "cross_check": "crosscheck",
    "validate_document": "messages",
    "with_lines": "messages",
}
"""Names of the modules that read, merge and check files: imported on first use, so that a run
the cache serves never loads them."""


def __getattr__(name: str) -> Any:
    if name in _ON_A_MISS:
        return getattr(importlib.import_module(f"{__name__}.{_ON_A_MISS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CRITERIA_FILE",
    "DATA_VARIABLE",
    "EDITIONS_FILE",
    "TOOLKITS_DIR",
    "bundled_data_dir",
    "bundled_method",
    "cross_check",
    "data_folders",
    "layout_problems",
    "load_dataset",
    "load_layers",
    "validate_document",
    "with_lines",
]

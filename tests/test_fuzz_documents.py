"""Generated weights and data documents: each one either loads or fails with the project's
own error (DlcompareError), never with any other exception. Short runs, for CI."""

from __future__ import annotations

import copy
import math
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlcompare import weights, yamlio
from dlcompare.errors import DlcompareError
from dlcompare.loading import bundled_data_dir, load_dataset

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUZZ_FOLDERS = settings(FUZZ, max_examples=100)
"""Each data example loads a whole folder (seven files), so fewer of them."""

CRITERION_NAMES = [
    "interfaces",
    "performance",
    "performance.single-gpu",
    "multi-gpu",
    "Model deployment",
    "ecosystem",
    "../etc",
    "a/b",
    "",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()  # nan, inf and -0.0 included
    | st.text(max_size=20)
    | st.dates()
)
keys = st.sampled_from(CRITERION_NAMES) | st.text(max_size=12) | st.integers() | st.dates()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)

TOKENS = [
    "interfaces",
    "performance",
    "single-gpu",
    ":",
    ": ",
    " ",
    "  ",
    "\n",
    "\t",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: ",
    "? ",
    "!!python/object:os.system ",
    "!!str ",
    "!!binary ",
    "!!timestamp ",
    "!x ",
    "'",
    '"',
    "\\",
    "#",
    "|",
    ">",
    "---",
    "...",
    "%YAML 1.1",
    "1",
    "-2.5",
    ".nan",
    ".inf",
    "0x1F",
    "2015-13-40",
    "2016-05-11",
    "null",
    "yes",
    "\ufeff",
    "é",
]
yaml_like_text = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _check_weights(dataset: Any, path: Path) -> None:
    try:
        result = weights.read_file(dataset, path)
    except DlcompareError as error:
        assert str(error)
        return
    assert all(leaf in dataset.leaf_by_path for leaf in result)
    assert all(math.isfinite(w) and w >= 0 for w in result.values())


@FUZZ
@given(document=values)
def test_weights_documents_load_or_fail_cleanly(dataset, scratch: Path, document: Any) -> None:
    path = scratch / "weights.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _check_weights(dataset, path)


@FUZZ
@given(text=yaml_like_text)
def test_yaml_like_text_loads_or_fails_cleanly(dataset, scratch: Path, text: str) -> None:
    path = scratch / "weights.yaml"
    path.write_text(text, encoding="utf-8")
    _check_weights(dataset, path)


@FUZZ
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_load_or_fail_cleanly(dataset, scratch: Path, raw: bytes) -> None:
    path = scratch / "weights.yaml"
    path.write_bytes(raw)
    _check_weights(dataset, path)


@FUZZ
@given(text=yaml_like_text)
def test_parse_raises_only_yaml_errors(text: str) -> None:
    try:
        yamlio.parse(text, "fuzz.yaml")
    except yamlio.YamlError as error:
        assert error.path == "fuzz.yaml"


# --------------------------------------------------------------------------- data documents

TOOLKIT = "caffe"


@pytest.fixture(scope="module")
def data_folder(scratch: Path) -> Path:
    folder = scratch / "data"
    shutil.copytree(bundled_data_dir(), folder)
    return folder


@pytest.fixture(scope="module")
def original() -> dict[str, Any]:
    data = yamlio.load(bundled_data_dir() / "toolkits" / f"{TOOLKIT}.yaml")
    assert isinstance(data, dict)
    return data


def _locations(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document: the key path to each mapping value and list item."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _locations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _locations(value, (*path, index))


def _mutate(document: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        places = [p for p in _locations(document) if p]
        place = data.draw(st.sampled_from(places), label="place")
        parent: Any = document
        for step in place[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]), label="action")
        if action == "replace":
            parent[place[-1]] = data.draw(values, label="value")
        elif action == "delete":
            del parent[place[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(keys, label="key")] = data.draw(values, label="value")
        else:
            parent.append(data.draw(values, label="value"))
    return document


def _check_folder(folder: Path) -> None:
    try:
        dataset = load_dataset(folder)
    except DlcompareError as error:
        assert str(error)
        return
    assert dataset.toolkits


@FUZZ_FOLDERS
@given(data=st.data())
def test_mutated_toolkit_documents_load_or_fail_cleanly(
    data_folder: Path, original: dict[str, Any], data: st.DataObject
) -> None:
    document = _mutate(original, data)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    (data_folder / "toolkits" / f"{TOOLKIT}.yaml").write_text(text, encoding="utf-8")
    _check_folder(data_folder)


@FUZZ_FOLDERS
@given(data=st.data())
def test_damaged_toolkit_files_load_or_fail_cleanly(data_folder: Path, data: st.DataObject) -> None:
    """Truncated, spliced and byte-flipped files: what a bad download or editor leaves."""
    raw = (bundled_data_dir() / "toolkits" / f"{TOOLKIT}.yaml").read_bytes()
    start = data.draw(st.integers(0, len(raw)), label="start")
    end = data.draw(st.integers(start, len(raw)), label="end")
    insert = data.draw(st.binary(max_size=8) | yaml_like_text.map(str.encode), label="insert")
    damaged = raw[:start] + insert + raw[end:]
    (data_folder / "toolkits" / f"{TOOLKIT}.yaml").write_bytes(damaged)
    _check_folder(data_folder)

"""Hostile input, class "a cache that lies": whatever the cache holds is verified before use;
a FIFO, a huge file or a link at its path costs nothing; pruning deletes only what dlcompare
wrote. Written as an attacker with write access to the cache folder (or bad luck) would."""

from __future__ import annotations

import math
import os
import pickle
import struct
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dlcompare import cache, loading
from dlcompare.dataset import Ratings
from dlcompare.loading import load_dataset
from dlcompare.schema import Scale
from tests.conftest import EXECUTED, CodePayload, fresh_load


def _stored(cache_dir: Path) -> Path:
    (stored,) = cache_dir.glob("dlcompare-folder-*.pickle")
    return stored


def _forge(stored: Path, change) -> None:
    """Rewrite what the cache holds for a folder through `change(whole, dataset, files)`, with
    valid headers and checksums: what an attacker who read this module would write. `stored`
    is the file of the loaded data; the validated files are in its `dlcompare-files-` twin."""
    head = cache.FORMAT + cache._code_version()
    twin = stored.with_name(stored.name.replace(cache.PREFIX, cache.FILES_PREFIX))

    def payload(path: Path) -> Any:
        return pickle.loads(path.read_bytes()[len(head) + cache.DIGEST_SIZE :])

    whole, dataset = payload(stored)
    whole, dataset, files = change(whole, dataset, payload(twin))
    for path, content in ((stored, (whole, dataset)), (twin, files)):
        data = pickle.dumps(content)
        path.write_bytes(head + cache._checksum(data) + data)


def _forged_toolkit(packed: tuple[Any, ...], value: Any) -> tuple[Any, ...]:
    """A toolkit file as the cache keeps it, with every score it gives set to `value`."""
    kind, given, described, ratings = packed
    forged = {
        path: {
            day: (value, *rest) if score is not None else (score, *rest)
            for day, (score, *rest) in entries.items()
        }
        for path, entries in ratings.items()
    }
    return kind, given, described, forged


def _caffe_score(dataset: dict[str, Any], value: float) -> dict[str, Any]:
    """The stored dataset with every score of Caffe set to `value`."""
    ratings: Ratings = dataset["ratings"]
    starts = ratings.starts
    rows = {i for k in ratings.cells["caffe"].values() for i in range(starts[k], starts[k + 1])}
    scores = tuple(
        value if i in rows and score is not None else score
        for i, score in enumerate(ratings.scores)
    )
    assert scores != ratings.scores
    return {**dataset, "ratings": replace(ratings, scores=scores)}


def test_a_flipped_bit_in_a_score_is_a_miss(data_copy, cache_dir, monkeypatch) -> None:
    load_dataset(data_copy)
    stored = _stored(cache_dir)
    content = bytearray(stored.read_bytes())
    five = b"G" + struct.pack(">d", 5.0)  # a pickled 5.0 (BINFLOAT)
    at = content.find(five, len(cache.FORMAT) + 64)
    assert at > 0
    content[at + 2] ^= 0x04  # 5.0 -> 4.0
    assert struct.unpack(">d", content[at + 1 : at + 9]) == (4.0,)
    stored.write_bytes(bytes(content))
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)


@pytest.mark.parametrize("value", [99.0, math.nan, math.inf, -1.0, 5.0000001])
def test_a_forged_score_never_reaches_a_view(data_copy, cache_dir, monkeypatch, value) -> None:
    load_dataset(data_copy)
    _forge(_stored(cache_dir), lambda w, d, f: (w, _caffe_score(d, value), {}))
    loaded = load_dataset(data_copy)
    assert loaded == fresh_load(data_copy, monkeypatch)
    scores = [
        a.score
        for t in loaded.toolkits
        for e in loaded.assessments(t.id).values()
        for a in e.values()
    ]
    assert all(s is None or 0 <= s <= 5 for s in scores)


def _swap_first_two_dates(r: Ratings) -> Ratings:
    cell = next(k for k in range(len(r.starts) - 1) if r.starts[k + 1] - r.starts[k] >= 2)
    at = r.starts[cell]
    dates = list(r.dates)
    dates[at], dates[at + 1] = dates[at + 1], dates[at]
    return replace(r, dates=tuple(dates))


def _cell_twice(r: Ratings) -> Ratings:
    cells = {t: dict(c) for t, c in r.cells.items()}
    torch = cells["torch"]
    first, second, *_ = torch
    torch[second] = torch[first]  # two leaves showing one leaf's assessments
    return replace(r, cells=cells)


FORGED_COLUMNS = {
    "a column one row short": lambda r: replace(r, origins=r.origins[:-1]),
    "summaries that are a number": lambda r: replace(r, summary_text=7),
    "sources that are bytes": lambda r: replace(r, source_text=r.source_text.encode()),
    "one summary too many": lambda r: replace(r, summary_text=r.summary_text + r.row + "more"),
    "one note too few": lambda r: replace(r, note_text=r.note_text[1:]),
    "a note separator in a summary": lambda r: replace(r, summary_text=r.item + r.summary_text),
    "versions that are a list": lambda r: replace(r, version_text=[r.version_text]),
    "one version too many": lambda r: replace(r, version_text=r.version_text + r.row + "9.9"),
    "a note separator in a version": lambda r: replace(r, version_text=r.item + r.version_text),
    "one separator for rows and notes": lambda r: replace(r, item=r.row),
    "a separator of two characters": lambda r: replace(r, row=r.row * 2),
    "an origin that is a number": lambda r: replace(r, origins=(7, *r.origins[1:])),
    "a date that is text": lambda r: replace(r, dates=("2016-05-11", *r.dates[1:])),
    "a score that is an int": lambda r: replace(
        r,
        scores=(1 if r.scores[0] != 1 else 2, *r.scores[1:]),  # another value, of type int
    ),
    "a score of -inf": lambda r: replace(r, scores=(-math.inf, *r.scores[1:])),
    "withdrawn that is text": lambda r: replace(r, withdrawn=("no", *r.withdrawn[1:])),
    "cells past the last row": lambda r: replace(r, starts=(*r.starts[:-1], r.starts[-1] + 5)),
    "an empty cell": lambda r: replace(r, starts=(0, 0, *r.starts[1:])),
    "no starts at all": lambda r: replace(r, starts=()),
    "a cell number out of range": lambda r: replace(
        r, cells={**r.cells, "torch": dict.fromkeys(r.cells["torch"], 10**6)}
    ),
    "one cell for two leaves": _cell_twice,
    "dates falling within a cell": _swap_first_two_dates,
    "ratings of a toolkit nobody has": lambda r: replace(r, cells={**r.cells, "ghost": {}}),
    "cells that are a list": lambda r: replace(r, cells=list(r.cells.items())),
}


@pytest.mark.parametrize("forge", FORGED_COLUMNS.values(), ids=FORGED_COLUMNS)
def test_forged_columns_are_a_miss(data_copy, cache_dir, monkeypatch, forge) -> None:
    load_dataset(data_copy)
    _forge(_stored(cache_dir), lambda w, d, f: (w, {**d, "ratings": forge(d["ratings"])}, f))
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)


def test_a_ratings_object_without_a_column_is_a_miss(data_copy, cache_dir, monkeypatch) -> None:
    def without_scores(whole, dataset, files):
        ratings = dataset["ratings"]
        stripped = object.__new__(Ratings)
        stripped.__dict__.update({k: v for k, v in vars(ratings).items() if k != "scores"})
        return whole, {**dataset, "ratings": stripped}, files

    load_dataset(data_copy)
    _forge(_stored(cache_dir), without_scores)
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)


@pytest.mark.parametrize("value", [99.0, math.nan, "4.0", 4])
def test_a_forged_file_entry_is_validated_again(data_copy, cache_dir, monkeypatch, value) -> None:
    load_dataset(data_copy)

    def change(whole, dataset, files):
        name = next(n for n in files if n.endswith("caffe.yaml"))
        digest, toolkit = files[name]
        forged = _forged_toolkit(toolkit, value)
        return b"", None, {**files, name: (digest, forged)}  # the folder digest no longer hits

    _forge(_stored(cache_dir), change)
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)


def _first_assessment(packed: tuple[Any, ...], change) -> tuple[Any, ...]:
    kind, given, described, ratings = packed
    path = next(iter(ratings))
    day = next(iter(ratings[path]))
    forged = {**ratings, path: {**ratings[path], day: change(ratings[path][day])}}
    return kind, given, described, forged


FORGED_ENTRIES = {
    "a summary that is a number": lambda p: _first_assessment(p, lambda a: (a[0], a[1], 7, *a[3:])),
    "sources in a list": lambda p: _first_assessment(p, lambda a: (*a[:3], list(a[3]), a[4])),
    "a source that is bytes": lambda p: _first_assessment(p, lambda a: (*a[:3], (b"x",), a[4])),
    "withdrawn that is text": lambda p: _first_assessment(p, lambda a: (a[0], "no", *a[2:])),
    "an assessment one value short": lambda p: _first_assessment(p, lambda a: a[:4]),
    "an id that is a number": lambda p: (p[0], p[1], {**p[2], "id": 7}, p[3]),
    "a key left out": lambda p: (p[0], p[1], {k: v for k, v in p[2].items() if k != "name"}, p[3]),
    "a status that is text": lambda p: (p[0], p[1], {**p[2], "status": "ended"}, p[3]),
    "fields set in a list": lambda p: (p[0], list(p[1]), p[2], p[3]),
    "a date that is text": lambda p: (
        p[0],
        p[1],
        p[2],
        {k: {str(d): a for d, a in v.items()} for k, v in p[3].items()},
    ),
}


@pytest.mark.parametrize("forge", FORGED_ENTRIES.values(), ids=FORGED_ENTRIES)
def test_a_forged_toolkit_entry_is_read_again(data_copy, cache_dir, monkeypatch, forge) -> None:
    load_dataset(data_copy)

    def change(whole, dataset, files):
        name = next(n for n in files if n.endswith("caffe.yaml"))
        digest, packed = files[name]
        return b"", None, {**files, name: (digest, forge(packed))}

    _forge(_stored(cache_dir), change)
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)


def test_a_forged_scale_is_a_miss(data_copy, cache_dir, monkeypatch) -> None:
    load_dataset(data_copy)
    scale = Scale.model_construct(min=0.0, max=math.nan)
    _forge(_stored(cache_dir), lambda w, d, f: (w, {**d, "scale": scale}, f))
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)


def _run(
    args: list[str], env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dlcompare", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _cache_path(cache_dir: Path) -> Path:
    return cache._file_for(loading.data_folders([]), cache_dir)


def test_a_fifo_at_the_cache_path_does_not_block(cache_dir) -> None:
    cache_dir.mkdir()
    os.mkfifo(_cache_path(cache_dir))
    done = _run(["show", "interfaces", "-f", "json"], {"DLCOMPARE_CACHE_DIR": str(cache_dir)})
    assert done.returncode == 0, done.stderr
    assert _cache_path(cache_dir).exists()


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "elsewhere"])
def test_a_link_at_the_cache_path_is_not_followed(cache_dir, monkeypatch, target) -> None:
    cache_dir.mkdir()
    if target == "elsewhere":
        load_dataset()
        target = str(cache_dir.parent / "elsewhere")
        _stored(cache_dir).rename(target)
    _cache_path(cache_dir).symlink_to(target)
    done = _run(["show", "interfaces", "-f", "json"], {"DLCOMPARE_CACHE_DIR": str(cache_dir)})
    assert done.returncode == 0, done.stderr


def test_a_huge_sparse_cache_file_is_a_miss_without_reading_it(cache_dir, monkeypatch) -> None:
    cache_dir.mkdir()
    path = _cache_path(cache_dir)
    with path.open("wb") as file:
        file.write(cache.FORMAT + cache._code_version())
        file.truncate(3 * 1024**3)  # 3 GB, sparse: no disk used
    stored = cache.read(loading.data_folders([]))
    assert stored.dataset is None and stored.folder == b""
    assert load_dataset() == fresh_load(loading.bundled_data_dir(), monkeypatch)


def test_pruning_deletes_only_what_dlcompare_wrote(data_copy, cache_dir) -> None:
    cache_dir.mkdir()
    long_ago = time.time() - (cache.MAX_AGE_DAYS + 1) * 24 * 3600
    theirs = {
        "folder-1234.pickle": b"someone's pickle",
        ".folder-notes.txt": b"notes",
        "dlcompare-folder-9999.pickle": b"not a dlcompare header",
        "dlcompare-files-9999.pickle": b"not a dlcompare header either",
        ".dlcompare-folder-x": b"someone else's",
        "notes.txt": b"",
    }
    ours = {
        "dlcompare-folder-0000.pickle": cache.FAMILY + b"1\nold layout",
        "dlcompare-files-0000.pickle": cache.FAMILY + b"5\nold files",
        ".dlcompare-folder-left-over": b"",
    }
    for name, content in {**theirs, **ours}.items():
        (cache_dir / name).write_bytes(content)
        os.utime(cache_dir / name, (long_ago, long_ago))
    (cache_dir / "dlcompare-folder-link.pickle").symlink_to(cache_dir / "notes.txt")
    os.utime(
        cache_dir / "dlcompare-folder-link.pickle", (long_ago, long_ago), follow_symlinks=False
    )
    load_dataset(data_copy)  # writes, then prunes
    for name in theirs:
        assert (cache_dir / name).exists(), name
    assert (cache_dir / "dlcompare-folder-link.pickle").is_symlink()
    for name in ours:
        assert not (cache_dir / name).exists(), name


def test_a_forged_pickle_with_a_valid_checksum_runs_no_code(data_copy, cache_dir, monkeypatch):
    load_dataset(data_copy)
    _forge(_stored(cache_dir), lambda w, d, f: (w, CodePayload(), f))
    EXECUTED.clear()
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)
    assert EXECUTED == []


def test_a_forged_file_entry_runs_no_code(data_copy, cache_dir, monkeypatch):
    # the validated files are unpickled apart, only when the folder digest misses
    load_dataset(data_copy)
    _forge(_stored(cache_dir), lambda w, d, f: (b"", None, {**f, "x": (b"", CodePayload())}))
    EXECUTED.clear()
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)
    assert EXECUTED == []

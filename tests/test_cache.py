"""The cache of loaded folders: a hit gives exactly what a fresh load gives, and any change,
damage or tampering ends in a fresh load (never in stale data or in running code)."""

from __future__ import annotations

import gc
import json
import os
import pickle
from pathlib import Path

import pytest

from dlcompare import cache, loading, yamlio
from dlcompare.errors import DataError
from dlcompare.loading import load_dataset
from tests.conftest import EXECUTED, CodePayload, fresh_load


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any parsing, validation or checking across files from now on fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"called with {args}")

    monkeypatch.setattr(yamlio, "load", refuse)
    # where they are called: a folder's files are validated in `layers`, checked across in `load`
    monkeypatch.setattr("dlcompare.loading.layers.validate_document", refuse)
    monkeypatch.setattr("dlcompare.loading.crosscheck.cross_check", refuse)


def _set_score(folder: Path, toolkit: str, old: str, new: str) -> None:
    path = folder / "toolkits" / f"{toolkit}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_hit_equals_a_fresh_load_and_parses_nothing(data_copy, cache_dir, monkeypatch):
    first = load_dataset(data_copy)
    assert len(list(cache_dir.glob("dlcompare-folder-*.pickle"))) == 1
    _no_parsing(monkeypatch)
    again = load_dataset(data_copy)
    monkeypatch.undo()
    monkeypatch.setenv("DLCOMPARE_CACHE_DIR", str(cache_dir))
    fresh = fresh_load(data_copy, monkeypatch)
    assert again == first == fresh
    assert again.origins == fresh.origins
    assert [t.model_dump() for t in again.toolkits] == [t.model_dump() for t in fresh.toolkits]


def test_an_edited_file_is_read_again(data_copy, cache_dir, monkeypatch):
    before = load_dataset(data_copy)
    ratings = before.assessments("torch")
    path = next(iter(ratings))
    score = next(iter(ratings[path].values())).score
    assert score is not None
    # same length on purpose: the key must follow the content, not only the size
    old = f"{score:g}"
    new = ("1" if old[0] != "1" else "2") + old[1:]
    _set_score(data_copy, "torch", f"score: {old}", f"score: {new}")
    after = load_dataset(data_copy)
    assert next(iter(after.assessments("torch")[path].values())).score == float(new)
    assert after == fresh_load(data_copy, monkeypatch)
    assert len(list(cache_dir.glob("dlcompare-folder-*.pickle"))) == 1  # replaced, not added


def test_a_new_toolkit_file_is_seen(data_copy, cache_dir):
    assert "torch-copy" not in load_dataset(data_copy).toolkit_by_id
    text = (data_copy / "toolkits" / "torch.yaml").read_text(encoding="utf-8")
    text = text.replace("id: torch", "id: torch-copy", 1)
    text = text.replace("aliases: [torch7, lua-torch]", "aliases: []", 1)
    text = text.replace("name: Torch", "name: Torch copy", 1)
    (data_copy / "toolkits" / "torch-copy.yaml").write_text(text, encoding="utf-8")
    assert "torch-copy" in load_dataset(data_copy).toolkit_by_id


def test_a_folder_with_problems_reports_them_all_every_time(data_copy, cache_dir, monkeypatch):
    _set_score(data_copy, "torch", "score: ", "score: 9")
    (data_copy / "toolkits" / "caffe.yaml").write_text("id: caffe\nname: [\n", encoding="utf-8")
    reports = []
    for _ in range(3):
        with pytest.raises(DataError) as caught:
            load_dataset(data_copy)
        reports.append([str(p) for p in caught.value.problems])
    assert reports[0] == reports[1] == reports[2]
    assert any("outside the scale" in p for p in reports[0])
    assert any("caffe.yaml" in p for p in reports[0])
    assert cache.read([data_copy]).dataset is None


def test_only_changed_files_are_parsed_again(data_copy, cache_dir, monkeypatch):
    load_dataset(data_copy)
    parsed: list[str] = []
    real_load = yamlio.load

    def counting(path: Path):
        parsed.append(path.name)
        return real_load(path)

    monkeypatch.setattr(yamlio, "load", counting)
    _set_score(data_copy, "torch", "score: ", "score: 0")
    first = load_dataset(data_copy)
    assert parsed == ["torch.yaml"]
    assert first == fresh_load(data_copy, monkeypatch)
    parsed.clear()
    assert load_dataset(data_copy) == first
    assert parsed == []


def test_fixing_a_broken_file_parses_only_that_file(data_copy, cache_dir, monkeypatch):
    path = data_copy / "toolkits" / "caffe.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("id: caffe", "id: Caffe!", 1), encoding="utf-8")
    with pytest.raises(DataError):
        load_dataset(data_copy)
    parsed: list[str] = []
    real_load = yamlio.load

    def counting(path: Path):
        parsed.append(path.name)
        return real_load(path)

    monkeypatch.setattr(yamlio, "load", counting)
    path.write_text(good, encoding="utf-8")
    fixed = load_dataset(data_copy)
    assert parsed == ["caffe.yaml"]
    assert fixed == fresh_load(data_copy, monkeypatch)


def test_the_same_files_in_another_folder_keep_their_own_names(data_copy, cache_dir, tmp_path):
    import shutil

    other = tmp_path / "elsewhere"
    shutil.copytree(data_copy, other)
    load_dataset(data_copy)
    moved = load_dataset(other)
    assert all(str(other) in origin for origin in moved.origins.values())


def test_a_damaged_cache_file_is_a_miss(data_copy, cache_dir, monkeypatch):
    load_dataset(data_copy)
    (stored,) = cache_dir.glob("dlcompare-folder-*.pickle")
    stored.write_bytes(stored.read_bytes()[:200])
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)


def test_a_tampered_cache_file_runs_no_code(data_copy, cache_dir, monkeypatch):
    load_dataset(data_copy)
    (stored,) = cache_dir.glob("dlcompare-folder-*.pickle")
    header = cache.FORMAT + cache._code_version()
    assert stored.read_bytes().startswith(header)
    stored.write_bytes(header + pickle.dumps((b"", CodePayload())))
    EXECUTED.clear()
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)
    assert EXECUTED == []


def test_the_cache_can_be_turned_off(data_copy, cache_dir, monkeypatch):
    monkeypatch.setenv("DLCOMPARE_NO_CACHE", "1")
    load_dataset(data_copy)
    assert not cache_dir.exists()


def test_an_unusable_cache_folder_changes_nothing(data_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DLCOMPARE_CACHE_DIR", str(blocker / "cache"))
    assert load_dataset(data_copy) == fresh_load(data_copy, monkeypatch)


def test_a_file_changed_while_loading_is_not_stored(data_copy, cache_dir, monkeypatch):
    real = cache.file_digests
    calls = []

    def digests(files):
        found = real(files)
        calls.append(found)
        if found is not None and len(calls) == 2:  # checked after reading: torch.yaml changed
            found = {**found, str(data_copy / "toolkits" / "torch.yaml"): b"changed"}
        return found

    monkeypatch.setattr(cache, "file_digests", digests)
    load_dataset(data_copy)
    assert len(calls) == 2
    stored = cache.read([data_copy])
    assert stored.dataset is None
    assert str(data_copy / "toolkits" / "torch.yaml") not in stored.files
    assert str(data_copy / "toolkits" / "caffe.yaml") in stored.files


def test_loading_leaves_the_garbage_collector_as_it_was(data_copy, cache_dir):
    assert gc.isenabled()
    load_dataset(data_copy)
    load_dataset(data_copy)
    assert gc.isenabled()
    _set_score(data_copy, "torch", "score: ", "score: 9")
    with pytest.raises(DataError):
        load_dataset(data_copy)
    assert gc.isenabled()
    gc.disable()
    try:
        load_dataset(loading.bundled_data_dir())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_commands_print_the_same_from_the_cache(cli, monkeypatch):
    runs = []
    for env in ({"DLCOMPARE_NO_CACHE": "1"}, {}, {}):
        with monkeypatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            shown = cli("show", "performance", "--format", "json")
            ranked = cli(
                "rank",
                "-w",
                "interfaces=1",
                "-w",
                "model-deployment=2",
                "--missing",
                "drop",
                "-f",
                "json",
            )
        assert shown.code == ranked.code == 0
        runs.append((json.loads(shown.out), json.loads(ranked.out)))
    assert runs[0] == runs[1] == runs[2]


def test_old_cache_files_are_removed(data_copy, cache_dir):
    import os
    import time

    cache_dir.mkdir()
    old = cache_dir / "dlcompare-folder-0123.pickle"
    recent = cache_dir / "dlcompare-folder-4567.pickle"
    for path in (old, recent):
        path.write_bytes(cache.FAMILY + b"whatever")
    long_ago = time.time() - (cache.MAX_AGE_DAYS + 1) * 24 * 3600
    os.utime(old, (long_ago, long_ago))
    load_dataset(data_copy)
    assert not old.exists()
    assert recent.exists()
    assert len(list(cache_dir.glob("dlcompare-folder-*.pickle"))) == 2


def _overlay(tmp_path: Path) -> Path:
    team = tmp_path / "team"
    (team / "toolkits").mkdir(parents=True)
    (team / "toolkits" / "torch.yaml").write_text(
        "id: torch\nname: Torch (Lua)\n", encoding="utf-8"
    )
    return team


def test_layered_folders_from_the_cache_equal_a_fresh_load(cache_dir, tmp_path, monkeypatch):
    team = _overlay(tmp_path)
    first = loading.load_layers([team])
    assert first.toolkit_by_id["torch"].name == "Torch (Lua)"
    _no_parsing(monkeypatch)
    again = loading.load_layers([team])
    monkeypatch.undo()
    monkeypatch.setenv("DLCOMPARE_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("DLCOMPARE_NO_CACHE", "1")
    fresh = loading.load_layers([team])
    assert again == first == fresh
    assert again.conflicts == fresh.conflicts
    assert again.ratings == fresh.ratings  # the file of each assessment included
    assert again.layers == fresh.layers


def test_each_list_of_folders_has_its_own_entry(cache_dir, tmp_path, monkeypatch):
    team = _overlay(tmp_path)
    alone = loading.load_layers([])
    layered = loading.load_layers([team])
    assert alone.toolkit_by_id["torch"].name != "Torch (Lua)"
    assert layered.toolkit_by_id["torch"].name == "Torch (Lua)"
    assert len(list(cache_dir.glob("dlcompare-folder-*.pickle"))) == 2
    # the same folder named through DLCOMPARE_DATA is the same list of folders
    monkeypatch.setenv("DLCOMPARE_DATA", str(team))
    assert loading.load_layers([]) == layered
    monkeypatch.delenv("DLCOMPARE_DATA")
    assert loading.load_layers([]) == alone


def test_an_edit_in_an_overlay_is_seen(cache_dir, tmp_path):
    team = _overlay(tmp_path)
    loading.load_layers([team])
    path = team / "toolkits" / "torch.yaml"
    path.write_text("id: torch\nname: Torch seven\n", encoding="utf-8")
    assert loading.load_layers([team]).toolkit_by_id["torch"].name == "Torch seven"
    (team / "toolkits" / "caffe.yaml").write_text("id: caffe\nname: Caffe\n", encoding="utf-8")
    path.unlink()
    assert loading.load_layers([team]).toolkit_by_id["torch"].name == "Torch"
    (team / "toolkits" / "caffe.yaml").unlink()  # a folder with nothing to read: an error
    with pytest.raises(DataError, match="holds nothing dlcompare reads"):
        loading.load_layers([team])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_among_the_data_files_is_refused_not_waited_for(data_copy, cache_dir):
    # reading a pipe nobody writes to would block forever; loading must report it instead
    fifo = data_copy / "toolkits" / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    assert any("pipe.yaml" in str(p) for p in caught.value.problems)
    assert cache.file_digests([fifo]) == {}

"""Round 3: scaffolding never leaves a folder that breaks every later command. `new toolkit`
refuses what loading would refuse; an `editions.yaml` that cannot be used is an error with
nothing created; `-o -` is standard output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    ("toolkit_id", "says"),
    [
        ("tf", "is an alias of toolkit tensorflow"),
        ("keras3", "is an alias of toolkit keras"),
        ("tensor-flow", "looks like toolkit tensorflow"),
        ("py-torch", "looks like toolkit pytorch"),
        ("interfaces", "already names criterion interfaces"),
        ("single-gpu", "already names criterion performance"),
    ],
)
def test_new_toolkit_refuses_what_loading_would(cli, tmp_path, toolkit_id, says) -> None:
    folder = tmp_path / "team"
    done = cli("new", "toolkit", toolkit_id, "--dir", str(folder))
    assert done.code == 1 and says in done.err
    assert not folder.exists()  # nothing left behind


@pytest.mark.parametrize("toolkit_id", ["flax", "tensorflow", "mindspore"])
def test_what_new_toolkit_writes_loads(cli, tmp_path, toolkit_id) -> None:
    folder = tmp_path / "team"
    assert cli("new", "toolkit", toolkit_id, "--dir", str(folder)).code == 0
    assert cli("validate", str(folder)).code == 0
    assert cli("show", "--data", str(folder), "-f", "json").code == 0


def _folder_editions(folder: Path) -> None:
    (folder / "editions.yaml").mkdir(parents=True)


def _dangling_editions(folder: Path) -> None:
    folder.mkdir()
    (folder / "editions.yaml").symlink_to(folder / "nowhere.yaml")


def _looping_editions(folder: Path) -> None:
    folder.mkdir()
    (folder / "editions.yaml").symlink_to(folder / "editions.yaml")


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_folder_editions, "is a folder, expected a file"),
        (_dangling_editions, "symbolic link to nothing"),
        (_looping_editions, "symbolic link to nothing (or a loop)"),
    ],
)
def test_an_unusable_editions_file_is_an_error_and_nothing_is_created(
    cli, tmp_path, make, says
) -> None:
    folder = tmp_path / "team"
    make(folder)
    before = sorted(p.name for p in folder.iterdir())
    done = cli("new", "toolkit", "flax", "--dir", str(folder))
    assert done.code == 1 and says in done.err and "nothing was written" in done.err
    assert sorted(p.name for p in folder.iterdir()) == before  # no empty toolkits/ left


def test_weights_init_o_dash_writes_to_stdout(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = cli("weights", "init", "-o", "-")
    assert done.code == 0 and done.out.startswith("# dlcompare weights")
    assert not (tmp_path / "-").exists()
    report = cli("report", "-o", "-", "-f", "json", "-w", "interfaces=1", "--missing", "drop")
    assert report.code == 0 and json.loads(report.out)["schema_version"]
    assert not (tmp_path / "-").exists()

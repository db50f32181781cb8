"""Round 3: `validate` never passes in silence. A data folder whose files lead nowhere, are
named like a data file but are not one, or hold nothing dlcompare reads is a named problem
(for every command, since loading is what validate checks); a link to a file outside the
folder is never read, so its content can never be quoted."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from dlcompare.loading import bundled_data_dir

CAFFE = bundled_data_dir() / "toolkits" / "caffe.yaml"
EDITIONS = bundled_data_dir() / "editions.yaml"


def _kit(folder: Path) -> None:
    (folder / "toolkits").mkdir(parents=True, exist_ok=True)
    shutil.copy(CAFFE, folder / "toolkits" / "caffe.yaml")


def _dangling(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        _kit(folder)
        (folder / name).symlink_to(folder / "gone.yaml")

    return make


def _loop(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        _kit(folder)
        (folder / name).symlink_to(folder / name)

    return make


def _toolkit_folder(folder: Path) -> None:
    (folder / "toolkit").mkdir(parents=True)
    shutil.copy(CAFFE, folder / "toolkit" / "caffe.yaml")


def _yml(name: str, source: Path) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        folder.mkdir(parents=True)
        shutil.copy(source, folder / name)

    return make


def _toolkit_named(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        _kit(folder)
        shutil.copy(CAFFE, folder / "toolkits" / name)

    return make


def _empty(folder: Path) -> None:
    folder.mkdir(parents=True)


def _at_top(folder: Path) -> None:
    folder.mkdir(parents=True)
    shutil.copy(CAFFE, folder / "caffe.yaml")


def _toolkits_dangling(folder: Path) -> None:
    folder.mkdir(parents=True)
    shutil.copy(EDITIONS, folder / "editions.yaml")
    (folder / "toolkits").symlink_to(folder / "elsewhere")


CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    # case: (how the folder is made, the file named, what the message says)
    "editions.yaml dangling": (_dangling("editions.yaml"), "editions.yaml", "link to nothing"),
    "criteria.yaml dangling": (_dangling("criteria.yaml"), "criteria.yaml", "link to nothing"),
    "editions.yaml loops": (_loop("editions.yaml"), "editions.yaml", "link that loops"),
    "criteria.yaml loops": (_loop("criteria.yaml"), "criteria.yaml", "link that loops"),
    "toolkits/ dangling": (_toolkits_dangling, "toolkits", "link to nothing"),
    "a folder toolkit/": (_toolkit_folder, "toolkit", "dlcompare reads toolkits/"),
    "editions.yml": (_yml("editions.yml", EDITIONS), "editions.yml", "reads editions.yaml"),
    "Criteria.yaml": (_yml("Criteria.yaml", EDITIONS), "Criteria.yaml", "reads criteria.yaml"),
    "toolkits/x.json": (_toolkit_named("x.json"), "x.json", "ends in .yaml"),
    "toolkits/X.YAML": (_toolkit_named("X.YAML"), "X.YAML", "ends in .yaml"),
    "an empty folder": (_empty, "d", "holds nothing dlcompare reads"),
    "a toolkit file at the top": (_at_top, "d", "belongs in toolkits/"),
}


@pytest.mark.parametrize("case", CASES)
def test_validate_names_what_it_would_pass_over(cli, tmp_path, case) -> None:
    make, named, says = CASES[case]
    folder = tmp_path / "d"
    make(folder)
    done = cli("validate", str(folder))
    assert done.code == 1, done.out
    line = next(line for line in done.out.splitlines() if says in line)
    assert named in line
    # every command loads what validate checks: the same problem, exit 1
    shown = cli("show", "--data", str(folder))
    assert shown.code == 1 and says in shown.err and "Traceback" not in shown.err


def test_a_cached_folder_still_shows_a_new_stray_folder(cli, tmp_path, cache_dir) -> None:
    folder = tmp_path / "d"
    _kit(folder)
    assert cli("validate", str(folder)).code == 0
    assert cli("validate", str(folder)).code == 0  # a cache hit
    (folder / "toolkit").mkdir()
    done = cli("validate", str(folder))
    assert done.code == 1 and "dlcompare reads toolkits/" in done.out


SECRET = "root:$6$Zg4v.Hq1$8HzXq0S2Mx3w7CtrFq.passwordhash:19000:0:99999:7:::"


@pytest.mark.parametrize("name", ["toolkits/leak.yaml", "editions.yaml", "criteria.yaml"])
@pytest.mark.parametrize("content", [SECRET, f"id: {SECRET}\n", f"- {SECRET}\n", f"a: [{SECRET}"])
def test_a_link_outside_the_folder_is_never_quoted(cli, tmp_path, name, content) -> None:
    secret = tmp_path / "shadow"
    secret.write_text(content, encoding="utf-8")
    folder = tmp_path / "d"
    _kit(folder)
    (folder / name).symlink_to(secret)
    for done in (cli("validate", str(folder)), cli("show", "--data", str(folder))):
        assert done.code == 1
        text = done.out + done.err
        assert "Zg4v" not in text and "passwordhash" not in text and "root:" not in text
        assert "is a link to a file outside the data folder" in text


def test_a_link_inside_the_folder_is_read(cli, tmp_path) -> None:
    folder = tmp_path / "d"
    _kit(folder)
    (folder / "shared").mkdir()
    shutil.copy(EDITIONS, folder / "shared" / "editions.yaml")
    (folder / "editions.yaml").symlink_to(folder / "shared" / "editions.yaml")
    assert cli("validate", str(folder)).code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_named(cli, tmp_path) -> None:
    folder = tmp_path / "d"
    _kit(folder)
    shutil.copy(EDITIONS, folder / "editions.yaml")
    (folder / "editions.yaml").chmod(0)
    done = cli("validate", str(folder))
    assert done.code == 1 and "editions.yaml: permission denied" in done.out

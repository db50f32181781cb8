"""Shared fixtures: run the CLI in-process at a pinned width and date, and build data folders."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from dlcompare.__main__ import run
from dlcompare.loading import bundled_data_dir, load_dataset

PINNED_TODAY = "2026-12-03"  # the day of the latest edition (dlcompare's own)


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Tests never read or write the user's cache of loaded folders (see dlcompare.cache)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLCOMPARE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.delenv("DLCOMPARE_NO_CACHE", raising=False)
        yield


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Golden outputs must not depend on the terminal, the colour settings or today's date."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("DLCOMPARE_TODAY", PINNED_TODAY)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("DLCOMPARE_DATA", raising=False)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """`cli("show", "performance")` runs dlcompare in-process and returns code, stdout, stderr."""

    def invoke(*args: str) -> Outcome:
        code = run(list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


@pytest.fixture(scope="session")
def bundled():
    return load_dataset()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder."""
    target = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), target)
    return target


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (made by the first load that writes to it)."""
    where = tmp_path / "cache"
    monkeypatch.setenv("DLCOMPARE_CACHE_DIR", str(where))
    return where


def fresh_load(folder: Path, monkeypatch: pytest.MonkeyPatch):
    """The folder loaded without the cache: what a cached load must equal."""
    with monkeypatch.context() as patch:
        patch.setenv("DLCOMPARE_NO_CACHE", "1")
        return load_dataset(folder)


EXECUTED: list[str] = []
"""What unpickling a `CodePayload` ran: a cache test asserts it stays empty."""


def _record(what: str) -> str:
    EXECUTED.append(what)
    return what


class CodePayload:
    """Unpickling this calls `_record`: what a tampered cache file would try to do."""

    def __reduce__(self):
        return (_record, ("code ran",))

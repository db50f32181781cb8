"""Round 3: the environment and signals. A relative XDG_CACHE_HOME is ignored (the XDG spec);
SIGTERM during `report -o` removes the temporary file, as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dlcompare import cache

SRC = os.environ.get("HOSTILE_SRC") or str(Path(__file__).resolve().parents[1] / "src")


@pytest.mark.parametrize("relative", ["cache", "./cache", "rel/cache", "~/cache"])
def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path, relative) -> None:
    monkeypatch.delenv("DLCOMPARE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", relative)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() == tmp_path / "home" / ".cache" / "dlcompare"


def test_an_absolute_xdg_cache_home_is_used(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("DLCOMPARE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.directory() == tmp_path / "xdg" / "dlcompare"


def test_a_run_leaves_nothing_in_the_current_folder(tmp_path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DLCOMPARE_CACHE_DIR"}
    env.update(PYTHONPATH=SRC, XDG_CACHE_HOME="relative-cache", HOME=str(tmp_path / "home"))
    done = subprocess.run(
        [sys.executable, "-m", "dlcompare", "list"],
        cwd=work,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert list(work.iterdir()) == []
    assert (tmp_path / "home" / ".cache" / "dlcompare").is_dir()


# The signal arrives while the temporary file exists: sent from inside the write, just
# before the file is given its mode and moved into place.
_SIGNAL_DURING_WRITE = """
import os, sys
import dlcompare.__main__ as main
real = os.fchmod
def fchmod(fd, mode):
    os.kill(os.getpid(), {signal})
    return real(fd, mode)
os.fchmod = fchmod
sys.argv = ["dlcompare", "report", "-o", sys.argv[1], "-w", "interfaces=1", "--missing", "drop"]
main.main()
"""


@pytest.mark.parametrize(("sent", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_report_o_leaves_no_temporary_file(tmp_path, sent, code) -> None:
    target = tmp_path / "report.md"
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run(
        [sys.executable, "-c", _SIGNAL_DURING_WRITE.format(signal=int(sent)), str(target)],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == code, done.stderr
    assert b"Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # neither the report nor a .dlcompare-*.tmp

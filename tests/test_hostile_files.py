"""Hostile input, class "files that are not files, and races": `-o` writes completely or not at
all, `--force` replaces regular files only (pipes, FIFOs, terminals and character devices are
written in place; links lead to what they name), concurrent runs never overwrite each other
without --force, and a folder that cannot be read is an error that names it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from dlcompare import output

ROOT = os.geteuid() == 0


def _run(*args: str, **kwargs: Any) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "dlcompare", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


def test_force_never_replaces_dev_null(cli) -> None:
    before = Path("/dev/null").stat()
    done = cli("weights", "init", "-o", "/dev/null", "--force")
    assert done.code == 0, done.err
    after = Path("/dev/null").stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_fifo_is_written_in_place(cli, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = cli("weights", "init", "-o", str(fifo), "--force")
    reader.join(timeout=60)
    assert done.code == 0, done.err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].startswith(b"# dlcompare weights")


def test_a_link_to_stdout_is_written_through(tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to("/proc/self/fd/1")
    done = _run("report", "-o", str(link), "--force")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Evaluation")
    assert link.is_symlink()


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_naming_stdout_writes_to_stdout(name: str) -> None:
    done = _run("report", "-o", name)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Evaluation")


def test_force_through_a_link_replaces_the_file_it_names(cli, tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    done = cli("weights", "init", "-o", str(link), "--force")
    assert done.code == 0, done.err
    assert link.is_symlink() and real.read_text().startswith("# dlcompare weights")


def test_a_dangling_link_is_refused(cli, tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "nowhere" / "x.yaml")
    done = cli("weights", "init", "-o", str(link), "--force")
    assert done.code == 1 and "symbolic link to nothing" in done.err
    assert not (tmp_path / "nowhere").exists()


def _block_device() -> str | None:
    for path in sorted(map(str, Path("/dev").iterdir())):
        try:
            if stat.S_ISBLK(Path(path).stat().st_mode):
                return path
        except OSError:
            continue
    return None


def test_a_block_device_is_refused_even_with_force(cli) -> None:
    device = _block_device()
    if device is None:
        pytest.skip("no block device here")
    before = Path(device).stat()
    done = cli("weights", "init", "-o", device, "--force")
    assert done.code == 1 and "--force replaces regular files only" in done.err
    assert Path(device).stat().st_rdev == before.st_rdev


def test_a_file_that_appears_meanwhile_is_not_overwritten(cli, tmp_path, monkeypatch) -> None:
    target = tmp_path / "new.html"
    real_target = output._target

    def late(path: Path, force: bool):  # the check passes, then another run writes the file
        found = real_target(path, force)
        target.write_text("theirs")
        return found

    monkeypatch.setattr(output, "_target", late)
    done = cli("report", "-o", str(target))
    assert done.code == 1 and "written meanwhile" in done.err
    assert target.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["new.html"]  # no temporary file left


def test_concurrent_runs_without_force_leave_exactly_one_winner(tmp_path: Path) -> None:
    target = tmp_path / "new.html"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "dlcompare", "report", "-f", "html", "-o", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    codes = [run.wait(timeout=300) for run in runs]
    errors = [run.stderr.read() for run in runs if run.stderr]
    assert sorted(codes) == [0] + [1] * 7, errors
    assert all("already exists" in e for e in errors if e)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["new.html"]


def test_no_write_permission_is_a_clean_message(cli, tmp_path, monkeypatch) -> None:
    import tempfile

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    done = cli("report", "-o", str(tmp_path / "r.md"))
    assert done.code == 1
    assert done.err.endswith("r.md: cannot write here (Permission denied)\n")


@pytest.mark.skipif(ROOT, reason="permissions do not bind root")
def test_a_folder_without_write_permission_for_real(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    done = _run("report", "-o", str(folder / "r.md"))
    assert done.returncode == 1 and "Permission denied" in done.stderr
    assert "Traceback" not in done.stderr


def _overlay(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "toolkits" / "kit.yaml").write_text("id: kit\nname: Kit\n")
    return folder


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    real = os.listdir

    def listdir(path: Any = ".") -> Any:
        if Path(str(path)) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)


@pytest.mark.parametrize("which", ["folder", "toolkits"])
@pytest.mark.parametrize("how", ["rank", "validate", "env"])
def test_an_unreadable_folder_is_an_error_that_names_it(cli, tmp_path, monkeypatch, which, how):
    folder = _overlay(tmp_path)
    denied = folder if which == "folder" else folder / "toolkits"
    _deny(monkeypatch, denied)
    monkeypatch.setenv("DLCOMPARE_NO_CACHE", "1")
    if how == "rank":
        done = cli("rank", "-w", "interfaces=1", "--missing", "drop", "--data", str(folder))
        text = done.err
    elif how == "validate":
        done = cli("validate", str(folder))
        text = done.out
    else:
        monkeypatch.setenv("DLCOMPARE_DATA", str(folder))
        done = cli("show", "interfaces")
        text = done.err
    assert done.code == 1
    assert f"{denied}: cannot read this" in text and "(Permission denied)" in text


@pytest.mark.skipif(ROOT, reason="permissions do not bind root")
def test_an_unreadable_folder_for_real(tmp_path: Path) -> None:
    folder = _overlay(tmp_path)
    (folder / "toolkits").chmod(0)
    try:
        done = _run("validate", str(folder))
        assert done.returncode == 1 and "cannot read this folder" in done.stdout
        env = {**os.environ, "DLCOMPARE_DATA": str(folder)}
        done = _run("show", env=env)
        assert done.returncode == 1 and "Traceback" not in done.stderr
    finally:
        (folder / "toolkits").chmod(0o700)

"""Hostile and broken input: every bad file and argument ends in one clear message and a
non-zero exit code, never a traceback, a hang or a half-written file.

The corpus below is the list of bad inputs; each case names its kind (for the count in the
issue), the expected exit code and a fragment the message must contain.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dlcompare import yamlio

ALIAS_BOMB = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)
"""Nine levels of nine aliases: 9**9 (387 million) strings if it were ever expanded."""

QUADRATIC_BLOWUP = (
    "a: &a [" + ", ".join(["x"] * 2000) + "]\nb: [" + ", ".join(["*a"] * 2000) + "]\n"
)
"""Few aliases, each repeating a large list: 4 million values from 16 KB."""


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _symlink_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _directory(path: Path) -> None:
    path.mkdir()


Content = bytes | str | Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    content: Content
    fragment: str
    code: int = 1


def _write(path: Path, content: Content) -> None:
    if callable(content):
        content(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


# --------------------------------------------------------------------------- weights files

WEIGHTS_CASES = [
    Case("unclosed-list", "yaml syntax", "interfaces: [1,\n", "line 2, column 1"),
    Case("bad-indent", "yaml syntax", "interfaces: 1\n  ecosystem: 2\n", "line 2, column 12"),
    Case("unclosed-quote", "yaml syntax", 'interfaces: "1\n', "line 2, column 1"),
    Case("tab-indent", "yaml syntax", "performance:\n\tsingle-gpu: 1\n", "line 2, column 1"),
    Case("two-documents", "yaml syntax", "interfaces: 1\n---\ninterfaces: 2\n", "another document"),
    Case("undefined-alias", "yaml syntax", "interfaces: *nowhere\n", "undefined alias"),
    Case("empty-file", "empty", "", "the file is empty"),
    Case("only-comments", "empty", "# nothing here\n", "the file is empty"),
    Case("only-null", "empty", "~\n", "the file is empty"),
    Case("list-at-top", "wrong shape", "- interfaces\n- 2\n", "found a list"),
    Case("scalar-at-top", "wrong shape", "interfaces\n", "found text"),
    Case("list-as-weight", "wrong shape", "interfaces: [1, 2]\n", "got a list of 2 item(s)"),
    Case("leaf-with-parts", "wrong shape", "interfaces: {x: 1}\n", "has no parts"),
    Case(
        "parent-and-part",
        "wrong shape",
        "performance: 2\nperformance.single-gpu: 1\n",
        "whole or by its parts",
    ),
    Case("unknown-part", "wrong shape", "performance: {tpu: 1}\n", "has no part 'tpu'"),
    Case("complex-key", "wrong shape", "? [a, b]\n: 1\n", "a mapping key must be a plain value"),
    Case("number-key", "wrong shape", "1: 2\n", "1 is not a criterion name"),
    Case("weight-as-text", "wrong type", 'interfaces: "two"\n', "must be a number, got 'two'"),
    Case("weight-as-bool", "wrong type", "interfaces: yes\n", "must be a number, got true"),
    Case("weight-as-date", "wrong type", "interfaces: 2016-05-11\n", "got 2016-05-11"),
    Case("weight-as-null", "wrong type", "interfaces:\n", "must be a number, got null"),
    Case("weight-comma", "wrong type", "interfaces: 1,5\n", "got '1,5'"),
    Case("nan", "nan/infinity", "interfaces: .nan\n", ".nan is not a decimal number"),
    Case("infinity", "nan/infinity", "interfaces: .inf\n", "a number must be finite"),
    Case("minus-infinity", "nan/infinity", "interfaces: -.Inf\n", "read it as minus infinity"),
    Case("nan-as-text", "nan/infinity", "interfaces: nan\n", "must be a finite number, got nan"),
    Case("inf-as-text", "nan/infinity", "interfaces: -inf\n", "finite number, got -inf"),
    Case("negative", "nan/infinity", "interfaces: -1\n", "must be zero or more, got -1"),
    Case("duplicate-key", "duplicate", "interfaces: 1\ninterfaces: 2\n", "duplicate key"),
    Case(
        "duplicate-nested",
        "duplicate",
        "performance:\n  single-gpu: 1\n  single-gpu: 2\n",
        "line 3, column 3: duplicate key 'single-gpu'",
    ),
    Case(
        "duplicate-by-merge",
        "duplicate",
        "<<: {interfaces: 1}\ninterfaces: 2\ninterfaces: 3\n",
        "duplicate key 'interfaces'",
    ),
    Case(
        "same-leaf-twice",
        "duplicate",
        "performance.single-gpu: 1\nperformance: {single-gpu: 2}\n",
        "given more than once",
    ),
    Case("latin-1", "encoding", b"interfaces: 1 # caf\xe9\n", "is not UTF-8 text (bad byte at"),
    Case("utf-16", "encoding", "interfaces: 1\n".encode("utf-16"), "is UTF-16 text"),
    Case("nul-bytes", "encoding", b"interfaces: 1\n\x00\x00\x00", "is a binary file"),
    Case("elf-binary", "encoding", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "binary file"),
    Case("control-char", "encoding", "interfaces: 1\x07\n", "line 1, column 14: character U+0007"),
    Case("directory", "filesystem", _directory, "is a directory, expected a file"),
    Case("dev-zero", "filesystem", _symlink_to_dev_zero, "is not a regular file"),
    Case(
        "dangling-symlink", "filesystem", lambda p: p.symlink_to(p.parent / "gone"), "no such file"
    ),
    Case("over-size-cap", "size", "#" * yamlio.MAX_BYTES + "\n", "the limit is 1,048,576 bytes"),
    Case(
        "too-many-values",
        "size",
        "interfaces:\n" + "  - 1\n" * (yamlio.MAX_NODES + 1),
        "holds more than 100,000 values",
    ),
    Case("deep-flow-lists", "depth", "[" * 100_000, "nested deeper than 40 levels"),
    Case("deep-flow-maps", "depth", "{a: " * 100_000, "nested deeper than 40 levels"),
    Case(
        "deep-block-lists",
        "depth",
        "".join("  " * i + "-\n" for i in range(60)),
        "nested deeper than 40 levels",
    ),
    Case("billion-laughs", "alias bomb", ALIAS_BOMB, "holds more than 100,000 values"),
    Case("quadratic-blowup", "alias bomb", QUADRATIC_BLOWUP, "holds more than 100,000 values"),
    Case("self-alias", "alias bomb", "a: &a [*a]\n", "line 1, column 4"),
    Case(
        "python-object",
        "custom tag",
        "interfaces: !!python/object/apply:os.system ['echo pwned']\n",
        "tag !!python/object/apply:os.system is not allowed",
    ),
    Case(
        "python-name",
        "custom tag",
        "interfaces: !!python/name:os.system\n",
        "tag !!python/name:os.system is not allowed",
    ),
    Case("local-tag", "custom tag", "interfaces: !weight 1\n", "tag !weight is not allowed"),
    Case("bad-timestamp", "invalid date", "interfaces: 2015-13-40\n", "not a valid date"),
    Case("dotdot-key", "path-like name", "../etc/passwd: 1\n", "names never contain"),
    Case("slash-key", "path-like name", "performance/single-gpu: 1\n", "names never contain"),
    Case("backslash-key", "path-like name", "'a\\b': 1\n", "names never contain"),
    Case("unknown-key", "unknown name", "interfacez: 1\n", "did you mean 'interfaces'"),
    Case("escape-in-key", "unknown name", '"inter\\efaces": 1\n', "'inter\\x1bfaces'"),
]


@pytest.mark.parametrize("case", WEIGHTS_CASES, ids=lambda c: c.id)
def test_bad_weights_file(cli, tmp_path: Path, case: Case) -> None:
    path = tmp_path / "weights.yaml"
    _write(path, case.content)
    result = cli("rank", "--weights", str(path))
    assert result.code == case.code, result.err
    assert case.fragment in result.err
    assert str(path) in result.err, "the message names the file"
    assert result.err.startswith("dlcompare: error: ")
    assert "Traceback" not in result.err
    assert "\x1b" not in result.err
    assert result.out == ""


def test_missing_weights_file(cli, tmp_path: Path) -> None:
    result = cli("rank", "--weights", str(tmp_path / "nowhere.yaml"))
    assert result.code == 1
    assert result.err == f"dlcompare: error: {tmp_path / 'nowhere.yaml'}: no such file\n"


def test_unreadable_weights_file(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, which reads anything: the refusal is simulated where the file is
    opened, so the message path is still exercised."""
    path = tmp_path / "secret.yaml"
    path.write_text("interfaces: 1\n")
    real_open = Path.open

    def refuse(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = cli("rank", "--weights", str(path))
    assert (result.code, result.err) == (1, f"dlcompare: error: {path}: permission denied\n")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads files whatever their mode; test_unreadable_weights_file simulates it",
)
def test_unreadable_weights_file_for_real(cli, tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("interfaces: 1\n")
    path.chmod(0)
    result = cli("rank", "--weights", str(path))
    assert (result.code, result.err) == (1, f"dlcompare: error: {path}: permission denied\n")


def test_weights_from_a_pipe_are_read(cli, tmp_path: Path) -> None:
    """`--weights <(...)` hands over a pipe: that is a file the user named, so it is read."""
    read_end, write_end = os.pipe()
    os.write(write_end, b"interfaces: 1\n")
    os.close(write_end)
    try:
        result = cli("rank", "--weights", f"/dev/fd/{read_end}", "--missing", "drop", "-f", "json")
    finally:
        os.close(read_end)
    assert result.code == 0, result.err
    assert '"interfaces"' in result.out


# --------------------------------------------------------------------------- data folders


def _set(relative: str, content: Content) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        target = folder / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        _write(target, content)

    return change


def _replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        target = folder / relative
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def _remove(relative: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / relative).unlink()

    return change


CAFFE = "toolkits/caffe.yaml"
FIRST_SCORE = "      score: 3\n"

DATA_CASES = [
    Case("toolkit-syntax", "yaml syntax", _set(CAFFE, "id: caffe\nname: [Caffe\n"), "line 3"),
    Case("criteria-empty", "empty", _set("criteria.yaml", ""), "the file is empty"),
    Case("toolkit-is-list", "wrong shape", _set(CAFFE, "- caffe\n"), "found a list"),
    Case(
        "editions-not-list",
        "wrong shape",
        _replace("editions.yaml", "editions:\n", "editions: 5\nold:\n"),
        "editions.yaml › editions: must be a list (got 5)",
    ),
    Case(
        "ratings-is-list",
        "wrong shape",
        _replace(CAFFE, "ratings:\n", "ratings: [1, 2]\nold:\n"),
        "ratings: must be a mapping of keys to values (got a list of 2 item(s))",
    ),
    Case(
        "score-as-text",
        "wrong type",
        _replace(CAFFE, FIRST_SCORE, '      score: "3"\n'),
        "modeling-capability › 2015-12-07 › score: must be a number, not text in quotes (got '3')",
    ),
    Case(
        "score-as-bool",
        "wrong type",
        _replace(CAFFE, FIRST_SCORE, "      score: true\n"),
        "score: must be a number (got true)",
    ),
    Case(
        "name-as-list",
        "wrong type",
        _replace(CAFFE, "name: Caffe\n", "name: [Caffe]\n"),
        "caffe.yaml › name: must be text (got a list of 1 item(s))",
    ),
    Case(
        "score-nan",
        "nan/infinity",
        _replace(CAFFE, FIRST_SCORE, "      score: .nan\n"),
        "line 26, column 14: .nan is not a decimal number",
    ),
    Case(
        "score-infinity",
        "nan/infinity",
        _replace(CAFFE, FIRST_SCORE, "      score: -.inf\n"),
        "a number must be finite",
    ),
    Case(
        "toolkit-duplicate-key",
        "duplicate",
        _replace(CAFFE, "name: Caffe\n", "name: Caffe\nname: Caffe2\n"),
        "line 3, column 1: duplicate key 'name'",
    ),
    Case(
        "duplicate-date",
        "duplicate",
        _replace(
            CAFFE,
            "  interfaces:\n    2015-12-07:\n",
            "  interfaces:\n    2015-12-07: {score: 1, summary: x}\n    2015-12-07:\n",
        ),
        "duplicate key 2015-12-07",
    ),
    Case("toolkit-latin-1", "encoding", _set(CAFFE, b"id: caffe\nname: Caf\xe9\n"), "not UTF-8"),
    Case("toolkit-binary", "encoding", _set(CAFFE, bytes(range(256))), "is a binary file"),
    Case(
        "editions-is-directory", "filesystem", _set("editions.yaml", _directory), "is a directory"
    ),
    Case(
        "editions-missing",
        "filesystem",
        _remove("editions.yaml"),
        "no editions.yaml in any data folder",
    ),
    Case(
        "toolkits-is-file",
        "filesystem",
        _set("toolkits", "x"),
        "toolkits: is a file, expected a folder",
    ),
    Case("toolkit-fifo", "filesystem", _set("toolkits/zz.yaml", _fifo), "not a regular file"),
    Case(
        "toolkit-dev-zero",
        "filesystem",
        _set("toolkits/zz.yaml", _symlink_to_dev_zero),
        "not a regular file",
    ),
    Case("toolkit-huge", "size", _set(CAFFE, "#" * (yamlio.MAX_BYTES + 1)), "the limit is"),
    Case("toolkit-deep", "depth", _set(CAFFE, "id: " + "[" * 100_000), "nested deeper than 40"),
    Case("toolkit-alias-bomb", "alias bomb", _set(CAFFE, ALIAS_BOMB), "more than 100,000 values"),
    Case(
        "toolkit-python-tag",
        "custom tag",
        _replace(CAFFE, "id: caffe\n", "id: !!python/object/new:os.system [ls]\n"),
        "tag !!python/object/new:os.system is not allowed",
    ),
    Case(
        "rating-impossible-date",
        "invalid date",
        _replace(CAFFE, "    2015-12-07:\n", "    2015-13-07:\n"),
        "column 5: not a valid date: month must be in 1..12",
    ),
    Case(
        "edition-date-as-text",
        "invalid date",
        _replace("editions.yaml", "date: 2015-11-20", "date: 20th of November"),
        "date: must be a date (YYYY-MM-DD) (got '20th of November')",
    ),
    Case(
        "rating-before-any-edition",
        "invalid date",
        _replace(CAFFE, "    2015-12-07:\n", "    2014-01-01:\n"),
        "no edition on 2014-01-01",
    ),
    Case(
        "id-with-dotdot",
        "path-like name",
        _replace(CAFFE, "id: caffe\n", "id: ../caffe\n"),
        "id: must be a slug",
    ),
    Case(
        "rating-path-like",
        "path-like name",
        _replace(CAFFE, "  interfaces:\n", "  ../../interfaces:\n"),
        "ratings › ../../interfaces: unknown criterion",
    ),
    Case(
        "alias-with-slash",
        "path-like name",
        _replace(CAFFE, "aliases: [bvlc-caffe]", "aliases: [bvlc/caffe]"),
        "aliases › 0: must be a slug",
    ),
]


def test_data_corpus_fixture_is_valid(cli, data_copy: Path) -> None:
    """The folder every data case breaks is itself fine, so each case fails for its own reason."""
    result = cli("validate", str(data_copy), "--no-bundled")
    assert result.code == 0, result.out


@pytest.mark.parametrize("case", DATA_CASES, ids=lambda c: c.id)
def test_bad_data_folder(cli, data_copy: Path, case: Case) -> None:
    assert callable(case.content)
    case.content(data_copy)
    result = cli("validate", str(data_copy), "--no-bundled", "--format", "json")
    assert result.code == case.code, result.err
    assert result.err == ""
    import json

    report = json.loads(result.out)
    assert report["ok"] is False
    lines = [f"{p['file']} › {p['where']}: {p['message']}" for p in report["problems"]]
    lines += [f"{p['file']}: {p['message']}" for p in report["problems"]]
    assert any(case.fragment in line for line in lines), lines
    assert all(p["file"].startswith(str(data_copy)) for p in report["problems"])


@pytest.mark.parametrize("folder", ["missing", "a-file"])
def test_data_folder_that_is_not_one(cli, tmp_path: Path, folder: str) -> None:
    target = tmp_path / folder
    if folder == "a-file":
        target.write_text("x")
    result = cli("validate", str(target), "--format", "json")
    assert result.code == 1
    expected = "is a file, expected a data folder" if folder == "a-file" else "no such data folder"
    assert f'"message": "{expected}"' in result.out


def test_broken_bundled_data_is_a_message(cli, data_copy: Path, monkeypatch) -> None:
    """Commands other than `validate` report broken data on stderr with exit 1, at most
    SHOWN_PROBLEMS of them, and point at `validate` for the rest."""
    from dlcompare import __main__, loading

    for toolkit in (data_copy / "toolkits").glob("*.yaml"):
        text = toolkit.read_text(encoding="utf-8")
        toolkit.write_text(text.replace("score: ", "score: !!str "), encoding="utf-8")
    monkeypatch.setattr(loading.folders, "bundled_data_dir", lambda: data_copy)
    monkeypatch.setattr(__main__, "SHOWN_PROBLEMS", 3)
    result = cli("show")
    assert result.code == 1
    assert result.out == ""
    assert "problem(s):" in result.err
    assert "score: must be a number, not text in quotes" in result.err
    assert "  ... and " in result.err
    assert "Traceback" not in result.err


# --------------------------------------------------------------------------- arguments


@dataclass(frozen=True)
class Args:
    id: str
    kind: str
    args: tuple[str, ...]
    fragment: str
    code: int = 1


ARG_CASES = [
    Args("toolkit-dotdot", "path-like name", ("diff", "tf", "../torch"), "did you mean 'torch'"),
    Args("subject-abs-path", "path-like name", ("show", "/etc/passwd"), "names never contain"),
    Args("subject-slash", "path-like name", ("show", "performance/single-gpu"), "never contain"),
    Args("subject-backslash", "path-like name", ("show", "..\\torch"), "names never contain"),
    Args("weight-dotdot", "path-like name", ("rank", "-w", "../x=1"), "names never contain"),
    Args(
        "schema-dotdot", "path-like name", ("schema", "../toolkit"), "unknown schema '../toolkit'"
    ),
    Args("unknown-toolkit", "unknown name", ("diff", "tf", "torhc"), "did you mean 'torch'"),
    Args("unknown-subject", "unknown name", ("show", "speed"), "neither a criterion nor a toolkit"),
    Args("empty-subject", "unknown name", ("show", ""), "'' is neither"),
    Args("long-name", "unknown name", ("show", "x" * 100_000), "100,000 characters is too long"),
    Args("escape-name", "unknown name", ("show", "\x1b[2J"), "'\\x1b[2J' is neither"),
    Args("weight-nan", "nan/infinity", ("rank", "-w", "interfaces=nan"), "finite number, got nan"),
    Args("weight-inf", "nan/infinity", ("rank", "-w", "interfaces=inf"), "finite number, got inf"),
    Args("weight-huge", "nan/infinity", ("rank", "-w", "interfaces=1e400"), "got 1e400"),
    Args(
        "weight-negative", "nan/infinity", ("rank", "-w", "interfaces=-2"), "zero or more, got -2"
    ),
    Args("weight-text", "wrong type", ("rank", "-w", "interfaces=high"), "got 'high'"),
    Args("weight-empty", "wrong type", ("rank", "-w", "interfaces="), "got ''"),
    Args("weight-no-equals", "wrong shape", ("rank", "-w", "interfaces"), "CRITERION=WEIGHT"),
    Args("weight-no-name", "wrong shape", ("rank", "-w", "=3"), "CRITERION=WEIGHT"),
    Args(
        "weight-parent-and-part",
        "wrong shape",
        ("rank", "-w", "performance=1", "-w", "single-gpu=1"),
        "whole or by its parts",
    ),
    Args(
        "weight-twice",
        "duplicate",
        ("rank", "-w", "interfaces=1", "-w", "Interfaces=2"),
        "already weighted by -w interfaces=1",
    ),
    Args("all-zero", "wrong shape", ("rank", "-w", "interfaces=0"), "every weight is zero"),
    Args("no-weights", "usage", ("rank",), "rank needs your weights", 2),
    Args("bad-missing", "usage", ("rank", "-w", "interfaces=1", "--missing", "x"), "drop", 2),
    Args("bad-format", "usage", ("show", "--format", "xml"), "'xml' is not a format", 2),
    Args("empty-format", "usage", ("list", "--format", ""), "is not a format", 2),
    Args("unknown-command", "usage", ("shwo",), "No such command", 2),
    Args("impossible-date", "invalid date", ("show", "--as-of", "2016-02-30"), "not a valid date"),
    Args("month-13", "invalid date", ("list", "--as-of", "2016-13-01"), "month must be in 1..12"),
    Args("year-zero", "invalid date", ("show", "--as-of", "0000-01-01"), "not a valid date"),
    Args("before-first", "invalid date", ("show", "--as-of", "2015-01-01"), "before the first"),
    Args("not-a-date", "invalid date", ("show", "--as-of", "yesterday"), "is not a date"),
    Args("empty-date", "invalid date", ("show", "--as-of", ""), "'' is not a date"),
    Args("unknown-commit", "invalid date", ("show", "--as-of", "deadbeef"), "is not a date"),
]


@pytest.mark.parametrize("case", ARG_CASES, ids=lambda c: c.id)
def test_bad_argument(cli, case: Args) -> None:
    result = cli(*case.args)
    assert result.code == case.code, result.err
    assert case.fragment in result.err
    assert "Traceback" not in result.err
    assert "\x1b" not in result.err
    assert result.out == ""
    assert len(result.err) < 2000, "a message quotes what it needs, not the whole input"


# --------------------------------------------------------------------------- output paths


def test_output_to_a_directory(cli, tmp_path: Path) -> None:
    result = cli("weights", "init", "-o", str(tmp_path), "--force")
    assert (result.code, result.err) == (
        1,
        f"dlcompare: error: {tmp_path}: is a directory; give a file name\n",
    )


def test_output_under_a_file(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("weights", "init", "-o", str(blocker / "mine.yaml"))
    assert result.code == 1
    assert "cannot write here (Not a directory)" in result.err
    assert blocker.read_text() == "x"


def test_output_to_a_missing_folder(cli, tmp_path: Path) -> None:
    result = cli("weights", "init", "-o", str(tmp_path / "no" / "mine.yaml"))
    assert result.code == 1
    assert "cannot write here (No such file or directory)" in result.err


def test_output_never_overwrites_without_force(cli, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("interfaces: 3\n")
    result = cli("weights", "init", "-o", str(target))
    assert result.code == 1
    assert "already exists; use --force" in result.err
    assert target.read_text() == "interfaces: 3\n"


def test_unwritable_folder(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root may write anywhere, so the refusal is simulated where the temporary file is made."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = cli("weights", "init", "-o", str(tmp_path / "mine.yaml"))
    assert (result.code, result.err) == (
        1,
        f"dlcompare: error: {tmp_path / 'mine.yaml'}: cannot write here (Permission denied)\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failed_write_leaves_nothing_half_written(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    """A write that fails midway (disk full, Ctrl-C) leaves the old file as it was and no
    temporary file behind."""
    target = tmp_path / "mine.yaml"
    target.write_text("interfaces: 3\n")
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, file: io.TextIOWrapper) -> None:
            self.file = file

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, text: str) -> int:
            self.file.write(text[: len(text) // 2])
            self.file.flush()
            raise failure

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    result = cli("weights", "init", "-o", str(target), "--force")
    monkeypatch.undo()
    if isinstance(failure, KeyboardInterrupt):
        assert (result.code, result.err) == (130, "")
    else:
        assert result.code == 1
        assert "cannot write (No space left on device)" in result.err
    assert target.read_text() == "interfaces: 3\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]


# --------------------------------------------------------------------------- process level


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "DLCOMPARE_DATA"}}
    env.update(COLUMNS="80", DLCOMPARE_TODAY="2026-11-26")
    return env


@pytest.mark.parametrize(
    "args",
    [
        ("show",),
        ("show", "--format", "json"),
        ("show", "--format", "markdown"),
        ("show", "--format", "csv"),
        ("rank", "-w", "interfaces=1", "--missing", "drop"),
        ("weights", "init"),
        ("schema",),
        ("--version",),
    ],
    ids=" ".join,
)
def test_closed_reader_ends_quietly(args: tuple[str, ...]) -> None:
    """`dlcompare show | head -1`: the reader is gone before anything is written (its end of
    the pipe is closed before dlcompare starts), so the first write fails. dlcompare stops
    quietly with 141 (128 + SIGPIPE, as a shell reports a command killed by it)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dlcompare", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=_env(),
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr.decode() == ""
    assert done.returncode == 141


def test_reader_closing_midway_ends_quietly() -> None:
    """The shell case: `dlcompare show --format json | head -c 10`, a reader that takes a
    little and leaves while dlcompare is still writing."""
    shell = f"{sys.executable} -m dlcompare show --format json | head -c 10"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell],
        capture_output=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert done.stdout == b'{\n  "schem'
    assert done.stderr == b""
    assert done.returncode in (0, 141)  # 0 when the document fitted in the pipe first


def _wait_until_blocked_in_read(pid: int, deadline: float) -> None:
    wchan = Path(f"/proc/{pid}/wchan")
    if not wchan.exists():  # no /proc: give the reader time to reach its read
        time.sleep(1)
        return
    while "pipe_read" not in wchan.read_text() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_ctrl_c_exits_130_without_traceback(tmp_path: Path) -> None:
    """A real SIGINT while dlcompare waits: it reads weights from a pipe that this test opens
    for writing (so dlcompare is known to be inside the read) and never writes to."""
    fifo = tmp_path / "weights"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [sys.executable, "-m", "dlcompare", "rank", "--weights", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    writer = -1
    try:
        deadline = time.monotonic() + 60
        while writer < 0:  # opening without a reader fails (ENXIO) instead of blocking
            try:
                writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        # The open has returned; wait until the read itself blocks. A signal that lands between
        # the two is only noted by Python and the read then waits for ever: the race of every
        # program reading a pipe, which a second Ctrl-C ends, but not what this test is about.
        _wait_until_blocked_in_read(process.pid, deadline)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if writer >= 0:
            os.close(writer)
        if process.poll() is None:
            process.kill()
            process.wait()
    assert err.decode() == ""
    assert out == b""
    assert process.returncode == 130


def test_ctrl_c_in_process(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from dlcompare import loading

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(loading, "load_layers", interrupted)
    result = cli("show")
    assert (result.code, result.out, result.err) == (130, "", "")


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("interfaces: nan\n")
    command = [sys.executable, "-m", "dlcompare", "rank", "--weights", str(path)]
    plain = subprocess.run(command, capture_output=True, env=_env(), timeout=60, check=False)
    debug = subprocess.run(
        [*command[:3], "--debug", *command[3:]],
        capture_output=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert plain.returncode == debug.returncode == 1
    assert b"Traceback" not in plain.stderr
    assert plain.stderr.startswith(b"dlcompare: error: ")
    assert b"Traceback (most recent call last)" in debug.stderr
    assert b"WeightsError: " in debug.stderr


def test_tiny_terminal_width_still_prints(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """COLUMNS=0 made rich print nothing at all: the layout has a floor width instead."""
    monkeypatch.setenv("COLUMNS", "0")
    result = cli("show", "tensorflow")
    assert result.code == 0
    assert "TensorFlow" in result.out


# --------------------------------------------------------------------------- the count


def test_corpus_counts_by_kind() -> None:
    """The corpus named in the issue: every kind it lists has at least one case."""
    corpus: list[Case | Args] = [*WEIGHTS_CASES, *DATA_CASES, *ARG_CASES]
    kinds: dict[str, int] = {}
    for case in corpus:
        kinds[case.kind] = kinds.get(case.kind, 0) + 1
    required = {
        "yaml syntax",
        "empty",
        "wrong shape",
        "wrong type",
        "nan/infinity",
        "duplicate",
        "encoding",
        "filesystem",
        "size",
        "depth",
        "alias bomb",
        "custom tag",
        "path-like name",
        "invalid date",
    }
    assert required <= set(kinds), required - set(kinds)
    ids = [c.id for c in corpus]
    assert len(ids) == len(set(ids))

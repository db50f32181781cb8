"""Hostile input, class "no traceback, ever": names too long for the file system, a closed
stdout, locales that cannot encode the stars, Ctrl-C at any moment, arguments of 100,000
characters, and a file that is not a data file at all. Each ends in one message (or plain
output) and an exit code."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

LONG = "a" * 300


def _run(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "dlcompare", *args],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("report", "-o", f"/tmp/{LONG}/x.md"),
        ("report", "-o", f"/tmp/{LONG}.md"),
        ("weights", "init", "-o", f"{LONG}.yaml", "--force"),
        ("show", "--data", f"/tmp/{LONG}"),
        ("validate", f"/tmp/{LONG}"),
        ("validate", f"/tmp/{LONG}/sub"),
    ],
    ids=lambda a: " ".join(x[:12] for x in a),
)
def test_a_name_too_long_is_a_message(cli, args) -> None:
    done = cli(*args)
    assert done.code == 1
    text = done.out + done.err
    assert "File name too long" in text and "Traceback" not in text
    assert LONG not in text  # quoted cut


def test_a_name_too_long_in_dlcompare_data(cli, monkeypatch) -> None:
    monkeypatch.setenv("DLCOMPARE_DATA", f"/tmp/{LONG}")
    done = cli("show")
    assert done.code == 1 and "File name too long" in done.err


@pytest.mark.parametrize("args", [("show", "performance"), ("show", "-f", "json"), ("list",)])
def test_a_closed_stdout_is_a_message(args) -> None:
    done = _run(*args, preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    assert b"standard output is closed" in done.stderr and b"Traceback" not in done.stderr


def test_a_closed_stdout_does_not_matter_when_nothing_is_printed(tmp_path: Path) -> None:
    done = _run("report", "-o", str(tmp_path / "r.md"), preexec_fn=lambda: os.close(1))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.md").exists()


def test_a_closed_stderr_is_no_crash() -> None:
    done = _run("show", "nothing-like-this", preexec_fn=lambda: os.close(2))
    assert done.returncode == 1


LOCALES = [
    {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""},
    {"PYTHONIOENCODING": "latin-1", "PYTHONUTF8": "0"},
    {"PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"},
    {"PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"},
]


@pytest.mark.parametrize("env", LOCALES, ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()))
@pytest.mark.parametrize(
    "args",
    [
        ("show", "tf"),
        ("show", "performance", "-f", "markdown"),
        ("show", "-f", "csv"),
        ("rank", "-w", "interfaces=1", "--sensitivity"),
        ("history", "tf"),
        ("diff", "tf", "torch"),
        ("show", "t\u0435nsorflow"),  # an error quoting a non-ASCII argument
    ],
    ids=" ".join,
)
def test_a_locale_without_the_marks_prints(env, args) -> None:
    done = _run(*args, env=env)
    assert done.returncode in (0, 1)
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
    if args == ("show", "tf") and env.get("PYTHONIOENCODING") == "ascii":
        assert b"****" in done.stdout  # ASCII stand-ins for the stars, not escapes
        assert b"\\u2605" not in done.stdout


BEFORE_HANDLER = next(
    n
    for n, line in enumerate(
        (Path(__file__).parents[1] / "src/dlcompare/__init__.py").read_text().splitlines(), 1
    )
    if "_signal.signal(" in line
)


def test_ctrl_c_at_any_moment_is_exit_130_without_traceback() -> None:
    for delay in (0.0, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2):
        run = subprocess.Popen(
            [sys.executable, "-m", "dlcompare", "show", "-f", "json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=60)
        # Python's own start-up and import machinery (before the first statement of dlcompare
        # runs, e.g. "Could not import runpy module") is out of reach: a traceback, if any,
        # ends there, never in dlcompare's code.
        frames = re.findall(rb'File "([^"]+)", line (\d+)', err)
        if frames and b"/dlcompare/" in frames[-1][0]:
            # only the statements of dlcompare/__init__.py before it sets its handler
            assert frames[-1][0].endswith(b"dlcompare/__init__.py"), (delay, err)
            assert int(frames[-1][1]) <= BEFORE_HANDLER, (delay, err)
        assert run.returncode in (0, 1, 130, -signal.SIGINT), (delay, run.returncode)


HUGE = "x" * 100_000


@pytest.mark.parametrize(
    "args",
    [
        ("diff", f"{HUGE}@", "tf"),
        ("diff", f"tf@{HUGE}", "tf"),
        ("rank", "--weights", HUGE),
        ("rank", "-w", f"{HUGE}=1"),
        ("rank", "-w", f"interfaces={HUGE}"),
        ("schema", HUGE),
        ("show", HUGE),
        ("show", "tf", "--as-of", HUGE),
        ("history", "tf", HUGE),
        ("changes", HUGE),
        ("report", "-f", HUGE),
        (HUGE,),
        ("show", "--data", HUGE),
        ("validate", HUGE),
        ("show", "-f", HUGE),
    ],
    ids=lambda a: " ".join(x[:10] for x in a),
)
def test_a_huge_argument_is_quoted_by_a_short_prefix(cli, args) -> None:
    done = cli(*args)
    assert done.code in (1, 2)
    assert len(done.err) + len(done.out) < 2000, (done.err + done.out)[:300]


def test_a_file_that_is_not_a_data_file_quotes_one_key(cli, tmp_path: Path) -> None:
    folder = tmp_path / "d" / "toolkits"
    folder.mkdir(parents=True)
    (folder / "leak.yaml").write_text("".join(f"SECRET_{n}: value-{n}\n" for n in range(27)))
    done = cli("validate", str(tmp_path / "d"))
    assert done.code == 1
    assert done.out.count("SECRET_") == 1 and "value-" not in done.out
    assert "is not a Toolkit file" in done.out


def test_a_link_to_a_file_outside_the_folder_is_never_quoted(cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.env"
    secret.write_text("".join(f"SECRET_{n}: value-{n}\n" for n in range(27)))
    folder = tmp_path / "d" / "toolkits"
    folder.mkdir(parents=True)
    (folder / "leak.yaml").symlink_to(secret)
    done = cli("validate", str(tmp_path / "d"))
    assert done.code == 1
    assert "SECRET_" not in done.out and "value-" not in done.out
    assert "leak.yaml: is a link to a file outside the data folder" in done.out


def test_ctrl_c_between_import_and_run_is_exit_130() -> None:
    code = (
        "import os, signal, dlcompare.__main__ as m; os.kill(os.getpid(), signal.SIGINT); m.main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 130 and b"Traceback" not in done.stderr

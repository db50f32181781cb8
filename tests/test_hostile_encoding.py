"""Round 3: output on a stdout that is not UTF-8. JSON stays valid JSON (ASCII escapes), the
other documents are the UTF-8 bytes `-o` writes, the table degrades but says nothing false."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = os.environ.get("HOSTILE_SRC") or str(Path(__file__).resolve().parents[1] / "src")

TEXT = "café ★ 😀 中文 Ünï"

STDOUTS = {
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "C locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
}


@pytest.fixture(scope="module")
def unicode_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unicode")
    (folder / "toolkits").mkdir()
    (folder / "toolkits" / "uni.yaml").write_text(
        f'id: uni\nname: "Ünï 😀"\nratings:\n  interfaces:\n    2016-12-06:\n'
        f'      {{score: 4.5, summary: "{TEXT}", sources: [https://example.org/é]}}\n',
        encoding="utf-8",
    )
    return folder


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG", "PYTHONUTF8")
    }
    environment.update(
        {"PYTHONPATH": SRC, "DLCOMPARE_TODAY": "2026-12-03", "COLUMNS": "100", "NO_COLOR": "1"}
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "dlcompare", *args],
        env=environment,
        capture_output=True,
        cwd=cwd,
        check=False,
    )


UTF8 = {"PYTHONIOENCODING": "utf-8"}
SHOW = ["show", "uni", "--data"]
REPORT = ["report", "-w", "interfaces=1", "--missing", "drop", "--data"]


@pytest.mark.parametrize("stdout", STDOUTS)
def test_json_is_valid_ascii_json_with_the_same_value(unicode_data, tmp_path, stdout) -> None:
    for args in (
        [*SHOW, str(unicode_data), "-f", "json"],
        [*REPORT, str(unicode_data), "-f", "json"],
    ):
        done = _run(args, STDOUTS[stdout], tmp_path)
        assert done.returncode == 0, done.stderr
        text = done.stdout.decode("ascii")  # nothing but ASCII: valid in any of these encodings
        reference = _run(args, UTF8, tmp_path)
        assert json.loads(text) == json.loads(reference.stdout.decode("utf-8"))
        assert TEXT in json.dumps(json.loads(text), ensure_ascii=False)


@pytest.mark.parametrize("stdout", STDOUTS)
@pytest.mark.parametrize(
    ("command", "fmt"),
    [(SHOW, "csv"), (SHOW, "markdown"), (REPORT, "markdown"), (REPORT, "html")],
)
def test_documents_are_the_utf8_bytes_whatever_the_stdout(
    unicode_data, tmp_path, stdout, command, fmt
) -> None:
    args = [*command, str(unicode_data), "-f", fmt]
    done = _run(args, STDOUTS[stdout], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == _run(args, UTF8, tmp_path).stdout
    assert TEXT.encode("utf-8") in done.stdout or fmt != "csv"
    assert b"\\xe9" not in done.stdout and b"\\u2605" not in done.stdout


@pytest.mark.parametrize("stdout", STDOUTS)
def test_a_report_written_with_o_is_utf8(unicode_data, tmp_path, stdout) -> None:
    for fmt in ("markdown", "html", "json"):
        target = tmp_path / f"{stdout}.{fmt}"
        args = [*REPORT, str(unicode_data), "-f", fmt, "-o", str(target)]
        assert _run(args, STDOUTS[stdout], tmp_path).returncode == 0
        reference = tmp_path / f"utf8.{fmt}"
        reference.unlink(missing_ok=True)
        _run([*REPORT, str(unicode_data), "-f", fmt, "-o", str(reference)], UTF8, tmp_path)
        assert target.read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("stdout", ["ascii", "latin-1"])
def test_the_table_degrades_but_keeps_every_figure(unicode_data, tmp_path, stdout) -> None:
    done = _run([*SHOW, str(unicode_data)], STDOUTS[stdout], tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode(STDOUTS[stdout]["PYTHONIOENCODING"])
    assert "4.5" in text and "Interfaces" in text and "2016-12-06" in text

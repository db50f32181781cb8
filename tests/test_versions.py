"""The data fields `check` reads: a toolkit's `packages` and the `version` an assessment was
judged on. Validated, kept through the cache, shown where a cell's reasoning is shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dlcompare.loading import load_layers

from .test_overlays import TEAM_DAY, team_folder, write


def _toolkit(packages: str = "[paddlepaddle]", version: str = '"3.2.1"') -> str:
    return f"""
id: paddle
name: Paddle of the team
packages: {packages}
ratings:
  interfaces:
    {TEAM_DAY}:
      score: 4
      summary: Python first, with a C++ inference library.
      version: {version}
"""


def test_packages_and_version_are_read_and_shown(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/paddle.yaml", _toolkit())
    assert cli("validate", str(folder)).code == 0
    shown = json.loads(cli("show", "interfaces", "--data", str(folder), "-f", "json").out)
    paddle = next(r for r in shown["ratings"] if r["toolkit"] == "paddle")
    assert paddle["version"] == "3.2.1"
    assert list(paddle)[-1] == "version"  # added at the end: no key moved
    others = [r for r in shown["ratings"] if r["toolkit"] != "paddle" and r["score"] is not None]
    assert others and all(r["version"] for r in others)  # every rated cell of our edition
    table = cli("show", "paddle", "--data", str(folder))
    assert "judged on version 3.2.1" in " ".join(table.out.split())
    history = cli("history", "paddle", "interfaces", "-v", "--data", str(folder))
    assert "judged on version 3.2.1" in " ".join(history.out.split())
    diff = json.loads(cli("diff", "paddle", "tensorflow", "--data", str(folder), "-f", "json").out)
    row = next(r for r in diff["rows"] if r["criterion"] == "interfaces")
    assert row["left_rating"]["version"] == "3.2.1"


def test_the_version_survives_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/paddle.yaml", _toolkit())
    first = load_layers((folder,))
    assert any(cache_dir.iterdir())
    again = load_layers((folder,))  # from the cache
    for dataset in (first, again):
        timeline = dataset.timeline("paddle", "interfaces")
        assert timeline is not None and timeline.assessments[-1].version == "3.2.1"
        assert dataset.toolkit_by_id["paddle"].packages == ("paddlepaddle",)
        old = dataset.timeline("tensorflow", "interfaces")
        assert old is not None
        # the source's editions name no version; ours does on every rated cell
        assert [a.version for a in old.assessments] == [None, None, "2.21.0"]


@pytest.mark.parametrize(
    ("packages", "version", "message"),
    [
        ("[torch gpu]", '"1.0"', "packages"),
        ("[-torch]", '"1.0"', "packages"),
        ("[torch/cuda]", '"1.0"', "packages"),
        ("[torch]", '"1.0 beta"', "version"),
        ("[torch]", '"1.0\\e[31m"', "version"),
        ("[torch]", '""', "version"),
        ("[torch]", '"' + "1." * 30 + '"', "version"),
    ],
)
def test_bad_packages_and_versions_are_errors(
    cli, tmp_path: Path, packages: str, version: str, message: str
) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/paddle.yaml", _toolkit(packages, version))
    checked = cli("validate", str(folder))
    assert checked.code == 1
    assert re.search(rf"paddle\.yaml:\d+ › (.* › )?{message}\b", checked.out), checked.out
    assert "\x1b" not in checked.out


def test_a_number_is_not_a_version(cli, tmp_path: Path) -> None:
    """`version: 2.10` in YAML is the number 2.1: the schema wants the string."""
    folder = team_folder(tmp_path)
    write(folder, "toolkits/paddle.yaml", _toolkit(version="2.10"))
    checked = cli("validate", str(folder))
    assert checked.code == 1 and "version" in checked.out


def test_the_schema_and_the_template_know_both_fields(cli, tmp_path: Path) -> None:
    schema = json.loads(cli("schema", "toolkit").out)
    assert "packages" in schema["properties"]
    assert "version" in json.dumps(schema["$defs"]["Assessment"])
    folder = tmp_path / "mine"
    assert cli("new", "toolkit", "paddle", "--dir", str(folder)).code == 0
    text = (folder / "toolkits" / "paddle.yaml").read_text()
    assert "# packages: [name]" in text and '#     version: "1.0"' in text
    # uncommented, the placeholders validate
    text = text.replace("# packages: [name]", "packages: [paddlepaddle]")
    lines = text.splitlines()
    start = lines.index("  # interfaces:")
    for i in range(start, start + 6):
        lines[i] = lines[i].replace("  # ", "  ", 1)
    (folder / "toolkits" / "paddle.yaml").write_text("\n".join(lines) + "\n")
    checked = cli("validate", str(folder))
    assert checked.code == 0 and "problem(s)" not in checked.out


def test_the_bundled_ended_toolkits_name_their_packages(bundled) -> None:
    packages = {t.id: t.packages for t in bundled.toolkits}
    assert packages["theano"] == ("Theano",)
    assert packages["cntk"] == ("cntk",)
    assert packages["chainer"] == ("chainer",)
    assert packages["torch"] == ()

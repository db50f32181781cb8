"""Bring your own ratings: overlay folders built in tmp_path, layered over the bundled data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

TEAM_DAY = "2026-12-20"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def team_folder(
    root: Path, name: str = "team", evaluator: str = "Team A", day: str = TEAM_DAY
) -> Path:
    folder = root / name
    write(
        folder,
        "editions.yaml",
        f"editions:\n  - date: {day}\n    evaluator: {evaluator}\n    summary: Our ratings.\n",
    )
    return folder


PYTORCH = f"""
id: pytorch
name: PyTorch
aliases: [pt]
ratings:
  interfaces:
    {TEAM_DAY}: {{score: 5, summary: Python first and a C++ front end too.}}
  model-deployment:
    {TEAM_DAY}: {{score: 4, summary: TorchScript and ONNX export cover most targets.}}
"""


def rerate(score: float, day: str = TEAM_DAY) -> str:
    return f"""
id: tensorflow
name: TensorFlow
ratings:
  interfaces:
    {day}: {{score: {score}, summary: Our own view of its APIs.}}
"""


def test_a_new_toolkit_appears_in_show_diff_and_rank(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/pytorch.yaml", PYTORCH)
    shown = json.loads(cli("show", "interfaces", "--data", str(folder), "-f", "json").out)
    records = {r["toolkit"]: r for r in shown["ratings"]}
    assert records["pytorch"]["score"] == 5.0
    assert records["pytorch"]["evaluator"] == "Team A"
    assert records["pytorch"]["origin"].endswith("pytorch.yaml")
    assert records["tensorflow"]["evaluator"] == "dlcompare"
    assert shown["edition"]["date"] == TEAM_DAY  # the team's edition is the latest

    diffed = json.loads(cli("diff", "pt", "tensorflow", "--data", str(folder), "-f", "json").out)
    rows = {r["criterion"]: r for r in diffed["rows"]}
    assert rows["interfaces"]["delta"] == -0.5 and rows["interfaces"]["ahead"] == "pytorch"

    ranked = cli(
        "rank",
        "-w",
        "interfaces=1",
        "-w",
        "model-deployment=1",
        "--data",
        str(folder),
        "--missing",
        "drop",
        "-f",
        "json",
    )
    assert ranked.code == 0, ranked.err
    rows = {row["toolkit"]: row for row in json.loads(ranked.out)["rows"]}
    assert rows["pytorch"]["score"] == 4.5
    assert rows["pytorch"]["rated_by"]["interfaces"] == f"Team A, {TEAM_DAY}"
    table = cli(
        "rank",
        "-w",
        "interfaces=1",
        "-w",
        "model-deployment=1",
        "--data",
        str(folder),
        "--missing",
        "drop",
    ).out
    assert "Rated by dlcompare, except Team A: pytorch on" in " ".join(table.split())


def test_the_overlay_is_invisible_before_its_edition(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/pytorch.yaml", PYTORCH)
    shown = json.loads(
        cli("show", "--data", str(folder), "--as-of", "2016-12-06", "-f", "json").out
    )
    assert "pytorch" not in {r["toolkit"] for r in shown["ratings"]}


def test_a_rerating_replaces_the_bundled_score_and_says_whose_it_is(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/tensorflow.yaml", rerate(2))
    shown = json.loads(cli("show", "tf", "--data", str(folder), "-f", "json").out)
    records = {r["criterion"]: r for r in shown["ratings"]}
    assert records["interfaces"]["score"] == 2.0
    assert records["interfaces"]["evaluator"] == "Team A"
    assert records["interfaces"]["edition"] == TEAM_DAY
    # the criteria the team did not re-rate keep the bundled ratings and say so
    assert records["model-deployment"]["score"] == 5.0
    assert records["model-deployment"]["evaluator"] == "dlcompare"
    table = " ".join(cli("show", "tf", "--data", str(folder)).out.split())
    assert f"(since {TEAM_DAY}, Team A)" in table
    rows = list(
        csv.DictReader(io.StringIO(cli("show", "tf", "--data", str(folder), "-f", "csv").out))
    )
    assert {r["criterion"]: r["evaluator"] for r in rows}["interfaces"] == "Team A"
    # the bundled history is still there
    history = json.loads(
        cli("history", "tf", "interfaces", "--data", str(folder), "-f", "json").out
    )
    assert TEAM_DAY in json.dumps(history) and "2015-11-20" in json.dumps(history)


def test_two_overlays_later_wins_in_both_orders(cli, tmp_path: Path) -> None:
    first = team_folder(tmp_path, "a", "Team A", TEAM_DAY)
    second = team_folder(tmp_path, "b", "Team B", TEAM_DAY)
    write(first, "toolkits/tensorflow.yaml", rerate(1))
    write(second, "toolkits/tensorflow.yaml", rerate(3))

    def interfaces(*folders: Path) -> tuple[float, str]:
        args = [arg for f in folders for arg in ("--data", str(f))]
        shown = json.loads(cli("show", "tf", *args, "-f", "json").out)
        record = next(r for r in shown["ratings"] if r["criterion"] == "interfaces")
        return record["score"], record["evaluator"]

    assert interfaces(first, second) == (3.0, "Team B")
    assert interfaces(second, first) == (1.0, "Team A")
    verbose = json.loads(
        cli("list", "--verbose", "--data", str(first), "--data", str(second), "-f", "json").out
    )
    whats = {c["what"] for c in verbose["conflicts"]}
    assert f"rating tensorflow › interfaces › {TEAM_DAY}" in whats
    assert f"edition {TEAM_DAY}" in whats
    assert verbose["layers"][1:] == [str(first), str(second)]
    table = cli("list", "--verbose", "--data", str(first), "--data", str(second)).out
    assert "Overridden definitions" in table


def test_the_environment_variable_layers_folders(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/pytorch.yaml", PYTORCH)
    monkeypatch.setenv("DLCOMPARE_DATA", str(folder))
    assert "PyTorch" in cli("show", "interfaces").out


def test_no_bundled_uses_only_the_given_folders(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(
        folder,
        "criteria.yaml",
        "criteria:\n  - id: license\n    name: License\n    description: How permissive it is.\n",
    )
    write(
        folder,
        "toolkits/pytorch.yaml",
        f"id: pytorch\nname: PyTorch\nratings:\n  license:\n    {TEAM_DAY}: {{score: 5, summary: BSD-style.}}\n",
    )
    shown = json.loads(cli("show", "--no-bundled", "--data", str(folder), "-f", "json").out)
    assert {r["toolkit"] for r in shown["ratings"]} == {"pytorch"}
    assert {r["criterion"] for r in shown["ratings"]} == {"license"}
    alone = cli("show", "--no-bundled")
    assert alone.code == 2 and "needs at least one --data folder" in alone.err


def test_an_overlay_can_add_a_criterion(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(
        folder,
        "criteria.yaml",
        "criteria:\n  - id: community\n    name: Community\n    description: How many people answer questions.\n",
    )
    write(
        folder,
        "toolkits/tensorflow.yaml",
        f"id: tensorflow\nname: TensorFlow\nratings:\n  community:\n    {TEAM_DAY}: {{score: 4.5, summary: Large.}}\n",
    )
    ranked = cli(
        "rank", "-w", "community=1", "--missing", "drop", "--data", str(folder), "-f", "json"
    )
    assert ranked.code == 0, ranked.err
    document = json.loads(ranked.out)
    assert [r["toolkit"] for r in document["rows"]] == ["tensorflow"]
    assert "community" in cli("weights", "init", "--data", str(folder)).out


def test_a_broken_overlay_is_named_in_the_error(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    broken = write(folder, "toolkits/pytorch.yaml", PYTORCH.replace("score: 5", "score: 7"))
    result = cli("show", "--data", str(folder))
    assert result.code == 1
    assert str(broken) in result.err and "7 is outside the scale 0 to 5" in result.err
    report = cli("validate", str(folder))
    assert report.code == 1 and str(broken) in report.out


def test_a_criterion_redefined_with_other_parts_names_both_files(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    mine = write(
        folder,
        "criteria.yaml",
        "criteria:\n  - id: performance\n    name: Performance\n    description: Speed.\n    parts:\n      - {id: cpu, name: CPU, description: On CPUs.}\n",
    )
    result = cli("validate", str(folder))
    assert result.code == 1
    assert str(mine) in result.out and "criteria.yaml" in result.out
    assert "other parts" in result.out and "single-gpu" in result.out


def test_validate_an_overlay_alone_and_layered(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/pytorch.yaml", PYTORCH)
    layered = cli("validate", str(folder))
    assert (layered.code, layered.out) == (0, "")
    alone = cli("validate", str(folder), "--no-bundled")
    assert alone.code == 1 and "no criteria.yaml in any data folder" in alone.out


def test_new_toolkit_scaffold_validates_and_is_used_once_filled_in(cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert cli("new", "toolkit", "paddle", "--dir", str(folder)).code == 0
    scaffold = folder / "toolkits" / "paddle.yaml"
    text = scaffold.read_text()
    for leaf in ("modeling-capability", "performance.single-gpu", "cross-platform"):
        assert f"# {leaf}:" in text
    assert cli("validate", str(folder)).code == 0
    again = cli("new", "toolkit", "paddle", "--dir", str(folder))
    assert again.code == 1 and "already exists" in again.err
    # fill in one rating by uncommenting its placeholder
    lines = text.splitlines()
    start = lines.index("  # interfaces:")
    for i in range(start, start + 5):
        lines[i] = lines[i].replace("  # ", "  ", 1)
    lines[start + 2] = lines[start + 2].replace("score: 0", "score: 4")
    scaffold.write_text("\n".join(lines) + "\n")
    assert cli("validate", str(folder)).code == 0
    shown = json.loads(cli("show", "interfaces", "--data", str(folder), "-f", "json").out)
    assert {r["toolkit"]: r["score"] for r in shown["ratings"]}["paddle"] == 4.0


@pytest.mark.parametrize("bad", ["../evil", "a/b", "Py Torch", "UPPER", ""])
def test_new_toolkit_refuses_ids_that_are_not_slugs(cli, tmp_path: Path, bad: str) -> None:
    result = cli("new", "toolkit", bad, "--dir", str(tmp_path))
    assert result.code == 1 and "not a valid toolkit id" in result.err
    assert not (tmp_path / "toolkits").exists()


def test_written_files_get_ordinary_permissions(cli, tmp_path: Path) -> None:
    """Files are written through a private temporary file, but end up as a plain write would."""
    import os

    umask = os.umask(0o022)
    try:
        target = tmp_path / "mine.yaml"
        assert cli("weights", "init", "-o", str(target)).code == 0
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o600)
        assert cli("weights", "init", "-o", str(target), "--force").code == 0
        assert target.stat().st_mode & 0o777 == 0o600  # an existing file keeps its mode
    finally:
        os.umask(umask)

"""Bring your own ratings: overlay folders built in tmp_path, layered over the bundled data."""

from __future__ import annotations

import csv
import datetime as dt
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
  model-deployment.server:
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
        "model-deployment.server=1",
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
        "model-deployment.server=1",
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
    assert records["model-deployment.server"]["score"] == 5.0
    assert records["model-deployment.server"]["evaluator"] == "dlcompare"
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
    # one evaluation in two folders (a base and a patch): the same edition, declared twice
    first = team_folder(tmp_path, "a", "Team A", TEAM_DAY)
    second = team_folder(tmp_path, "b", "Team A", TEAM_DAY)
    write(first, "toolkits/tensorflow.yaml", rerate(1))
    write(second, "toolkits/tensorflow.yaml", rerate(3))

    def interfaces(*folders: Path) -> tuple[float, str]:
        args = [arg for f in folders for arg in ("--data", str(f))]
        shown = json.loads(cli("show", "tf", *args, "-f", "json").out)
        record = next(r for r in shown["ratings"] if r["criterion"] == "interfaces")
        return record["score"], record["evaluator"]

    assert interfaces(first, second) == (3.0, "Team A")
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


def test_an_override_needs_only_the_id_and_what_it_changes(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(
        folder,
        "toolkits/torch.yaml",
        f"id: torch\nratings:\n  interfaces:\n    {TEAM_DAY}:\n      score: 2\n"
        "      summary: Lua only; few people write Lua today.\n",
    )
    checked = cli("validate", str(folder))
    assert (checked.code, checked.out) == (0, "")
    shown = json.loads(cli("show", "interfaces", "--data", str(folder), "-f", "json").out)
    torch = next(r for r in shown["ratings"] if r["toolkit"] == "torch")
    assert (torch["score"], torch["evaluator"]) == (2.0, "Team A")
    listed = json.loads(cli("list", "--data", str(folder), "-f", "json").out)
    inherited = next(t for t in listed["toolkits"] if t["id"] == "torch")
    assert inherited["name"] == "Torch" and inherited["aliases"] == ["torch7", "lua-torch"]
    assert inherited["status"]["state"] == "ended"


def test_a_new_toolkit_without_a_name_is_still_an_error(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/flax.yaml", "id: flax\n")
    checked = cli("validate", str(folder))
    assert checked.code == 1
    assert "flax.yaml › name: required key is missing: a new toolkit needs a name" in (
        " ".join(checked.out.split())
    )


def test_a_scaffolded_toolkit_is_listed_with_no_ratings_yet(cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert cli("new", "toolkit", "mxnet2", "--name", "MXNet 2", "--dir", str(folder)).code == 0
    assert cli("validate", str(folder)).code == 0
    table = cli("list", "--data", str(folder))
    assert table.code == 0
    row = next(line for line in table.out.splitlines() if line.startswith("mxnet2 "))
    assert "MXNet 2" in row and "no ratings yet" in row
    listed = json.loads(cli("list", "--data", str(folder), "-f", "json").out)
    entry = next(t for t in listed["toolkits"] if t["id"] == "mxnet2")
    assert entry["rated"] is False and entry["first_edition"] is None
    assert all(t["rated"] == (t["first_edition"] is not None) for t in listed["toolkits"])


THREE_MISTAKES = """\
id: flax
name: Flax
ratings:
  interfaces:
    {day}:
      score: 4
  performance.single-gpu:
    {day}:
      score: 7
      summary: Fast on one GPU.
  model-deploymnet:
    {day}:
      score: four
      summary: Exports to StableHLO.
  architecture:
    2026-11-28:
      score: 3
      summary: Modules over JAX.
"""


def test_validate_finds_every_problem_of_a_file_in_one_run(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    path = write(folder, "toolkits/flax.yaml", THREE_MISTAKES.format(day=TEAM_DAY))
    result = cli("validate", str(folder))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("5 problem(s) in ")
    assert lines[1:5] == [
        f"{path}:5 › ratings › interfaces › {TEAM_DAY} › summary: required key is missing",
        f"{path}:9 › ratings › performance.single-gpu › {TEAM_DAY} › score: 7 is outside the "
        "scale 0 to 5",
        f"{path}:11 › ratings › model-deploymnet: unknown criterion 'model-deploymnet'; did you "
        "mean 'model-deployment'? (`dlcompare list` shows every criterion)",
        f"{path}:13 › ratings › model-deploymnet › {TEAM_DAY} › score: must be a number (found "
        "the text four)",
    ]
    assert len(lines) == 6 and lines[5].startswith(
        f"{path}:16 › ratings › architecture › 2026-11-28: no edition on 2026-11-28 (editions: "
        "2015-11-20, "
    )
    assert TEAM_DAY in lines[-1]
    report = json.loads(cli("validate", str(folder), "-f", "json").out)
    assert [(p["line"], p["where"].split(" › ")[-1]) for p in report["problems"]] == [
        (5, "summary"),
        (9, "score"),
        (11, "model-deploymnet"),
        (13, "score"),
        (16, "2026-11-28"),
    ]


def test_a_broken_editions_file_does_not_hide_undeclared_dates(cli, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    write(
        folder,
        "editions.yaml",
        f"editions:\n  - date: {TEAM_DAY}\n    evaluator: Team A\n",  # no summary
    )
    write(
        folder,
        "toolkits/flax.yaml",
        "id: flax\nname: Flax\nratings:\n  interfaces:\n    2026-11-28:\n"
        "      score: 4\n      summary: Clean Python.\n",
    )
    report = json.loads(cli("validate", str(folder), "-f", "json").out)
    found = [(Path(p["file"]).name, p["line"], p["message"][:30]) for p in report["problems"]]
    assert found == [
        ("editions.yaml", 2, "required key is missing"),
        ("flax.yaml", 5, "no edition on 2026-11-28 (edit"),
    ]


def test_a_quoted_number_is_named_as_quoted_and_a_word_as_found(cli, tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(
        folder,
        "toolkits/flax.yaml",
        f'id: flax\nname: Flax\nratings:\n  interfaces:\n    {TEAM_DAY}:\n      score: "4"\n'
        "      summary: Clean Python.\n",
    )
    out = " ".join(cli("validate", str(folder)).out.split())
    assert "score: must be a number, not text in quotes (got '4')" in out


def _criteria(parts: str) -> str:
    return f"criteria:\n  - id: performance\n    name: Performance\n    description: Speed.\n    parts:\n{parts}"


SINGLE = "      - {id: single-gpu, name: Single-GPU, description: One GPU.}\n"
MULTI = "      - {id: multi-gpu, name: Multi-GPU, description: Several GPUs.}\n"
CPU = "      - {id: cpu, name: CPU, description: On the CPU.}\n"


def test_an_overlay_may_add_a_part(cli, tmp_path: Path) -> None:
    (tmp_path / "criteria.yaml").write_text(_criteria(SINGLE + MULTI + CPU), encoding="utf-8")
    assert cli("validate", str(tmp_path)).code == 0
    listed = json.loads(cli("list", "--data", str(tmp_path), "-f", "json").out)
    [performance] = [c for c in listed["criteria"] if c["id"] == "performance"]
    assert [p["id"] for p in performance["parts"]] == ["single-gpu", "multi-gpu", "cpu"]


def test_an_overlay_may_not_drop_a_part_or_split_a_whole_criterion(cli, tmp_path: Path) -> None:
    (tmp_path / "criteria.yaml").write_text(_criteria(SINGLE + CPU), encoding="utf-8")
    result = cli("validate", str(tmp_path))
    assert result.code == 1 and "may add parts" in result.out and "never drop one" in result.out
    (tmp_path / "criteria.yaml").write_text(
        "criteria:\n  - id: interfaces\n    name: Interfaces\n    description: APIs.\n    parts:\n"
        + CPU,
        encoding="utf-8",
    )
    assert cli("validate", str(tmp_path)).code == 1


def test_an_overlay_may_not_take_over_the_date_of_anothers_edition(cli, tmp_path: Path) -> None:
    latest = cli("editions", "-f", "json")
    bundled_latest = json.loads(latest.out)["editions"][-1]
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "editions.yaml").write_text(
        f"editions:\n  - {{date: {bundled_latest['date']}, evaluator: Team A, summary: Ours.}}\n",
        encoding="utf-8",
    )
    checked = cli("validate", str(folder))
    assert checked.code == 1
    assert f"{bundled_latest['date']} is already an edition by {bundled_latest['evaluator']}" in (
        " ".join(checked.out.split())
    )
    shown = cli("show", "interfaces", "--data", str(folder))
    assert shown.code == 1 and "one edition per date" in shown.err


def test_a_new_evaluation_started_on_an_edition_day_takes_the_day_before(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    latest = json.loads(cli("editions", "-f", "json").out)["editions"][-1]["date"]
    monkeypatch.setenv("DLCOMPARE_TODAY", latest)
    folder = tmp_path / "mine"
    made = cli("new", "toolkit", "flax", "--dir", str(folder))
    assert made.code == 0
    before = (dt.date.fromisoformat(latest) - dt.timedelta(days=1)).isoformat()
    assert f"{latest} is already an edition" in made.err and f"dated {before}" in made.err
    assert f"date: {before}" in (folder / "editions.yaml").read_text(encoding="utf-8")
    assert cli("validate", str(folder)).code == 0


def test_the_toolkit_schema_lets_an_override_give_only_its_id(cli) -> None:
    schema = json.loads(cli("schema", "toolkit").out)
    assert schema["required"] == ["id"]
    assert "name" in schema["properties"] and "ratings" in schema["properties"]

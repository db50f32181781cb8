"""Views lead with the answer (issue 23): short by default at 80 columns, reference material
once and only with -v; narrowing with --toolkits, criteria on diff, filters on changes;
history spans; diff pairs both sides' reasoning criterion by criterion; the small ones
("1 day old", our own --format message, bare `dlcompare`)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from dlcompare.cli import OVERVIEW
from tests.test_examples import readme_files

ENDED = ("Caffe", "Chainer", "CNTK", "Apache MXNet", "Theano", "Torch")
SENSITIVITY = (
    "rank",
    "-w",
    "performance.multi-gpu=3",
    "-w",
    "modeling-capability=3",
    "-w",
    "model-debugging=1",
    "--sensitivity",
)


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the README's files (mine.yaml), made the working directory."""
    for name, content in readme_files().items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lines(text: str) -> int:
    return len(text.splitlines())


@pytest.mark.parametrize(
    ("args", "most"),
    [
        (("rank", "--weights", "mine.yaml"), 30),
        (SENSITIVITY, 45),
        (("show",), 40),
        (("diff", "tensorflow", "pytorch"), 40),
        (("history", "tensorflow"), 40),
        (("changes",), 80),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else str(value),
)
def test_default_views_fit_the_line_targets_at_80_columns(cli, in_folder, args, most) -> None:
    result = cli(*args)
    assert result.code == 0, result.err
    assert lines(result.out) <= most, result.out


def test_sensitivity_keeps_what_was_asked_for_within_the_target(cli) -> None:
    out = cli(*SENSITIVITY).out
    first = out.splitlines()[0]
    assert first.startswith("PyTorch stays first")  # the verdict leads
    # no weight moves first place: the verdict says so, and no table of "no limit" repeats it
    assert "however far any single weight moves" in first + out.splitlines()[1]
    assert "How far each weight may move" not in out
    assert "Rank acceptability" in out
    critical = cli(
        "rank", "-w", "model-deployment.server=3", "-w", "modeling-capability=1", "--sensitivity"
    ).out
    assert "How far each weight may move" in critical
    assert "Project status" not in out
    assert "https://" not in out


def test_the_matrix_has_every_toolkit_rated_today(cli) -> None:
    out = cli("show").out
    # eight toolkits at 80 columns: the matrix comes in blocks, each headed by its toolkits
    headers = " ".join(line for line in out.splitlines() if line.startswith("Criterion"))
    for name in ("JAX", "Keras", "MindSpore", "MLX", "PaddlePaddle", "PyTorch", "TensorFlow"):
        assert name in headers
    assert "tinygrad" in headers


@pytest.mark.parametrize(
    "args",
    [("rank", "--weights", "mine.yaml"), SENSITIVITY, ("show",)],
    ids=" ".join,
)
def test_ended_toolkits_appear_once_with_a_command_that_runs(cli, in_folder, args) -> None:
    out = cli(*args).out
    for name in ENDED:
        assert len(re.findall(rf"\b{re.escape(name)}\b", out)) == 1, (name, out)
    line = next(line for line in out.splitlines() if "dlcompare list" in line)
    assert line.rstrip().endswith("dlcompare list")  # whole on one line, runnable as printed
    assert cli("list").code == 0


@pytest.mark.parametrize(
    "args",
    [("rank", "--weights", "mine.yaml"), ("show",), ("diff", "tensorflow", "pytorch")],
    ids=" ".join,
)
def test_reference_material_only_with_verbose_and_said_once(cli, in_folder, args) -> None:
    short = cli(*args).out
    assert "Project status" not in short
    assert "https://" not in short
    for flag in ("-v", "--verbose"):
        full = cli(*args, flag).out
        assert full.count("Project status") == 1
        assert "https://pypi.org/project/torch/" in full
        assert full.count("https://pypi.org/project/torch/") == 1  # the list, once
        assert "dlcompare list" not in full  # the status is right there


def test_verbose_does_not_change_json_or_csv(cli, in_folder) -> None:
    for fmt in ("json", "csv"):
        for args in (("rank", "--weights", "mine.yaml"), ("diff", "tf", "pytorch"), ("show",)):
            assert cli(*args, "-f", fmt).out == cli(*args, "-f", fmt, "-v").out


def test_one_day_old_is_singular(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLCOMPARE_TODAY", "2026-12-04")
    out = cli("show").out
    assert "(1 day old)" in out
    assert "1 days" not in out
    monkeypatch.setenv("DLCOMPARE_TODAY", "2026-12-05")
    assert "(2 days old)" in cli("show").out


# --- narrowing -------------------------------------------------------------------------


def test_show_toolkits_takes_ids_aliases_and_names_in_any_case(cli) -> None:
    result = cli("show", "--toolkits", "PyTorch,TF", "-f", "json")
    assert result.code == 0, result.err
    view = json.loads(result.out)
    assert [t["id"] for t in view["toolkits"]] == ["pytorch", "tensorflow"]
    assert {r["toolkit"] for r in view["ratings"]} == {"pytorch", "tensorflow"}
    assert view["only_toolkits"] == ["pytorch", "tensorflow"]
    assert view["not_rated"] == []
    table = cli("show", "-t", "pytorch,tensorflow").out
    assert "Only the toolkits asked for (--toolkits): PyTorch, TensorFlow." in table
    assert "JAX" not in table
    assert "Not rated in this edition" not in table


def test_unknown_toolkit_suggests_and_exits_1(cli) -> None:
    for command in ("show", "rank -w interfaces=1", "report"):
        result = cli(*shlex.split(command), "--toolkits", "pytorch,jaxx")
        assert result.code == 1, command
        assert "did you mean 'jax'" in result.err


def test_a_toolkit_not_yet_in_the_edition_is_an_error(cli) -> None:
    result = cli("show", "--toolkits", "pytorch", "--as-of", "2016-12-06")
    assert result.code == 1
    assert "pytorch is not in the edition of 2016-12-06" in result.err


def test_rank_toolkits_ranks_among_them_only(cli) -> None:
    result = cli("rank", "-w", "ecosystem=1", "--toolkits", "jax,keras", "-f", "json")
    ranking = json.loads(result.out)
    assert [(r["rank"], r["toolkit"]) for r in ranking["rows"]] == [(1, "jax"), (1, "keras")]
    assert ranking["only_toolkits"] == ["jax", "keras"]
    assert ranking["not_in_edition"] == []
    named = cli("rank", "-w", "ecosystem=1", "--toolkits", "jax,torch", "-f", "json").out
    assert [e["toolkit"] for e in json.loads(named)["not_in_edition"]] == ["torch"]


def test_report_toolkits_narrows_every_section(cli) -> None:
    result = cli("report", "--toolkits", "pytorch,jax", "-w", "interfaces=1", "-f", "json")
    report = json.loads(result.out)
    assert [t["id"] for t in report["ratings"]["toolkits"]] == ["jax", "pytorch"]
    assert [t["id"] for t in report["catalog"]["toolkits"]] == ["jax", "pytorch"]
    assert {r["toolkit"] for r in report["ranking"]["rows"]} == {"jax", "pytorch"}
    text = cli("report", "--toolkits", "pytorch,jax").out
    assert "Only the toolkits asked for (--toolkits): PyTorch, JAX." in text
    # no column, row or card of it (the method, carried whole at the end, names every toolkit)
    assert "| TensorFlow" not in text.split("\n## Method\n")[0]


def test_diff_takes_criteria_after_the_toolkits(cli) -> None:
    result = cli("diff", "tensorflow", "pytorch", "model-deployment", "Interfaces", "-f", "json")
    assert result.code == 0, result.err
    diff = json.loads(result.out)
    parts = [f"model-deployment.{p}" for p in ("server", "mobile-edge", "browser")]
    assert [row["criterion"] for row in diff["rows"]] == ["interfaces", *parts]
    assert diff["only_criteria"] == ["interfaces", *parts]
    parent = json.loads(cli("diff", "tf", "pytorch", "performance", "-f", "json").out)
    assert [row["criterion"] for row in parent["rows"]] == [
        "performance.single-gpu",
        "performance.multi-gpu",
    ]
    whole = json.loads(cli("diff", "tf", "pytorch", "-f", "json").out)
    assert whole["only_criteria"] is None
    assert len(whole["rows"]) > 2
    wrong = cli("diff", "tf", "pytorch", "interfacs")
    assert wrong.code == 1
    assert "did you mean 'interfaces'" in wrong.err


def test_diff_verbose_pairs_the_two_reasonings_criterion_by_criterion(cli) -> None:
    out = cli("diff", "tensorflow", "pytorch", "-v").out
    reasoning = out[out.index("\nReasoning\n") :]
    criteria = [
        "Modeling capability",
        "Interfaces",
        "Model deployment: Server",
        "Performance: Single-GPU",
    ]
    at = 0
    for criterion in criteria:
        heading = reasoning.index(f"\n{criterion}\n", at)
        left = reasoning.index("\nTensorFlow (", heading)
        right = reasoning.index("\nPyTorch (", left)
        following = reasoning.find("\n\n", right)
        assert heading < left < right < following
        at = following
    assert "-v adds" not in out


def test_diff_default_points_to_verbose(cli) -> None:
    out = cli("diff", "tensorflow", "pytorch").out
    assert "-v adds each criterion's reasoning" in out
    assert "Reasoning" not in out


def test_changes_filters_by_toolkit_and_criterion(cli) -> None:
    whole = json.loads(cli("changes", "2016-05-11", "-f", "json").out)
    result = cli(
        "changes", "2016-05-11", "--toolkits", "TF", "--criteria", "performance", "-f", "json"
    )
    assert result.code == 0, result.err
    narrowed = json.loads(result.out)
    expected = [
        c
        for c in whole["changes"]
        if c["toolkit"] == "tensorflow" and c["criterion"].startswith("performance.")
    ]
    assert narrowed["changes"] == expected
    assert expected
    assert narrowed["only_toolkits"] == ["tensorflow"]
    assert narrowed["only_criteria"] == ["performance.single-gpu", "performance.multi-gpu"]
    assert narrowed["score_changes"] == sum(c["change"] != "revised" for c in expected)
    assert whole["only_toolkits"] is None and whole["only_criteria"] is None
    short = cli("changes", "2016-05-11", "-t", "tf", "-c", "performance.single-gpu").out
    assert "TensorFlow   Performance: Single-GPU 3.0 → 5.0" in short
    assert "Theano" not in short
    assert cli("changes", "-t", "tensorflw").code == 1


def test_changes_by_default_is_one_line_per_toolkit_and_kind(cli) -> None:
    short = cli("changes", "2016-05-11").out
    full = cli("changes", "2016-05-11", "-v").out
    assert "Reasoning now" not in short
    assert "Reasoning now" in full
    assert lines(short) < lines(full)


def test_history_collapses_unchanged_steps_into_a_span(cli) -> None:
    out = cli("history", "tensorflow").out
    joined = " ".join(out.split())
    assert "Model deployment: 4.5 from 2015-11-20 to 2016-12-06, by zer0n/deepframeworks" in joined
    assert "4.0 from 2015-11-20 to 2015-12-07 → 4.5 (2016-05-11)" in joined
    repeated = re.compile(r"(\S+) (?:\(\S+\)|from \S+ to \S+) → \1 [(f]")
    assert not repeated.search(joined)
    full = cli("history", "tensorflow", "-v").out
    assert "Reasoning at that edition" in full
    assert not repeated.search(" ".join(full.split()))


# --- the small ones ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["show", "rank", "history tf", "changes", "list"])
def test_an_unknown_format_is_our_own_usage_error(cli, command: str) -> None:
    result = cli(*command.split(), "-f", "yaml")
    assert result.code == 2
    assert "--format 'yaml' is not a format of this command" in result.err
    assert "table, json, markdown or csv" in result.err
    assert "Value error" not in result.err


def test_format_is_read_in_any_case(cli) -> None:
    assert json.loads(cli("list", "-f", "JSON").out)["schema_version"]


def test_bare_dlcompare_shows_the_overview_and_exits_0(cli) -> None:
    result = cli()
    assert result.code == 0
    assert result.out == OVERVIEW
    assert result.err == ""
    assert all(len(line) < 80 for line in result.out.splitlines())


def test_the_overview_commands_run_as_printed(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    commands = re.findall(r"^  (dlcompare \S.*?)(?:\s{2,}|$)", OVERVIEW, re.M)
    assert len(commands) >= 6
    for command in commands:  # in order: `rank --weights mine.yaml` reads what init wrote
        result = cli(*shlex.split(command)[1:])
        assert result.code == 0, (command, result.err)

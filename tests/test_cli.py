"""The commands end to end: JSON parsed and compared, golden text for table and Markdown
(80 columns, no colour), CSV headers and ids, and the error paths with their exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def updating_goldens() -> bool:
    """Whether goldens are rewritten: only with UPDATE_GOLDEN=1 exactly, and never under CI
    (`CI` set): there a golden is only ever compared with."""
    return os.environ.get("UPDATE_GOLDEN") == "1" and "CI" not in os.environ


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites the file (review the diff)."""
    path = GOLDEN / name
    if updating_goldens():
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


# The source's last edition: tests of the source's data pin it, as the latest edition is now
# dlcompare's own (2026-12-03).
SOURCE_LAST = ("--as-of", "2016-12-06")

GOLDEN_CASES = {
    "show-performance.txt": ["show", "performance"],
    "show-performance.md": ["show", "performance", "--format", "markdown"],
    "show-matrix.txt": ["show"],
    "show-tf.txt": ["show", "tf"],
    "diff-tensorflow-torch.txt": ["diff", "tensorflow", "torch"],
    "diff-tensorflow-torch.md": ["diff", "tensorflow", "torch", "--format", "markdown"],
    "rank-small.txt": ["rank", "-w", "interfaces=1", "-w", "model-deployment=2", *SOURCE_LAST],
    "rank-small.md": [
        "rank",
        "-w",
        "interfaces=1",
        "-w",
        "model-deployment=2",
        *SOURCE_LAST,
        "-f",
        "markdown",
    ],
    "diff-tensorflow-pytorch-deployment.txt": [
        "diff",
        "tensorflow",
        "pytorch",
        "model-deployment",
        "interfaces",
        "-v",
    ],
    "history-tensorflow.txt": ["history", "tensorflow"],
    "changes-2016-05-11.txt": ["changes", "2016-05-11"],
    "list.txt": ["list"],
    "editions.txt": ["editions"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_output(cli, name: str) -> None:
    result = cli(*GOLDEN_CASES[name])
    assert result.code == 0, result.err
    assert result.err == ""
    assert "\x1b[" not in result.out
    check_golden(name, result.out)


def test_table_fits_80_columns(cli) -> None:
    for args in (["show", "performance"], ["show"], ["diff", "tf", "torch"], ["list"]):
        out = cli(*args).out
        too_wide = [line for line in out.splitlines() if len(line) > 80 and "http" not in line]
        assert too_wide == [], args


def test_show_criterion_json(cli) -> None:
    result = cli("show", "Performance", *SOURCE_LAST, "--format", "json")
    document = json.loads(result.out)
    assert document["schema_version"] == 3
    assert document["as_of"] == "2016-12-06"
    records = {(r["toolkit"], r["criterion"]): r for r in document["ratings"]}
    assert len(records) == 10  # five toolkits x two parts
    tf = records["tensorflow", "performance.single-gpu"]
    assert tf["score"] == 5.0 and tf["edition"] == "2016-05-11" and tf["sources"]
    withdrawn = records["tensorflow", "performance.multi-gpu"]
    assert withdrawn["score"] is None and withdrawn["status"] == "withdrawn"
    assert withdrawn["last_rated"] == {
        "score": 4.0,
        "edition": "2015-11-20",
        "evaluator": "zer0n/deepframeworks",
    }


def test_show_as_of_first_edition(cli) -> None:
    document = json.loads(cli("show", "interfaces", "--as-of", "2015-11-20", "-f", "json").out)
    assert {r["toolkit"]: r["score"] for r in document["ratings"]} == {
        "tensorflow": 4.9,
        "theano": 4.5,
        "torch": 4.0,
    }


def test_as_of_accepts_a_commit_and_a_later_date(cli) -> None:
    by_commit = json.loads(cli("show", "-f", "json", "--as-of", "5cfc0b0").out)
    by_date = json.loads(cli("show", "-f", "json", "--as-of", "2015-12-05").out)
    assert by_commit["edition"]["date"] == by_date["edition"]["date"] == "2015-12-02"
    assert by_commit["ratings"] == by_date["ratings"]
    same_day = json.loads(cli("show", "-f", "json", "--as-of", "6529a24").out)
    assert same_day["edition"]["date"] == "2015-12-07"


def test_show_toolkit_by_alias_any_case(cli) -> None:
    document = json.loads(cli("show", "TF", "--format", "json").out)
    assert document["kind"] == "toolkit" and document["subject"] == "tensorflow"
    assert {r["toolkit"] for r in document["ratings"]} == {"tensorflow"}
    # the current edition's leaves: model-deployment in its three parts
    assert len(document["ratings"]) == 11
    assert "model-deployment" not in {r["criterion"] for r in document["ratings"]}


def test_part_id_alone_resolves(cli) -> None:
    document = json.loads(cli("show", "single-gpu", "-f", "json").out)
    assert {r["criterion"] for r in document["ratings"]} == {"performance.single-gpu"}


def test_matrix_json_has_every_cell(cli) -> None:
    document = json.loads(cli("show", *SOURCE_LAST, "-f", "json").out)
    assert document["kind"] == "matrix"
    assert len(document["ratings"]) == 5 * 9
    assert "total" not in json.dumps(document).lower()


def test_diff_json(cli) -> None:
    document = json.loads(cli("diff", "tensorflow", "torch", *SOURCE_LAST, "-f", "json").out)
    assert (document["left"], document["right"]) == ("tensorflow", "torch")
    rows = {row["criterion"]: row for row in document["rows"]}
    assert rows["model-deployment"]["delta"] == -1.5  # right minus left: torch 3, tf 4.5
    assert rows["model-deployment"]["ahead"] == "tensorflow"
    assert rows["modeling-capability"]["ahead"] == "torch"
    assert rows["architecture"]["ahead"] == "tie"
    assert rows["ecosystem"]["delta"] is None


def test_diff_csv_uses_ids(cli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("diff", "tf", "torch", "-f", "csv").out)))
    assert rows[0]["left_toolkit"] == "tensorflow"
    assert [r["criterion"] for r in rows][:6] == [
        "modeling-capability",
        "interfaces",
        "model-deployment.server",
        "model-deployment.mobile-edge",
        "model-deployment.browser",
        "performance.single-gpu",
    ]


def test_show_csv(cli) -> None:
    rows = list(
        csv.DictReader(io.StringIO(cli("show", "performance", *SOURCE_LAST, "-f", "csv").out))
    )
    assert len(rows) == 10
    assert {"toolkit", "criterion", "score", "edition", "sources"} <= set(rows[0])
    assert {r["toolkit"] for r in rows} == {"caffe", "cntk", "tensorflow", "theano", "torch"}


# Hand computation from the source's ratings (2016-12-06 unless stated):
# modeling-capability caffe 3, cntk 2, tf 4.5, theano 4.5, torch 5
# interfaces          caffe 3, cntk 2.5, tf 4.5, theano 4, torch 4
# model-deployment    caffe 5, cntk 4.5, tf 4.5, theano 3, torch 3
HAND_COMPUTED = [
    (
        ["-w", "modeling-capability=1", "-w", "interfaces=1", "-w", "model-deployment=1"],
        [
            ("tensorflow", 1, 4.5),
            ("torch", 2, 4.0),
            ("theano", 3, 11.5 / 3),
            ("caffe", 4, 11 / 3),
            ("cntk", 5, 3.0),
        ],
    ),
    (
        ["-w", "model-deployment=3", "-w", "interfaces=1"],
        [
            ("caffe", 1, 4.5),
            ("tensorflow", 1, 4.5),
            ("cntk", 3, 4.0),
            ("theano", 4, 3.25),
            ("torch", 4, 3.25),
        ],
    ),
    (
        # 2015-11-20: single-gpu tf 3, theano 3, torch 5; multi-gpu 4, 2, 3; ecosystem 5, 4, 3
        [
            "-w",
            "single-gpu=2",
            "-w",
            "performance.multi-gpu=1",
            "-w",
            "ecosystem=1",
            "--as-of",
            "2015-11-20",
        ],
        [("torch", 1, 4.0), ("tensorflow", 2, 3.75), ("theano", 3, 3.0)],
    ),
]


@pytest.mark.parametrize(("args", "expected"), HAND_COMPUTED)
def test_rank_agrees_with_hand_computation(cli, args: list[str], expected) -> None:
    result = cli("rank", *SOURCE_LAST, *args, "-f", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)["rows"]
    assert [(r["toolkit"], r["rank"]) for r in rows] == [(t, k) for t, k, _ in expected]
    for row, (_, _, score) in zip(rows, expected, strict=True):
        assert row["score"] == pytest.approx(score, abs=1e-12)
        assert sum(row["contributions"].values()) == pytest.approx(score, abs=1e-12)


def test_rank_weights_file_nested_and_dotted_agree(cli, tmp_path: Path) -> None:
    nested = tmp_path / "nested.yaml"
    nested.write_text("performance:\n  single-gpu: 3\ninterfaces: 1\n")
    dotted = tmp_path / "dotted.yaml"
    dotted.write_text("performance.single-gpu: 3\nInterfaces: 1\n")
    a = json.loads(
        cli("rank", "--weights", str(nested), *SOURCE_LAST, "--missing", "drop", "-f", "json").out
    )
    b = json.loads(
        cli("rank", "--weights", str(dotted), *SOURCE_LAST, "--missing", "drop", "-f", "json").out
    )
    assert a == b
    assert a["weights"] == {"interfaces": 1.0, "performance.single-gpu": 3.0}
    assert a["shares"] == {"interfaces": 0.25, "performance.single-gpu": 0.75}
    assert [d["toolkit"] for d in a["dropped"]] == ["caffe", "cntk"]


def test_w_overrides_the_file(cli, tmp_path: Path) -> None:
    weights = tmp_path / "w.yaml"
    weights.write_text("interfaces: 1\nmodel-deployment: 1\n")
    document = json.loads(
        cli("rank", "--weights", str(weights), "-w", "interfaces=3", *SOURCE_LAST, "-f", "json").out
    )
    assert document["weights"] == {"interfaces": 3.0, "model-deployment": 1.0}


def test_rank_partial_shows_coverage(cli) -> None:
    document = json.loads(
        cli(
            "rank",
            "-w",
            "single-gpu=1",
            "-w",
            "interfaces=1",
            *SOURCE_LAST,
            "--missing",
            "partial",
            "-f",
            "json",
        ).out
    )
    coverage = {r["toolkit"]: r["coverage"] for r in document["rows"]}
    assert coverage == {"tensorflow": 1.0, "torch": 1.0, "theano": 1.0, "caffe": 0.5, "cntk": 0.5}


def test_rank_csv(cli) -> None:
    rows = list(
        csv.reader(io.StringIO(cli("rank", "-w", "interfaces=1", *SOURCE_LAST, "-f", "csv").out))
    )
    assert rows[0][:5] == ["rank", "toolkit", "score", "coverage", "contribution:interfaces"]
    assert rows[1][:3] == ["1", "tensorflow", "4.5"]


def test_weights_init_template_round_trips(cli, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    assert cli("weights", "init", "-o", str(target)).code == 0
    text = target.read_text()
    assert "single-gpu: 0" in text and "# " in text
    again = cli("weights", "init", "-o", str(target))
    assert again.code == 1 and "already exists" in again.err and "--force" in again.err
    assert cli("weights", "init", "-o", str(target), "--force").code == 0
    all_zero = cli("rank", "--weights", str(target))
    assert all_zero.code == 1 and "every weight is zero" in all_zero.err
    edited = text.replace("interfaces: 0", "interfaces: 2")
    target.write_text(edited)
    assert cli("rank", "--weights", str(target), *SOURCE_LAST, "-f", "json").code == 0


ERRORS = [
    (["rank"], 2, "no default weighting"),
    (["rank", "-w", "model-deployment.browser=3", *SOURCE_LAST], 1, "weight model-deployment"),
    (["rank", "-w", "performance=3", "-w", "single-gpu=1"], 1, "whole or by its parts"),
    (["rank", "-w", "interfacs=3"], 1, "did you mean 'interfaces'"),
    (["rank", "-w", "interfaces=-1"], 1, "zero or more"),
    (["rank", "-w", "interfaces=nan"], 1, "finite"),
    (["rank", "-w", "interfaces=inf"], 1, "finite"),
    (["rank", "-w", "interfaces=lots"], 1, "must be a number"),
    (["rank", "-w", "interfaces"], 1, "CRITERION=WEIGHT"),
    (["rank", "-w", "interfaces=0"], 1, "every weight is zero"),
    (["rank", "-w", "performance.multi-gpu=1", *SOURCE_LAST], 1, "no toolkit is rated on"),
    (
        ["rank", "-w", "single-gpu=1", *SOURCE_LAST, "--missing", "error"],
        1,
        "caffe lacks performance.single-gpu",
    ),
    (["rank", "-w", "interfaces=1", "--missing", "sometimes"], 2, "--missing"),
    (["show", "tensorflw"], 1, "did you mean 'tensorflow'"),
    (["diff", "tf", "paddle"], 1, "unknown toolkit 'paddle'"),
    (["show", "--as-of", "2014-01-01"], 1, "before the first edition"),
    (["show", "--as-of", "yesterday"], 1, "not a date"),
    (["show", "--format", "yaml"], 2, "yaml"),
    (["schema", "nothing"], 1, "unknown schema"),
    (["nonsense"], 2, "nonsense"),
]


@pytest.mark.parametrize(("args", "code", "fragment"), ERRORS)
def test_error_paths(cli, args: list[str], code: int, fragment: str) -> None:
    result = cli(*args)
    assert result.code == code
    assert fragment in result.err
    assert result.out == ""
    assert "Traceback" not in result.err


def test_rank_weights_file_errors(cli, tmp_path: Path) -> None:
    cases = {
        "empty.yaml": ("", "empty"),
        "list.yaml": ("- interfaces\n", "expected a mapping"),
        "bool.yaml": ("interfaces: yes\n", "must be a number"),
        "string.yaml": ("interfaces: 'three'\n", "must be a number, got 'three'"),
        "parts.yaml": ("performance: {single-gpu: 1, quad-gpu: 2}\n", "has no part 'quad-gpu'"),
        "twice.yaml": (
            "performance.single-gpu: 1\nperformance: {single-gpu: 2}\n",
            "more than once",
        ),
        "dupe.yaml": ("interfaces: 1\ninterfaces: 2\n", "duplicate key"),
        "syntax.yaml": ("interfaces: [1\n", "line 2"),
    }
    for name, (text, fragment) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        result = cli("rank", "--weights", str(path))
        assert result.code == 1, name
        assert fragment in result.err, (name, result.err)
        assert str(path) in result.err, name
    missing = cli("rank", "--weights", str(tmp_path / "absent.yaml"))
    assert missing.code == 1 and "no such file" in missing.err


def command_names() -> list[str]:
    """Every leaf command of the app, e.g. "show" and "weights init"."""
    import typer

    from dlcompare.cli import app

    group = typer.main.get_command(app)
    ctx = group.make_context("dlcompare", [], resilient_parsing=True)
    names = []
    for name in group.list_commands(ctx):  # type: ignore[attr-defined]
        command = group.get_command(ctx, name)  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        names += [f"{name} {child}" for child in sub] if sub else [name]
    return names


def test_the_command_table_says_what_each_command_s_help_says() -> None:
    """`--help` and completion list the commands from a table without building them: each
    line must be what Click would print from the command's own help, at any width."""
    import typer

    from dlcompare.cli import Commands, app

    group = typer.main.get_command(app)
    assert isinstance(group, Commands)
    ctx = group.make_context("dlcompare", [], resilient_parsing=True)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None and command.name == name
        for limit in (20, 45, 60, 74, 200):
            assert group.summary_of(name, limit) == command.get_short_help_str(limit), name
    assert group.get_command(ctx, "nonsense") is None


def loaded_by(*args: str) -> list[str]:
    """The dlcompare modules a run of `dlcompare ARGS` imports, in a fresh process."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from dlcompare.__main__ import run\n"
        "code = run(sys.argv[1:])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('dlcompare'))\n"
        "sys.stderr.write(f'{code} {\" \".join(loaded)}\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False
    )
    code, *modules = done.stderr.splitlines()[-1].split()
    assert code == "0", done.stderr
    return modules


def test_help_and_a_command_build_only_what_they_show() -> None:
    """`dlcompare --help` imports no command's module; `show` imports only its own."""

    def commands(*args: str) -> list[str]:
        return [m for m in loaded_by(*args) if m.startswith("dlcompare.cli.")]

    assert commands("--help") == ["dlcompare.cli.common", "dlcompare.cli.lazy"]
    assert commands("show", "performance") == [
        "dlcompare.cli.common",
        "dlcompare.cli.lazy",
        "dlcompare.cli.views",
    ]
    assert "dlcompare.cli.files" in commands("weights", "init")


def test_a_run_the_cache_serves_reads_no_file() -> None:
    """With the cache warm, the modules that read, merge and check files stay unloaded."""
    loaded_by("show", "performance")  # fills the cache if it was empty
    loading = [m for m in loaded_by("show", "performance") if m.startswith("dlcompare.loading.")]
    assert loading == [
        "dlcompare.loading.bundled",
        "dlcompare.loading.folders",
        "dlcompare.loading.layout",
        "dlcompare.loading.load",
        "dlcompare.loading.packing",
    ]


def test_help_has_examples_for_every_command(cli) -> None:
    assert len(command_names()) >= 8
    for command in command_names():
        result = cli(*command.split(), "--help")
        assert result.code == 0
        assert "Example" in result.out, command


def test_every_command_appears_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for command in command_names():
        assert f"dlcompare {command}" in readme, command


def test_version(cli) -> None:
    from dlcompare import __version__

    result = cli("--version")
    assert result.code == 0 and result.out.strip() == f"dlcompare {__version__}"


LEFT_OUT = ["rank", "-w", "performance.single-gpu=3", "-w", "interfaces=1", "--as-of", "2016-12-06"]


def test_rank_leaves_out_unrated_toolkits_by_default_and_says_so_in_every_format(cli) -> None:
    table = cli(*LEFT_OUT)
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    # right below the ranking table, before anything else
    ranked = max(i for i, line in enumerate(lines) if "Theano (ended)" in line and "3.25" in line)
    assert lines[ranked + 1 : ranked + 3] == [
        "Left out: Caffe (inactive), not rated on performance.single-gpu",
        "Left out: CNTK (ended), not rated on performance.single-gpu",
    ]
    markdown = cli(*LEFT_OUT, "-f", "markdown").out
    assert "Left out: CNTK (ended), not rated on performance.single-gpu" in markdown
    document = json.loads(cli(*LEFT_OUT, "-f", "json").out)
    assert document["missing"] == "drop"
    assert document["dropped"] == [
        {"toolkit": "caffe", "missing": ["performance.single-gpu"]},
        {"toolkit": "cntk", "missing": ["performance.single-gpu"]},
    ]
    rows = list(csv.DictReader(io.StringIO(cli(*LEFT_OUT, "-f", "csv").out)))
    assert [(r["rank"], r["toolkit"], r["score"], r["missing"]) for r in rows[-2:]] == [
        ("", "caffe", "", "performance.single-gpu"),
        ("", "cntk", "", "performance.single-gpu"),
    ]
    assert all(r["rank"] for r in rows[:-2])
    strict = cli(*LEFT_OUT, "--missing", "error")
    assert strict.code == 1 and "caffe lacks performance.single-gpu" in strict.err
    sensitivity = list(
        csv.DictReader(io.StringIO(cli(*LEFT_OUT, "--sensitivity", "-f", "csv").out))
    )
    assert [(r["id"], r["missing"]) for r in sensitivity if r["kind"] == "left-out"] == [
        ("caffe", "performance.single-gpu"),
        ("cntk", "performance.single-gpu"),
    ]

"""Shell completion: the candidate functions on contexts built as the shell's request builds
them, and end to end through Typer's protocol (the environment variables the bash, zsh and
fish scripts set), in-process and in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from dlcompare import completion
from dlcompare.cli import app
from tests.test_overlays import PYTORCH, TEAM_DAY, team_folder, write

NEWEST_FIRST = [
    "2026-12-03",
    "2016-12-06",
    "2016-11-13",
    "2016-05-11",
    "2015-12-07",
    "2015-12-02",
    "2015-11-20",
]


def context(command: str, *args: str, before: tuple[str, ...] = ()):
    """The context of COMMAND with ARGS typed after it and BEFORE typed before it, parsed
    leniently, as Typer does for a completion request (no command runs)."""
    group = get_command(app)
    parent = group.make_context("dlcompare", [*before, command], resilient_parsing=True)
    sub = group.get_command(parent, command)  # type: ignore[attr-defined]
    return sub.make_context(command, list(args), parent=parent, resilient_parsing=True)


def values(candidates: list[tuple[str, str]]) -> list[str]:
    return [value for value, _ in candidates]


def test_a_partial_toolkit_name_completes_to_ids_and_aliases() -> None:
    found = completion.toolkits(context("history"), "t")
    assert values(found) == ["tensorflow", "theano", "tinygrad", "torch", "tf", "torch7"]
    assert dict(found)["tf"] == "TensorFlow (tensorflow)"
    assert values(completion.toolkits(context("history"), "ca")) == ["caffe"]
    assert completion.toolkits(context("history"), "x") == []


def test_a_criterion_path_completes_to_its_parts() -> None:
    ctx = context("history", "tf")
    assert values(completion.criteria(ctx, "perf")) == [
        "performance",
        "performance.single-gpu",
        "performance.multi-gpu",
    ]
    parts = completion.criteria(ctx, "performance.")
    assert parts == [
        ("performance.single-gpu", "Performance: Single-GPU"),
        ("performance.multi-gpu", "Performance: Multi-GPU"),
    ]
    assert values(completion.criteria(ctx, "model-")) == [
        "model-deployment",
        "model-deployment.server",
        "model-deployment.mobile-edge",
        "model-deployment.browser",
        "model-debugging",
    ]


def test_show_completes_criteria_then_toolkits() -> None:
    assert values(completion.subjects(context("show"), "c")) == [
        "cross-platform",
        "caffe",
        "chainer",
        "cntk",
    ]
    everything = values(completion.subjects(context("show"), ""))
    # 11 leaves of today, "model-deployment" (rated whole before 2026-12-03) and
    # "performance"; 15 ids and 9 aliases
    assert len(everything) == 13 + 24
    assert everything[13:] == [
        "caffe",
        "chainer",
        "cntk",
        "deeplearning4j",
        "jax",
        "keras",
        "mindspore",
        "mlx",
        "mxnet",
        "paddlepaddle",
        "pytorch",
        "tensorflow",
        "theano",
        "tinygrad",
        "torch",
        "bvlc-caffe",
        "microsoft-cognitive-toolkit",
        "dl4j",
        "eclipse-deeplearning4j",
        "keras3",
        "incubator-mxnet",
        "tf",
        "torch7",
        "lua-torch",
    ]


def test_edition_dates_newest_first() -> None:
    assert values(completion.editions(context("changes"), "")) == NEWEST_FIRST
    assert values(completion.editions(context("show"), "2016-")) == NEWEST_FIRST[1:4]


def test_diff_completes_toolkit_at_date_for_the_editions_it_is_in() -> None:
    ctx = context("diff")
    assert values(completion.toolkits_at(ctx, "to")) == ["torch", "torch7"]
    # Caffe enters the evaluation on 2015-12-07: earlier dates would be an error in diff
    assert values(completion.toolkits_at(ctx, "caffe@")) == [
        f"caffe@{day}" for day in NEWEST_FIRST[:5]
    ]
    assert values(completion.toolkits_at(ctx, "TF@2016-0")) == ["TF@2016-05-11"]
    assert completion.toolkits_at(ctx, "nosuch@") == []


def test_missing_policies() -> None:
    assert values(completion.missing_policies("")) == ["error", "drop", "partial"]
    assert values(completion.missing_policies("p")) == ["partial"]


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/pytorch.yaml", PYTORCH)
    return folder


def test_the_data_folders_typed_so_far_are_used(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    after = context("show", "--data", str(team))
    before = context("show", before=("--data", str(team)))
    for ctx in (after, before):
        assert values(completion.subjects(ctx, "p")) == [
            "performance",
            "performance.single-gpu",
            "performance.multi-gpu",
            "paddlepaddle",
            "pytorch",
            "pt",
        ]
        assert values(completion.editions(ctx, ""))[0] == TEAM_DAY
    write(
        team,
        "criteria.yaml",
        "criteria:\n"
        "  - {id: interfaces, name: Interfaces, description: APIs.}\n"
        "  - {id: model-deployment, name: Model deployment, description: Serving.,\n"
        "     parts_from: 2026-12-03, parts: [{id: server, name: Server, description: A.},\n"
        "     {id: mobile-edge, name: Mobile, description: B.},\n"
        "     {id: browser, name: Browser, description: C.}]}\n",
    )
    alone = context("diff", "--no-bundled", "--data", str(team))
    assert values(completion.toolkits_at(alone, "")) == ["pytorch", "pt"]
    assert values(completion.toolkits_at(alone, "pt@")) == [f"pt@{TEAM_DAY}"]
    assert completion.selection(context("show", "--no-bundled", before=("--data", "a"))) == (
        [Path("a")],
        False,
    )
    monkeypatch.setenv("DLCOMPARE_DATA", str(team))
    assert "pytorch" in values(completion.toolkits(context("history"), "py"))


def test_data_that_does_not_load_completes_nothing(team: Path) -> None:
    write(team, "toolkits/pytorch.yaml", PYTORCH.replace("score: 5", "score: 7"))
    assert completion.toolkits(context("history", "--data", str(team)), "") == []
    assert completion.editions(context("show", "--no-bundled"), "") == []


def complete(cli, monkeypatch: pytest.MonkeyPatch, shell: str, line: str) -> list[str]:
    """Ask for completions as the shell's script does, in-process; the answer's lines."""
    monkeypatch.setenv("_DLCOMPARE_COMPLETE", f"complete_{shell}")
    if shell == "bash":
        words = line.split(" ")
        monkeypatch.setenv("COMP_WORDS", "\n".join(words))
        monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    else:
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
        monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    result = cli()
    assert result.code == 0 and result.err == ""
    lines: list[str] = result.out.splitlines()
    return lines


def test_bash_protocol(cli, monkeypatch: pytest.MonkeyPatch, team: Path) -> None:
    assert complete(cli, monkeypatch, "bash", "dlcompare show perf") == [
        "performance",
        "performance.single-gpu",
        "performance.multi-gpu",
    ]
    assert complete(cli, monkeypatch, "bash", "dlcompare diff tensorflow t") == [
        "tensorflow",
        "theano",
        "tinygrad",
        "torch",
        "tf",
        "torch7",
    ]
    assert complete(cli, monkeypatch, "bash", "dlcompare show --format m") == ["markdown"]
    assert complete(cli, monkeypatch, "bash", "dlcompare changes 2015-12") == [
        "2015-12-07",
        "2015-12-02",
    ]
    assert complete(cli, monkeypatch, "bash", f"dlcompare --data {team} history p") == [
        "paddlepaddle",
        "pytorch",
        "pt",
    ]


def test_bash_completes_after_the_at_sign_it_splits_words_at(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bash hands `tf@2016` over as `tf`, `@`, `2016` and replaces `@2016` with the answer."""
    assert complete(cli, monkeypatch, "bash", "dlcompare diff tf @ 2016") == [
        "@2016-12-06",
        "@2016-11-13",
        "@2016-05-11",
    ]
    assert complete(cli, monkeypatch, "bash", "dlcompare diff tf @ 2016-05-11 caffe @")[-1] == (
        "@2015-12-07"
    )


def test_zsh_and_fish_protocols_carry_the_names(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    zsh = complete(cli, monkeypatch, "zsh", "dlcompare show perf")
    assert '"performance.single-gpu":"Performance\\\\: Single-GPU"' in "\n".join(zsh)
    fish = complete(cli, monkeypatch, "fish", "dlcompare diff tf@2016-0")
    assert [line.split("\t")[0] for line in fish] == ["tf@2016-05-11"]
    assert complete(cli, monkeypatch, "fish", "dlcompare history tf single")[0] == ""
    assert complete(cli, monkeypatch, "fish", "dlcompare history t")[0].startswith(
        "tensorflow\tTensorFlow"
    )


def test_a_real_completion_request_loads_no_renderer() -> None:
    """As the shell runs it: a new process, answers on stdout, and no output code imported."""
    probe = (
        "import sys\n"
        "from dlcompare.__main__ import run\n"
        "code = run()\n"
        "loaded = [m for m in sys.modules if m.startswith(('rich', 'dlcompare.render'))]\n"
        "print(code, loaded, file=sys.stderr)\n"
    )
    env = {
        **os.environ,
        "_DLCOMPARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "dlcompare history tf performance.",
        "COMP_CWORD": "3",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["performance.single-gpu", "performance.multi-gpu"]
    assert done.stderr.strip() == "0 []"


def test_the_completion_options_are_there(cli) -> None:
    help_text = cli("--help").out
    assert "--install-completion" in help_text and "--show-completion" in help_text


def test_help_texts_are_one_short_line() -> None:
    found = completion.editions(context("show"), "2016-12")
    assert len(found) == 1
    help_text = found[0][1]
    assert help_text.startswith("zer0n/deepframeworks: ") and help_text.endswith("…")
    assert len(help_text) == completion.HELP_LENGTH
    assert "\n" not in help_text and "'" not in help_text

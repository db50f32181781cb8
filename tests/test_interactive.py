"""`weights init --interactive` driven by scripted answers: in-process with the terminal check
stubbed and standard input fed, and once in a real pseudo-terminal session."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from dlcompare import interactive

# Latest edition: modeling, interfaces, deployment, single-gpu (9 is refused, then 5), then
# multi-gpu and model debugging are rated by nobody and not asked, architecture, and
# ecosystem and cross-platform are not asked either.
ANSWERS = ["4", "3", "5", "9", "5", "2"]
# The questions above are those of the source's last edition (2016-12-06), pinned: the latest
# edition (dlcompare's own, 2026-12-03) asks about every criterion.
SOURCE_LAST = ("--as-of", "2016-12-06")

EXPECTED = """\
# dlcompare weights: how much each criterion matters to you (0 = ignore it).
# Only the ratios count: 2 and 1 weigh the same as 20 and 10.
# Use it with: dlcompare rank --weights FILE
# Left out: performance.multi-gpu, model-debugging, ecosystem, cross-platform.

# Modeling capability: How far a toolkit gets you towards training common and state-of-
# the-art networks with little code, and how freely it lets you invent new kinds of model.
# The source's examples in 2015, not a closed list, were ConvNets such as AlexNet,
# OxfordNet and GoogleNet, recurrent networks such as plain RNN, LSTM/GRU and
# bidirectional RNN, and sequence models with attention. From the 2026-12-03 edition on
# the examples are today's standard models, transformers among them, and whether control
# flow works inside compiled code counts too.
modeling-capability: 4

# Interfaces: Which programming languages and front ends a toolkit offers, and how
# pleasant they are for experiments and for production code. From the 2026-12-03 edition
# on this includes front ends that run on several toolkits (Keras 3 on JAX, TensorFlow or
# PyTorch).
interfaces: 3

# Model deployment: How much work it takes to run a trained model in production: native
# libraries, supported devices and operating systems, runtime dependencies. From the
# 2026-12-03 edition on this is read more broadly and rated in three parts (server, mobile
# and edge, browser), each on its own; the source's editions rated it as one number, and
# keep those ratings.
model-deployment: 5

# Performance: Training speed and scaling, judged separately on one GPU and on several.
# From the 2026-12-03 edition on, "GPU" is read as any accelerator (GPUs, TPUs, Apple
# silicon and the like); the ids keep their old names.
# Rated per part. A single number here (performance: 2) is spread equally over the parts
# the edition rates.
performance:
  # Single-GPU: Speed on one GPU. In the source's editions (2015-2016) it was judged
  # mainly from the public convnet-benchmarks measurements of ConvNet training. From the
  # 2026-12-03 edition on it is speed on one accelerator of any kind, judged from
  # published, reproducible results (MLPerf and the like) and the toolkit's compiler.
  single-gpu: 5

# Architecture: How cleanly the toolkit's own code is designed, seen from a developer who
# wants to read, extend or contribute to it. From the 2026-12-03 edition on this includes
# the compiler stack beneath the toolkit and how new operations are added.
architecture: 2
"""


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch):
    """`terminal(lines)`: standard input is a terminal on which the user types LINES."""

    def type_in(lines: list[str]) -> None:
        monkeypatch.setattr(interactive, "stdin_is_terminal", lambda: True)
        monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))

    return type_in


def test_scripted_answers_write_the_expected_file(cli, terminal, tmp_path: Path) -> None:
    terminal(ANSWERS)
    target = tmp_path / "mine.yaml"
    result = cli("weights", "init", "--interactive", *SOURCE_LAST, "-o", str(target))
    assert result.code == 0, result.err
    assert result.out == ""  # questions and notes go to stderr
    assert target.read_text(encoding="utf-8") == EXPECTED
    err = result.err
    assert "[4/9] Performance: Single-GPU (performance.single-gpu)" in err
    assert "Scores, best first: TensorFlow 5, Torch 5, Theano 3." in err
    assert "Not rated: Caffe, CNTK." in err
    assert "Please answer a number from 0 to 5" in err
    assert "No toolkit is rated on it in this edition, so it is left out." in err
    shares = [line.split() for line in err.splitlines() if line.startswith("  ") and "%" in line]
    assert shares == [
        ["modeling-capability", "4", "21", "%"],
        ["interfaces", "3", "16", "%"],
        ["model-deployment", "5", "26", "%"],
        ["performance.single-gpu", "5", "26", "%"],
        ["architecture", "2", "11", "%"],
    ]
    assert (
        "Not rated on a weighted criterion: Caffe (performance.single-gpu); CNTK "
        "(performance.single-gpu, architecture). rank leaves them out and lists them below the ranking"
    ) in " ".join(err.split())
    assert f"Wrote {target}. Rank with: dlcompare rank --weights {target}" in err

    ranked = cli("rank", "--weights", str(target), *SOURCE_LAST, "-f", "json")
    assert ranked.code == 0, ranked.err
    document = json.loads(ranked.out)
    assert document["weights"] == {
        "modeling-capability": 4.0,
        "interfaces": 3.0,
        "model-deployment": 5.0,
        "performance.single-gpu": 5.0,
        "architecture": 2.0,
    }
    assert document["spread"] == {}
    # the same file on the latest edition: the whole weight spread over the three parts
    latest = json.loads(cli("rank", "--weights", str(target), "-f", "json").out)
    parts = [f"model-deployment.{p}" for p in ("server", "mobile-edge", "browser")]
    assert latest["spread"]["model-deployment"]["parts"] == parts
    assert all(latest["weights"][p] == 5 / 3 for p in parts)


def test_zero_is_kept_and_skip_is_left_out(cli, terminal) -> None:
    # First edition: modeling, interfaces, deployment, single-gpu, multi-gpu, (model
    # debugging: nobody rated), architecture, ecosystem, (cross-platform: nobody rated).
    terminal(["2", "0", "", "s", "skip", "1.5", "-"])
    result = cli("weights", "init", "-i", "--as-of", "2015-11-20")
    assert result.code == 0, result.err
    assert "Scores are from the edition of 2015-11-20" in result.err
    text = result.out  # without -o, the file is stdout
    lines = [line for line in text.splitlines() if line and not line.startswith(("#", "  #"))]
    assert lines == ["modeling-capability: 2", "interfaces: 0", "architecture: 1.5"]
    assert (
        "Left out: model-deployment, performance.single-gpu, performance.multi-gpu, "
        "model-debugging, ecosystem, cross-platform."
    ) in " ".join(text.split()).replace(" # ", " ")
    assert "Not rated on a weighted criterion" not in result.err
    assert "Question" not in text and "Weight 0-5" not in text


def test_refuses_when_standard_input_is_not_a_terminal(
    cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("4\n3\n"))
    target = tmp_path / "mine.yaml"
    result = cli("weights", "init", "--interactive", *SOURCE_LAST, "-o", str(target))
    assert result.code == 2
    assert "standard input is not one" in result.err and "weights init -o mine.yaml" in result.err
    assert "Traceback" not in result.err and not target.exists()


def test_an_existing_file_is_refused_before_any_question(cli, terminal, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("interfaces: 1\n", encoding="utf-8")
    terminal(ANSWERS)
    result = cli("weights", "init", "-i", *SOURCE_LAST, "-o", str(target))
    assert result.code == 1 and "already exists; use --force" in result.err
    assert "Weight 0-5" not in result.err
    assert target.read_text(encoding="utf-8") == "interfaces: 1\n"
    terminal(ANSWERS)
    assert cli("weights", "init", "-i", *SOURCE_LAST, "-o", str(target), "--force").code == 0
    assert target.read_text(encoding="utf-8") == EXPECTED


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["4", "3"], "the input ended before every criterion was answered"),
        (["0", "", "0", "", "0"], "no criterion has a weight above 0"),
    ],
)
def test_nothing_is_written_without_usable_answers(
    cli, terminal, tmp_path: Path, answers: list[str], message: str
) -> None:
    terminal(answers)
    target = tmp_path / "mine.yaml"
    result = cli("weights", "init", "-i", *SOURCE_LAST, "-o", str(target))
    assert result.code == 1 and message in result.err
    assert not target.exists()


def test_spread_orders_best_first_and_names_the_unrated(bundled) -> None:
    edition = bundled.edition_at(dt.date(2016, 12, 6))
    assert edition is not None
    evaluation = bundled.evaluation(edition)
    rated, unrated = interactive.spread(evaluation, bundled.leaf_by_path["architecture"])
    assert rated == [("TensorFlow", 5.0), ("Torch", 5.0), ("Caffe", 3.0), ("Theano", 3.0)]
    assert unrated == ["CNTK"]


def test_a_real_terminal_session(tmp_path: Path) -> None:
    """dlcompare on a pseudo-terminal, answering each question when it is asked."""
    target = tmp_path / "mine.yaml"
    main, replica = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dlcompare",
            "weights",
            "init",
            "-i",
            *SOURCE_LAST,
            "-o",
            str(target),
        ],
        stdin=replica,
        stdout=replica,
        stderr=replica,
        env={**os.environ, "COLUMNS": "80"},
        close_fds=True,
    )
    os.close(replica)
    screen = b""
    answers = iter(ANSWERS)
    try:
        while True:
            ready, _, _ = select.select([main], [], [], 60)  # a guard against a hang only
            assert ready, f"no output for 60 s; so far:\n{screen.decode()}"
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the process closed the terminal
                break
            if not chunk:
                break
            screen += chunk
            if screen.endswith(b"Enter to skip: "):
                os.write(main, next(answers).encode() + b"\n")
    finally:
        os.close(main)
        code = process.wait(timeout=60)
    assert code == 0, screen.decode()
    assert target.read_text(encoding="utf-8") == EXPECTED
    text = screen.decode().replace("\r\n", "\n")
    assert "Weight 0-5, Enter to skip: 9\n  Please answer a number from 0 to 5" in text
    assert f"Wrote {target}." in text


def test_the_template_marks_criteria_nobody_is_rated_on(cli) -> None:
    text = cli("weights", "init", "--as-of", "2016-12-06").out
    lines = text.splitlines()
    marked = [
        lines[i + 2].strip().split(":")[0]
        for i, line in enumerate(lines)
        if "No toolkit is rated on this in the edition of 2016-12-06" in line
    ]
    assert marked == ["multi-gpu", "model-debugging", "ecosystem", "cross-platform"]
    # an edition where multi-GPU is rated: no mark there
    early = cli("weights", "init", "--as-of", "2015-11-20").out
    assert early.count("No toolkit is rated on this in the edition of 2015-11-20") == 2

"""Views across two evaluators: the source's editions and ours, in a data folder built in
tmp_path with the shape of the bundled data after the current edition (tests/factory.py).

History spans both evaluators and names each step's; a toolkit the latest edition names but
does not rate (it ended) still resolves, its cells say so, and show/diff/rank point to its
successor with commands that run as printed; rank never counts it as a candidate."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from dlcompare import api
from dlcompare.loading import load_layers

from .factory import NOTICE, OURS, SOURCE, write_two_evaluators

TODAY = "2026-12-03"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DLCOMPARE_TODAY", TODAY)
    return write_two_evaluators(tmp_path)


@pytest.fixture
def run(cli, folder: Path):
    """The CLI over the two-evaluator folder alone."""

    def invoke(*args: str):
        return cli(*args, "--data", str(folder), "--no-bundled")

    return invoke


def as_json(outcome) -> Any:
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def commands(entry: dict[str, Any]) -> list[str]:
    return [hint["command"] for hint in entry["hints"]]


def hint_runs(run, hint: str) -> None:
    """A printed hint is a whole command line: it parses and succeeds as given."""
    words = shlex.split(hint)
    assert words[0] == "dlcompare"
    outcome = run(*words[1:])
    assert outcome.code == 0, f"{hint}: {outcome.err}"


# history ------------------------------------------------------------------------------------


def test_history_spans_both_evaluators_and_names_each_step(run) -> None:
    doc = as_json(run("history", "tensorflow", "interfaces", "-f", "json"))
    entries = doc["history"][0]["entries"]
    assert [(e["edition"], e["score"], e["evaluator"]) for e in entries] == [
        ("2015-11-20", 4.9, SOURCE),
        ("2026-12-03", 4.5, OURS),
    ]
    assert entries[1]["previous_evaluator"] == SOURCE  # another evaluator's view
    assert {s["evaluator"] for s in doc["shown"]} == {SOURCE, OURS}

    table = run("history", "tensorflow", "interfaces").out
    assert f"4.9 (2015-11-20), by {SOURCE}; then 4.5 (2026-12-03), by {OURS}" in " ".join(
        table.split()
    )
    full = run("history", "tensorflow", "interfaces", "-v").out  # a row per step
    ours = next(line for line in full.splitlines() if line.startswith("2026-12-03"))
    assert "4.5" in ours and "was" not in ours  # not one evaluator revising its own score
    assert full.splitlines()[full.splitlines().index(ours) + 1].startswith(OURS)

    markdown = run("history", "tensorflow", "interfaces", "-f", "markdown").out
    assert f"4.9 (2015-11-20), by {SOURCE}; then 4.5 (2026-12-03), by {OURS}" in markdown

    rows = list(csv.DictReader(io.StringIO(run("history", "tf", "interfaces", "-f", "csv").out)))
    assert [(r["edition"], r["evaluator"]) for r in rows] == [
        ("2015-11-20", SOURCE),
        ("2026-12-03", OURS),
    ]


def test_history_of_an_ended_toolkit_ends_with_our_unrated_entry(run) -> None:
    doc = as_json(run("history", "torch", "interfaces", "-f", "json"))
    entries = doc["history"][0]["entries"]
    assert [(e["score"], e["evaluator"]) for e in entries] == [(4.0, SOURCE), (None, OURS)]
    table = " ".join(run("history", "torch", "interfaces").out.split())
    assert f"4.0 (2015-11-20), by {SOURCE}; then no score (2026-12-03), by {OURS}" in table


# an ended toolkit in the latest view ----------------------------------------------------------


def test_an_ended_toolkit_resolves_by_name_and_points_to_its_successor(run) -> None:
    doc = as_json(run("show", "Torch", "-f", "json"))
    assert doc["subject"] == "torch"
    assert {r["score"] for r in doc["ratings"]} == {None}
    (entry,) = doc["not_rated"]
    assert entry["toolkit"] == "torch"
    assert entry["reason"] == "ended"
    assert (entry["evaluator"], entry["since"]) == (OURS, TODAY)
    assert (entry["successor"], entry["successor_id"]) == ("PyTorch", "pytorch")
    assert (entry["last_rated"], entry["last_evaluator"]) == ("2016-11-13", SOURCE)
    assert entry["hints"] == [
        {"command": "dlcompare show pytorch", "shows": "successor"},
        {"command": "dlcompare show torch --as-of 2016-11-13", "shows": "last-rated"},
    ]
    for hint in commands(entry):
        hint_runs(run, hint)

    table = run("show", "torch").out
    assert table.count("not rated: ended;") == 4  # every cell says so
    assert table.count("successor PyTorch") >= 4
    assert "Use: dlcompare show pytorch (its successor)" in " ".join(table.split())


def test_the_matrix_lists_unrated_toolkits_once_and_never_substitutes(run) -> None:
    doc = as_json(run("show", "-f", "json"))
    assert [t["id"] for t in doc["toolkits"]] == ["pytorch", "tensorflow"]
    assert {r["toolkit"] for r in doc["ratings"]} == {"pytorch", "tensorflow"}
    absent = {e["toolkit"]: e for e in doc["not_rated"]}
    assert set(absent) == {"mxnet", "theano", "torch"}
    # Theano's successor is not in the data: named, never replaced by another toolkit
    assert (absent["theano"]["successor"], absent["theano"]["successor_id"]) == ("PyTensor", None)
    assert commands(absent["theano"]) == ["dlcompare show theano --as-of 2016-11-13"]
    assert absent["mxnet"]["last_rated"] is None and absent["mxnet"]["hints"] == []

    table = run("show").out
    flat = " ".join(table.split())
    # once, on one line for all of them; why and their successors with -v (or `dlcompare list`)
    assert "Not rated in this edition: MXNet, Theano, Torch (ended)." in flat
    assert len(re.findall(r"\bTorch\b", flat)) == 1
    verbose = " ".join(run("show", "-v").out.split())
    assert "Successor: PyTensor" in verbose
    assert len(re.findall(r"\bTorch\b", verbose)) == 2  # the line and its status row

    rows = list(csv.DictReader(io.StringIO(run("show", "-f", "csv").out)))
    unrated = [r for r in rows if r["status"] == "not-rated"]
    assert {r["toolkit"] for r in unrated} == {"mxnet", "theano", "torch"}


def test_the_source_editions_still_rate_the_ended_toolkits(run) -> None:
    doc = as_json(run("show", "--as-of", "2016-11-13", "-f", "json"))
    assert [t["id"] for t in doc["toolkits"]] == ["tensorflow", "theano", "torch"]
    assert doc["not_rated"] == []  # MXNet retired in 2023, after this edition


def test_diff_with_an_ended_toolkit_is_honest_and_its_hints_run(run) -> None:
    doc = as_json(run("diff", "tensorflow", "torch", "-f", "json"))
    assert all(row["right"] is None and row["delta"] is None for row in doc["rows"])
    assert [row["left"] for row in doc["rows"]] == [4.5, 5.0, 4.5, 4.5]
    (entry,) = doc["not_rated"]
    assert (entry["side"], entry["successor_id"]) == ("right", "pytorch")
    assert entry["hints"] == [
        {"command": "dlcompare diff tensorflow pytorch", "shows": "successor"},
        {"command": "dlcompare diff tensorflow torch --as-of 2016-11-13", "shows": "last-rated"},
    ]
    for hint in commands(entry):
        hint_runs(run, hint)
    # the source's comparison: both sides rated by the source
    then = as_json(run("diff", "tensorflow", "torch", "--as-of", "2016-11-13", "-f", "json"))
    assert {r["left_rating"]["evaluator"] for r in then["rows"]} == {SOURCE}
    assert {r["right_rating"]["evaluator"] for r in then["rows"]} == {SOURCE}

    table = run("diff", "tensorflow", "torch").out
    flat = " ".join(table.split())
    assert "Torch is not rated by dlcompare (2026-12-03): ended; successor PyTorch." in flat
    assert "dlcompare diff tensorflow pytorch (its successor)" in flat
    assert (
        f"dlcompare diff tensorflow torch --as-of 2016-11-13 (its latest ratings, by {SOURCE})"
        in (flat)
    )

    # one toolkit across its end: the source's last ratings against our edition's none
    across = as_json(run("diff", "torch@2016-11-13", "torch", "-f", "json"))
    (entry,) = across["not_rated"]
    assert entry["side"] == "right"
    assert commands(entry) == ["dlcompare diff torch@2016-11-13 pytorch@2026-12-03"]
    for hint in commands(entry):
        hint_runs(run, hint)
    labels = run("diff", "torch@2016-11-13", "pytorch@2026-12-03").out
    assert f"({SOURCE})" in labels and f"({OURS})" in labels

    reverse = as_json(run("diff", "torch", "tensorflow", "-f", "json"))
    assert reverse["not_rated"][0]["side"] == "left"
    assert commands(reverse["not_rated"][0])[0] == "dlcompare diff pytorch tensorflow"


def test_diff_across_evaluators_labels_each_side(run) -> None:
    table = run("diff", "tensorflow@2016-11-13", "tensorflow").out
    assert f"Left: Edition 2016-11-13, by {SOURCE}" in table
    assert f"Right: Edition 2026-12-03, by {OURS}" in table
    assert f"({SOURCE})" in table and f"({OURS})" in table  # the column headers say whose
    assert (
        f"Δ = right minus left: {OURS}'s score (2026-12-03) minus {SOURCE}'s (2016-11-13); two "
        "evaluators' views, not one score that moved." in " ".join(table.split())
    )
    doc = as_json(run("diff", "tensorflow@2016-11-13", "tensorflow", "-f", "json"))
    rows = {r["criterion"]: r for r in doc["rows"]}
    assert rows["interfaces"]["delta"] == -0.4  # exact: 4.5 - 4.9
    assert rows["interfaces"]["left_rating"]["evaluator"] == SOURCE
    assert rows["interfaces"]["right_rating"]["evaluator"] == OURS


# rank -----------------------------------------------------------------------------------------


def test_rank_lists_toolkits_the_edition_does_not_rate_below_and_never_fails_on_them(run) -> None:
    outcome = run("rank", "-w", "interfaces=1", "-w", "performance.single-gpu=2", "-f", "json")
    doc = as_json(outcome)  # the default --missing error is not triggered by ended toolkits
    assert [r["toolkit"] for r in doc["rows"]] == ["pytorch", "tensorflow"]
    assert doc["dropped"] == []
    absent = {e["toolkit"]: e for e in doc["not_in_edition"]}
    assert set(absent) == {"mxnet", "theano", "torch"}
    assert absent["torch"]["successor"] == "PyTorch"

    table = run("rank", "-w", "interfaces=1", "-w", "performance.single-gpu=2").out
    flat = " ".join(table.split())
    # one line for all of them, below the ranking; -v adds why (their project status)
    assert len(re.findall(r"\bTorch\b", flat)) == 1
    assert "Not rated in this edition: MXNet, Theano, Torch (ended)." in flat
    assert flat.index("Not rated in this edition") > flat.index("TensorFlow")
    verbose = " ".join(run("rank", "-w", "interfaces=1", "-v").out.split())
    assert verbose.count("Theano") == 2  # the line, and its row in the status table
    assert "Theano ended 2017-09-28" in verbose

    rows = list(csv.DictReader(io.StringIO(run("rank", "-w", "interfaces=1", "-f", "csv").out)))
    assert [r["toolkit"] for r in rows if r["rank"]] == ["pytorch", "tensorflow"]
    assert {r["toolkit"] for r in rows if not r["rank"]} == {"mxnet", "theano", "torch"}


def test_an_edition_that_rates_a_toolkit_on_some_criteria_still_applies_the_policy(
    run, folder: Path
) -> None:
    # PyTorch loses one rating: it is rated in the edition, so the missing policy applies
    path = folder / "toolkits" / "pytorch.yaml"
    text = path.read_text().replace(
        "{score: 5, summary: Our view.,", "{score: null, summary: x,", 1
    )
    path.write_text(text)
    strict = run("rank", "-w", "interfaces=1", "-w", "model-deployment=1", "--missing", "error")
    assert strict.code == 1 and "pytorch lacks interfaces" in strict.err
    assert "torch" not in strict.err.replace("pytorch", "")
    # by default it is left out and named right below the ranking; Torch is not in the edition
    default = run("rank", "-w", "interfaces=1", "-w", "model-deployment=1", "-f", "json")
    ranking = json.loads(default.out)
    assert default.code == 0
    assert [d["toolkit"] for d in ranking["dropped"]] == ["pytorch"]
    assert "torch" in [e["toolkit"] for e in ranking["not_in_edition"]]


# headers --------------------------------------------------------------------------------------


def test_headers_say_whose_ratings_are_shown_and_how_old(run, folder: Path, tmp_path) -> None:
    # a team overlay adds one rating today; the rest shown are the source's and ours
    team = tmp_path / "team"
    (team / "toolkits").mkdir(parents=True)
    (team / "editions.yaml").write_text(
        "editions:\n  - {date: 2026-12-10, evaluator: ML platform team, summary: Ours.}\n"
    )
    (team / "toolkits" / "torch.yaml").write_text(
        "id: torch\nname: Torch\nratings:\n  interfaces:\n"
        "    2026-12-10: {score: 3, summary: Our team's view.}\n"
    )
    outcome = run("show", "interfaces", "--data", str(team), "-f", "json")
    doc = as_json(outcome)
    spans = {s["evaluator"]: s for s in doc["shown"]}
    assert set(spans) == {OURS, "ML platform team"}
    assert spans[OURS]["ratings"] == 2 and spans["ML platform team"]["ratings"] == 1
    assert spans["ML platform team"]["newest_age_days"] == -7
    assert "1 by ML platform team from 2026-12-10 (dated after today)" in " ".join(
        run("show", "interfaces", "--data", str(team)).out.split()
    )
    table = " ".join(run("show", "interfaces", "--data", str(team)).out.split())
    assert "Ratings shown: 2 by dlcompare from 2026-12-03 (0 days old); 1 by ML platform team" in (
        table
    )

    old = as_json(run("show", "--as-of", "2016-11-13", "-f", "json"))
    (span,) = old["shown"]
    assert (span["evaluator"], span["oldest"], span["newest"]) == (
        SOURCE,
        "2015-11-20",
        "2015-11-20",
    )
    assert span["ratings"] == 12 and span["stale"] is True


# edition notes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("show", "--as-of", "2016-11-13"),
        ("show", "interfaces", "--as-of", "2016-11-13"),
        ("diff", "tensorflow", "torch", "--as-of", "2016-11-13"),
        ("rank", "-w", "interfaces=1", "--as-of", "2016-11-13"),
        ("history", "tensorflow", "--as-of", "2016-11-13"),
    ],
)
def test_edition_notes_appear_in_every_format(run, args: tuple[str, ...]) -> None:
    doc = as_json(run(*args, "-f", "json"))
    assert [(n["evaluator"], n["edition"], n["text"]) for n in doc["notes"]] == [
        (SOURCE, "2016-11-13", NOTICE)
    ]
    assert NOTICE in " ".join(run(*args).out.split())
    assert NOTICE in run(*args, "-f", "markdown").out
    rows = list(csv.DictReader(io.StringIO(run(*args, "-f", "csv").out)))
    assert rows and all(NOTICE in row["edition_notes"] for row in rows)


def test_notes_hold_for_the_same_evaluator_only(run) -> None:
    assert as_json(run("show", "--as-of", "2015-11-20", "-f", "json"))["notes"] == []  # before
    latest = as_json(run("show", "-f", "json"))  # ours, showing only our ratings
    assert latest["notes"] == []
    # a view of ours that shows the source's ratings carries the source's notice
    history = as_json(run("history", "tensorflow", "-f", "json"))
    assert [n["text"] for n in history["notes"]] == [NOTICE]


def test_changes_reports_a_notice(run) -> None:
    table = run("changes", "2016-11-13").out
    assert "Nothing changed" not in table
    assert NOTICE in " ".join(table.split())
    doc = as_json(run("changes", "2016-11-13", "-f", "json"))
    assert doc["changes"] == [] and [n["text"] for n in doc["notes"]] == [NOTICE]
    rows = list(csv.DictReader(io.StringIO(run("changes", "2016-11-13", "-f", "csv").out)))
    assert [(r["change"], r["summary"]) for r in rows] == [("note", NOTICE)]
    editions = as_json(run("editions", "-f", "json"))
    assert editions["editions"][1]["notes"] == [NOTICE]


def test_changes_into_another_evaluators_edition_says_so(run) -> None:
    table = " ".join(run("changes", TODAY).out.split())
    assert f"This edition is by {OURS}, the one before by {SOURCE}" in table


# the Python API -------------------------------------------------------------------------------


def test_api_diff_deltas_are_exact(folder: Path) -> None:
    evaluation = api.at(load_layers([folder], bundled=False))
    moved = api.diff(evaluation, "tensorflow@2015-11-20", "tensorflow")
    deltas = {row.criterion: row.delta for row in moved.rows}
    assert deltas == {
        "interfaces": -0.4,
        "model-deployment": 0.5,
        "performance.single-gpu": 1.5,
        "performance.multi-gpu": 0.5,
    }
    assert repr(deltas["interfaces"]) == "-0.4"


def test_a_toolkit_that_enters_later_says_when_and_whose(run) -> None:
    doc = as_json(run("show", "pytorch", "--as-of", "2016-11-13", "-f", "json"))
    (entry,) = doc["not_rated"]
    assert (entry["first_rated"], entry["first_evaluator"]) == (TODAY, OURS)
    assert commands(entry) == ["dlcompare show pytorch"]
    hint_runs(run, "dlcompare show pytorch")
    table = " ".join(run("show", "pytorch", "--as-of", "2016-11-13").out.split())
    assert f"PyTorch is not rated in this edition: first rated on {TODAY} by {OURS}." in table


def test_bundled_caffe_before_it_entered(cli) -> None:
    doc = json.loads(cli("show", "caffe", "--as-of", "2015-11-20", "-f", "json").out)
    (entry,) = doc["not_rated"]
    assert entry["first_rated"] == "2015-12-07"
    assert commands(entry) == ["dlcompare show caffe --as-of 2015-12-07"]
    assert cli("show", "caffe", "--as-of", "2015-12-07").code == 0

"""`history`, `changes` and `diff TOOLKIT@DATE` against the source evaluation.

The expected tables below are typed from the source documents (the rating headings of each
revision of zer0n/deepframeworks), not from dlcompare's output: at every edition, the score
each toolkit has on each leaf criterion, None where that edition gives no score (not rated,
withdrawn, or not covered).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from dlcompare.history import edition_changes, ratings_changed, toolkit_history
from dlcompare.names import find_edition
from dlcompare.results.history import SCORE_CHANGES

LEAVES = (
    "modeling-capability",
    "interfaces",
    "model-deployment",
    "performance.single-gpu",
    "performance.multi-gpu",
    "model-debugging",
    "architecture",
    "ecosystem",
    "cross-platform",
)
DEPLOYMENT_PARTS = (
    "model-deployment.server",
    "model-deployment.mobile-edge",
    "model-deployment.browser",
)
EDITIONS = ("2015-11-20", "2015-12-02", "2015-12-07", "2016-05-11", "2016-11-13", "2016-12-06")

# Scores in LEAVES order, typed from each revision of the source. A toolkit missing from an
# edition is not in that edition at all.
NA: None = None  # no score in that edition
EXPECTED: dict[str, dict[str, tuple[float | None, ...]]] = {
    "2015-11-20": {
        "tensorflow": (4, 4.9, 4.5, 3, 4, NA, 5, 5, NA),
        "theano": (5, 4.5, 3, 3, 2, NA, 3, 4, NA),
        "torch": (4.5, 4, 3, 5, 3, NA, 5, 3, NA),
    },
    "2015-12-02": {
        "tensorflow": (4, 4.5, 4.5, 3, NA, NA, 4.5, 4.5, NA),
        "theano": (5, 4, 3, 3, NA, NA, 3, 4, NA),
        "torch": (4.5, 4, 3, 5, NA, NA, 5, 3, NA),
    },
    "2015-12-07": {
        "caffe": (3, 3, 5, 5, NA, NA, 3, NA, NA),
        "cntk": (NA, 2.5, 4.5, 5, NA, NA, NA, NA, NA),
        "tensorflow": (4, 4.5, 4.5, 3, NA, NA, 5, NA, NA),
        "theano": (5, 4, 3, 3, NA, NA, 3, NA, NA),
        "torch": (5, 4, 3, 5, NA, NA, 5, NA, NA),
    },
    "2016-05-11": {
        "caffe": (3, 3, 5, NA, NA, NA, 3, NA, NA),
        "cntk": (2, 2.5, 4.5, NA, NA, NA, NA, NA, NA),
        "tensorflow": (4.5, 4.5, 4.5, 5, NA, NA, 5, NA, NA),
        "theano": (4.5, 4, 3, 3, NA, NA, 3, NA, NA),
        "torch": (5, 4, 3, 5, NA, NA, 5, NA, NA),
    },
}
# No score changed in the last two editions.
EXPECTED["2016-11-13"] = EXPECTED["2016-05-11"]
EXPECTED["2016-12-06"] = EXPECTED["2016-05-11"]

TOOLKITS = ("caffe", "cntk", "tensorflow", "theano", "torch")


def _in_force(entries: list[dict[str, Any]], day: str) -> float | None:
    """The score of the latest history entry at or before `day`."""
    current = None
    for entry in entries:
        if entry["edition"] <= day:
            current = entry["score"]
    return current


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_history_matches_the_source_at_every_edition(cli, toolkit):
    outcome = cli("history", toolkit, "--format", "json")
    assert outcome.code == 0, outcome.err
    doc = json.loads(outcome.out)
    history = {item["criterion"]: item["entries"] for item in doc["history"]}
    # up to the current edition: model-deployment whole (the source's), then its parts (ours)
    assert tuple(history) == LEAVES[:3] + DEPLOYMENT_PARTS + LEAVES[3:]
    assert all(e["edition"] == "2026-12-03" for p in DEPLOYMENT_PARTS for e in history[p])
    assert all(e["edition"] < "2026-12-03" for e in history["model-deployment"])
    for day in EDITIONS:
        expected = EXPECTED[day].get(toolkit)
        if expected is None:  # not yet in the evaluation: no entry may start this early
            assert all(e["edition"] > day for entries in history.values() for e in entries)
            continue
        got = tuple(_in_force(history[leaf], day) for leaf in LEAVES)
        assert got == expected, f"{toolkit} at {day}"


def test_tensorflow_single_gpu_timeline_with_reasons(cli, bundled):
    # the source's timeline (dlcompare's 2026-12-03 edition continues it)
    outcome = cli(
        "history", "tf", "performance.single-gpu", "--as-of", "2016-12-06", "--format", "json"
    )
    assert outcome.code == 0, outcome.err
    doc = json.loads(outcome.out)
    assert doc["toolkit"] == "tensorflow"
    [item] = doc["history"]
    entries = [
        (e["edition"], e["score"], e["change"], e["previous_score"]) for e in item["entries"]
    ]
    assert entries == [("2015-11-20", 3, "added", None), ("2016-05-11", 5, "moved", 3)]
    # the reason given for each step is the bundled summary of that edition's reasoning
    ratings = bundled.assessments("tensorflow")["performance.single-gpu"]
    assert [e["summary"] for e in item["entries"]] == [
        a.summary for day, a in sorted(ratings.items()) if day.year < 2017
    ]
    assert "caught up" in item["entries"][1]["summary"]
    assert item["entries"][1]["sources"]


def test_history_of_a_criterion_with_parts_covers_each_part(cli):
    doc = json.loads(
        cli("history", "torch", "performance", "--as-of", "2016-12-06", "--format", "json").out
    )
    assert [item["criterion"] for item in doc["history"]] == [
        "performance.single-gpu",
        "performance.multi-gpu",
    ]
    multi = doc["history"][1]["entries"]
    assert [(e["edition"], e["change"], e["status"]) for e in multi] == [
        ("2015-11-20", "added", "rated"),
        ("2015-12-02", "withdrawn", "withdrawn"),
    ]


def test_history_stops_at_as_of(cli):
    doc = json.loads(
        cli("history", "tf", "architecture", "--as-of", "2015-12-02", "-f", "json").out
    )
    assert doc["edition"]["date"] == "2015-12-02"
    assert [e["score"] for e in doc["history"][0]["entries"]] == [5, 4.5]


def test_history_before_a_toolkit_enters_is_an_error(cli):
    outcome = cli("history", "caffe", "--as-of", "2015-11-20")
    assert outcome.code == 1
    assert "enters the evaluation on 2015-12-07" in outcome.err
    assert outcome.out == ""


def test_history_of_unknown_toolkit(cli):
    outcome = cli("history", "tensorflw")
    assert outcome.code == 1
    assert "did you mean 'tensorflow'" in outcome.err


# What each edition changed, typed from the source: (toolkit, criterion, change, old, new).
EXPECTED_CHANGES: dict[str, set[tuple[Any, ...]]] = {
    "2015-12-02": {
        ("tensorflow", "interfaces", "moved", 4.9, 4.5),
        ("theano", "interfaces", "moved", 4.5, 4),
        ("tensorflow", "architecture", "moved", 5, 4.5),
        ("tensorflow", "ecosystem", "moved", 5, 4.5),
        ("tensorflow", "performance.multi-gpu", "withdrawn", 4, None),
        ("theano", "performance.multi-gpu", "withdrawn", 2, None),
        ("torch", "performance.multi-gpu", "withdrawn", 3, None),
    },
    "2015-12-07": {
        ("caffe", "modeling-capability", "added", None, 3),
        ("caffe", "interfaces", "added", None, 3),
        ("caffe", "model-deployment", "added", None, 5),
        ("caffe", "performance.single-gpu", "added", None, 5),
        ("caffe", "architecture", "added", None, 3),
        ("cntk", "interfaces", "added", None, 2.5),
        ("cntk", "model-deployment", "added", None, 4.5),
        ("cntk", "performance.single-gpu", "added", None, 5),
        ("torch", "modeling-capability", "moved", 4.5, 5),
        ("tensorflow", "architecture", "moved", 4.5, 5),
        ("tensorflow", "ecosystem", "withdrawn", 4.5, None),
        ("theano", "ecosystem", "withdrawn", 4, None),
        ("torch", "ecosystem", "withdrawn", 3, None),
    },
    "2016-05-11": {
        ("tensorflow", "modeling-capability", "moved", 4, 4.5),
        ("theano", "modeling-capability", "moved", 5, 4.5),
        ("cntk", "modeling-capability", "added", None, 2),
        ("tensorflow", "performance.single-gpu", "moved", 3, 5),
        ("caffe", "performance.single-gpu", "withdrawn", 5, None),
        ("cntk", "performance.single-gpu", "withdrawn", 5, None),
    },
    "2016-11-13": set(),
    "2016-12-06": set(),
}
EXPECTED_ADDED = {"2015-12-07": ["caffe", "cntk"]}


def _score_moves(doc: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {
        (c["toolkit"], c["criterion"], c["change"], c["old_score"], c["new_score"])
        for c in doc["changes"]
        if c["change"] in {"moved", "added", "withdrawn"}
    }


@pytest.mark.parametrize("day", sorted(EXPECTED_CHANGES))
def test_changes_lists_exactly_the_moves_of_the_source(cli, day):
    outcome = cli("changes", day, "--format", "json")
    assert outcome.code == 0, outcome.err
    doc = json.loads(outcome.out)
    assert doc["edition"]["date"] == day
    assert _score_moves(doc) == EXPECTED_CHANGES[day]
    assert doc["score_changes"] == len(EXPECTED_CHANGES[day])
    assert doc["toolkits_added"] == EXPECTED_ADDED.get(day, [])
    previous = EDITIONS[EDITIONS.index(day) - 1]
    assert doc["previous"]["date"] == previous


def test_ecosystem_withdrawal_keeps_the_unrated_status(cli):
    doc = json.loads(cli("changes", "2015-12-07", "-f", "json").out)
    ecosystem = [c for c in doc["changes"] if c["criterion"] == "ecosystem"]
    assert {(c["toolkit"], c["new_status"]) for c in ecosystem if c["change"] == "withdrawn"} == {
        ("tensorflow", "unrated"),
        ("theano", "unrated"),
        ("torch", "unrated"),
    }


def test_changes_without_argument_is_the_latest_edition(cli):
    latest = json.loads(cli("changes", "--format", "json").out)
    assert latest["edition"]["date"] == "2026-12-03"  # dlcompare's own edition
    doc = json.loads(cli("changes", "2016-12-06", "--format", "json").out)
    assert doc["edition"]["date"] == "2016-12-06"
    assert _score_moves(doc) == set()
    # reasoning moved even though no score did: CNTK's Python support, TF on Windows
    revised = {(c["toolkit"], c["criterion"]) for c in doc["changes"] if c["change"] == "revised"}
    assert ("cntk", "interfaces") in revised
    assert ("tensorflow", "cross-platform") in revised


def test_changes_accepts_a_commit_and_a_later_date(cli):
    by_commit = json.loads(cli("changes", "634680c", "-f", "json").out)
    by_later_date = json.loads(cli("changes", "2016-06-01", "-f", "json").out)
    assert by_commit["edition"]["date"] == by_later_date["edition"]["date"] == "2016-05-11"


def test_first_edition_adds_everything_it_rates(cli):
    doc = json.loads(cli("changes", "2015-11-20", "-f", "json").out)
    assert doc["previous"] is None
    assert doc["toolkits_added"] == ["tensorflow", "theano", "torch"]
    expected = {
        (toolkit, leaf, "added", None, score)
        for toolkit, scores in EXPECTED["2015-11-20"].items()
        for leaf, score in zip(LEAVES, scores, strict=True)
        if score is not None
    }
    assert _score_moves(doc) == expected


def test_changes_before_the_first_edition_is_an_error(cli):
    outcome = cli("changes", "2015-01-01")
    assert outcome.code == 1
    assert "before the first edition" in outcome.err


def test_editions_count_and_changes_agree(bundled, cli):
    """One implementation of 'what changed': the editions list counts what changes lists."""
    listed = json.loads(cli("editions", "--format", "json").out)["editions"]
    for row in listed:
        edition = find_edition(bundled, str(row["date"]))
        assert row["ratings_changed"] == ratings_changed(bundled, edition)
        assert row["ratings_changed"] == edition_changes(bundled, edition).score_changes
    counts = {row["date"]: row["ratings_changed"] for row in listed}
    assert counts["2015-12-02"] == 7
    assert counts["2015-12-07"] == 13
    assert counts["2016-05-11"] == 6


def test_history_and_changes_agree_on_every_score_move(bundled):
    from_changes = set()
    for edition in bundled.editions:
        for c in edition_changes(bundled, edition).changes:
            if c.change in SCORE_CHANGES:
                from_changes.add((c.toolkit, c.criterion, edition.date, c.change))
    from_history = set()
    latest = bundled.evaluation(bundled.latest)
    for toolkit in bundled.toolkits:
        if not bundled.assessments(toolkit.id):  # listed with its status only (mxnet, chainer)
            continue
        for item in toolkit_history(latest, toolkit).history:
            for e in item.entries:
                if e.change in SCORE_CHANGES:
                    from_history.add((toolkit.id, item.criterion, e.edition, e.change))
    assert from_history == from_changes


# diff TOOLKIT@DATE


def test_diff_one_toolkit_at_two_dates(cli):
    outcome = cli("diff", "tensorflow@2015-11-20", "tensorflow@2016-05-11", "--format", "json")
    assert outcome.code == 0, outcome.err
    doc = json.loads(outcome.out)
    assert doc["left_edition"]["date"] == "2015-11-20"
    assert doc["right_edition"]["date"] == "2016-05-11"
    assert doc["left_label"] == "tensorflow@2015-11-20"
    assert doc["right_label"] == "tensorflow@2016-05-11"
    rows = {r["criterion"]: r for r in doc["rows"]}
    typed_left = dict(zip(LEAVES, EXPECTED["2015-11-20"]["tensorflow"], strict=True))
    typed_right = dict(zip(LEAVES, EXPECTED["2016-05-11"]["tensorflow"], strict=True))
    assert {k: r["left"] for k, r in rows.items()} == typed_left
    assert {k: r["right"] for k, r in rows.items()} == typed_right
    assert rows["performance.single-gpu"]["ahead"] == "tensorflow@2016-05-11"
    assert rows["interfaces"]["ahead"] == "tensorflow@2015-11-20"
    assert rows["model-deployment"]["ahead"] == "tie"
    assert rows["performance.multi-gpu"]["right_rating"]["status"] == "withdrawn"
    assert rows["performance.multi-gpu"]["delta"] is None
    assert "total" not in outcome.out.lower()


def test_diff_side_without_date_uses_as_of(cli):
    doc = json.loads(
        cli("diff", "tf@2015-11-20", "torch", "--as-of", "2015-12-02", "-f", "json").out
    )
    assert doc["left_edition"]["date"] == "2015-11-20"
    assert doc["right_edition"]["date"] == "2015-12-02"
    assert doc["left_label"] == "tensorflow"  # different toolkits keep plain ids
    doc = json.loads(cli("diff", "tf", "torch", "-f", "json").out)
    assert doc["left_edition"]["date"] == doc["right_edition"]["date"] == "2026-12-03"


def test_diff_side_by_commit(cli):
    doc = json.loads(cli("diff", "tf@35480e4", "tf@634680c", "-f", "json").out)
    assert (doc["left_edition"]["date"], doc["right_edition"]["date"]) == (
        "2015-11-20",
        "2016-05-11",
    )


def test_diff_table_names_both_editions(cli):
    outcome = cli("diff", "tensorflow@2015-11-20", "tensorflow@2016-05-11")
    assert outcome.code == 0
    assert "TensorFlow: 2015-11-20 vs 2016-05-11" in outcome.out
    assert "Left: Edition 2015-11-20 (35480e4)" in outcome.out
    assert "Right: Edition 2016-05-11 (634680c)" in outcome.out


@pytest.mark.parametrize(
    ("side", "message"),
    [
        ("caffe@2015-11-20", "enters the evaluation on 2015-12-07"),
        ("tf@2014-01-01", "before the first edition"),
        ("tf@", "TOOLKIT@DATE"),
        ("tf@yesterday", "is not a date"),
    ],
)
def test_diff_bad_side(cli, side, message):
    outcome = cli("diff", side, "torch")
    assert outcome.code == 1
    assert message in outcome.err
    assert outcome.out == ""


def test_changes_markdown_golden_head(cli):
    outcome = cli("changes", "2016-05-11", "--format", "markdown", "-v")
    assert outcome.code == 0
    head = outcome.out.split("| TensorFlow |")[0]
    assert head == (
        "# Changes in the edition of 2016-05-11 against 2015-12-07\n\n"
        "Edition 2016-05-11 (634680c), by zer0n/deepframeworks: "
        "https://github.com/zer0n/deepframeworks/blob/634680c/README.md\n\n"
        "Information from 2016-05-11: 10.6 years old on 2026-12-03. "
        "† marks ratings older than 2 years.\n\n"
        "6 score(s) moved, added or withdrawn.\n\n"
        "## Scores moved\n\n"
        "| Toolkit | Criterion | Was | Now | Reasoning now |\n"
        "| :--- | :--- | :--- | :--- | :--- |\n"
    )


def test_changes_markdown_rows(cli):
    out = cli("changes", "2016-05-11", "--format", "markdown", "-v").out
    assert out.startswith("# Changes in the edition of 2016-05-11 against 2015-12-07\n")
    assert "| TensorFlow | Performance: Single-GPU | 3.0 | 5.0 | Rated 5 jointly" in out
    assert "| CNTK | Modeling capability | no score | 2.0 |" in out
    assert "| Caffe | Performance: Single-GPU | 5.0 | dropped |" in out
    assert "\n## Scores withdrawn\n" in out


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_history_and_changes_in_every_format(cli, fmt):
    for args in (("history", "tf"), ("changes", "2016-05-11")):
        outcome = cli(*args, "--format", fmt)
        assert outcome.code == 0, outcome.err
        assert outcome.out.strip()
    csv_rows = cli("history", "tf", "performance.single-gpu", "-f", "csv").out.splitlines()
    assert csv_rows[0].startswith("toolkit,criterion,edition,change,status,score,previous_score")
    assert csv_rows[1].startswith("tensorflow,performance.single-gpu,2015-11-20,added,rated,3.0,")
    assert csv_rows[2].startswith(
        "tensorflow,performance.single-gpu,2016-05-11,moved,rated,5.0,3.0,"
    )

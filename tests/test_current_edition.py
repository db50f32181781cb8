"""dlcompare's own edition (2026-12-03): it validates, every rating in it is sourced, the
toolkits that ended are unrated and point to their successors, and every status is checked.

The source's editions are covered by test_data_exact (unchanged rating by rating)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from dlcompare.dataset import Dataset
from dlcompare.loading import bundled_data_dir
from dlcompare.schema import Edition

CURRENT = dt.date(2026, 12, 3)
RATED = {
    "pytorch",
    "jax",
    "tensorflow",
    "keras",
    "paddlepaddle",
    "mindspore",
    "mlx",
    "tinygrad",
}
ENDED = {"theano", "torch", "caffe", "cntk"}
STATUS_ONLY = {"mxnet", "chainer", "deeplearning4j"}
# the successor each ended toolkit's cells must name (CNTK has none)
SUCCESSORS = {"theano": "PyTensor", "torch": "PyTorch", "caffe": "Caffe2", "cntk": None}
ROOT = Path(__file__).parent.parent


def current(bundled: Dataset) -> Edition:
    [edition] = [e for e in bundled.editions if e.date == CURRENT]
    return edition


def test_the_current_edition_is_dlcompares_and_the_latest(bundled: Dataset) -> None:
    edition = current(bundled)
    assert bundled.latest == edition
    assert edition.evaluator == "dlcompare"
    assert edition.commit is None and edition.url is None
    assert edition.method == "docs/method.md"
    assert (ROOT / edition.method).is_file()
    assert any(
        "not by zer0n/deepframeworks" in note and "dlcompare" in note for note in edition.notes
    )
    assert any("compares the toolkits rated here" in note for note in edition.notes)


def test_the_bundled_data_validates(cli) -> None:
    outcome = cli("validate", str(bundled_data_dir()), "--no-bundled", "-f", "json")
    assert outcome.code == 0, outcome.out
    assert json.loads(outcome.out)["problems"] == []


# leaves a rated toolkit leaves unscored, with the reason in the summary (no evidence exists)
UNSCORED = {
    ("mindspore", "performance.single-gpu"),
    ("mindspore", "cross-platform"),
    ("paddlepaddle", "performance.single-gpu"),
}


def test_every_rated_cell_has_a_summary_and_a_web_source(bundled: Dataset) -> None:
    evaluation = bundled.evaluation(current(bundled))
    rated = 0
    for toolkit in RATED:
        for leaf in evaluation.leaves:
            assessment = bundled.assessments(toolkit)[leaf.path][CURRENT]
            assert len(assessment.summary.split()) >= 20, (toolkit, leaf.path)
            assert any(s.startswith(("https://", "http://")) for s in assessment.sources)
            assert assessment.version, (toolkit, leaf.path)
            if (toolkit, leaf.path) in UNSCORED:
                assert assessment.score is None and "Not rated" in assessment.summary
                continue
            assert assessment.score is not None, (toolkit, leaf.path)
            assert evaluation.score(toolkit, leaf.path) == assessment.score
            assert 0 <= assessment.score <= 5 and (assessment.score * 2).is_integer()
            rated += 1
    # model-deployment is rated in its three parts: every rated toolkit on 11 leaves
    assert rated == len(RATED) * len(evaluation.leaves) - len(UNSCORED)


def test_the_toolkits_that_ended_are_unrated_and_name_their_successor(bundled: Dataset) -> None:
    evaluation = bundled.evaluation(current(bundled))
    for toolkit in ENDED:
        entry = bundled.toolkit_by_id[toolkit]
        assert entry.status is not None and entry.status.state in ("ended", "inactive")
        for leaf in evaluation.leaves:
            assessment = bundled.assessments(toolkit)[leaf.path][CURRENT]
            assert assessment.score is None, (toolkit, leaf.path)
            assert evaluation.score(toolkit, leaf.path) is None
            assert assessment.summary.startswith("Not rated in this edition")
            assert entry.status.source in assessment.sources
            successor = SUCCESSORS[toolkit]
            if successor is not None:
                assert successor in assessment.summary
                assert entry.status.successor is not None
                assert successor in entry.status.successor.name
            else:
                assert "No successor" in assessment.summary


def test_status_only_toolkits_have_no_ratings(bundled: Dataset) -> None:
    for toolkit in STATUS_ONLY:
        entry = bundled.toolkit_by_id[toolkit]
        assert bundled.assessments(toolkit) == {}
        assert entry.status is not None and entry.status.state in ("ended", "inactive")
        assert entry.homepage and entry.repository


def test_every_status_has_a_source_and_a_checked_date(bundled: Dataset) -> None:
    assert {t.id for t in bundled.toolkits} == RATED | ENDED | STATUS_ONLY
    for toolkit in bundled.toolkits:
        status = toolkit.status
        assert status is not None, toolkit.id
        assert status.source.startswith("https://")
        assert status.checked == CURRENT, toolkit.id
        assert status.note
        assert toolkit.homepage and toolkit.repository


def test_aliases_never_take_another_toolkits_id(bundled: Dataset) -> None:
    ids = {t.id for t in bundled.toolkits}
    aliases = [alias for t in bundled.toolkits for alias in t.aliases]
    assert not ids & set(aliases)
    assert len(aliases) == len(set(aliases))
    assert bundled.toolkit_by_id["torch"].name == "Torch"  # `torch` is Torch (Lua), not PyTorch


def test_the_latest_view_shows_the_current_edition(cli) -> None:
    doc = json.loads(cli("show", "-f", "json").out)
    assert doc["edition"]["date"] == "2026-12-03"
    assert doc["edition"]["evaluator"] == "dlcompare"
    assert doc["edition"]["method"] == "docs/method.md"
    scores = {(r["toolkit"], r["criterion"]): r["score"] for r in doc["ratings"]}
    # an ended toolkit is no column of the matrix: listed once, with why and its successor
    assert ("theano", "interfaces") not in scores
    assert "theano" in {entry["toolkit"] for entry in doc["not_rated"]}
    assert scores["pytorch", "interfaces"] is not None
    assert "Edition 2026-12-03, by dlcompare; method: dlcompare method" in cli("show").out
    editions = json.loads(cli("editions", "-f", "json").out)["editions"]
    assert editions[-1]["method"] == "docs/method.md"
    assert all(e["method"] is None for e in editions[:-1])


def test_the_source_view_is_unchanged_by_the_current_edition(cli) -> None:
    doc = json.loads(cli("show", "--as-of", "2016-12-06", "-f", "json").out)
    assert doc["edition"]["evaluator"] == "zer0n/deepframeworks"
    assert {r["toolkit"] for r in doc["ratings"]} == {
        "caffe",
        "cntk",
        "tensorflow",
        "theano",
        "torch",
    }


@pytest.mark.parametrize(
    "method", ["docs/method.md", "method.md", "docs/sub/method.md"], ids=lambda m: m
)
def test_edition_method_accepts_relative_paths(method: str) -> None:
    edition = Edition.model_validate(
        {"date": "2026-12-03", "evaluator": "x", "summary": "y", "method": method}
    )
    assert edition.method == method


@pytest.mark.parametrize(
    "method",
    ["../secret.md", "docs/../../x.md", "/etc/passwd", "docs//x.md", "C:/x.md", "a b.md", ""],
)
def test_edition_method_refuses_paths_outside_the_repository(method: str) -> None:
    with pytest.raises(ValidationError, match="relative path inside the repository"):
        Edition.model_validate(
            {"date": "2026-12-03", "evaluator": "x", "summary": "y", "method": method}
        )

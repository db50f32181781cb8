"""`rank --sensitivity`: exact weight intervals, the critical weight and rank acceptability."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dlcompare.dataset import Dataset, Evaluation
from dlcompare.render.ranking import verdict
from dlcompare.results.ranking import Ranking
from dlcompare.sampling import DEFAULT_SAMPLES, DEFAULT_SEED, DEFAULT_UNCERTAINTY
from dlcompare.schema import Assessment, Criterion, Edition, RatedToolkit, Scale
from dlcompare.schema_version import SCHEMA_VERSION
from dlcompare.scoring import MissingPolicy, rank
from dlcompare.sensitivity import (
    acceptability,
    analyse,
    matrix_of,
)

DAY = dt.date(2016, 1, 1)
Grid = list[list[float | None]]


# Hand-computed on the source's last edition (2016-12-06); the latest edition is dlcompare's own.
SOURCE_LAST = ("--as-of", "2016-12-06")


def source_last(bundled: Dataset) -> Edition:
    edition = bundled.edition_at(dt.date(2016, 12, 6))
    assert edition is not None
    return edition


def evaluation_of(ratings: Grid, ids: list[int] | None = None) -> Evaluation:
    """An in-memory evaluation: toolkits T0, T1, ... (ids t0, t1, ..., or t{ids[i]}) rated on
    criteria c0, c1, ... (None: not covered)."""
    criteria = tuple(
        Criterion(id=f"c{k}", name=f"C{k}", description="made up") for k in range(len(ratings[0]))
    )
    toolkits = tuple(
        RatedToolkit(
            id=f"t{i if ids is None else ids[i]}",
            name=f"T{i}",
            ratings={
                f"c{k}": {DAY: Assessment(score=s, summary="made up")}
                for k, s in enumerate(row)
                if s is not None
            },
        )
        for i, row in enumerate(ratings)
    )
    edition = Edition(date=DAY, url="https://example.org/e", evaluator="e", summary="made up")
    return Dataset.of(Scale(), criteria, (edition,), toolkits).evaluation(edition)


# --- hand-computed cases ---------------------------------------------------------------


def test_interval_on_the_bundled_data_by_hand(bundled):
    # modeling-capability 3, interfaces 2, architecture 1; CNTK (no architecture) dropped.
    # Torch vs TensorFlow with w = weight of modeling-capability:
    #   lead·(3 + w) = (4·2 + 5·1) - (4.5·2 + 5·1) + w·(5 - 4.5) = -1 + w/2 -> zero at w = 2.
    # Interfaces (w): (5·3 + 5) - (4.5·3 + 5) + w·(4 - 4.5) = 1.5 - w/2 -> zero at w = 3.
    weights = {"modeling-capability": 3.0, "interfaces": 2.0, "architecture": 1.0}
    result = analyse(bundled.evaluation(source_last(bundled)), weights, "drop").sensitivity
    assert result is not None
    assert result.first == ("torch",)
    mc, interfaces, architecture = result.stability
    assert (mc.low, mc.high, mc.below, mc.above) == (2.0, None, ("tensorflow",), ())
    assert mc.low_share == pytest.approx(2 / 5)
    assert mc.change_down == pytest.approx(-1 / 3)
    assert (interfaces.low, interfaces.high, interfaces.above) == (0.0, 3.0, ("tensorflow",))
    assert interfaces.high_share == pytest.approx(3 / 7)
    assert interfaces.change_up == pytest.approx(0.5)
    # architecture: both rated 5, so Torch's lead shrinks towards 0 but never turns
    assert (architecture.low, architecture.high, architecture.below) == (0.0, None, ())
    assert result.critical is not None
    assert (result.critical.criterion, result.critical.first) == (
        "modeling-capability",
        ("tensorflow",),
    )
    assert result.critical.change == pytest.approx(-1 / 3)
    assert result.critical.share == pytest.approx(2 / 5)


def test_partial_coverage_gives_a_quadratic_lead():
    # t0 rated on both criteria, t1 only on c0: S0 = (4 + 2w)/(1 + w), S1 = 3 (whatever w).
    # t0 leads iff 4 + 2w > 3 + 3w, i.e. w < 1. Also t0 (5 on c1) vs t1 under c1's weight.
    evaluation = evaluation_of([[2.0, 4.0], [3.0, None]])
    result = analyse(evaluation, {"c0": 0.5, "c1": 1.0}, "partial", samples=10).sensitivity
    assert result is not None
    assert result.first == ("t0",)
    c0, c1 = result.stability
    assert (c0.low, c0.above) == (0.0, ("t1",))
    assert c0.high == pytest.approx(1.0)
    # c1 with weight v: S0 = (1 + 4v)/(0.5 + v) > 3 iff v > 0.5
    assert (c1.high, c1.below) == (None, ("t1",))
    assert c1.low == pytest.approx(0.5)


def test_tie_at_the_users_weights_is_a_tie_whichever_way_it_breaks():
    # t0 (5, 3) and t1 (3, 5) tie under equal weights: both are first, neither by id. Moving a
    # weight breaks the tie, but first place stays with one of them: no third toolkit, so no
    # weight takes first place from the pair.
    evaluation = evaluation_of([[5.0, 3.0], [3.0, 5.0]])
    ranking = analyse(evaluation, {"c0": 1.0, "c1": 1.0}, samples=200)
    result = ranking.sensitivity
    assert result is not None
    assert [r.rank for r in ranking.rows] == [1, 1]
    assert result.first == ("t0", "t1")
    for entry in result.stability:
        assert (entry.low, entry.high, entry.below, entry.above) == (0.0, None, (), ())
    assert result.critical is None
    # random weights break the tie one way or the other: never first together
    odds = result.acceptability
    assert odds.first_together == 0
    assert sum(o.counts[0] for o in odds.toolkits) == 200
    assert all(o.tied == (0, 0) for o in odds.toolkits)


def test_a_tied_pair_loses_first_place_to_a_third_toolkit():
    # t0 (5, 3, 4) and t1 (3, 5, 4) tie at 4 under weights (1, 1, 0.2); t2 (4, 3.8, 4.5) is
    # 8.7 / 2.2 = 3.95. With c2's weight v the pair stays at (8 + 4v)/(2 + v) = 4 and t2 is
    # (7.8 + 4.5v)/(2 + v), above 4 iff v > 0.4. With c0's weight w, t2 beats t0 only for
    # w < 0.9 and t1 only for w > 1.1: never both, so c0 (and c1) cannot move first place.
    evaluation = evaluation_of([[5.0, 3.0, 4.0], [3.0, 5.0, 4.0], [4.0, 3.8, 4.5]])
    ranking = analyse(evaluation, {"c0": 1.0, "c1": 1.0, "c2": 0.2}, samples=10)
    result = ranking.sensitivity
    assert result is not None
    assert result.first == ("t0", "t1")
    c0, c1, c2 = result.stability
    for entry in (c0, c1):
        assert (entry.low, entry.high, entry.below, entry.above) == (0.0, None, (), ())
    assert (c2.low, c2.below) == (0.0, ())
    assert c2.high == pytest.approx(0.4)
    assert c2.above == ("t2",)
    assert result.critical is not None
    assert result.critical.first == ("t2",)
    assert result.critical.change == pytest.approx(1.0)


def test_identical_ratings_tie_everywhere_and_share_first_place(bundled):
    # TensorFlow and Torch are both rated 5 on single-GPU speed: tied at any weight.
    result = analyse(
        bundled.evaluation(source_last(bundled)), {"performance.single-gpu": 2.0}, "drop"
    ).sensitivity
    assert result is not None
    assert result.first == ("tensorflow", "torch")
    (only,) = result.stability
    assert (only.low, only.high, only.below, only.above) == (0.0, None, (), ())
    assert result.critical is None
    # jointly first in every sample: each holds first place, tied, in 100 % of samples
    odds = {o.toolkit: o for o in result.acceptability.toolkits}
    for toolkit in ("tensorflow", "torch"):
        assert odds[toolkit].probabilities[:2] == (1.0, 0.0)
        assert odds[toolkit].tied_probabilities[:2] == (1.0, 0.0)
    assert result.acceptability.first_together == result.acceptability.samples


def test_scores_tied_within_the_tolerance_are_ranked_in_id_order():
    # t0's score 1.5·w / w comes out a hair below 1.5 in floating point at this weight; the
    # tie must still be broken by id, as the interval analysis and the sampler assume
    evaluation = evaluation_of([[1.5, None], [None, 1.5]])
    weights = {"c0": 0.00017215602332373972, "c1": 1.0}
    rows = rank(evaluation, weights, "partial").rows
    assert [(r.rank, r.toolkit) for r in rows] == [(1, "t0"), (1, "t1")]


# --- properties ------------------------------------------------------------------------

half_stars = st.integers(0, 10).map(lambda n: n / 2)


@st.composite
def matrices(draw: st.DrawFn, partial: bool) -> tuple[Grid, list[float]]:
    n_toolkits = draw(st.integers(2, 4))
    n_criteria = draw(st.integers(1, 4))
    cell = st.one_of(st.none(), half_stars) if partial else half_stars
    ratings: Grid = [[draw(cell) for _ in range(n_criteria)] for _ in range(n_toolkits)]
    assume(all(any(s is not None for s in row) for row in ratings))
    assume(all(any(row[k] is not None for row in ratings) for k in range(n_criteria)))
    weights = [draw(st.integers(1, 9).map(float)) for _ in range(n_criteria)]
    return ratings, weights


SCAN = [10 ** (k / 9 - 3 + 0.0137) for k in range(55)]
"""Relative weights from 1e-3 to 1e3, off any simple fraction so no scan point hits a tie."""
PAST = (1e-7, 1e-6, 1e-5, 1e-4)
"""Relative steps past an interval's end, tried in turn until one toolkit is clearly first."""


def check_intervals(ratings: Grid, weights: list[float], missing: MissingPolicy) -> None:
    evaluation = evaluation_of(ratings)
    user = {f"c{k}": w for k, w in enumerate(weights)}
    analysis = analyse(evaluation, user, missing, samples=1).sensitivity
    assert analysis is not None
    result = analysis
    winners = set(result.first)
    for entry in result.stability:
        path, w0 = entry.criterion, entry.weight

        def top(w: float, path: str = path) -> set[str]:
            """The toolkits ranked first when this weight is w (more than one when tied)."""
            rows = rank(evaluation, {**user, path: w}, missing).rows
            return {row.toolkit for row in rows if row.rank == 1}

        def past(end: float, direction: int) -> set[str]:
            for step in PAST:
                leaders = top(end * (1 + direction * step))
                if len(leaders) == 1:
                    break
            return leaders

        high = math.inf if entry.high is None else entry.high
        # brute force: inside the interval first place is among the winners (one toolkit, or
        # all of those tied first at the user's weights) ...
        for w in (w0 * f for f in SCAN):
            if entry.low * (1 + 1e-6) < w < high * (1 - 1e-6):
                assert top(w) & winners, (path, w, entry)
            elif missing == "error":
                # ... and with complete ratings the leads are linear, so outside it first
                # place is never the winners' alone
                assert not top(w) <= winners, (path, w, entry)
        # ... and just past each end, first place really goes to the toolkits named
        if entry.below:
            assert entry.low > 0
            leaders = past(entry.low, -1)
            assert set(entry.below) <= leaders
            assert not set(entry.below) & winners
        else:
            assert entry.low == 0.0
            assert top(w0 * 1e-6) & winners
        if entry.above:
            leaders = past(high, +1)
            assert set(entry.above) <= leaders
            assert not set(entry.above) & winners
        else:
            assert entry.high is None
            assert top(w0 * 1e6) & winners
        assert top(w0) == winners
    changes = [
        abs(c) for e in result.stability for c in (e.change_down, e.change_up) if c is not None
    ]
    if result.critical is None:
        assert not changes
    else:
        assert abs(result.critical.change) == min(changes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(matrices(partial=False))
def test_closed_form_intervals_agree_with_a_scan(case):
    ratings, weights = case
    check_intervals(ratings, weights, "error")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(matrices(partial=True))
def test_closed_form_intervals_agree_with_a_scan_under_partial(case):
    ratings, weights = case
    check_intervals(ratings, weights, "partial")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    matrices(partial=True),
    st.floats(0.0, 1.0),
    st.sampled_from([0.0, 0.5]),
    st.integers(0, 2**32),
)
def test_rank_probabilities_add_up_per_toolkit_and_per_place(case, u, noise, seed):
    ratings, weights = case
    evaluation = evaluation_of(ratings)
    ranking = rank(evaluation, {f"c{k}": w for k, w in enumerate(weights)}, "partial")
    m = matrix_of(evaluation, ranking)
    order = [r.toolkit for r in ranking.rows]
    odds = acceptability(
        m, order, first=ranking.first, uncertainty=u, rating_noise=noise, samples=300, seed=seed
    )
    assert [o.toolkit for o in odds.toolkits] == order
    for entry in odds.toolkits:
        # one place per sample, alone or tied
        assert sum(entry.counts) == 300
        assert math.fsum(entry.probabilities) == pytest.approx(1.0)
        assert all(0 <= t <= n for t, n in zip(entry.tied, entry.counts, strict=True))
    for place in range(len(order)):
        alone = sum(o.counts[place] - o.tied[place] for o in odds.toolkits)
        # at most one toolkit holds a place alone in a sample (someone is always first)
        assert alone <= 300
    assert sum(o.counts[0] for o in odds.toolkits) >= 300
    assert odds.first_together <= min(
        o.counts[0] for o in odds.toolkits if o.toolkit in ranking.first
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    matrices(partial=True),
    st.lists(st.floats(0.001, 1000.0), min_size=4, max_size=4),
)
def test_without_uncertainty_the_odds_are_the_ranking(case, float_weights):
    # arbitrary float weights: the sampler must score exactly as `scoring.rank` does
    ratings, _ = case
    weights = {f"c{k}": float_weights[k] for k in range(len(ratings[0]))}
    evaluation = evaluation_of(ratings)
    ranking = rank(evaluation, weights, "partial")
    order = [r.toolkit for r in ranking.rows]
    odds = acceptability(
        matrix_of(evaluation, ranking), order, first=ranking.first, uncertainty=0.0, samples=50
    )
    ranks = [r.rank for r in ranking.rows]
    for row, entry in zip(ranking.rows, odds.toolkits, strict=True):
        # every sample is the ranking itself: its place (shared with those of the same rank)
        expected = tuple(1.0 if p == row.rank - 1 else 0.0 for p in range(len(order)))
        assert entry.probabilities == expected
        tied = ranks.count(row.rank) > 1
        assert entry.tied_probabilities == (expected if tied else (0.0,) * len(order))
    assert odds.first_together == 50


def by_name(ranking: Ranking) -> dict[str, object]:
    """Everything `rank --sensitivity` reports, toolkits named by name, not id."""
    names = {t.id: t.name for t in ranking.toolkits}
    analysis = ranking.sensitivity
    assert analysis is not None

    def name(ids: tuple[str, ...]) -> frozenset[str]:
        return frozenset(names[t] for t in ids)

    return {
        "verdict": verdict(ranking),
        "ranks": {names[r.toolkit]: (r.rank, r.score) for r in ranking.rows},
        "first": name(analysis.first),
        "stability": [
            (e.criterion, e.low, e.high, name(e.below), name(e.above), e.change_down, e.change_up)
            for e in analysis.stability
        ],
        "critical": None
        if analysis.critical is None
        else (analysis.critical.criterion, analysis.critical.change, name(analysis.critical.first)),
        "odds": {
            names[o.toolkit]: (o.probabilities, o.tied_probabilities)
            for o in analysis.acceptability.toolkits
        },
        "together": analysis.acceptability.first_together,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(matrices(partial=True), st.randoms(use_true_random=False), st.floats(0.0, 0.5))
def test_renaming_toolkits_changes_no_probability_and_no_verdict(case, rng, u):
    # ties are frequent here (half stars, small integer weights); a tie broken by id anywhere
    # (a verdict, an interval's end, a sampled place) shows up as a difference
    ratings, weights = case
    ids = list(range(len(ratings)))
    rng.shuffle(ids)
    user = {f"c{k}": w for k, w in enumerate(weights)}
    results = [
        analyse(evaluation, user, "partial", uncertainty=u, samples=200, seed=5)
        for evaluation in (evaluation_of(ratings), evaluation_of(ratings, ids))
    ]
    assert by_name(results[0]) == by_name(results[1])


def test_the_tie_tolerance_is_the_same_in_rank_and_sensitivity():
    # weights x = 1, y = 1e-10: t0 (5, 5) scores 5, t1 (5, 0) scores 5/(1 + 1e-10), 5e-10
    # lower: within the tolerance (1e-9), so a tie, in the ranking and in every sample (the
    # gap stays under 1e-9 with weights ±25 %). Exact equality would rank them 1, 2.
    evaluation = evaluation_of([[5.0, 5.0], [5.0, 0.0]])
    weights = {"c0": 1.0, "c1": 1e-10}
    rows = rank(evaluation, weights, "error").rows
    assert rows[0].score != rows[1].score
    assert [(r.toolkit, r.rank) for r in rows] == [("t0", 1), ("t1", 1)]
    ranking = analyse(evaluation, weights, "error", samples=500)
    analysis = ranking.sensitivity
    assert analysis is not None
    assert analysis.first == ("t0", "t1")
    for odds in analysis.acceptability.toolkits:
        assert (odds.probabilities[0], odds.tied_probabilities[0]) == (1.0, 1.0)
    assert analysis.acceptability.first_together == 500
    assert verdict(ranking).startswith("T0 and T1 tie for first")
    # ... and a gap just over the tolerance is no tie, in either
    weights = {"c0": 1.0, "c1": 1e-9}
    assert [r.rank for r in rank(evaluation, weights, "error").rows] == [1, 2]
    analysis = analyse(evaluation, weights, "error", uncertainty=0.0, samples=10).sensitivity
    assert analysis is not None
    assert analysis.first == ("t0",)
    assert [o.tied_probabilities[0] for o in analysis.acceptability.toolkits] == [0.0, 0.0]


def test_same_seed_same_odds_and_the_seed_matters(bundled):
    evaluation = bundled.evaluation(source_last(bundled))
    weights = {"model-deployment": 4.0, "performance.single-gpu": 3.0, "interfaces": 1.0}

    def run(seed: int) -> object:
        return analyse(evaluation, weights, "partial", rating_noise=0.5, samples=500, seed=seed)

    assert run(7) == run(7)
    assert run(7) != run(8)


# --- the command line ------------------------------------------------------------------

LIGHT = "modeling-capability: 3\ninterfaces: 2\narchitecture: 1\n"
DEPLOY = "model-deployment: 4\nperformance:\n  single-gpu: 3\ninterfaces: 1\n"


@pytest.fixture
def light(tmp_path: Path) -> str:
    path = tmp_path / "light.yaml"
    path.write_text(LIGHT)
    return str(path)


@pytest.fixture
def deploy(tmp_path: Path) -> str:
    path = tmp_path / "deploy.yaml"
    path.write_text(DEPLOY)
    return str(path)


def verdict_of(table: str) -> str:
    """The verdict paragraph at the top of table output, unwrapped."""
    return " ".join(line.strip() for line in table.split("\n\n", maxsplit=1)[0].splitlines())


def test_table_starts_with_the_verdict(cli, light):
    done = cli("rank", *SOURCE_LAST, "--weights", light, "--missing", "drop", "--sensitivity")
    assert done.code == 0, done.err
    assert verdict_of(done.out) == (
        "Torch stays first unless the weight of modeling-capability falls below 40 % of the "
        "total (now 50 %), when TensorFlow takes over; with weights ±25 % it is first in 98 % "
        "of samples."
    )
    assert "How far each weight may move with Torch still first" in done.out
    assert "Most critical (*): modeling-capability; a cut of 33 % in its weight (to 2)" in done.out
    assert "Rank acceptability" in done.out
    assert "10000 samples (seed 2016)" in done.out


def test_table_golden_stability_block(cli, deploy):
    done = cli("rank", *SOURCE_LAST, "--weights", deploy, "--missing", "partial", "--sensitivity")
    assert done.code == 0, done.err
    block = done.out[done.out.index("How far") : done.out.index("Rank acceptability")]
    assert block == (
        "How far each weight may move with TensorFlow still first\n"
        "One weight at a time, the others fixed; raw weight (share of the total).\n"
        "Criterion                Now        Lowest        Highest   \n"
        "────────────────────────────────────────────────────────────\n"
        "interfaces               1 (12 %)   0.722 (9 %)   no limit  \n"
        "                                    then Caffe              \n"
        "model-deployment *       4 (50 %)   no limit      5 (56 %)  \n"
        "                                                  then Caffe\n"
        "performance.single-gpu   3 (38 %)   1.25 (20 %)   no limit  \n"
        "                                    then Caffe              \n"
        "Most critical (*): model-deployment; a rise of 25 % in its weight (to 5) puts \n"
        "Caffe first.\n"
        "\n"
    )


def test_json_carries_the_full_result(cli, deploy):
    done = cli(
        "rank",
        *SOURCE_LAST, "--weights", deploy, "--missing", "partial", "--sensitivity", "--rating-noise",
        "--samples", "2000", "--seed", "11", "--format", "json",
    )  # fmt: skip
    assert done.code == 0, done.err
    data = json.loads(done.out)
    assert data["schema_version"] == SCHEMA_VERSION == 3
    # the ranking's keys stay where `rank` without --sensitivity has them
    assert data["rows"][0]["toolkit"] == "tensorflow"
    analysis = data["sensitivity"]
    assert analysis["first"] == ["tensorflow"]
    odds = analysis["acceptability"]
    assert (odds["samples"], odds["seed"], odds["uncertainty"], odds["rating_noise"]) == (
        2000, 11, 0.25, 0.5,
    )  # fmt: skip
    assert [o["toolkit"] for o in odds["toolkits"]] == [r["toolkit"] for r in data["rows"]]
    assert all(sum(o["counts"]) == 2000 for o in odds["toolkits"])
    stability = {s["criterion"]: s for s in analysis["stability"]}
    assert stability["model-deployment"]["high"] == pytest.approx(5.0)
    assert stability["model-deployment"]["above"] == ["caffe"]
    assert stability["interfaces"]["high"] is None
    assert analysis["critical"] == {
        "criterion": "model-deployment",
        "change": pytest.approx(0.25),
        "weight": pytest.approx(5.0),
        "share": pytest.approx(5 / 9),
        "first": ["caffe"],
    }


def test_sensitivity_adds_a_key_and_moves_none(cli, deploy):
    args = ("rank", *SOURCE_LAST, "--weights", deploy, "--missing", "partial", "-f", "json")
    plain = json.loads(cli(*args).out)
    analysed = json.loads(cli(*args, "--sensitivity", "--samples", "10").out)
    assert plain["sensitivity"] is None
    assert analysed["sensitivity"] is not None
    assert list(plain) == list(analysed)
    assert {k: v for k, v in analysed.items() if k != "sensitivity"} == {
        k: v for k, v in plain.items() if k != "sensitivity"
    }


def test_defaults_are_echoed(cli, light):
    done = cli(
        "rank", *SOURCE_LAST, "--weights", light, "--missing", "drop", "--sensitivity", "-f", "json"
    )
    odds = json.loads(done.out)["sensitivity"]["acceptability"]
    assert (odds["samples"], odds["seed"], odds["uncertainty"], odds["rating_noise"]) == (
        DEFAULT_SAMPLES, DEFAULT_SEED, DEFAULT_UNCERTAINTY, 0.0,
    )  # fmt: skip


def test_csv_has_toolkit_criterion_and_sampling_rows(cli, deploy):
    done = cli(
        "rank",
        *SOURCE_LAST, "--weights", deploy, "--missing", "partial", "--sensitivity", "--samples", "100",
        "-f", "csv",
    )  # fmt: skip
    assert done.code == 0, done.err
    rows = list(csv.DictReader(io.StringIO(done.out)))
    kinds = [r["kind"] for r in rows]
    assert kinds == ["toolkit"] * 5 + ["criterion"] * 3 + ["sampling"]
    assert rows[0]["id"] == "tensorflow"
    assert math.fsum(float(rows[0][f"p_place_{i}"]) for i in range(1, 6)) == pytest.approx(1)
    assert all(rows[0][f"p_tied_place_{i}"] for i in range(1, 6))
    deployment = next(r for r in rows if r["id"] == "model-deployment")
    assert (deployment["high"], deployment["above"], deployment["critical"]) == (
        "5.0", "caffe", "true",
    )  # fmt: skip
    assert rows[-1]["samples"] == "100"
    assert rows[-1]["seed"] == str(DEFAULT_SEED)


def test_markdown_renders_the_same_result(cli, light):
    done = cli(
        "rank",
        *SOURCE_LAST,
        "--weights",
        light,
        "--missing",
        "drop",
        "--sensitivity",
        "-f",
        "markdown",
    )
    assert done.code == 0, done.err
    assert done.out.startswith("Torch stays first unless the weight of modeling-capability")
    assert "| modeling-capability \\* | 3 (50 %) | 2 (40 %)<br>then TensorFlow | no limit |" in (
        done.out
    )
    assert "| Toolkit | #1 | #2 | #3 | #4 |" in done.out


def test_no_uncertainty_verdict_has_no_sampling_clause(cli, light):
    done = cli(
        "rank",
        *SOURCE_LAST, "--weights", light, "--missing", "drop", "--sensitivity", "--uncertainty", "0",
        "-f", "markdown",
    )  # fmt: skip
    first_line = done.out.splitlines()[0]
    assert first_line.endswith("when TensorFlow takes over.")


def test_tied_first_place_is_a_tie_in_every_format(cli):
    args = ("rank", *SOURCE_LAST, "-w", "performance.single-gpu=1", "--sensitivity")
    done = cli(*args)
    assert done.code == 0, done.err
    assert verdict_of(done.out) == (
        "TensorFlow and Torch tie for first: the order between them is a tie, not a result; "
        "first place stays with them however far any single weight moves; with weights ±25 % "
        "they are first together in 100 % of samples."
    )
    # the verdict says no weight moves first place: no table of "no limit" repeats it
    assert "How far each weight may move" not in done.out
    table = done.out[done.out.index("Rank acceptability") :]
    for name in ("TensorFlow", "Torch"):
        (line,) = [line for line in table.splitlines() if line.startswith(name)]
        assert line.split()[1:4] == ["100", "%", "tied"], line
    data = json.loads(cli(*args, "-f", "json").out)
    assert data["sensitivity"]["first"] == ["tensorflow", "torch"]
    assert [(r["toolkit"], r["rank"]) for r in data["rows"][:2]] == [
        ("tensorflow", 1),
        ("torch", 1),
    ]
    odds = data["sensitivity"]["acceptability"]
    assert odds["first_together"] == odds["samples"]
    rows = list(csv.DictReader(io.StringIO(cli(*args, "-f", "csv").out)))
    for row in rows[:2]:
        assert (row["rank"], row["p_place_1"], row["p_tied_place_1"]) == ("1", "1.0", "1.0")


def test_a_tie_without_sensitivity_is_said_below_the_ranking(cli):
    done = cli("rank", *SOURCE_LAST, "-w", "performance.single-gpu=1")
    assert done.code == 0, done.err
    said = " ".join(done.out.split())
    assert "TensorFlow and Torch tie for first: the order between them is a tie, not a result." in (
        said
    )


@pytest.mark.parametrize(
    "extra",
    [["--seed", "3"], ["--samples", "10"], ["--uncertainty", "0.1"], ["--rating-noise"]],
)
def test_sampling_options_need_sensitivity(cli, light, extra):
    done = cli("rank", *SOURCE_LAST, "--weights", light, "--missing", "drop", *extra)
    assert done.code == 2
    assert "need --sensitivity" in done.err


@pytest.mark.parametrize(
    "extra", [["--uncertainty", "1.5"], ["--uncertainty", "-0.1"], ["--samples", "0"]]
)
def test_out_of_range_sampling_options_are_usage_errors(cli, light, extra):
    done = cli(
        "rank", *SOURCE_LAST, "--weights", light, "--missing", "drop", "--sensitivity", *extra
    )
    assert done.code == 2
    assert "Invalid value" in done.err


def test_sensitivity_keeps_the_missing_rules(cli, light):
    done = cli("rank", *SOURCE_LAST, "--weights", light, "--sensitivity", "--missing", "error")
    assert done.code == 1
    assert "cntk lacks architecture" in done.err

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
from dlcompare.schema import Assessment, Criterion, Edition, RatedToolkit, Scale
from dlcompare.scoring import MissingPolicy, rank
from dlcompare.sensitivity import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    DEFAULT_UNCERTAINTY,
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


def evaluation_of(ratings: Grid) -> Evaluation:
    """An in-memory evaluation: toolkits t0, t1, ... rated on criteria c0, c1, ... (None: not
    covered)."""
    criteria = tuple(
        Criterion(id=f"c{k}", name=f"C{k}", description="made up") for k in range(len(ratings[0]))
    )
    toolkits = tuple(
        RatedToolkit(
            id=f"t{i}",
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
    result = analyse(bundled.evaluation(source_last(bundled)), weights, "drop")
    assert result.first == "torch"
    mc, interfaces, architecture = result.stability
    assert (mc.low, mc.high, mc.below, mc.above) == (2.0, None, "tensorflow", None)
    assert mc.low_share == pytest.approx(2 / 5)
    assert mc.change_down == pytest.approx(-1 / 3)
    assert (interfaces.low, interfaces.high, interfaces.above) == (0.0, 3.0, "tensorflow")
    assert interfaces.high_share == pytest.approx(3 / 7)
    assert interfaces.change_up == pytest.approx(0.5)
    # architecture: both rated 5, so Torch's lead shrinks towards 0 but never turns
    assert (architecture.low, architecture.high, architecture.below) == (0.0, None, None)
    assert result.critical is not None
    assert (result.critical.criterion, result.critical.first) == (
        "modeling-capability",
        "tensorflow",
    )
    assert result.critical.change == pytest.approx(-1 / 3)
    assert result.critical.share == pytest.approx(2 / 5)


def test_partial_coverage_gives_a_quadratic_lead():
    # t0 rated on both criteria, t1 only on c0: S0 = (4 + 2w)/(1 + w), S1 = 3 (whatever w).
    # t0 leads iff 4 + 2w > 3 + 3w, i.e. w < 1. Also t0 (5 on c1) vs t1 under c1's weight.
    evaluation = evaluation_of([[2.0, 4.0], [3.0, None]])
    result = analyse(evaluation, {"c0": 0.5, "c1": 1.0}, "partial", samples=10)
    assert result.first == "t0"
    c0, c1 = result.stability
    assert (c0.low, c0.above) == (0.0, "t1")
    assert c0.high == pytest.approx(1.0)
    # c1 with weight v: S0 = (1 + 4v)/(0.5 + v) > 3 iff v > 0.5
    assert (c1.high, c1.below) == (None, "t1")
    assert c1.low == pytest.approx(0.5)


def test_tie_at_the_users_weights_is_broken_by_id_and_flips_at_once():
    # t0 (5, 3) and t1 (3, 5) tie under equal weights; t0 is first by id. Any cut of c0 (or
    # rise of c1) puts t1 first: the interval's end is the user's weight itself.
    evaluation = evaluation_of([[5.0, 3.0], [3.0, 5.0]])
    result = analyse(evaluation, {"c0": 1.0, "c1": 1.0}, samples=10)
    assert [r.rank for r in result.ranking.rows] == [1, 1]
    assert result.first == "t0"
    c0, c1 = result.stability
    assert (c0.low, c0.below, c0.high) == (1.0, "t1", None)
    assert (c1.low, c1.high, c1.above) == (0.0, 1.0, "t1")
    assert result.critical is not None
    assert result.critical.change == 0.0


def test_identical_ratings_tie_everywhere_and_keep_id_order(bundled):
    # TensorFlow and Torch are both rated 5 on single-GPU speed: tied at any weight.
    result = analyse(
        bundled.evaluation(source_last(bundled)), {"performance.single-gpu": 2.0}, "drop"
    )
    assert result.first == "tensorflow"
    (only,) = result.stability
    assert (only.low, only.high, only.below, only.above) == (0.0, None, None, None)
    assert result.critical is None
    odds = {o.toolkit: o.probabilities for o in result.acceptability.toolkits}
    assert odds["tensorflow"][:2] == (1.0, 0.0)
    assert odds["torch"][:2] == (0.0, 1.0)


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
    result = analyse(evaluation, user, missing, samples=1)
    winner = result.first
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
        # brute force: inside the interval the winner is first (or tied first) ...
        for w in (w0 * f for f in SCAN):
            if entry.low * (1 + 1e-6) < w < high * (1 - 1e-6):
                assert winner in top(w), (path, w, entry)
            elif missing == "error":
                # ... and with complete ratings the lead is linear, so outside it never is
                assert top(w) != {winner}, (path, w, entry)
        # ... and just past each end, first place really goes to the toolkit named
        if entry.below is not None:
            assert entry.low > 0
            leaders = past(entry.low, -1)
            assert entry.below in leaders
            assert entry.below != winner
            assert len(leaders) > 1 or winner not in leaders
        else:
            assert entry.low == 0.0
            assert winner in top(w0 * 1e-6)
        if entry.above is not None:
            leaders = past(high, +1)
            assert entry.above in leaders
            assert entry.above != winner
            assert len(leaders) > 1 or winner not in leaders
        else:
            assert entry.high is None
            assert winner in top(w0 * 1e6)
        if entry.low < w0 < high:
            assert winner in top(w0)
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
    odds = acceptability(m, order, uncertainty=u, rating_noise=noise, samples=300, seed=seed)
    assert [o.toolkit for o in odds.toolkits] == order
    for entry in odds.toolkits:
        assert sum(entry.counts) == 300
        assert math.fsum(entry.probabilities) == pytest.approx(1.0)
    for place in range(len(order)):
        assert sum(o.counts[place] for o in odds.toolkits) == 300
        assert math.fsum(o.probabilities[place] for o in odds.toolkits) == pytest.approx(1.0)


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
    odds = acceptability(matrix_of(evaluation, ranking), order, uncertainty=0.0, samples=50)
    for place, entry in enumerate(odds.toolkits):
        expected = tuple(1.0 if p == place else 0.0 for p in range(len(order)))
        assert entry.probabilities == expected


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
    assert data["schema_version"] == 2
    assert data["first"] == "tensorflow"
    assert data["ranking"]["rows"][0]["toolkit"] == "tensorflow"
    odds = data["acceptability"]
    assert (odds["samples"], odds["seed"], odds["uncertainty"], odds["rating_noise"]) == (
        2000, 11, 0.25, 0.5,
    )  # fmt: skip
    assert [o["toolkit"] for o in odds["toolkits"]] == [
        r["toolkit"] for r in data["ranking"]["rows"]
    ]
    assert all(sum(o["counts"]) == 2000 for o in odds["toolkits"])
    stability = {s["criterion"]: s for s in data["stability"]}
    assert stability["model-deployment"]["high"] == pytest.approx(5.0)
    assert stability["model-deployment"]["above"] == "caffe"
    assert stability["interfaces"]["high"] is None
    assert data["critical"] == {
        "criterion": "model-deployment",
        "change": pytest.approx(0.25),
        "weight": pytest.approx(5.0),
        "share": pytest.approx(5 / 9),
        "first": "caffe",
    }


def test_defaults_are_echoed(cli, light):
    done = cli(
        "rank", *SOURCE_LAST, "--weights", light, "--missing", "drop", "--sensitivity", "-f", "json"
    )
    odds = json.loads(done.out)["acceptability"]
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


def test_tied_first_place_is_named_in_the_verdict(cli):
    done = cli(
        "rank", *SOURCE_LAST, "-w", "performance.single-gpu=1", "--missing", "drop", "--sensitivity"
    )
    assert done.code == 0, done.err
    assert verdict_of(done.out) == (
        "TensorFlow (tied with Torch, first by id) stays first however far any single weight "
        "moves; with weights ±25 % it is first in 100 % of samples."
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

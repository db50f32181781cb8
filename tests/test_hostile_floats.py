"""Hostile input, class "float extremes": only ratios of weights matter, for any finite
positive weights (1e308, 5e-324, subnormals), and the file and the option read the same
numbers."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlcompare.scoring import rank, weighted_mean

from .factory import make_evaluation

POSITIVE = st.floats(min_value=0.0, exclude_min=True, allow_infinity=False, allow_subnormal=True)
SCORES = st.floats(min_value=0.0, max_value=5.0).map(lambda s: round(s * 2) / 2)


def _exact_mean(weights: list[float], scores: list[float]) -> float:
    num = sum((Fraction(w) * Fraction(s) for w, s in zip(weights, scores, strict=True)), Fraction())
    return float(num / sum(map(Fraction, weights), Fraction()))


@given(st.lists(st.tuples(POSITIVE, SCORES), min_size=1, max_size=12))
def test_the_mean_is_the_exact_weighted_mean_over_the_whole_float_range(pairs) -> None:
    weights, scores = [w for w, _ in pairs], [s for _, s in pairs]
    mean = weighted_mean(weights, scores)
    assert mean == _exact_mean(weights, scores)
    assert min(scores) <= mean <= max(scores)


@given(POSITIVE, st.lists(SCORES, min_size=1, max_size=12))
def test_equal_weights_of_any_size_give_the_plain_mean(weight, scores) -> None:
    assert weighted_mean([weight] * len(scores), scores) == weighted_mean(
        [1.0] * len(scores), scores
    )


@given(st.lists(st.tuples(POSITIVE, SCORES), min_size=1, max_size=8), st.integers(-60, 60))
def test_scaling_every_weight_by_a_power_of_two_changes_nothing(pairs, power) -> None:
    weights, scores = [w for w, _ in pairs], [s for _, s in pairs]
    scaled = [w * 2.0**power for w in weights]
    if any(
        s in (0.0, float("inf")) or s / 2.0**power != w
        for s, w in zip(scaled, weights, strict=True)
    ):
        return  # the scaled weight is not exactly representable: another ratio
    assert weighted_mean(scaled, scores) == weighted_mean(weights, scores)


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.fixed_dictionaries({"x": SCORES, "y": SCORES, "z": SCORES}),
        min_size=2,
    ),
    st.fixed_dictionaries({"x": POSITIVE, "y": POSITIVE, "z": POSITIVE}),
)
def test_a_ranking_under_extreme_weights_is_finite_and_ordered(matrix, weights) -> None:
    result = rank(make_evaluation(matrix), weights)
    scores = [row.score for row in result.rows]
    assert all(0.0 <= s <= 5.0 for s in scores)
    assert all(a >= b - 1e-9 for a, b in pairwise(scores))  # best first, ties within 1e-9
    assert abs(sum(result.shares.values()) - 1.0) < 1e-12
    for row in result.rows:
        assert abs(sum(row.contributions.values()) - row.score) < 1e-9
        assert row.coverage == 1.0


WEIGHTS = ["1", "1e308", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308", "1e-300"]


def _ranked(cli, *args: str) -> list[tuple[str, float]]:
    done = cli("rank", *args, "-f", "json")
    assert done.code == 0, done.err
    return [(row["toolkit"], row["score"]) for row in json.loads(done.out)["rows"]]


@pytest.mark.parametrize("weight", WEIGHTS)
def test_one_weight_of_any_size_ranks_as_weight_one(cli, weight) -> None:
    assert _ranked(cli, "-w", f"interfaces={weight}") == _ranked(cli, "-w", "interfaces=1")


@pytest.mark.parametrize("weight", WEIGHTS)
def test_two_equal_weights_of_any_size_rank_as_two_ones(cli, weight) -> None:
    extreme = _ranked(cli, "-w", f"interfaces={weight}", "-w", f"model-deployment={weight}")
    assert extreme == _ranked(cli, "-w", "interfaces=1", "-w", "model-deployment=1")


def test_two_maximal_weights_in_a_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("interfaces: 1.0e+308\nmodel-deployment: 1.0e+308\n")
    assert _ranked(cli, "--weights", str(path)) == _ranked(
        cli, "-w", "interfaces=1", "-w", "model-deployment=1"
    )


@pytest.mark.parametrize("weights", [("1e308", "1e308"), ("5e-324", "1"), ("1e308", "5e-324")])
def test_sensitivity_survives_extreme_weights(cli, weights) -> None:
    done = cli(
        "rank", "-w", f"interfaces={weights[0]}", "-w", f"model-deployment={weights[1]}",
        "--sensitivity", "-f", "json",
    )  # fmt: skip
    assert done.code == 0, done.err
    result = json.loads(done.out)
    for entry in result["sensitivity"]["stability"]:
        assert entry["weight"] > 0 or weights[0] != weights[1]


@pytest.mark.parametrize(
    "written, value", [("1e3", 1000.0), ("1E3", 1000.0), (".5e3", 500.0), ("'2.5'", 2.5)]
)
def test_the_file_reads_the_numbers_the_option_reads(cli, tmp_path, written, value) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(f"interfaces: {written}\nmodel-deployment: 1\n")
    done = cli("rank", "--weights", str(path), "-f", "json")
    assert done.code == 0, done.err
    from_file = json.loads(done.out)["weights"]["interfaces"]
    option = written.strip("'")
    done = cli("rank", "-w", f"interfaces={option}", "-w", "model-deployment=1", "-f", "json")
    assert from_file == json.loads(done.out)["weights"]["interfaces"] == value


@pytest.mark.parametrize("bad", ["1e400", "-1", "nan", "inf", "'ten'"])
def test_the_file_and_the_option_refuse_the_same_numbers(cli, tmp_path, bad) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(f"interfaces: {bad}\n")
    from_file = cli("rank", "--weights", str(path))
    option = cli("rank", "-w", f"interfaces={bad.strip(chr(39))}")
    assert from_file.code == option.code == 1
    assert from_file.err.split(": ")[-1] == option.err.split(": ")[-1]


@pytest.mark.parametrize("score", ["5.0000001", "-0.000001", "5.000000000001", "5.0e+0000001"])
def test_a_score_off_the_scale_is_shown_as_written(cli, data_copy, score) -> None:
    path = data_copy / "toolkits" / "caffe.yaml"
    text = path.read_text()
    path.write_text(text.replace("score: 3", f"score: {score}", 1))
    done = cli("validate", str(data_copy))
    assert done.code == 1
    expected = {"-0.000001": "-1e-06", "5.0e+0000001": "50"}.get(
        score, score
    )  # the same number, unrounded
    assert f"{expected} is outside the scale 0 to 5" in done.out

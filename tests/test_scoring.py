"""The scorer: hand-computed cases, the error paths, and hypothesis properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcompare.errors import WeightsError
from dlcompare.scoring import rank

from .factory import make_evaluation

MATRIX: dict[str, dict[str, float | None]] = {
    "alpha": {"speed": 5.0, "docs": 1.0, "ops": 3.0},
    "beta": {"speed": 3.0, "docs": 4.0, "ops": 3.0},
    "gamma": {"speed": 4.0, "docs": 2.0, "ops": None},
}


def test_weighted_mean_by_hand() -> None:
    result = rank(make_evaluation(MATRIX), {"speed": 3, "docs": 1})
    # alpha (3*5 + 1*1)/4 = 4.0 ; beta (9 + 4)/4 = 3.25 ; gamma (12 + 2)/4 = 3.5
    assert [(r.toolkit, r.rank, r.score) for r in result.rows] == [
        ("alpha", 1, 4.0),
        ("gamma", 2, 3.5),
        ("beta", 3, 3.25),
    ]
    assert result.shares == {"docs": 0.25, "speed": 0.75}
    assert result.weights == {"docs": 1.0, "speed": 3.0}  # as given, in criteria order
    assert result.rows[0].contributions == {"docs": 0.25, "speed": 3.75}
    assert result.not_considered == ("ops",)


def test_ties_share_a_rank_and_the_next_skips() -> None:
    matrix = {"a": {"x": 4.0}, "b": {"x": 4.0}, "c": {"x": 2.0}}
    result = rank(make_evaluation(matrix), {"x": 1})
    assert [(r.toolkit, r.rank) for r in result.rows] == [("a", 1), ("b", 1), ("c", 3)]


def test_missing_rating_is_an_error_when_asked() -> None:
    with pytest.raises(WeightsError, match="gamma lacks ops"):
        rank(make_evaluation(MATRIX), {"speed": 1, "ops": 1}, "error")


def test_missing_drop_is_the_default() -> None:
    assert rank(make_evaluation(MATRIX), {"speed": 1, "ops": 1}) == rank(
        make_evaluation(MATRIX), {"speed": 1, "ops": 1}, "drop"
    )


def test_missing_drop_lists_the_dropped() -> None:
    result = rank(make_evaluation(MATRIX), {"speed": 1, "ops": 1}, "drop")
    assert [r.toolkit for r in result.rows] == ["alpha", "beta"]
    assert [(d.toolkit, d.missing) for d in result.dropped] == [("gamma", ("ops",))]


def test_missing_partial_scores_over_what_it_has() -> None:
    result = rank(make_evaluation(MATRIX), {"speed": 1, "ops": 3}, "partial")
    gamma = next(r for r in result.rows if r.toolkit == "gamma")
    assert gamma.score == 4.0 and gamma.coverage == 0.25 and gamma.missing == ("ops",)


def test_all_zero_weights_is_an_error() -> None:
    with pytest.raises(WeightsError, match="every weight is zero"):
        rank(make_evaluation(MATRIX), {"speed": 0})


def test_criterion_nobody_is_rated_on_is_an_error() -> None:
    matrix = {"a": {"x": 1.0, "y": None}, "b": {"x": 2.0, "y": None}}
    with pytest.raises(WeightsError, match="no toolkit is rated on y"):
        rank(make_evaluation(matrix), {"y": 1}, "partial")


SCORES = st.sampled_from([x / 2 for x in range(11)])
WEIGHTS = st.integers(min_value=0, max_value=20)


@st.composite
def problems(draw: st.DrawFn) -> tuple[dict[str, dict[str, float | None]], dict[str, float]]:
    n_toolkits = draw(st.integers(2, 5))
    n_criteria = draw(st.integers(1, 4))
    criteria = [f"c{i}" for i in range(n_criteria)]
    matrix: dict[str, dict[str, float | None]] = {
        f"t{i}": {c: draw(SCORES) for c in criteria} for i in range(n_toolkits)
    }
    weights = {c: float(draw(WEIGHTS)) for c in criteria}
    if not any(weights.values()):
        weights[criteria[0]] = 1.0
    return matrix, weights


def _ranks(
    matrix: dict[str, dict[str, float | None]], weights: dict[str, float]
) -> dict[str, tuple[int, float]]:
    return {r.toolkit: (r.rank, r.score) for r in rank(make_evaluation(matrix), weights).rows}


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from([0.001, 0.5, 3.0, 1000.0]))
def test_scaling_every_weight_changes_nothing(problem, factor: float) -> None:
    matrix, weights = problem
    before = _ranks(matrix, weights)
    after = _ranks(matrix, {c: w * factor for c, w in weights.items()})
    assert {t: r for t, (r, _) in before.items()} == {t: r for t, (r, _) in after.items()}
    for toolkit, (_, score) in before.items():
        assert math.isclose(score, after[toolkit][1], rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_a_zero_weight_is_the_same_as_leaving_it_out(problem) -> None:
    matrix, weights = problem
    with_zero = {**weights, "extra": 0.0}
    widened = {t: {**row, "extra": 5.0} for t, row in matrix.items()}
    assert _ranks(widened, with_zero) == _ranks(matrix, weights)


@settings(max_examples=150, deadline=None)
@given(problems(), st.data())
def test_raising_a_rating_never_lowers_that_toolkit(problem, data: st.DataObject) -> None:
    matrix, weights = problem
    toolkit = data.draw(st.sampled_from(sorted(matrix)))
    criterion = data.draw(st.sampled_from(sorted(weights)))
    old = matrix[toolkit][criterion]
    assert old is not None
    raised = {t: dict(row) for t, row in matrix.items()}
    raised[toolkit][criterion] = min(5.0, old + data.draw(SCORES))
    rank_before, score_before = _ranks(matrix, weights)[toolkit]
    rank_after, score_after = _ranks(raised, weights)[toolkit]
    assert score_after >= score_before
    assert rank_after <= rank_before


@settings(max_examples=150, deadline=None)
@given(problems(), st.randoms())
def test_input_order_does_not_matter(problem, random) -> None:
    matrix, weights = problem
    toolkits = list(matrix)
    random.shuffle(toolkits)
    criteria = list(weights)
    random.shuffle(criteria)
    shuffled_matrix = {t: {c: matrix[t][c] for c in criteria} for t in toolkits}
    shuffled_weights = {c: weights[c] for c in criteria}
    assert _ranks(shuffled_matrix, shuffled_weights) == _ranks(matrix, weights)


@st.composite
def gappy_problems(
    draw: st.DrawFn,
) -> tuple[dict[str, dict[str, float | None]], dict[str, float]]:
    matrix, weights = draw(problems())
    for row in matrix.values():  # some ratings missing, for every --missing policy
        for criterion in row:
            if draw(st.booleans()) and draw(st.booleans()):
                row[criterion] = None
    return matrix, weights


@settings(max_examples=150, deadline=None)
@given(gappy_problems(), st.sampled_from(["drop", "partial"]))
def test_rows_are_what_validation_builds(problem, missing) -> None:
    # rank builds its rows without validating them: they must be what validation gives
    from dlcompare.results.ranking import RankRow

    matrix, weights = problem
    try:
        result = rank(make_evaluation(matrix), weights, missing)
    except WeightsError:
        return
    for named in result.toolkits:
        assert type(named).model_validate(named.model_dump()) == named
    for row in result.rows:
        again = RankRow.model_validate(row.model_dump())
        assert again == row
        assert {k: type(v) for k, v in vars(again).items()} == {
            k: type(v) for k, v in vars(row).items()
        }

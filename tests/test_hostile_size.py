"""Hostile input, class "size": a weights file of 4,000 criteria and a sensitivity analysis of
1,000 toolkits cost work linear in their size, with bounded memory, and long sampling tells
stderr how far it is. No timing assertions: the tests count the work done."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcompare import names, sensitivity
from dlcompare.sensitivity import SAME_POINT, Leaders, Piece, _leaders, _roots, analyse
from dlcompare.weights import flatten

from .factory import make_evaluation


def _big(toolkits: int, criteria: int, seed: int = 1) -> dict[str, dict[str, float | None]]:
    rng = random.Random(seed)
    return {
        f"t{t:05d}": {f"c{c:05d}": rng.randint(0, 10) / 2 for c in range(criteria)}
        for t in range(toolkits)
    }


def test_a_weights_file_of_4000_criteria_builds_the_name_table_once(monkeypatch) -> None:
    evaluation = make_evaluation(_big(3, 4000))
    built = []
    real = names._criterion_names

    def counted(dataset: Any) -> Any:
        built.append(1)
        return real(dataset)

    monkeypatch.setattr(names, "_criterion_names", counted)
    weights = flatten(evaluation.dataset, {f"c{c:05d}": 1 + c % 5 for c in range(4000)}, "w")
    assert len(weights) == 4000 and len(built) == 1


def test_sensitivity_of_1000_toolkits_solves_linearly_many_roots(monkeypatch) -> None:
    evaluation = make_evaluation(_big(1000, 4))
    calls = []
    real = sensitivity._roots

    def counted(p: Piece, q: Piece) -> list[float]:
        calls.append(1)
        return real(p, q)

    monkeypatch.setattr(sensitivity, "_roots", counted)
    shown = []
    result = analyse(
        evaluation,
        {"c00000": 1.0, "c00001": 2.0, "c00002": 1.0, "c00003": 3.0},
        samples=20,
        progress=lambda done, total: shown.append((done, total)),
    )
    assert len(calls) < 4 * 1000 * 2  # the old pairwise search made 4 × 499,500
    assert shown[-1] == (20, 20) and shown[0] == (0, 20)
    assert result.sensitivity is not None
    odds = result.sensitivity.acceptability.toolkits
    assert len(odds) == 1000
    assert all(len(t.counts) == sensitivity.PLACES for t in odds)  # n x 10 numbers, not n x n
    assert sum(t.counts[0] for t in odds) >= 20  # someone is first in every sample
    for place in range(sensitivity.PLACES):
        # a place is held alone at most once per sample (tied toolkits share it)
        assert sum(t.counts[place] - t.tied[place] for t in odds) <= 20


def _reference_interval(
    pieces: Sequence[Piece], w0: float, winner: Leaders
) -> tuple[float, float | None, Leaders, Leaders]:
    """The pairwise O(n²) search this module used before: every pair's roots are edges."""
    roots = sorted(
        r for i in range(len(pieces)) for j in range(i + 1, len(pieces))
        for r in _roots(pieces[i], pieces[j])
    )  # fmt: skip
    edges = [0.0]
    for root in roots:
        point = w0 if abs(root - w0) <= SAME_POINT * w0 else root
        if point - edges[-1] > SAME_POINT * point:
            edges.append(point)
    count = len(edges)
    leaders = [
        _leaders(
            pieces,
            (edges[k] + edges[k + 1]) / 2 if k + 1 < count else 2 * edges[k] + 1 if k else w0,
        )
        for k in range(count)
    ]
    if w0 in edges:
        up = edges.index(w0)
        down = up - 1
    else:
        at = max(k for k in range(count) if edges[k] < w0)
        leaders[at] = winner
        up, down = at + 1, at - 1
    while up < count and leaders[up] <= winner:
        up += 1
    while down >= 0 and leaders[down] <= winner:
        down -= 1
    return (
        edges[down + 1] if down >= 0 else 0.0,
        edges[up] if up < count else None,
        leaders[down] if down >= 0 else frozenset(),
        leaders[up] if up < count else frozenset(),
    )


HALF_STARS = st.integers(0, 10).map(lambda n: n / 2)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(HALF_STARS, min_size=3, max_size=3), min_size=2, max_size=7),
    st.lists(st.integers(1, 8).map(float), min_size=3, max_size=3),
    st.integers(0, 2),
)
def test_the_linear_interval_equals_the_pairwise_search(ratings, weights, index) -> None:
    matrix = sensitivity.Matrix(
        toolkits=tuple(f"t{n}" for n in range(len(ratings))),
        criteria=("a", "b", "c"),
        weights=tuple(weights),
        ratings=tuple(tuple(row) for row in ratings),
        scale=(0.0, 5.0),
    )
    pieces = sensitivity._pieces(matrix, index)
    w0 = weights[index]
    winner = _leaders(pieces, w0)
    assert sensitivity._interval(pieces, w0, winner) == _reference_interval(pieces, w0, winner)


def test_progress_is_shown_on_a_terminal_only_after_a_second(monkeypatch) -> None:
    from dlcompare import output

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    clock = iter([0.0, 0.5, 1.5, 1.6, 3.0, 3.1])
    monkeypatch.setattr("time.monotonic", lambda: next(clock))
    report = output.progress("sampling weights")  # starts at 0.0
    report(0, 100)  # 0.5 s: nothing yet
    assert err.getvalue() == ""
    report(40, 100)  # 1.5 s
    assert "sampling weights: 40 % of 100" in err.getvalue()
    report(50, 100)  # 1.6 s: not again within a second
    assert "50 %" not in err.getvalue()
    report(100, 100)  # 3.0 s: done, the line is cleared
    assert err.getvalue().endswith("\r\x1b[K")


def test_no_progress_when_stderr_is_not_a_terminal(monkeypatch) -> None:
    from dlcompare import output

    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    report = output.progress("x")
    for n in range(0, 101, 10):
        report(n, 100)
    assert err.getvalue() == ""


@pytest.mark.parametrize("weight", [1e-300, 1e300])
def test_extreme_weights_in_the_linear_interval(weight) -> None:
    evaluation = make_evaluation(_big(50, 3, seed=7))
    result = analyse(evaluation, {"c00000": weight, "c00001": 1.0, "c00002": 2.0}, samples=5)
    assert result.sensitivity is not None
    assert all(math.isfinite(s.share) for s in result.sensitivity.stability)

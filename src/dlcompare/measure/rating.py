"""From measured medians to ratings on the scale of the data in use. Pure: no I/O."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .results import DerivedRating, Run

Scale = tuple[float, float]
"""The rating scale of the data in use: (min, max), from its criteria file."""

MIN_RATED = 2
"""A speed rating says how a toolkit compares with others measured beside it: with fewer than
two toolkits valid on every workload there is nothing to compare, and no rating."""

RATED = ("pytorch", "jax", "tensorflow", "mlx", "paddlepaddle", "mindspore", "tinygrad")
"""The toolkits rated from their own runs (Keras from its default backend's run; NumPy, the
reference, never)."""


def _number(value: float) -> str:
    return f"{value:g}"


def scaled(scale: Scale, mean: float) -> float:
    """min + (max - min) × mean: mean 1 (the fastest) gives the top of the scale."""
    low, high = scale
    return low + (high - low) * mean


def rule(scale: Scale = (0.0, 5.0)) -> str:
    """The rule in words, on `scale`."""
    low, high = scale
    times = f"{_number(high - low)} times the geometric mean of these ratios"
    score = times if low == 0 else f"{_number(low)} plus {times}"
    return (
        f"A toolkit is rated only when it is valid on every workload, and only when at least "
        f"{MIN_RATED} toolkits are (a speed rating compares toolkits measured side by side). "
        "Per workload, the fastest rated toolkit's median step time divided by this toolkit's "
        f"(1 for the fastest); the score, on the data's scale {_number(low)}-{_number(high)}, "
        f"is {score} over the workloads, rounded to the nearest half point (halves round up). "
        "NumPy (the reference) and Keras on a backend other than its default are measured but "
        "not rated."
    )


def half_points(value: float) -> float:
    """`value` to the nearest 0.5, halves rounding up (2.25 -> 2.5), never Python's round-half-even."""
    return math.floor(value * 2 + 0.5) / 2


def rated_target(toolkit: str, keras_backend: str) -> str:
    return f"keras-{keras_backend}" if toolkit == "keras" else toolkit


def derive(
    runs: Sequence[Run],
    workloads: Sequence[str],
    keras_backend: str,
    scale: Scale = (0.0, 5.0),
) -> tuple[DerivedRating, ...]:
    """One rating per toolkit that ran (see `rule`). Toolkits: pytorch, jax, tensorflow, and
    keras from its run on `keras_backend`. Score = min + (max − min) × (∏_w fastest_w /
    median_w)^(1/W) on `scale`, halves up, where fastest_w is the lowest median on workload w
    among the toolkits valid on every workload; None with the reason for a toolkit that is not
    valid on every workload, and for every toolkit when fewer than MIN_RATED are."""
    by_target: dict[str, dict[str, Run]] = {}
    for run in runs:
        by_target.setdefault(run.target, {})[run.workload] = run
    candidates = [  # a toolkit that saw no GPU was not measured: no rating, not even null
        target
        for target in (*RATED, rated_target("keras", keras_backend))
        if target in by_target and any(r.status != "no-gpu" for r in by_target[target].values())
    ]

    def median(run: Run | None) -> float | None:
        if run is None or run.status != "valid" or run.timing is None:
            return None
        return run.timing.step_median_s

    rated = [
        t for t in candidates if all(median(by_target[t].get(w)) is not None for w in workloads)
    ]
    fastest: dict[str, float] = {}
    for workload in workloads:
        times = [m for t in rated if (m := median(by_target[t][workload])) is not None]
        if times:
            fastest[workload] = min(times)
    ratings = []
    for target in candidates:
        toolkit = "keras" if target.startswith("keras-") else target
        runs_of = by_target[target]
        bad = [
            f"{w}: {runs_of[w].status if w in runs_of else 'not run'}"
            for w in workloads
            if median(runs_of.get(w)) is None
        ]
        if not bad and len(rated) < MIN_RATED:
            ratings.append(
                DerivedRating(
                    toolkit=toolkit,
                    target=target,
                    score=None,
                    reason=f"not rated: only {len(rated)} toolkit valid on every workload "
                    f"({', '.join(rated)}); a speed rating compares at least {MIN_RATED}",
                )
            )
            continue
        if bad:
            ratings.append(
                DerivedRating(
                    toolkit=toolkit,
                    target=target,
                    score=None,
                    reason="not rated: not valid on every workload (" + "; ".join(bad) + ")",
                )
            )
            continue
        ratios = {w: fastest[w] / median(runs_of[w]) for w in workloads}  # type: ignore[operator]
        mean = math.exp(sum(math.log(r) for r in ratios.values()) / len(ratios))
        low, high = scale
        score = min(high, max(low, half_points(scaled(scale, mean))))
        formula = f"{_number(high - low)} × geometric mean of fastest ÷ own median ({mean:.3f})"
        if low:
            formula = f"{_number(low)} + {formula}"
        ratings.append(
            DerivedRating(
                toolkit=toolkit,
                target=target,
                score=score,
                ratios=ratios,
                reason=f"{formula} = {scaled(scale, mean):.2f}, to half points: {score:g}",
            )
        )
    return tuple(ratings)

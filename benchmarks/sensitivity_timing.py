"""Time `rank --sensitivity` on the bundled data: 10,000 samples, best of 5 runs.

Run: python benchmarks/sensitivity_timing.py
"""

from __future__ import annotations

import time

from dlcompare.loading import load_dataset
from dlcompare.scoring import rank
from dlcompare.sensitivity import acceptability, analyse, matrix_of

# every criterion the latest edition rates, so all five toolkits are sampled
WEIGHTS = {
    "modeling-capability": 3.0,
    "interfaces": 2.0,
    "model-deployment": 1.0,
    "performance.single-gpu": 2.0,
    "architecture": 1.0,
}


def best_of(runs: int, task: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        task()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    dataset = load_dataset()
    evaluation = dataset.evaluation(dataset.latest)
    ranking = rank(evaluation, WEIGHTS, "partial")
    m = matrix_of(evaluation, ranking)
    order = [row.toolkit for row in ranking.rows]
    print(f"{len(m.toolkits)} toolkits x {len(m.criteria)} weighted criteria, 10000 samples")
    for noise in (0.0, 0.5):
        seconds = best_of(5, lambda noise=noise: acceptability(m, order, rating_noise=noise))
        print(f"  sampling, rating noise {noise}: {seconds * 1000:.0f} ms")
    seconds = best_of(5, lambda: analyse(evaluation, WEIGHTS, "partial", rating_noise=0.5))
    print(f"  whole analysis (intervals + sampling with rating noise): {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()

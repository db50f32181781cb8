"""Reference test: the bundled data reproduces the source evaluation, rating by rating.

The expected tables below were typed from ../shared/sources/deepframeworks/*.md (the headings
"#### Toolkit: N" of 2015-11-20 and the star images of later editions), not from the data.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dlcompare.dataset import Dataset

TF, TH, TO, CA, CN = "tensorflow", "theano", "torch", "caffe", "cntk"
MC, IF, MD = "modeling-capability", "interfaces", "model-deployment"
SG, MG = "performance.single-gpu", "performance.multi-gpu"
AR, EC = "architecture", "ecosystem"


def _table(rows: dict[str, dict[str, float]]) -> set[tuple[str, str, float]]:
    return {
        (toolkit, criterion, score)
        for criterion, row in rows.items()
        for toolkit, score in row.items()
    }


E_2015_11_20: dict[str, dict[str, float]] = {
    MC: {TF: 4, TH: 5, TO: 4.5},
    IF: {TF: 4.9, TH: 4.5, TO: 4},
    MD: {TF: 4.5, TH: 3, TO: 3},
    SG: {TF: 3, TH: 3, TO: 5},
    MG: {TF: 4, TH: 2, TO: 3},
    AR: {TF: 5, TH: 3, TO: 5},
    EC: {TF: 5, TH: 4, TO: 3},
}
E_2015_12_02: dict[str, dict[str, float]] = {
    MC: {TF: 4, TH: 5, TO: 4.5},
    IF: {TF: 4.5, TH: 4, TO: 4},
    MD: {TF: 4.5, TH: 3, TO: 3},
    SG: {TF: 3, TH: 3, TO: 5},
    AR: {TF: 4.5, TH: 3, TO: 5},
    EC: {TF: 4.5, TH: 4, TO: 3},
}
E_2015_12_07: dict[str, dict[str, float]] = {
    MC: {CA: 3, TF: 4, TH: 5, TO: 5},
    IF: {CA: 3, CN: 2.5, TF: 4.5, TH: 4, TO: 4},
    MD: {CA: 5, CN: 4.5, TF: 4.5, TH: 3, TO: 3},
    SG: {CA: 5, CN: 5, TF: 3, TH: 3, TO: 5},
    AR: {CA: 3, TF: 5, TH: 3, TO: 5},
}
E_2016_05_11: dict[str, dict[str, float]] = {
    MC: {CA: 3, CN: 2, TF: 4.5, TH: 4.5, TO: 5},
    IF: {CA: 3, CN: 2.5, TF: 4.5, TH: 4, TO: 4},
    MD: {CA: 5, CN: 4.5, TF: 4.5, TH: 3, TO: 3},
    SG: {TF: 5, TO: 5, TH: 3},
    AR: {CA: 3, TF: 5, TH: 3, TO: 5},
}
EXPECTED: dict[str, dict[str, dict[str, float]]] = {
    "2015-11-20": E_2015_11_20,
    "2015-12-02": E_2015_12_02,
    "2015-12-07": E_2015_12_07,
    "2016-05-11": E_2016_05_11,
    "2016-11-13": E_2016_05_11,  # no rating moved
    "2016-12-06": E_2016_05_11,  # no rating moved
}
PRESENT = {
    "2015-11-20": {TF, TH, TO},
    "2015-12-02": {TF, TH, TO},
    **{
        day: {TF, TH, TO, CA, CN}
        for day in ("2015-12-07", "2016-05-11", "2016-11-13", "2016-12-06")
    },
}
COMMITS = {
    "2015-11-20": "35480e4",
    "2015-12-02": "5cfc0b0",
    "2015-12-07": "0021341",
    "2016-05-11": "634680c",
    "2016-11-13": "3b40324",
    "2016-12-06": "2568bef",
}


def scores_at(dataset: Dataset, day: str) -> set[tuple[str, str, float]]:
    edition = dataset.edition_at(dt.date.fromisoformat(day))
    assert edition is not None and str(edition.date) == day
    evaluation = dataset.evaluation(edition)
    found = set()
    for toolkit in evaluation.toolkits:
        for leaf in dataset.leaves:
            score = evaluation.score(toolkit.id, leaf.path)
            if score is not None:
                found.add((toolkit.id, leaf.path, score))
    return found


def test_editions_are_the_rated_revisions(bundled: Dataset) -> None:
    source = [e for e in bundled.editions if e.evaluator == "zer0n/deepframeworks"]
    assert {str(e.date): e.commit for e in source} == COMMITS
    # after them only dlcompare's own edition, which has no commit of the source
    assert [(str(e.date), e.evaluator) for e in bundled.editions if e not in source] == [
        ("2026-12-03", "dlcompare")
    ]
    for edition in source:
        assert edition.url is not None
        assert edition.url.startswith("https://github.com/zer0n/deepframeworks/")
        assert edition.commit is not None and edition.commit in edition.url


@pytest.mark.parametrize("day", sorted(EXPECTED))
def test_every_score_matches_the_source(bundled: Dataset, day: str) -> None:
    expected = _table(EXPECTED[day])
    found = scores_at(bundled, day)
    assert found - expected == set(), "ratings in the data that the source does not give"
    assert expected - found == set(), "ratings the source gives that the data lacks"


@pytest.mark.parametrize("day", sorted(PRESENT))
def test_toolkits_present_per_edition(bundled: Dataset, day: str) -> None:
    edition = bundled.edition_at(dt.date.fromisoformat(day))
    assert edition is not None
    assert {t.id for t in bundled.evaluation(edition).toolkits} == PRESENT[day]


def test_every_assessment_cites_an_edition_and_has_a_summary(bundled: Dataset) -> None:
    dates = {e.date for e in bundled.editions}
    for toolkit in bundled.toolkits:
        for path, entries in bundled.assessments(toolkit.id).items():
            assert path in bundled.leaf_by_path
            for day, assessment in entries.items():
                assert day in dates
                assert assessment.summary.strip()


def test_single_gpu_cites_the_convnet_benchmarks_thread(bundled: Dataset) -> None:
    first = bundled.assessments(TF)[SG][dt.date(2015, 11, 20)]
    assert "https://github.com/soumith/convnet-benchmarks/issues/66" in first.sources


def test_torch_deployment_compares_only_with_toolkits_of_its_edition(bundled: Dataset) -> None:
    # 2015-11-20: "less attractive than bare bone C++ support of TF" (Torch: 3);
    # 2015-12-07: "... of Caffe/CNTK/TF", still three stars.
    entries = bundled.assessments(TO)[MD]
    first, second = entries[dt.date(2015, 11, 20)], entries[dt.date(2015, 12, 7)]
    assert (first.score, second.score) == (3, 3)
    assert "Caffe" not in first.summary and "CNTK" not in first.summary
    assert "Caffe" in second.summary and "CNTK" in second.summary

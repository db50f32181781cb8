"""Headers that tell the truth, on the source's editions of the bundled data: what Δ is, the
source's notice in every view of its editions, the scale's steps read off the scores shown,
and the shares a partly rated toolkit was scored with."""

from __future__ import annotations

import csv
import io
import json
import shlex

import pytest

import dlcompare

LAST_SOURCE = "2016-12-06"
NOTICE_START = "Per that notice, many of the toolkits have improved a great deal"


def flat(text: str) -> str:
    return " ".join(text.split())


def test_delta_is_right_minus_left_and_the_header_says_so(cli) -> None:
    args = ("diff", "tensorflow@2015-11-20", "tensorflow@2016-05-11")
    doc = json.loads(cli(*args, "-f", "json").out)
    assert doc["delta_means"] == "right - left"
    rows = {r["criterion"]: r for r in doc["rows"]}
    assert rows["performance.single-gpu"]["delta"] == 2.0  # 3 on 2015-11-20, 5 on 2016-05-11
    assert rows["interfaces"]["delta"] == -0.4  # exact, not -0.40000000000000036
    table = cli(*args).out
    assert "Δ = right minus left: how TensorFlow's score moved from 2015-11-20 to 2016-05-11" in (
        flat(table)
    )
    single = next(line for line in table.splitlines() if line.startswith("Performance: Single"))
    assert "+2.0" in single and "-2.0" not in single
    markdown = cli(*args, "-f", "markdown").out
    assert "Δ = right minus left" in markdown and "| +2.0 |" in markdown

    backwards = flat(cli("diff", "tensorflow@2016-05-11", "tensorflow@2015-11-20").out)
    assert "the right side is the earlier one, so + means it fell since" in backwards

    two = flat(cli("diff", "tensorflow", "torch", "--as-of", LAST_SOURCE).out)
    assert "Δ = right minus left: Torch's score minus TensorFlow's (+ means Torch is ahead)" in two
    rows_csv = list(csv.DictReader(io.StringIO(cli(*args, "-f", "csv").out)))
    assert {r["delta_means"] for r in rows_csv} == {"right - left"}


def test_api_differences_are_at_the_datas_precision() -> None:
    evaluation = dlcompare.load(as_of=LAST_SOURCE)
    moved = dlcompare.diff(evaluation, "tensorflow@2015-11-20", "tensorflow")
    deltas = {row.criterion: row.delta for row in moved.rows}
    assert repr(deltas["interfaces"]) == "-0.4"
    assert deltas["performance.single-gpu"] == 2.0


def test_the_notice_is_in_every_view_of_its_edition_and_later_ones(cli) -> None:
    for when in ("2016-11-13", LAST_SOURCE):
        views = (("show",), ("show", "tf"), ("diff", "tf", "torch"), ("history", "tf"), ("list",))
        for args in views:
            doc = json.loads(cli(*args, "--as-of", when, "-f", "json").out)
            assert [n["edition"] for n in doc["notes"]] == ["2016-11-13"]
            assert NOTICE_START in flat(cli(*args, "--as-of", when).out)
    before = json.loads(cli("show", "--as-of", "2016-05-11", "-f", "json").out)
    assert before["notes"] == []
    report = json.loads(cli("report", "--as-of", LAST_SOURCE, "-f", "json").out)
    assert report["ratings"]["notes"][0]["edition"] == "2016-11-13"
    assert NOTICE_START in flat(cli("report", "--as-of", LAST_SOURCE).out)


def test_changes_of_the_notice_edition_reports_the_notice(cli) -> None:
    table = flat(cli("changes", "2016-11-13").out)
    assert "Nothing changed" not in table
    assert f"Note added in this edition by zer0n/deepframeworks: {NOTICE_START}" in table
    doc = json.loads(cli("changes", "2016-11-13", "-f", "json").out)
    assert [n["edition"] for n in doc["notes"]] == ["2016-11-13"]
    editions = json.loads(cli("editions", "-f", "json").out)
    by_date = {e["date"]: e for e in editions["editions"]}
    assert by_date["2016-11-13"]["notes"][0].startswith(NOTICE_START)


def test_the_report_reads_the_scales_steps_off_the_scores_shown(cli) -> None:
    first = cli("report", "--as-of", "2015-11-20").out
    assert "half a point" not in first  # TensorFlow's interfaces is 4.9 there
    assert "the scores shown are in steps of 0.1" in first
    assert json.loads(cli("report", "--as-of", "2015-11-20", "-f", "json").out)["resolution"] == 0.1
    later = cli("report", "--as-of", "2016-05-11").out  # 4.9 was lowered on 2015-12-02
    assert "the scores shown are in steps of half a point" in later


def test_partial_coverage_states_the_shares_each_toolkit_was_scored_with(cli) -> None:
    weights = ("-w", "interfaces=1", "-w", "model-deployment=2", "-w", "performance.single-gpu=3")
    args = ("rank", *weights, "--missing", "partial", "--as-of", LAST_SOURCE)
    doc = json.loads(cli(*args, "-f", "json").out)
    rows = {r["toolkit"]: r for r in doc["rows"]}
    caffe = rows["caffe"]  # not rated on single-GPU speed since 2016-05-11
    assert caffe["coverage"] == 0.5
    assert caffe["shares"] == {"interfaces": 1 / 3, "model-deployment": 2 / 3}
    for path, share in caffe["shares"].items():  # the contributions use these shares
        score = dlcompare.rating(dlcompare.load(as_of=LAST_SOURCE), "caffe", path).score
        assert caffe["contributions"][path] == pytest.approx(share * score)
    assert rows["tensorflow"]["shares"] == doc["shares"]
    table = flat(cli(*args).out)
    assert (
        "Caffe (not rated on performance.single-gpu): interfaces 33 %, model-deployment 67 %"
        in (table)
    )


def test_every_hint_the_latest_edition_prints_runs_as_printed(cli) -> None:
    """`show`, `diff` and `rank` name commands for toolkits the edition does not rate: each
    one runs on the bundled data exactly as printed."""
    hints: set[str] = set()
    views = (
        ("show",),
        ("show", "torch"),
        ("diff", "tensorflow", "torch"),
        ("diff", "theano", "tf"),
    )
    for args in views:
        doc = json.loads(cli(*args, "-f", "json").out)
        for entry in doc["not_rated"]:
            hints.update(hint["command"] for hint in entry["hints"])
    assert "dlcompare diff tensorflow pytorch" in hints
    assert "dlcompare diff tensorflow torch --as-of 2016-12-06" in hints
    for hint in sorted(hints):
        words = shlex.split(hint)
        assert words[0] == "dlcompare"
        outcome = cli(*words[1:])
        assert outcome.code == 0, f"{hint}: {outcome.err}"
    table = flat(cli("diff", "tensorflow", "torch").out)
    assert "Use: dlcompare diff tensorflow pytorch (its successor); dlcompare diff tensorflow" in (
        table
    )

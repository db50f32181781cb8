"""Every view states the date of what it shows and its age; stale ratings are marked.

Today is pinned to 2026-12-03 by conftest. Ages are hand-computed: 2016-12-06 -> 2026-12-06 is
3652 days (ten years with the leap days of 2020 and 2024), so 2026-12-03 is 3649 days (and
2026-11-26, used below with an explicit date, 3642).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dlcompare.freshness import DAYS_PER_YEAR, DEFAULT_STALE_AFTER_YEARS, Ages

LATEST_AGE_DAYS = 3649

# The source's last edition (2016-12-06), pinned: the latest edition is dlcompare's own.
SOURCE_LAST = ("--as-of", "2016-12-06")
VIEWS = {
    "show": ("show", *SOURCE_LAST),
    "show-toolkit": ("show", "theano", *SOURCE_LAST),
    "show-criterion": ("show", "performance", *SOURCE_LAST),
    "diff": ("diff", "tensorflow", "theano", *SOURCE_LAST),
    "rank": ("rank", "-w", "interfaces=1", *SOURCE_LAST),
    "list": ("list", *SOURCE_LAST),
    "history": ("history", "tensorflow", *SOURCE_LAST),
    "changes": ("changes", "2016-12-06"),
}


def test_ages_are_whole_days_and_mean_years():
    ages = Ages(dt.date(2026, 11, 26), 2)
    assert ages.days(dt.date(2016, 12, 6)) == 3642
    assert ages.years(dt.date(2016, 12, 6)) == pytest.approx(3642 / 365.2425)
    assert ages.stale(dt.date(2024, 11, 25))  # 2 years and 1 day
    assert not ages.stale(dt.date(2024, 11, 27))
    assert DAYS_PER_YEAR == 365.2425
    assert DEFAULT_STALE_AFTER_YEARS == 2


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_json_carries_edition_date_and_age(cli, view):
    outcome = cli(*VIEWS[view], "--format", "json")
    assert outcome.code == 0, outcome.err
    doc = json.loads(outcome.out)
    assert doc["freshness"] == {"today": "2026-12-03", "stale_after_years": 2.0}
    editions = [doc["left_edition"], doc["right_edition"]] if view == "diff" else [doc["edition"]]
    for edition in editions:
        assert edition["date"] == "2016-12-06"
        assert edition["age_days"] == LATEST_AGE_DAYS
        assert edition["age_years"] == pytest.approx(LATEST_AGE_DAYS / 365.2425)
        assert edition["stale"] is True


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_human_formats_state_the_age(cli, view, fmt):
    outcome = cli(*VIEWS[view], "--format", fmt)
    assert outcome.code == 0, outcome.err
    text = " ".join(outcome.out.split())  # the table wraps at 80 columns
    assert "† marks ratings older than 2 years." in text
    if view in ("list", "changes"):  # one edition's own facts: its age is what they are
        assert "Information from 2016-12-06: 10.0 years old on 2026-12-03." in text
        return
    # whose ratings are shown and how old: per evaluator, the oldest and newest rating's date
    doc = json.loads(cli(*VIEWS[view], "--format", "json").out)
    assert doc["shown"]
    for span in doc["shown"]:
        when = (
            f"from {span['oldest']}"
            if span["oldest"] == span["newest"]
            else f"from {span['oldest']} to {span['newest']}"
        )
        assert f"{span['ratings']} by {span['evaluator']} {when}" in text
    assert "Ages on 2026-12-03." in text
    assert "† marks ratings older than 2 years." in text


@pytest.mark.parametrize("view", ["show", "diff", "rank", "history", "changes"])
def test_csv_carries_ages(cli, view):
    header = cli(*VIEWS[view], "--format", "csv").out.splitlines()[0].split(",")
    assert any("age_days" in column for column in header)


def test_ratings_carry_their_own_age(cli):
    doc = json.loads(cli("show", "tensorflow", *SOURCE_LAST, "-f", "json").out)
    ratings = {r["criterion"]: r for r in doc["ratings"]}
    single = ratings["performance.single-gpu"]
    assert single["edition"] == "2016-05-11"
    # 2016-05-11 -> 2026-05-11 is 3652 days; then May 11 -> Dec 3 is
    # 20 + 30 + 31 + 31 + 30 + 31 + 30 + 3 = 206 days.
    assert single["age_days"] == 3652 + 206
    assert single["stale"] is True
    # a rating without a score is never marked stale
    assert ratings["ecosystem"]["stale"] is False
    assert ratings["ecosystem"]["age_days"] is not None


def test_table_marks_stale_ratings_and_threshold_option_lifts_it(cli):
    marked = cli("show", "performance.single-gpu", *SOURCE_LAST)
    assert marked.code == 0
    assert "5.0 †" in marked.out
    unmarked = cli("show", "performance.single-gpu", *SOURCE_LAST, "--stale-after", "20")
    assert unmarked.code == 0
    assert "5.0 †" not in unmarked.out
    # nothing can be marked any more, so the mark is not explained either
    assert "† marks" not in unmarked.out
    assert "† marks ratings older than 2 years." in " ".join(marked.out.split())
    doc = json.loads(cli("show", *SOURCE_LAST, "--stale-after", "20", "-f", "json").out)
    assert not any(r["stale"] for r in doc["ratings"])
    assert doc["edition"]["stale"] is False


def test_staleness_depends_on_each_ratings_own_date(cli, monkeypatch):
    # On 2017-01-01 with a one-year threshold: 2015-12-02 ratings are 396 days old (stale),
    # 2016-05-11 ratings 235 days (fresh).
    monkeypatch.setenv("DLCOMPARE_TODAY", "2017-01-01")
    doc = json.loads(
        cli("show", "tensorflow", *SOURCE_LAST, "--stale-after", "1", "-f", "json").out
    )
    ratings = {r["criterion"]: r for r in doc["ratings"]}
    assert ratings["interfaces"]["age_days"] == 396
    assert ratings["interfaces"]["stale"] is True
    assert ratings["performance.single-gpu"]["age_days"] == 235
    assert ratings["performance.single-gpu"]["stale"] is False
    assert doc["edition"]["age_days"] == 26
    table = cli("show", "performance.single-gpu", *SOURCE_LAST, "--stale-after", "1").out
    assert "★★★☆☆ 3.0 †" in table  # Theano, rated 2015-11-20
    assert "★★★★★ 5.0 †" not in table  # TensorFlow and Torch, rated 2016-05-11
    assert "★★★★★ 5.0" in table
    header = " ".join(table.split())
    assert "from 2015-11-20 to 2016-05-11 (235 days to 1.1 years old). Ages on 2017-01-01." in (
        header
    )


def test_rank_marks_stale_contributions(cli):
    doc = json.loads(cli("rank", "-w", "interfaces=1", *SOURCE_LAST, "-f", "json").out)
    top = doc["rows"][0]
    assert top["toolkit"] == "tensorflow"
    assert top["rated_on"] == {"interfaces": "2015-12-02"}
    assert top["stale"] == ["interfaces"]
    table = cli("rank", "-w", "interfaces=1", *SOURCE_LAST, "-v").out  # with the contributions
    assert "4.50 †" in table


@pytest.mark.parametrize("value", ["-1", "abc"])
def test_bad_threshold_is_a_usage_error(cli, value):
    outcome = cli("show", "--stale-after", value)
    assert outcome.code == 2
    assert "--stale-after" in outcome.err


def test_bad_pinned_today_is_reported(cli, monkeypatch):
    monkeypatch.setenv("DLCOMPARE_TODAY", "tomorrow")
    outcome = cli("show")
    assert outcome.code == 1
    assert "DLCOMPARE_TODAY" in outcome.err

"""Round 3: `--as-of` with a commit hash that Python's `date.fromisoformat` also reads as a
date (`2016051101` is 2016-05-11 to Python 3.11). An edition's commit wins where it matches;
where none does, the error names both readings. Only `YYYY-MM-DD` is a date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlcompare
from dlcompare.errors import NotFoundError
from dlcompare.names import find_edition

TEAM_COMMIT = "2016051101aa"


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "editions.yaml").write_text(
        "editions:\n  - date: 2020-01-01\n    evaluator: team\n"
        f"    commit: {TEAM_COMMIT}\n    summary: Our view.\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("given_as", ["2016051101", "2016051101aa", "20160511", "2016051"])
def test_an_editions_commit_wins_where_it_matches(cli, team, given_as) -> None:
    done = cli("show", "interfaces", "--as-of", given_as, "--data", str(team), "-f", "json")
    assert done.code == 0, done.err
    assert json.loads(done.out)["edition"]["date"] == "2020-01-01"


@pytest.mark.parametrize(("given_as", "day"), [("2016051102", "2016-05-11"), ("20151120", None)])
def test_a_date_python_would_read_but_no_commit_matches_is_an_error(cli, given_as, day) -> None:
    done = cli("show", "interfaces", "--as-of", given_as, "-f", "json")
    reading = day or str(dt.date.fromisoformat(given_as))
    assert done.code == 1 and done.out == ""
    assert "ambiguous" in done.err and "no edition's commit" in done.err
    assert f"the date {reading}" in done.err and "Traceback" not in done.err


def test_the_same_in_diff_and_in_the_api(cli, team) -> None:
    done = cli("diff", "tensorflow@2016051101", "tensorflow", "--data", str(team), "-f", "json")
    assert done.code == 0, done.err
    assert json.loads(done.out)["left_edition"]["date"] == "2020-01-01"
    evaluation = dlcompare.load(team, as_of="2016051101")
    assert evaluation.edition.date == dt.date(2020, 1, 1)
    with pytest.raises(NotFoundError, match="ambiguous"):
        dlcompare.load(as_of="2016051102")


def test_a_date_written_as_a_date_is_a_date(cli, team) -> None:
    done = cli("show", "interfaces", "--as-of", "2016-05-11", "--data", str(team), "-f", "json")
    assert json.loads(done.out)["edition"]["date"] == "2016-05-11"


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[0-9a-f]{7,12}", fullmatch=True))
def test_hex_text_is_a_commit_or_an_error_never_a_silent_date(bundled, text) -> None:
    commits = {c for e in bundled.editions for c in (e.commit or "", *e.also) if c}
    try:
        edition = find_edition(bundled, text)
    except NotFoundError:
        return
    assert any(c.startswith(text) for c in (edition.commit or "", *edition.also) if c)
    assert any(c.startswith(text) for c in commits)

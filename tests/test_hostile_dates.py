"""Round 3: edition dates. A date in a data file is a day between 1900-01-01 and 2999-12-31,
checked once where files are read, shown as the user wrote it; no command crashes on one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from dlcompare import yamlio
from dlcompare.days import EARLIEST_DAY, LATEST_DAY
from dlcompare.schema import Day


def _folder(root: Path, written: str) -> Path:
    folder = root / "d"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "editions.yaml").write_text(
        f"editions:\n  - date: {written}\n    evaluator: team\n    summary: Our view.\n",
        encoding="utf-8",
    )
    (folder / "toolkits" / "kit.yaml").write_text(
        f"id: kit\nname: Kit\nratings:\n  interfaces:\n    {written}: {{score: 3, summary: s}}\n",
        encoding="utf-8",
    )
    return folder


REFUSED = {
    "9999-12-31": "outside the dates dlcompare takes",
    "'9999-12-31'": "outside the dates dlcompare takes",
    "3000-01-01": "outside the dates dlcompare takes",
    "1899-12-31": "outside the dates dlcompare takes",
    "0001-01-01": "outside the dates dlcompare takes",
    "2030-01-01 10:00:00": "has a time of day; dates here are days: write 2030-01-01",
    "2030-01-01T10:00:00+02:00": "has a time of day",
    "2016-05-11T00:00:00Z": "has a time of day; dates here are days: write 2016-05-11",
    "2030-01-01t10:00:00.5-05:30": "has a time of day",
    "'2030-01-01T10:00:00'": "has a time of day; dates here are days: write 2030-01-01",
}
COMMANDS = [
    ("show",),
    ("show", "kit"),
    ("rank", "-w", "interfaces=1", "--missing", "drop"),
    ("report", "-w", "interfaces=1", "--missing", "drop"),
    ("history", "kit"),
    ("editions",),
]


@pytest.mark.parametrize("written", REFUSED)
def test_a_date_that_cannot_be_is_refused_where_it_is_read(cli, tmp_path, written) -> None:
    folder = _folder(tmp_path, written)
    done = cli("validate", str(folder))
    assert done.code == 1
    as_written = written.strip("'")
    lines = [line for line in done.out.splitlines() if REFUSED[written] in line]
    assert {Path(line.split(":")[0]).name for line in lines} == {"editions.yaml", "kit.yaml"}
    assert all(as_written in line for line in lines)  # the key as the user wrote it
    assert "datetime" not in done.out  # never a Python repr
    for command in COMMANDS:
        shown = cli(*command, "--data", str(folder))
        assert shown.code == 1, command
        assert REFUSED[written] in shown.err and "unexpected" not in shown.err


@pytest.mark.parametrize("written", [str(LATEST_DAY), str(EARLIEST_DAY), "2999-06-30"])
def test_the_ends_of_the_range_work_in_every_command(cli, tmp_path, written) -> None:
    folder = _folder(tmp_path, written)
    assert cli("validate", str(folder)).code == 0
    for command in [*COMMANDS, ("changes", written), ("diff", "kit", "tensorflow")]:
        done = cli(*command, "--data", str(folder), "-f", "json")
        assert done.code == 0, (command, done.err)


def test_a_status_date_with_a_time_is_refused(cli, tmp_path) -> None:
    folder = tmp_path / "d"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "toolkits" / "kit.yaml").write_text(
        "id: kit\nname: Kit\nstatus: {state: ended, date: 2020-01-01 12:00:00, note: Gone.}\n",
        encoding="utf-8",
    )
    done = cli("validate", str(folder))
    assert done.code == 1 and "2020-01-01 12:00:00 has a time of day" in done.out


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_every_timestamp_is_a_day_in_range_or_an_error(moment: dt.datetime) -> None:
    for written in (moment.date().isoformat(), moment.isoformat(), f"{moment:%Y-%m-%d %H:%M}"):
        try:
            value = yamlio.parse(f"date: {written}\n", "e.yaml")["date"]
        except yamlio.YamlError as error:
            assert written in str(error)
            continue
        if isinstance(value, str):  # YAML's text (`2000-01-01 00:00`): the schema refuses it
            with pytest.raises(ValidationError):
                TypeAdapter(Day).validate_python(value)
            continue
        assert type(value) is dt.date and EARLIEST_DAY <= value <= LATEST_DAY

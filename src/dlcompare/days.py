"""What a date in a data file may be: a day (no time of day, no time zone), in a range far from
the ends of the calendar. Checked where files are read (`yamlio`) and by the schema (a date
written as quoted text, or built in Python)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2999, 12, 31)
"""The dates a data file may hold: wide enough for any evaluation, far enough from the end of
the calendar (9999-12-31) that every date computed from one (an age, a staleness limit) is
a date too."""


def day_problem(day: dt.date, written: str) -> str | None:
    """Why `day` (written as `written`) cannot be a date in a data file, or None."""
    if isinstance(day, dt.datetime):
        return f"{written} has a time of day; dates here are days: write {day.date().isoformat()}"
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        return f"{written} is outside the dates dlcompare takes ({EARLIEST_DAY} to {LATEST_DAY})"
    return None


def checked_day(day: dt.date) -> dt.date:
    """`day`, or a ValueError saying why it cannot be a date in a data file."""
    problem = day_problem(day, day.isoformat())
    if problem is not None:
        raise ValueError(problem)
    return day


_WITH_TIME = re.compile(r"\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|\s+[0-9])")


def without_time(value: Any) -> Any:
    """A date given with a time of day (a datetime, or text such as `2030-01-01T10:00`) is
    refused before it is read as a date: even midnight says more than a day."""
    if isinstance(value, dt.datetime):
        raise ValueError(day_problem(value, value.isoformat()))
    if isinstance(value, str) and _WITH_TIME.match(value):
        day = value.strip()[:10].rstrip("Tt ")
        raise ValueError(f"{value} has a time of day; dates here are days: write {day}")
    return value

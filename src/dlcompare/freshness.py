"""How old the information is: ages of editions and ratings relative to today. Pure: today is
passed in (the CLI reads it from `clock.today()`), so every age is reproducible. Imports
nothing of dlcompare: the CLI reads its default at start-up, and every layer may use it."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

DAYS_PER_YEAR = 365.2425
"""The mean Gregorian year: ages in years are days / 365.2425."""

DEFAULT_STALE_AFTER_YEARS = 2.0
"""Ratings older than this are marked stale. Deep-learning toolkits change within months;
the source's own author warned in 2016 that the toolkits had moved on within a year."""


class Ages(NamedTuple):
    """Today's date and the staleness threshold, in years (a rating is stale when its age is
    strictly greater than the threshold)."""

    today: dt.date
    stale_after_years: float = DEFAULT_STALE_AFTER_YEARS

    def days(self, day: dt.date) -> int:
        """Whole days from `day` to today (negative when `day` is after today)."""
        return (self.today - day).days

    def years(self, day: dt.date) -> float:
        return self.days(day) / DAYS_PER_YEAR

    def stale(self, day: dt.date) -> bool:
        return self.years(day) > self.stale_after_years

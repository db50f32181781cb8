"""How old the information is: ages of editions and ratings relative to today. Pure: today is
passed in (the CLI reads it from `clock.today()`), so every age is reproducible."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept light: the CLI imports this module at start-up for the default
    from .dataset import Evaluation
    from .results import Freshness, Ranking
    from .schema import ProjectStatus

DAYS_PER_YEAR = 365.2425
"""The mean Gregorian year: ages in years are days / 365.2425."""

DEFAULT_STALE_AFTER_YEARS = 2.0
"""Ratings older than this are marked stale. Deep-learning toolkits change within months;
the source's own author warned in 2016 that the toolkits had moved on within a year."""


@dataclass(frozen=True)
class Ages:
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

    def info(self) -> Freshness:
        from .results import Freshness

        return Freshness(today=self.today, stale_after_years=self.stale_after_years)


def statuses(evaluation: Evaluation, ids: tuple[str, ...]) -> dict[str, ProjectStatus | None]:
    """The project status of each toolkit, None where the data gives none."""
    by_id = evaluation.dataset.toolkit_by_id
    return {toolkit_id: by_id[toolkit_id].status for toolkit_id in ids}


def annotate_ranking(ranking: Ranking, evaluation: Evaluation, ages: Ages) -> Ranking:
    """The ranking with the edition's age, the date and staleness of every rating it used,
    and each toolkit's project status. Scores and order are untouched."""
    rows = []
    for row in ranking.rows:
        rated_on = {}
        for path in row.contributions:
            since = evaluation.in_force(row.toolkit, path).since
            if since is not None:
                rated_on[path] = since
        stale = tuple(path for path, day in rated_on.items() if ages.stale(day))
        rows.append(row.model_copy(update={"rated_on": rated_on, "stale": stale}))
    from .provenance import notes, spans

    edition = ranking.edition.with_age(ages)
    evaluator = {e.date: e.evaluator for e in evaluation.dataset.editions}
    shown = spans(
        ((evaluator[day], day) for row in rows for day in row.rated_on.values()),
        ages,
    )
    return ranking.model_copy(
        update={
            "edition": edition,
            "freshness": ages.info(),
            "rows": tuple(rows),
            "toolkit_status": statuses(evaluation, tuple(t.id for t in ranking.toolkits)),
            "shown": shown,
            "notes": notes(evaluation.dataset, evaluation.edition, (s.evaluator for s in shown)),
        }
    )

"""Whose ratings a view shows, how old they are, which edition notes hold for them, each
toolkit's project status, and what a view says about a toolkit it names but does not rate.
Pure: no I/O."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from .dataset import Dataset, Evaluation
from .results.base import EditionNote, EvaluatorSpan, Freshness, NotRated, trusted
from .schema import Edition, ProjectStatus, Toolkit

if TYPE_CHECKING:
    from .freshness import Ages
    from .results.ranking import Ranking


def spans(
    dated: Iterable[tuple[str | None, dt.date | None]], ages: Ages | None = None
) -> tuple[EvaluatorSpan, ...]:
    """One entry per evaluator among `dated` (evaluator, edition date of a score shown), with
    the oldest and newest date; ordered by oldest date, then evaluator."""
    found: dict[str, dict[dt.date, int]] = {}  # evaluator -> day -> scores of that day
    for (evaluator, day), count in Counter(dated).items():  # a ranking shows thousands
        if evaluator is not None and day is not None:
            found.setdefault(evaluator, {})[day] = count
    result = []
    for evaluator, days in found.items():
        oldest, newest = min(days), max(days)
        span = EvaluatorSpan.model_construct(
            evaluator=evaluator,
            ratings=sum(days.values()),
            oldest=oldest,
            newest=newest,
            oldest_age_days=ages.days(oldest) if ages is not None else None,
            newest_age_days=ages.days(newest) if ages is not None else None,
            oldest_age_years=ages.years(oldest) if ages is not None else None,
            newest_age_years=ages.years(newest) if ages is not None else None,
            stale=ages.stale(oldest) if ages is not None else None,
        )
        result.append(span)
    return tuple(sorted(result, key=lambda s: (s.oldest, s.evaluator)))


def notes(
    dataset: Dataset, edition: Edition, evaluators: Iterable[str] = ()
) -> tuple[EditionNote, ...]:
    """The edition notes that hold for a view of `edition`: those of its own evaluator's
    editions up to it, and those of every other evaluator in `evaluators` (whose ratings the
    view shows) up to the same date. Oldest first."""
    wanted = {edition.evaluator, *evaluators}
    return tuple(
        EditionNote.model_construct(evaluator=e.evaluator, edition=e.date, text=text)
        for e in dataset.editions
        if e.date <= edition.date and e.evaluator in wanted
        for text in e.notes
    )


def resolution(scores: Iterable[float]) -> float | None:
    """The step the scores are written in: the largest of 1, 0.5, 0.25, 0.1, 0.05 and 0.01
    that every score is a multiple of (else the power of ten of the finest digit); None for
    no scores."""
    values = [Decimal(repr(s)) for s in scores]
    if not values:
        return None
    for step in ("1", "0.5", "0.25", "0.1", "0.05", "0.01"):
        if all(v % Decimal(step) == 0 for v in values):
            return float(step)
    finest = min(int(v.normalize().as_tuple().exponent) for v in values)
    return float(Decimal(1).scaleb(finest))


def difference(right: float, left: float) -> float:
    """right - left, exact at the precision the scores are written in (decimal arithmetic on
    their shortest representation): 4.9 - 4.5 is 0.4, never 0.40000000000000036."""
    return float(Decimal(repr(right)) - Decimal(repr(left)))


def _url_key(url: str) -> str:
    return url.lower().rstrip("/").removesuffix(".git").split("://", 1)[-1]


def successor_of(dataset: Dataset, toolkit: Toolkit) -> Toolkit | None:
    """The toolkit in the data that the status block names as successor: matched by its
    address (repository or homepage), else by name (the part before any parenthesis)."""
    status = toolkit.status
    if status is None or status.successor is None:
        return None
    from .names import toolkit_names

    wanted = _url_key(status.successor.url)
    for other in dataset.toolkits:
        if other.id != toolkit.id and wanted in {
            _url_key(u) for u in (other.repository, other.homepage) if u
        }:
            return other
    names = toolkit_names(dataset)
    name = status.successor.name
    for key in (name, name.split("(")[0]):
        found = names.get(" ".join(key.strip().lower().split()))
        if found is not None and found.id != toolkit.id:
            return found
    return None


def _reason(toolkit: Toolkit) -> str:
    status = toolkit.status
    if status is None or status.state == "active":
        return "not rated"
    if status.state == "ended":
        return f"ended {status.date}" if status.date else "ended"
    return f"inactive since {status.date}"


def _last_rated(evaluation: Evaluation, toolkit_id: str, before: dt.date | None) -> Edition | None:
    """The latest edition before `before` (default: at or before the view's) that scores the
    toolkit on some leaf."""
    dataset = evaluation.dataset
    limit = before if before is not None else evaluation.edition.date + dt.timedelta(days=1)
    for edition in reversed(dataset.editions):
        if edition.date < limit and dataset.evaluation(edition).rates(toolkit_id):
            return edition
    return None


def not_rated(evaluation: Evaluation, toolkit: Toolkit) -> NotRated:
    """What `evaluation` says about a toolkit it names but does not score (see
    `Evaluation.unrated_toolkits`): why, since which edition and by whom, its successor, and
    the latest edition that did rate it. `hints` are left for the command to fill in."""
    dataset = evaluation.dataset
    since: dt.date | None = None
    summary = None
    for leaf in evaluation.leaves:
        found = evaluation.in_force(toolkit.id, leaf.path)
        if found.since is not None and (since is None or found.since > since):
            since = found.since
            summary = found.assessment.summary if found.assessment else None
    last = _last_rated(evaluation, toolkit.id, since)
    successor = successor_of(dataset, toolkit)
    status = toolkit.status
    named = status.successor.name if status and status.successor else None
    return NotRated.model_construct(
        toolkit=toolkit.id,
        name=toolkit.name,
        reason=_reason(toolkit),
        state=status.state if status else None,
        evaluator=dataset.edition_by_date[since].evaluator if since else None,
        since=since,
        summary=summary,
        successor=successor.name if successor is not None else named,
        successor_url=status.successor.url if status and status.successor else None,
        successor_id=successor.id if successor is not None else None,
        last_rated=last.date if last else None,
        last_evaluator=last.evaluator if last else None,
    )


def statuses(evaluation: Evaluation, ids: tuple[str, ...]) -> dict[str, ProjectStatus | None]:
    """The project status of each toolkit, None where the data gives none."""
    by_id = evaluation.dataset.toolkit_by_id
    return {toolkit_id: by_id[toolkit_id].status for toolkit_id in ids}


def annotate_ranking(ranking: Ranking, evaluation: Evaluation, ages: Ages) -> Ranking:
    """The ranking with the edition's age, the staleness of every rating it used (each row's
    `rated_on` holds their dates) and each toolkit's project status. Scores and order are
    untouched."""
    from .results.ranking import RankRow  # here: show and diff create no ranking classes

    rows = []
    stale_on: dict[dt.date, bool] = {}  # a few edition dates, thousands of ratings
    for row in ranking.rows:
        for day in row.rated_on.values():
            if day not in stale_on:
                stale_on[day] = ages.stale(day)
        stale = tuple(path for path, day in row.rated_on.items() if stale_on[day])
        rows.append(trusted(RankRow, {**vars(row), "stale": stale}) if stale else row)
    edition = ranking.edition.with_age(ages)
    evaluator = {e.date: e.evaluator for e in evaluation.dataset.editions}
    shown = spans(
        ((evaluator[day], day) for row in rows for day in row.rated_on.values()),
        ages,
    )
    return ranking.model_copy(
        update={
            "edition": edition,
            "freshness": Freshness.of(ages),
            "rows": tuple(rows),
            "toolkit_status": statuses(evaluation, tuple(t.id for t in ranking.toolkits)),
            "shown": shown,
            "notes": notes(evaluation.dataset, evaluation.edition, (s.evaluator for s in shown)),
        }
    )

"""Which layout lays out which result: `document(result)` hands each result object to the
module of its family of views (shared by the terminal table, Markdown and HTML).

    ratings.py   show (one criterion, one toolkit, the matrix)
    diff.py      diff
    ranking.py   rank, rank --sensitivity
    history.py   history, changes
    catalog.py   list, editions, validate
    report.py    report
    measure.py   measure
    check.py     check, check --links
    common.py    the pieces they share

Each module is imported only when one of its results is laid out.
"""

from __future__ import annotations

from ..results import (
    Catalog,
    EditionChanges,
    EditionList,
    Ranking,
    RatingsView,
    Report,
    ToolkitDiff,
    ToolkitHistory,
    ValidationReport,
)
from .blocks import Document


def document(result: object, *, verbose: bool = False) -> Document:
    """The layout of any result object. A view leads with its answer and what changes it;
    `verbose` (`-v`) adds the reference material (full reasoning, project status, the list
    of source addresses), which a view otherwise leaves out."""
    match result:
        case RatingsView():
            from .ratings import ratings_view

            return ratings_view(result, verbose=verbose)
        case ToolkitDiff():
            from .diff import toolkit_diff

            return toolkit_diff(result, verbose=verbose)
        case Ranking():
            from .ranking import ranking, sensitivity

            if result.sensitivity is None:
                return ranking(result, verbose=verbose)
            return sensitivity(result, verbose=verbose)
        case ToolkitHistory():
            from .history import toolkit_history

            return toolkit_history(result, verbose=verbose)
        case EditionChanges():
            from .history import edition_changes

            return edition_changes(result, verbose=verbose)
        case Catalog():
            from .catalog import catalog

            return catalog(result)
        case EditionList():
            from .catalog import editions

            return editions(result)
        case ValidationReport():
            from .catalog import validation

            return validation(result)
        case Report():
            from .report import layout

            return layout(result)
    # `dlcompare check` and `measure` have their own modules, imported only for their results
    from ..check_results import CheckReport, LinkReport

    if isinstance(result, CheckReport):
        from .check import check_report

        return check_report(result)
    if isinstance(result, LinkReport):
        from .check import link_report

        return link_report(result)
    from ..measure.results import Measurement

    if isinstance(result, Measurement):
        from . import measure

        return measure.layout(result)
    raise TypeError(f"no layout for {type(result).__name__}")

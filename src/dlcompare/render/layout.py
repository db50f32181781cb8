"""Which layout lays out which result: `document(result)` hands each result object to the
module of its family of views (shared by the terminal table, Markdown and HTML).

    ratings.py   show (one criterion, one toolkit, the matrix)
    diff.py      diff
    ranking.py   rank, rank --sensitivity
    history.py   history, changes
    catalog.py   list, editions, validate
    report.py    report
    measure.py   measure
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


def document(result: object) -> Document:
    """The layout of any result object."""
    match result:
        case RatingsView():
            from .ratings import ratings_view

            return ratings_view(result)
        case ToolkitDiff():
            from .diff import toolkit_diff

            return toolkit_diff(result)
        case Ranking():
            from .ranking import ranking, sensitivity

            return ranking(result) if result.sensitivity is None else sensitivity(result)
        case ToolkitHistory():
            from .history import toolkit_history

            return toolkit_history(result)
        case EditionChanges():
            from .history import edition_changes

            return edition_changes(result)
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
    # `dlcompare measure` has its own render module, imported only for its result
    from ..measure.results import Measurement

    if isinstance(result, Measurement):
        from . import measure

        return measure.layout(result)
    raise TypeError(f"no layout for {type(result).__name__}")

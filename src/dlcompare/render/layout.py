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

from .blocks import Document

_PACKAGE = f"{__name__.partition('.')[0]}."
"""`dlcompare.`: a result's module, less this, names its family (`results.views`)."""


def document(result: object, *, verbose: bool = False) -> Document:
    """The layout of any result object. A view leads with its answer and what changes it;
    `verbose` (`-v`) adds the reference material (full reasoning, project status, the list
    of source addresses), which a view otherwise leaves out.

    Results are told apart by their family's module first, so that laying out one result
    imports no other family (its own is loaded already: the result is one of its classes)."""
    match type(result).__module__.removeprefix(_PACKAGE):
        case "results.views":
            from ..results.views import RatingsView, ToolkitDiff

            if isinstance(result, RatingsView):
                from .ratings import ratings_view

                return ratings_view(result, verbose=verbose)
            if isinstance(result, ToolkitDiff):
                from .diff import toolkit_diff

                return toolkit_diff(result, verbose=verbose)
        case "results.ranking":
            from ..results.ranking import Ranking

            if isinstance(result, Ranking):
                from .ranking import ranking, sensitivity

                if result.sensitivity is None:
                    return ranking(result, verbose=verbose)
                return sensitivity(result, verbose=verbose)
        case "results.history":
            from ..results.history import EditionChanges, ToolkitHistory

            if isinstance(result, ToolkitHistory):
                from .history import toolkit_history

                return toolkit_history(result, verbose=verbose)
            if isinstance(result, EditionChanges):
                from .history import edition_changes

                return edition_changes(result, verbose=verbose)
        case "results.catalog":
            from ..results.catalog import Catalog, EditionList, ValidationReport

            if isinstance(result, Catalog):
                from .catalog import catalog

                return catalog(result)
            if isinstance(result, EditionList):
                from .catalog import editions

                return editions(result)
            if isinstance(result, ValidationReport):
                from .catalog import validation

                return validation(result)
        case "results.report":
            from ..results.report import Report

            if isinstance(result, Report):
                from .report import layout

                return layout(result)
        case "results.check":
            from ..results.check import CheckReport, LinkReport

            if isinstance(result, CheckReport):
                from .check import check_report

                return check_report(result)
            if isinstance(result, LinkReport):
                from .check import link_report

                return link_report(result)
        case "measure.results":
            from ..measure.results import Measurement

            if isinstance(result, Measurement):
                from . import measure

                return measure.layout(result)
    raise TypeError(f"no layout for {type(result).__name__}")

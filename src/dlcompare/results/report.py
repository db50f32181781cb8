"""`report`: the whole evaluation as one document, made of the other results."""

from __future__ import annotations

import datetime as dt

from ..schema_version import SCHEMA_VERSION
from .base import EditionInfo, Freshness, Result
from .catalog import Catalog
from .ranking import Ranking
from .views import RatingsView


class Report(Result):
    """`report`: the whole evaluation as one document, composed of the other results.

    Nothing is totalled: the ranking is there only when the user gave weights."""

    schema_version: int = SCHEMA_VERSION
    as_of: dt.date
    edition: EditionInfo
    freshness: Freshness | None = None
    catalog: Catalog
    """The criteria with their descriptions, the scale, and the toolkits with their status."""
    ratings: RatingsView
    """The whole matrix: every toolkit on every leaf criterion, with summaries and sources."""
    ranking: Ranking | None = None
    """The ranking under the user's weights, with how robust its first place is
    (`ranking.sensitivity`); null when no weights were given."""
    resolution: float | None = None
    """The finest step of the scores shown (0.5 when all are half points, 0.1 when one is
    4.9); null when no score is shown."""
    method: str | None = None
    """The edition's method (Markdown) when it is dlcompare's own, shipped with the package
    (`dlcompare method`); null for an edition without one."""

"""Today's date, read in one place so that tests (and reproducible reports) can pin it."""

from __future__ import annotations

import datetime as dt
import os

PIN_VARIABLE = "DLCOMPARE_TODAY"
"""Set to YYYY-MM-DD to make every age and freshness mark reproducible."""


def today() -> dt.date:
    pinned = os.environ.get(PIN_VARIABLE)
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            from .errors import DlcompareError

            raise DlcompareError(f"{PIN_VARIABLE}={pinned!r} is not a date (YYYY-MM-DD)") from None
    return dt.date.today()

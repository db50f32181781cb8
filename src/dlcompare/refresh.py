"""The overlay `check -o DIR` writes: a toolkit file per toolkit whose status `check` could
verify, holding that status block refreshed (the rest of the toolkit is inherited).

A status is verified when every package of the toolkit was read and nothing contradicts the
status (no `inactive` or `released-after-end` finding): then `checked` becomes today, and the
note ends with one sentence of ours giving the latest version and its date, as the index
lists them (a sentence an earlier refresh wrote is replaced, not repeated). A status that no
longer holds is left for a person to judge again: it is not in the overlay.
"""

from __future__ import annotations

import datetime as dt
import re

from .dataset import Dataset
from .results.check import CheckReport, FindingKind, ToolkitCheck
from .schema import ProjectStatus

_OURS = re.compile(r"\s*As of \d{4}-\d{2}-\d{2}, the Python package index lists .*$", re.S)
"""The sentence a refresh adds, with anything after it: removed before a new one is added."""
CONTRADICTING = frozenset(
    {FindingKind.INACTIVE, FindingKind.RELEASED_AFTER_END, FindingKind.UNREACHABLE}
)


def verified(check: ToolkitCheck) -> bool:
    return bool(check.packages) and not any(f.kind in CONTRADICTING for f in check.findings)


def refreshed_note(note: str, check: ToolkitCheck, today: dt.date) -> str:
    latest = "; ".join(
        f"{p.name} {p.latest_version}" + (f" (uploaded {p.latest_date})" if p.latest_date else "")
        for p in check.packages
    )
    return f"{_OURS.sub('', note)} As of {today}, the Python package index lists {latest} as the latest release."


def overlay(dataset: Dataset, report: CheckReport) -> dict[str, str]:
    """`{file name under DIR: its text}`: `toolkits/ID.yaml` per verified toolkit."""
    import yaml

    files: dict[str, str] = {}
    for check in report.toolkits:
        toolkit = dataset.toolkit_by_id.get(check.id)
        if toolkit is None or toolkit.status is None or not verified(check):
            continue
        status: ProjectStatus = toolkit.status.model_copy(
            update={
                "checked": report.today,
                "note": refreshed_note(toolkit.status.note, check, report.today),
            }
        )
        block = status.model_dump(mode="json", exclude_none=True)
        text = yaml.safe_dump(
            {"id": toolkit.id, "status": block},
            sort_keys=False,
            allow_unicode=True,
            width=88,
        )
        header = (
            f"# Written by `dlcompare check -o` on {report.today}: the status of {toolkit.name}, "
            "verified against the package index.\n"
        )
        files[f"toolkits/{toolkit.id}.yaml"] = header + text
    return files

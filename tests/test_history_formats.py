"""`history` in table, Markdown and CSV shows what the toolkit file holds: every rating up to
the edition, with its date and score, checked against the file read with plain PyYAML (an
oracle apart from dlcompare's loader)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter

import pytest
import yaml

from dlcompare.loading import bundled_data_dir

AS_OF = dt.date(2016, 12, 6)


def _expected(toolkit: str) -> list[tuple[str, str, str]]:
    """(criterion path, edition, score as shown) of every numeric rating up to AS_OF."""
    with (bundled_data_dir() / "toolkits" / f"{toolkit}.yaml").open(encoding="utf-8") as file:
        document = yaml.safe_load(file)
    return sorted(
        (path, str(day), f"{float(entry['score']):.1f}")
        for path, dated in document["ratings"].items()
        for day, entry in dated.items()
        if day <= AS_OF and isinstance(entry, dict) and entry.get("score") is not None
    )


def _criterion_names() -> dict[str, str]:
    with (bundled_data_dir() / "criteria.yaml").open(encoding="utf-8") as file:
        criteria = yaml.safe_load(file)["criteria"]
    names = {}
    for c in criteria:
        names[c["id"]] = c["name"]
        for part in c.get("parts", []):
            names[f"{c['id']}.{part['id']}"] = f"{c['name']}: {part['name']}"
    return names


@pytest.mark.parametrize("toolkit", ["tensorflow", "caffe", "torch"])
def test_history_csv_holds_every_rating(cli, toolkit) -> None:
    done = cli("history", toolkit, "--as-of", str(AS_OF), "-f", "csv")
    assert done.code == 0
    rows = list(csv.DictReader(io.StringIO(done.out)))
    shown = sorted(
        (r["criterion"], r["edition"], f"{float(r['score']):.1f}") for r in rows if r["score"]
    )
    assert shown == _expected(toolkit)
    assert {r["toolkit"] for r in rows} == {toolkit}


@pytest.mark.parametrize("toolkit", ["tensorflow", "caffe", "torch"])
@pytest.mark.parametrize(
    ("fmt", "row"),
    [
        ("table", re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d+\.\d)\b", re.M)),
        ("markdown", re.compile(r"^\| (\d{4}-\d{2}-\d{2}) \| (\d+\.\d)\b", re.M)),
    ],
)
def test_history_table_and_markdown_hold_every_rating(cli, monkeypatch, toolkit, fmt, row):
    monkeypatch.setenv("COLUMNS", "160")
    done = cli("history", toolkit, "-v", "--as-of", str(AS_OF), "-f", fmt)
    assert done.code == 0
    expected = _expected(toolkit)
    assert Counter(row.findall(done.out)) == Counter((day, score) for _, day, score in expected)
    # each criterion it rates has its own section, in the order of criteria.yaml
    names = _criterion_names()
    rated = [names[path] for path in dict.fromkeys(p for p, _, _ in sorted(expected))]
    positions = [done.out.find(("## " if fmt == "markdown" else "\n") + name) for name in rated]
    assert all(p >= 0 for p in positions), rated
    order = [names[p] for p in names if names[p] in rated]
    assert sorted(rated, key=lambda n: positions[rated.index(n)]) == order

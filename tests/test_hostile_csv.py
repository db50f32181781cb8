"""Round 3: no CSV cell is ever a spreadsheet formula (the OWASP rule, at the one place CSV
text leaves: `render.csv._cell` through `escape.csv`)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlcompare.render import escape

FORMULA = re.compile(r"\s*[=+\-@]|[\t\r]")
NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


def _is_formula(cell: str) -> bool:
    """What a spreadsheet may run: a cell starting (after white space) with = + - @, or with
    a tab or carriage return, that is not a plain number."""
    return bool(FORMULA.match(cell)) and not NUMBER.match(cell)


def _read_back(field: object) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([field, "x"])
    return next(csv.reader(io.StringIO(buffer.getvalue())))[0]


cells = st.one_of(
    st.text(),
    st.builds(
        lambda lead, start, rest: lead + start + rest,
        st.text(" \t\r\n\u3000\xa0", max_size=3),
        st.sampled_from(list("=+-@\t\r")),
        st.text(),
    ),
    st.floats(allow_nan=False).map(repr),
)


@given(cells)
def test_no_generated_cell_reads_back_as_a_formula(text: str) -> None:
    cell = _read_back(escape.csv(text))
    assert not _is_formula(cell), (text, cell)
    # nothing is lost: the cell is the text made visible, with at most a leading apostrophe
    assert cell.removeprefix("'") == escape.visible(text, keep="\n\t") or cell == escape.visible(
        text, keep="\n\t"
    )


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers())
def test_numbers_stay_numbers(number: float) -> None:
    assert _read_back(escape.csv(repr(number))) == repr(number)  # `-0.5` stays a number


ATTACKS = {
    "name": '=HYPERLINK("http://x.example/","click")',
    "summary": "=cmd|' /C calc'!A0",
    "note": "-2+3+cmd|' /C calc'!A0",
    "evaluator": "@SUM(1+1)",
    "criterion": "+1+1",
    "edition": "\t=1+1",
}


q = json.dumps  # a JSON string is a YAML double-quoted string


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "toolkits" / "evil.yaml").write_text(
        "id: evil\n"
        f"name: {q(ATTACKS['name'])}\n"
        "ratings:\n"
        "  interfaces:\n"
        "    2016-12-06:\n"
        "      score: 5\n"
        f"      summary: {q(ATTACKS['summary'])}\n"
        "      sources: [https://example.org/a_b]\n"
        "  mine:\n"
        f"    2030-01-01: {{score: 2, summary: {q(ATTACKS['summary'])}}}\n",
        encoding="utf-8",
    )
    (folder / "criteria.yaml").write_text(
        "criteria:\n"
        f"  - {{id: mine, name: {q(ATTACKS['criterion'])}, description: {q(ATTACKS['note'])}}}\n",
        encoding="utf-8",
    )
    (folder / "editions.yaml").write_text(
        "editions:\n"
        "  - date: 2030-01-01\n"
        f"    evaluator: {q(ATTACKS['evaluator'])}\n"
        f"    summary: {q(ATTACKS['edition'])}\n"
        f"    notes: [{q(ATTACKS['note'])}]\n",
        encoding="utf-8",
    )
    return folder


COMMANDS = [
    ("list",),
    ("editions",),
    ("show",),
    ("show", "mine"),
    ("show", "evil"),
    ("show", "interfaces", "--as-of", "2016-12-06"),
    ("history", "evil"),
    ("changes", "2030-01-01"),
    ("rank", "-w", "mine=1", "--missing", "drop"),
]
BY_ID = [  # commands that name things by id only: no data text starts a cell
    ("diff", "evil", "tensorflow", "--as-of", "2016-12-06"),
    ("rank", "-w", "mine=1", "-w", "interfaces=1", "--missing", "drop", "--sensitivity"),
]


@pytest.mark.parametrize("command", COMMANDS + BY_ID, ids=" ".join)
def test_no_csv_cell_of_any_command_is_a_formula(cli, hostile, command) -> None:
    done = cli(*command, "--data", str(hostile), "-f", "csv")
    assert done.code == 0, done.err
    rows = list(csv.reader(io.StringIO(done.out)))
    assert len(rows) > 1
    formulas = [cell for row in rows for cell in row if _is_formula(cell)]
    assert not formulas
    # the attacks did reach the output (as text): the test looks at real cells
    if command in COMMANDS:
        assert any(cell.startswith("'") for row in rows for cell in row)


def test_validate_where_and_problem_cells_are_never_formulas(cli, tmp_path) -> None:
    folder = tmp_path / "bad"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "toolkits" / "x.yaml").write_text(
        "id: x\nname: X\nratings:\n  '=1+1':\n    2016-12-06: {score: 3, summary: s}\n",
        encoding="utf-8",
    )
    (folder / "criteria.yaml").write_text("'@bad': 1\n", encoding="utf-8")
    done = cli("validate", "--data", str(folder), "-f", "csv")
    assert done.code == 1
    rows = list(csv.reader(io.StringIO(done.out)))
    assert len(rows) > 1
    assert not [cell for row in rows for cell in row if _is_formula(cell)]

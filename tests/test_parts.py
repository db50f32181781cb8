"""A criterion that gains parts from an edition on (`parts_from`): rated whole before the
date, per part from it; loading rejects a rating on the wrong side of the date; a weight on
the whole is spread over the parts the edition rates; history, changes and diff keep the
whole and the parts apart. Fixtures are built in tmp_path; the last tests read the bundled
`model-deployment`, split on 2026-12-03."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from dlcompare.schema import Criterion

CRITERIA = """\
criteria:
  - id: speed
    name: Speed
    description: How fast.
  - id: reach
    name: Reach
    description: Where a model runs.
    parts_from: 2020-01-01
    parts:
      - {id: server, name: Server, description: On servers.}
      - {id: phone, name: Phone, description: On phones.}
      - {id: web, name: Web, description: In browsers.}
"""
EDITIONS = """\
editions:
  - {date: 2019-01-01, evaluator: Old team, summary: Before the split.}
  - {date: 2020-01-01, evaluator: New team, summary: After the split.}
"""


def toolkit(tid: str, whole: float, parts: dict[str, float | None], speed: float = 3) -> str:
    lines = [
        f"id: {tid}",
        f"name: {tid.title()}",
        "ratings:",
        "  speed:",
        f"    2019-01-01: {{score: {speed}, summary: Speed then.}}",
        "  reach:",
        f"    2019-01-01: {{score: {whole}, summary: The whole then.}}",
    ]
    for part, score in parts.items():
        value = "null" if score is None else score
        lines += [f"  reach.{part}:", f"    2020-01-01: {{score: {value}, summary: {part} now.}}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "toolkits").mkdir(parents=True)
    (data / "criteria.yaml").write_text(CRITERIA, encoding="utf-8")
    (data / "editions.yaml").write_text(EDITIONS, encoding="utf-8")
    (data / "toolkits" / "alpha.yaml").write_text(
        toolkit("alpha", 5, {"server": 4, "phone": 2, "web": None}), encoding="utf-8"
    )
    (data / "toolkits" / "beta.yaml").write_text(
        toolkit("beta", 2, {"server": 3, "phone": 5, "web": None}, speed=4), encoding="utf-8"
    )
    return data


def run(cli, folder: Path, *args: str):
    return cli(*args, "--no-bundled", "--data", str(folder))


def as_json(cli, folder: Path, *args: str) -> Any:
    outcome = run(cli, folder, *args, "-f", "json")
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


# --- schema and loading ---------------------------------------------------------------


def test_parts_from_needs_parts() -> None:
    with pytest.raises(ValidationError, match="parts_from needs parts"):
        Criterion.model_validate(
            {"id": "x", "name": "X", "description": "D.", "parts_from": "2020-01-01"}
        )


def test_the_schema_documents_parts_from(cli) -> None:
    schema = json.loads(cli("schema", "criteria").out)
    field = schema["$defs"]["Criterion"]["properties"]["parts_from"]
    assert "rated per part" in field["description"]


def test_a_split_folder_validates(cli, folder: Path) -> None:
    outcome = cli("validate", str(folder), "--no-bundled")
    assert (outcome.code, outcome.out) == (0, "")


def test_a_whole_rating_on_or_after_the_date_is_an_error(cli, folder: Path) -> None:
    path = folder / "toolkits" / "alpha.yaml"
    path.write_text(
        path.read_text().replace(
            "    2019-01-01: {score: 5, summary: The whole then.}",
            "    2019-01-01: {score: 5, summary: The whole then.}\n"
            "    2020-01-01: {score: 4, summary: The whole now.}",
        )
    )
    outcome = cli("validate", str(folder), "--no-bundled")
    assert outcome.code == 1
    assert f"{path}:" in outcome.out and "ratings › reach › 2020-01-01" in outcome.out
    assert "'reach' is rated per part from the edition of 2020-01-01 on" in outcome.out
    assert "reach.server, reach.phone, reach.web" in outcome.out


def test_a_part_rating_before_the_date_is_an_error(cli, folder: Path) -> None:
    path = folder / "toolkits" / "beta.yaml"
    path.write_text(
        path.read_text().replace(
            "  reach.web:\n", "  reach.web:\n    2019-01-01: {score: 1, summary: Too early.}\n"
        )
    )
    outcome = cli("validate", str(folder), "--no-bundled")
    assert outcome.code == 1
    assert f"{path}:" in outcome.out and "ratings › reach.web › 2019-01-01" in outcome.out
    assert "a part only from the edition of 2020-01-01 on" in outcome.out
    # the same data loaded by a view is the same clear error, exit 1, no traceback
    shown = run(cli, folder, "show")
    assert shown.code == 1 and "reach.web" in shown.err and "Traceback" not in shown.err


def test_an_overlay_may_split_a_whole_criterion_from_an_edition_on(
    cli, tmp_path: Path, folder: Path
) -> None:
    base = tmp_path / "base"
    (base / "toolkits").mkdir(parents=True)
    (base / "criteria.yaml").write_text(
        "criteria:\n  - {id: speed, name: Speed, description: How fast.}\n"
        "  - {id: reach, name: Reach, description: Where.}\n",
        encoding="utf-8",
    )
    (base / "editions.yaml").write_text(EDITIONS, encoding="utf-8")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "criteria.yaml").write_text(CRITERIA, encoding="utf-8")
    split = cli("show", "reach", "--no-bundled", "--data", str(base), "--data", str(overlay))
    assert split.code == 0, split.err
    # moving the date of a split is not allowed: the ratings on either side would change
    (base / "criteria.yaml").write_text(CRITERIA, encoding="utf-8")
    (overlay / "criteria.yaml").write_text(
        CRITERIA.replace("parts_from: 2020-01-01", "parts_from: 2019-01-01"), encoding="utf-8"
    )
    moved = cli("show", "reach", "--no-bundled", "--data", str(base), "--data", str(overlay))
    assert moved.code == 1
    assert "from 2019-01-01 here" in moved.err and "from 2020-01-01 there" in moved.err


# --- the leaves of each edition ---------------------------------------------------------


def test_each_edition_shows_its_own_leaves(cli, folder: Path) -> None:
    before = as_json(cli, folder, "show", "reach", "--as-of", "2019-01-01")
    assert [c["id"] for c in before["criteria"]] == ["reach"]
    after = as_json(cli, folder, "show", "reach")
    assert [c["id"] for c in after["criteria"]] == ["reach.server", "reach.phone", "reach.web"]
    matrix = as_json(cli, folder, "show")
    assert "reach" not in {r["criterion"] for r in matrix["ratings"]}
    early = run(cli, folder, "show", "reach.web", "--as-of", "2019-01-01")
    assert early.code == 1
    assert "the edition of 2019-01-01 rates reach as a whole" in early.err
    assert "dlcompare show reach --as-of 2019-01-01" in early.err
    listed = as_json(cli, folder, "list", "--as-of", "2019-01-01")
    [reach] = [c for c in listed["criteria"] if c["id"] == "reach"]
    assert (reach["parts"], reach["parts_from"]) == ([], "2020-01-01")


def test_the_weights_template_uses_the_leaves_of_the_edition(cli, folder: Path) -> None:
    now = run(cli, folder, "weights", "init").out
    assert "reach:\n" in now and "  server: 0" in now and "spread equally" in now
    then = run(cli, folder, "weights", "init", "--as-of", "2019-01-01").out
    assert "reach: 0" in then and "server" not in then


# --- weights ---------------------------------------------------------------------------


def test_a_weight_on_the_whole_is_spread_exactly_over_the_rated_parts(cli, folder: Path) -> None:
    doc = as_json(cli, folder, "rank", "-w", "reach=1", "-w", "speed=1", "--as-of", "2020-01-01")
    # nobody is rated on reach.web: the weight is spread over server and phone only
    assert doc["spread"] == {
        "reach": {"weight": 1.0, "share": 0.5, "parts": ["reach.server", "reach.phone"]}
    }
    assert doc["shares"] == {"speed": 0.5, "reach.server": 0.25, "reach.phone": 0.25}
    assert doc["weights"] == {"speed": 1.0, "reach.server": 0.5, "reach.phone": 0.5}
    rows = {r["toolkit"]: r for r in doc["rows"]}
    # alpha: (3 + (4 + 2) / 2) / 2 = 3; beta: (4 + (3 + 5) / 2) / 2 = 4
    assert (rows["alpha"]["score"], rows["beta"]["score"]) == (3.0, 4.0)
    table = " ".join(run(cli, folder, "rank", "-w", "reach=1", "-w", "speed=1").out.split())
    assert "Weights: speed 50 %, reach 50 % = server 25 %, phone 25 %" in table


def test_thirds_are_correctly_rounded_shares(cli, tmp_path: Path, folder: Path) -> None:
    for name in ("alpha", "beta"):
        path = folder / "toolkits" / f"{name}.yaml"
        path.write_text(path.read_text().replace("null", "1"))
    doc = as_json(cli, folder, "rank", "-w", "reach=2", "-w", "speed=0.1")
    total = Fraction(2) + Fraction(0.1)
    part = Fraction(2) / 3 / total
    assert doc["shares"]["reach.server"] == float(part)
    assert doc["spread"]["reach"]["share"] == float(Fraction(2) / total)
    assert doc["shares"]["speed"] == float(Fraction(0.1) / total)
    # alpha: server 4, phone 2, web 1, speed 3
    alpha = next(r for r in doc["rows"] if r["toolkit"] == "alpha")
    expected = (Fraction(2) / 3 * (4 + 2 + 1) + Fraction(0.1) * 3) / total
    assert alpha["score"] == float(expected)


def test_a_weight_on_the_whole_before_the_split_weighs_the_whole(cli, folder: Path) -> None:
    doc = as_json(cli, folder, "rank", "-w", "reach=2", "--as-of", "2019-01-01")
    assert doc["shares"] == {"reach": 1.0} and doc["spread"] == {}
    assert [r["toolkit"] for r in doc["rows"]] == ["alpha", "beta"]


def test_a_weight_on_a_part_before_the_split_is_an_error(cli, folder: Path) -> None:
    outcome = run(cli, folder, "rank", "-w", "reach.web=1", "--as-of", "2019-01-01")
    assert outcome.code == 1
    assert "the edition of 2019-01-01 rates reach as a whole" in outcome.err
    assert "weight reach instead" in outcome.err
    # a zero weight on it (a template written for a later edition) changes nothing
    fine = as_json(
        cli, folder, "rank", "-w", "reach.web=0", "-w", "speed=1", "--as-of", "2019-01-01"
    )
    assert fine["shares"] == {"speed": 1.0}


def test_whole_and_part_together_are_an_error(cli, folder: Path, tmp_path: Path) -> None:
    both = run(cli, folder, "rank", "-w", "reach=1", "-w", "reach.server=1")
    assert both.code == 1 and "whole or by its parts" in both.err
    weights = tmp_path / "w.yaml"
    weights.write_text("reach: 1\nreach.server: 2\n", encoding="utf-8")
    in_file = run(cli, folder, "rank", "--weights", str(weights))
    assert in_file.code == 1 and "whole or by its parts" in in_file.err
    # an option replaces the file's weight on that criterion, whole or by parts
    weights.write_text("reach: {server: 2}\nspeed: 1\n", encoding="utf-8")
    doc = as_json(cli, folder, "rank", "--weights", str(weights), "-w", "reach=1")
    assert doc["spread"]["reach"]["weight"] == 1.0 and "reach.server" in doc["weights"]


def test_no_part_rated_is_an_error(cli, folder: Path) -> None:
    outcome = run(cli, folder, "rank", "-w", "reach.web=1")
    assert outcome.code == 1 and "no toolkit is rated on reach.web" in outcome.err


# --- history, changes, diff across the split -------------------------------------------


def test_history_keeps_the_whole_and_the_parts_apart(cli, folder: Path) -> None:
    doc = as_json(cli, folder, "history", "alpha", "reach")
    items = {item["criterion"]: item for item in doc["history"]}
    assert list(items) == ["reach", "reach.server", "reach.phone", "reach.web"]
    assert [(e["edition"], e["score"]) for e in items["reach"]["entries"]] == [("2019-01-01", 5)]
    server = items["reach.server"]["entries"]
    assert [(e["edition"], e["score"], e["change"]) for e in server] == [("2020-01-01", 4, "added")]
    assert server[0]["previous_score"] is None  # never a step from the whole's 5
    assert all(item["split"]["parts_from"] == "2020-01-01" for item in items.values())
    text = " ".join(run(cli, folder, "history", "alpha", "reach", "-v").out.split())
    assert "Rated whole up to the edition of 2020-01-01; from it on rated per part" in text
    assert "(Server, Phone, Web)" in text
    assert "A part from the edition of 2020-01-01 on" in text
    assert "was 5" not in text
    # before the split: the whole only, and a part named there is a clear error
    then = as_json(cli, folder, "history", "alpha", "reach", "--as-of", "2019-01-01")
    assert [i["criterion"] for i in then["history"]] == ["reach"]
    assert then["history"][0]["split"] is None
    early = run(cli, folder, "history", "alpha", "reach.web", "--as-of", "2019-01-01")
    assert early.code == 1 and "a part only from the edition of 2020-01-01" in early.err
    assert "dlcompare history alpha reach --as-of 2019-01-01" in early.err


def test_changes_report_the_split(cli, folder: Path) -> None:
    doc = as_json(cli, folder, "changes", "2020-01-01")
    assert doc["splits"] == [
        {
            "criterion": "reach",
            "parts": ["reach.server", "reach.phone", "reach.web"],
            "parts_from": "2020-01-01",
        }
    ]
    kinds = {(c["toolkit"], c["criterion"]): c["change"] for c in doc["changes"]}
    assert kinds[("alpha", "reach.server")] == "added"
    assert kinds[("alpha", "reach.web")] == "unrated"
    assert not any(criterion == "reach" for _, criterion in kinds)
    text = " ".join(run(cli, folder, "changes", "2020-01-01").out.split())
    assert "Reach is rated per part from this edition on (Server, Phone, Web)" in text
    assert as_json(cli, folder, "changes", "2019-01-01")["splits"] == []


def test_diff_across_the_split_labels_both_sides(cli, folder: Path) -> None:
    doc = as_json(cli, folder, "diff", "alpha@2019-01-01", "alpha")
    rows = {r["criterion"]: r for r in doc["rows"]}
    assert list(rows) == ["speed", "reach", "reach.server", "reach.phone", "reach.web"]
    assert rows["reach"]["not_in_edition"] == ["right"] and rows["reach"]["left"] == 5
    assert rows["reach.server"]["not_in_edition"] == ["left"]
    assert rows["reach.server"]["right"] == 4
    assert all(rows[p]["delta"] is None for p in ("reach", "reach.server"))
    assert [s["criterion"] for s in doc["splits"]] == ["reach"]
    text = " ".join(run(cli, folder, "diff", "alpha@2019-01-01", "alpha").out.split())
    assert "Reach is rated whole before the edition of 2020-01-01 and per part" in text
    assert "per part (below)" in text and "rated whole (above)" in text
    table = run(cli, folder, "diff", "alpha@2019-01-01", "alpha", "-f", "csv").out
    csv_rows = {r["criterion"]: r for r in csv.DictReader(io.StringIO(table))}
    assert csv_rows["reach"]["not_in_edition"] == "right"
    assert csv_rows["reach.web"]["not_in_edition"] == "left"
    assert csv_rows["speed"]["not_in_edition"] == ""
    same = as_json(cli, folder, "diff", "alpha", "beta")
    assert same["splits"] == [] and all(not r["not_in_edition"] for r in same["rows"])


# --- the bundled model-deployment ------------------------------------------------------

PARTS = ("model-deployment.server", "model-deployment.mobile-edge", "model-deployment.browser")


def test_bundled_deployment_is_whole_in_the_source_and_in_parts_today(cli) -> None:
    source = json.loads(cli("show", "model-deployment", "--as-of", "2016-12-06", "-f", "json").out)
    assert [c["id"] for c in source["criteria"]] == ["model-deployment"]
    today = json.loads(cli("show", "model-deployment", "-f", "json").out)
    assert tuple(c["id"] for c in today["criteria"]) == PARTS
    assert {r["toolkit"] for r in today["ratings"]} == {
        "jax",
        "keras",
        "mindspore",
        "mlx",
        "paddlepaddle",
        "pytorch",
        "tensorflow",
        "tinygrad",
    }
    assert all(r["score"] is not None for r in today["ratings"])


def test_bundled_weights_on_deployment(cli) -> None:
    args = ("rank", "-w", "model-deployment=2", "-w", "interfaces=3")
    text = " ".join(cli(*args).out.split())
    assert (
        "Weights: interfaces 60 %, model-deployment 40 % = server 13 %, mobile-edge 13 %, "
        "browser 13 %" in text
    )
    doc = json.loads(cli(*args, "-f", "json").out)
    assert doc["spread"]["model-deployment"]["parts"] == list(PARTS)
    assert all(doc["shares"][p] == float(Fraction(2, 15)) for p in PARTS)
    whole = json.loads(cli(*args, "--as-of", "2016-12-06", "-f", "json").out)
    assert whole["shares"] == {"interfaces": 0.6, "model-deployment": 0.4}
    browser = cli("rank", "-w", "model-deployment.browser=1", "--as-of", "2016-12-06")
    assert browser.code == 1 and "weight model-deployment instead" in browser.err
    performance = json.loads(cli("rank", "-w", "performance=1", "-f", "json").out)
    assert performance["spread"]["performance"]["parts"] == [
        "performance.single-gpu",
        "performance.multi-gpu",
    ]


def test_bundled_history_and_changes_across_the_split(cli) -> None:
    doc = json.loads(cli("history", "tensorflow", "model-deployment", "-f", "json").out)
    items = {item["criterion"]: item["entries"] for item in doc["history"]}
    assert tuple(items) == ("model-deployment", *PARTS)
    assert all(e["edition"] <= "2016-12-06" for e in items["model-deployment"])
    assert all([e["edition"] for e in items[p]] == ["2026-12-03"] for p in PARTS)
    assert all(items[p][0]["previous_score"] is None for p in PARTS)
    changes = json.loads(cli("changes", "2026-12-03", "-f", "json").out)
    assert [s["criterion"] for s in changes["splits"]] == ["model-deployment"]

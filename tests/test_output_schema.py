"""`dlcompare schema output [COMMAND]`: one JSON shape per command. Every command's JSON, with
and without each of its options, validates against the one schema printed for it, and the
schema allows no key it does not declare (so an option that moved a key would fail)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlcompare.outputs import COMMANDS, output_schema

from .schema_check import Invalid, validate

SOURCE_LAST = ("--as-of", "2016-12-06")
RANK = ("rank", "-w", "interfaces=1", "-w", "model-deployment=2")
SAMPLED = ("--sensitivity", "--samples", "50")

RUNS: list[tuple[str, ...]] = [
    ("list",),
    ("list", "--verbose"),
    ("list", *SOURCE_LAST),
    ("editions",),
    ("validate",),
    ("show",),
    ("show", "performance"),
    ("show", "tf"),
    ("show", "theano", *SOURCE_LAST),
    ("show", "--stale-after", "0"),
    ("diff", "tensorflow", "pytorch"),
    ("diff", "tf@2015-11-20", "tf@2016-05-11"),
    ("diff", "theano", "pytorch"),
    (*RANK,),
    (*RANK, *SOURCE_LAST),
    (*RANK, "--missing", "partial", *SOURCE_LAST),
    (*RANK, *SAMPLED),
    (*RANK, *SAMPLED, "--rating-noise", "--uncertainty", "0.1", "--seed", "3"),
    (*RANK, *SAMPLED, "--missing", "partial", *SOURCE_LAST),
    ("rank", "-w", "performance.single-gpu=1", *SAMPLED, *SOURCE_LAST),  # a tie for first
    ("history", "tensorflow"),
    ("history", "tf", "performance.single-gpu"),
    ("changes",),
    ("changes", "2016-05-11"),
    ("report",),
    ("report", "-w", "interfaces=1", *SOURCE_LAST),
]


def json_of(cli, args: tuple[str, ...]) -> object:
    done = cli(*args, "--format", "json")
    assert done.code in (0, 1), done.err
    return json.loads(done.out)


@pytest.mark.parametrize("args", RUNS, ids=" ".join)
def test_every_command_s_json_validates_against_its_schema(cli, args: tuple[str, ...]) -> None:
    validate(json_of(cli, args), output_schema(args[0]))


def test_validate_with_problems_has_the_same_shape(cli, tmp_path: Path) -> None:
    (tmp_path / "toolkits").mkdir()
    (tmp_path / "toolkits" / "x.yaml").write_text("id: x\nname: X\nratings: {interfaces: 3}\n")
    done = cli("validate", str(tmp_path), "--format", "json")
    assert done.code == 1
    document = json.loads(done.out)
    assert document["problems"]
    validate(document, output_schema("validate"))


def test_measure_json_validates(cli) -> None:
    done = cli("measure", "--only", "jax", "--steps", "8", "--batch-size", "4", "-f", "json")
    assert done.code == 0, done.err
    validate(json.loads(done.out), output_schema("measure"))


def test_the_schema_refuses_a_moved_or_missing_key(cli) -> None:
    """The negative control: the checks above can fail. The JSON of `rank --sensitivity` as
    schema_version 2 printed it (the ranking moved under `ranking`) does not validate, nor
    does a document with a key left out or a value of the wrong type."""
    schema = output_schema("rank")
    document = json_of(cli, (*RANK, *SAMPLED))
    assert isinstance(document, dict)
    validate(document, schema)
    moved = {k: v for k, v in document.items() if k not in ("rows", "sensitivity")}
    old = {"ranking": {**moved, "rows": document["rows"]}, **document["sensitivity"]}
    with pytest.raises(Invalid):
        validate(old, schema)
    for key in document:
        with pytest.raises(Invalid, match=key):
            validate({k: v for k, v in document.items() if k != key}, schema)
    with pytest.raises(Invalid, match="first"):
        validate({**document, "sensitivity": {**document["sensitivity"], "first": "x"}}, schema)


def test_schema_output_prints_each_command_s_schema(cli) -> None:
    done = cli("schema", "output", "rank")
    assert done.code == 0, done.err
    schema = json.loads(done.out)
    assert schema == output_schema("rank")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "rows" in schema["required"] and "sensitivity" in schema["required"]
    every = json.loads(cli("schema", "output").out)
    assert list(every) == list(COMMANDS)
    assert every["show"] == output_schema("show")


def test_schema_output_names_the_commands_it_knows(cli) -> None:
    done = cli("schema", "output", "weights")
    assert done.code == 1
    assert "no JSON output for 'weights'" in done.err and "rank" in done.err
    assert cli("schema", "toolkit", "rank").code == 2


def test_every_command_with_a_json_format_has_a_schema(cli) -> None:
    listed = cli("--help").out
    for command in COMMANDS:
        assert f"  {command} " in listed or f"  {command}\n" in listed, command
        assert "json" in cli(command, "--help").out

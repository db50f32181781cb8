"""Shortcuts taken for speed give what the plain computation gives."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import dlcompare


def test_timelines_hold_every_assessment_in_date_order(bundled):
    # against the toolkit files as pydantic validates them, not through the dataset's columns
    import yaml

    from dlcompare.loading import bundled_data_dir
    from dlcompare.schema import ToolkitFile

    files = {}
    for path in sorted((bundled_data_dir() / "toolkits").glob("*.yaml")):
        toolkit = ToolkitFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        files[toolkit.id] = toolkit
    assert {t.id for t in bundled.toolkits} == set(files)
    for toolkit in bundled.toolkits:
        for leaf in bundled.leaves:
            timeline = bundled.timeline(toolkit.id, leaf.path)
            ratings = files[toolkit.id].ratings.get(leaf.path)
            if ratings is None:
                assert timeline is None
                continue
            assert timeline is not None
            assert list(timeline.dates) == sorted(ratings)
            built = timeline.assessments
            assert built == tuple(ratings[day] for day in timeline.dates)
            for made, read in zip(built, (ratings[day] for day in timeline.dates), strict=True):
                assert made.model_dump() == read.model_dump()
                assert made.model_fields_set <= read.model_fields_set
        assert bundled.rated_toolkit(toolkit).model_dump() == files[toolkit.id].model_dump()
    assert bundled.timeline("no-such-toolkit", "interfaces") is None
    assert bundled.timeline("torch", "no-such-criterion") is None


def test_first_seen_is_the_earliest_assessment(bundled):
    for toolkit in bundled.toolkits:
        days = [day for entries in bundled.assessments(toolkit.id).values() for day in entries]
        if days:
            assert bundled.first_seen[toolkit.id] == min(days)
        else:  # listed with its status only (mxnet, chainer)
            assert toolkit.id not in bundled.first_seen
    assert bundled.first_seen["caffe"] > bundled.first_seen["torch"]  # caffe joined later


def test_the_version_is_found_on_demand(cli):
    assert dlcompare.__version__ and dlcompare.__version__ != "0+unknown"
    outcome = cli("--version")
    assert outcome.code == 0
    assert outcome.out.strip() == f"dlcompare {dlcompare.__version__}"


def test_help_needs_no_data_models():
    code = (
        "import sys\n"
        "from dlcompare.__main__ import run\n"
        "assert run(['--help']) == 0\n"
        "print(sorted(m for m in sys.modules if m in ('pydantic.main', 'dlcompare.schema')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_other_commands_never_load_the_measure_package(fmt):
    code = (
        "import sys\n"
        "from dlcompare.__main__ import run\n"
        f"assert run(['show', 'performance', '-f', '{fmt}']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('dlcompare.measure')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _entry_point(tmp_path, *args: str) -> tuple[int, str, str]:
    out = tmp_path / "out.txt"
    with out.open("w") as file:
        done = subprocess.run(
            [sys.executable, "-m", "dlcompare", *args],
            stdout=file,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    return done.returncode, out.read_text(encoding="utf-8"), done.stderr


def test_the_entry_point_leaves_with_the_code_and_the_whole_output(tmp_path):
    # main() ends with os._exit: the exit code and every byte of output must survive it
    code, out, err = _entry_point(tmp_path, "show", "performance", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["kind"] == "criterion"
    code, out, err = _entry_point(tmp_path, "show", "no-such-thing")
    assert (code, out) == (1, "")
    assert "no-such-thing" in err
    code, out, err = _entry_point(tmp_path, "rank")
    assert code == 2
    assert "rank needs your weights" in err


def test_the_yaml_reader_builds_what_pyyaml_builds():
    import yaml

    from dlcompare import yamlio
    from dlcompare.loading import bundled_data_dir

    files = sorted(bundled_data_dir().rglob("*.yaml"))
    assert len(files) >= 7
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yamlio.parse(text, path) == yaml.safe_load(text)
    merged = "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  z: 3\nshared: *b\n"
    assert yamlio.parse(merged, "m") == yaml.safe_load(merged)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: 1\na: 2\n", "line 2, column 1: duplicate key 'a'"),
        ("base: &b {x: 1}\nd:\n  <<: *b\n  x: 3\n  x: 4\n", "duplicate key 'x'"),
        ("? [1, 2]\n: 3\n", "a mapping key must be a plain value"),
        ("&a {x: *a}\n", "recursive"),
    ],
)
def test_the_yaml_reader_still_refuses(text, problem):
    from dlcompare import yamlio

    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.parse(text, "f.yaml")
    assert problem in str(caught.value)
    assert str(caught.value).startswith("f.yaml: ")


# --- the one-pass YAML reader ---------------------------------------------------------------

PLAIN_TOKENS = [
    *("interfaces", "score", "summary", "~", "null", "Null", "yes", "No", "on", "OFF", "true"),
    *("0", "-0", "007", "0x1F", "0o17", "0b101", "1_000", "+12", "1:30", "190:20:30"),
    *("1.5", "-0.0", "1_0.5", ".5", "1.", "1.5e+3", "1e3", ".inf", "-.INF", ".nan", "1:30.5"),
    *("2016-05-11", "2016-5-1", "2015-13-40", "2016-05-11T10:20:30Z", "2016-05-11 1:2:3.5"),
    *("9999-12-31", "1899-12-31", "2999-12-31", "1900-01-01"),
    *("<<", "=", "!", "&a ", "*a", "!!str ", "!!int ", "!x ", "? "),
    *(": ", ":", "\n", "  ", "- ", "[", "]", "{", "}", ", ", "'q'", '"d\\t"', "# c", "|\n  t"),
    *("---\n", "...\n", "é", "\u2028", "\x85"),
]
"""Every implicit type of YAML 1.1 with its edge cases, and everything the one-pass reader
leaves to the full loader (anchors, aliases, tags, merge keys, several documents)."""

yaml_text = st.lists(st.sampled_from(PLAIN_TOKENS), max_size=30).map("".join)


def _full(text: str) -> Any:
    """The full loader's result, or its error message."""
    from dlcompare import yamlio

    try:
        yamlio._check_events(text, "f.yaml")
        return yaml.load(text, Loader=yamlio._Loader)
    except (yaml.YAMLError, yamlio.YamlError) as error:
        return f"error: {error}"


def _typed(value: Any) -> Any:
    """A value with the type of every part, so that 1 == 1.0 == True do not pass for each
    other, nor 0.0 for -0.0, nor nan for nothing."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else math.copysign(1, value), repr(value))
    return (type(value).__name__, repr(value))


@settings(max_examples=600, deadline=None)
@given(text=yaml_text)
def test_the_one_pass_reader_builds_what_the_full_loader_builds(text):
    from dlcompare import yamlio

    fast = yamlio._plain_document(text)
    if fast is yamlio._NOT_PLAIN:
        return  # left to the full loader: parse() is the full loader then
    full = _full(text)
    assert not (isinstance(full, str) and full.startswith("error: ")), (text, full)
    assert _typed(fast) == _typed(full), text


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [yes, ~, 010, 1_000, -0.0, 1.5, 2016-05-11, 2016-5-1, '3']\n",
        "ratings:\n  interfaces:\n    2016-05-11:\n      score: 4.5\n      sources: [https://x.org]\n",
        "- {a: 1.5e+3, b: 1.}\n- [[], {}]\n- ''\n",
        "",
        "# only a comment\n",
        "plain text\n",
        "date: 2999-12-31\n",
    ],
)
def test_plain_documents_take_the_one_pass_reader(text):
    from dlcompare import yamlio

    fast = yamlio._plain_document(text)
    assert fast is not yamlio._NOT_PLAIN
    assert _typed(fast) == _typed(_full(text))


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchor and alias
        "base: {x: 1}\nd:\n  <<: {y: 2}\n",  # merge key
        "a: !!str 3\n",  # explicit tag
        "a: 1\na: 2\n",  # duplicate key: the full loader says where
        "? [1]\n: 2\n",  # a collection as a key
        "a: 2015-13-40\n",  # not a date: the full loader says so
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [\n",  # broken
        "a: =\n",  # YAML's value key
        "[" * 41 + "]" * 41,  # too deep
    ],
)
def test_everything_else_is_left_to_the_full_loader(text):
    from dlcompare import yamlio

    assert yamlio._plain_document(text) is yamlio._NOT_PLAIN


def test_printable_text_has_no_hidden_character():
    # `hidden_characters` answers [] for printable text without looking at each character:
    # true for every code point.
    from dlcompare.lookalike import _hidden

    assert not [hex(c) for c in range(0x110000) if chr(c).isprintable() and _hidden(chr(c))]


def test_the_address_pattern_finds_every_space():
    from dlcompare.schema import _NOT_IN_URL

    spaces = {c for c in range(0x110000) if chr(c).isspace()}
    assert {c for c in range(0x110000) if _NOT_IN_URL.match(chr(c))} == spaces | {
        ord(c) for c in '<>"`{}|\\^'
    }


def test_the_rows_split_from_the_text_columns_are_not_stored(bundled):
    import pickle

    before = pickle.dumps(bundled.ratings)
    assert bundled.assessments("tensorflow")  # splits the text columns into rows
    assert "_texts" in vars(bundled.ratings)
    assert pickle.dumps(bundled.ratings) == before


def test_texts_holding_any_character_come_back_whole():
    # YAML escapes give any character ("\0" too): the columns' separators are ones no text holds
    from dlcompare.dataset import Dataset
    from dlcompare.schema import Assessment, Criterion, Edition, RatedToolkit, Scale

    day = dt.date(2020, 1, 1)
    texts = ["\x00", "\x01", "a\x00b\x01c", "a b", "\x02\x03"]
    toolkits = [
        RatedToolkit(
            id=f"t{i}",
            name=f"T{i}",
            ratings={
                "c": {day: Assessment(score=1.0, summary=f"s{text}", notes=(text, f"n{text}"))}
            },
        )
        for i, text in enumerate(texts)
    ]
    criteria = (Criterion(id="c", name="C", description="made up"),)
    edition = Edition(date=day, url="https://example.org/e", evaluator="e", summary="made up")
    dataset = Dataset.of(Scale(), criteria, (edition,), toolkits)
    for toolkit, text in zip(toolkits, texts, strict=True):
        (assessment,) = dataset.assessments(toolkit.id)["c"].values()
        assert assessment.summary == f"s{text}"
        assert assessment.notes == (text, f"n{text}")
    assert {dataset.ratings.row, dataset.ratings.item}.isdisjoint("".join(texts))


@pytest.mark.parametrize(
    ("args", "families"),
    [
        (["show", "performance"], ["base", "views"]),
        (["diff", "tensorflow", "torch"], ["base", "views"]),
        (["rank", "-w", "interfaces=1"], ["base", "ranking"]),
        (["history", "tensorflow"], ["base", "history", "views"]),
        (["list"], ["base", "catalog"]),
    ],
)
def test_a_command_creates_only_the_results_it_shows(args, families):
    """Results live in one module per family (`dlcompare.results`): a command imports its own
    families only, and `show` and `diff` none of the ranking's code."""
    code = (
        "import sys\n"
        "from dlcompare.__main__ import run\n"
        f"assert run({args!r}) == 0\n"
        "print(sorted(m.rpartition('.')[2] for m in sys.modules"
        " if m.startswith('dlcompare.results.')))\n"
        "print(sorted(m for m in ('dlcompare.scoring', 'dlcompare.sensitivity') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, ranking = done.stdout.strip().splitlines()[-2:]
    assert loaded == str(families)
    assert ranking == ("['dlcompare.scoring']" if args[0] == "rank" else "[]")

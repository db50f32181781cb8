"""Shortcuts taken for speed give what the plain computation gives."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import dlcompare


def test_timelines_hold_every_assessment_in_date_order(bundled):
    for toolkit in bundled.toolkits:
        for leaf in bundled.leaves:
            timeline = bundled.timeline(toolkit.id, leaf.path)
            ratings = toolkit.ratings.get(leaf.path)
            if ratings is None:
                assert timeline is None
                continue
            assert timeline is not None
            assert list(timeline.dates) == sorted(ratings)
            assert timeline.assessments == tuple(ratings[day] for day in timeline.dates)
    assert bundled.timeline("no-such-toolkit", "interfaces") is None
    assert bundled.timeline("torch", "no-such-criterion") is None


def test_first_seen_is_the_earliest_assessment(bundled):
    for toolkit in bundled.toolkits:
        days = [day for entries in toolkit.ratings.values() for day in entries]
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

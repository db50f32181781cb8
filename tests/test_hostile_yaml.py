"""Hostile input, class "YAML corner cases": a merge key overridden by a written key is
allowed (YAML's rule), two written keys still clash, and a key too long for YAML says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlcompare import yamlio


@pytest.mark.parametrize(
    "text, expected",
    [
        ("b: &b {score: 1, summary: s}\nr:\n  <<: *b\n  score: 2\n", {"score": 2, "summary": "s"}),
        ("b: &b {x: 1}\nc: &c {x: 2, y: 3}\nr:\n  <<: [*b, *c]\n  y: 4\n", {"x": 1, "y": 4}),
        ("b: &b {x: 1}\nr:\n  x: 0\n  <<: *b\n", {"x": 0}),  # written first, merge after
    ],
)
def test_a_written_key_overrides_a_merged_one(text: str, expected: dict[str, int]) -> None:
    assert yamlio.parse(text, "f")["r"] == expected


@pytest.mark.parametrize(
    "text",
    ["b: &b {x: 1}\nr:\n  <<: *b\n  x: 2\n  x: 3\n", "a: 1\na: 2\n", "r: {x: 1, x: 2}\n"],
)
def test_two_written_keys_still_clash(text: str) -> None:
    with pytest.raises(yamlio.YamlError, match="duplicate key"):
        yamlio.parse(text, "f")


@pytest.mark.parametrize(
    "key", ["k" * 1025, "k" * 1_000_000, "'" + "q" * 2000 + "'", "  - " + "k" * 5000]
)
def test_a_key_too_long_says_so(key: str) -> None:
    with pytest.raises(yamlio.YamlError, match="too long; YAML reads a key of at most 1,024") as e:
        yamlio.parse(f"a: 1\n{key}: 2\n", "f")
    assert len(str(e.value)) < 300  # the key itself is not quoted


def test_a_merged_assessment_in_a_toolkit_file(cli, tmp_path: Path) -> None:
    folder = tmp_path / "d" / "toolkits"
    folder.mkdir(parents=True)
    (folder / "kit.yaml").write_text(
        "id: kit\nname: Kit\nratings:\n  interfaces:\n"
        "    2016-05-11: &base {score: 3, summary: Some words of our own.}\n"
        "    2016-12-06:\n      <<: *base\n      score: 2\n"
    )
    done = cli("history", "kit", "interfaces", "--data", str(tmp_path / "d"), "-f", "json")
    assert done.code == 0, done.err
    assert '"score": 2.0' in done.out and '"score": 3.0' in done.out

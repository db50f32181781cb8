"""Primary sources: `validate` reports a source that is not where a fact is published first,
and `dlcompare method` shows the method that says so, also inside a report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlcompare.evidence import in_place, source_problem
from dlcompare.loading import bundled_data_dir

OWN = ("tensorflow.org", "github.com/tensorflow", "ai.google.dev/edge/litert")
ACCEPTED = (*OWN, "mlcommons.org", "github.com/mlcommons", "pypi.org")


def why(url: str, rated: str | None = "2.21.0") -> str | None:
    return source_problem(url, rated=rated, own=OWN, accepted=ACCEPTED)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.tensorflow.org/guide/versions",
        "https://tensorflow.org/install",
        "https://github.com/tensorflow/serving/releases",
        "https://ai.google.dev/edge/litert/overview",
        "https://mlcommons.org/benchmarks/training/",
        "https://github.com/mlcommons/training_results_v5.0",
        "https://pypi.org/project/tensorflow/2.21.0/",
        "https://www.tensorflow.org/versions/r2.21/api_docs/python/tf",
        "https://www.tensorflow.org/versions/r2.22/api_docs/python/tf",
        "https://ai.google.dev/edge/litert/overview?hl=en",
    ],
)
def test_primary_sources_pass(url: str) -> None:
    assert why(url) is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://github.com/kmkolasinski/serving", "no toolkit's official places"),
        ("https://github.com/prishajain1/training_results_v5.0", "no toolkit's official places"),
        ("https://github.com/tensorflowfork/serving", "no toolkit's official places"),
        ("https://ai.google.dev/edge/mediapipe", "no toolkit's official places"),
        ("https://example.com/blog/tensorflow", "no toolkit's official places"),
        ("https://sourceforge.net/projects/tensorflow.mirror/", "is a mirror"),
        ("https://tensorflow.mirror.sourceforge.net/x", "is a mirror"),
        ("https://mirrors.example.org/tensorflow", "is a mirror"),
        ("https://ai.google.dev/edge/litert/overview?hl=bn", "translated page (hl=bn)"),
        ("https://ai.google.dev/edge/litert/overview?hl=es-419", "translated page"),
        ("https://www.tensorflow.org/zh-cn/guide/versions", "translated page (/zh-cn/)"),
        ("https://www.tensorflow.org/versions/r2.15/api_docs/python/tf", "older than"),
        ("https://www.tensorflow.org/versions/r2.0/api_docs/python/tf", "older than"),
        ("https://github.com/tensorflow/tensorflow/blob/v2.16.1/RELEASE.md", "older than"),
    ],
)
def test_sources_that_are_not_primary_are_named(url: str, says: str) -> None:
    found = why(url)
    assert found is not None and says in found and url in found


def test_a_versioned_page_is_judged_against_the_version_rated() -> None:
    old = "https://www.tensorflow.org/versions/r2.15/api_docs/python/tf"
    assert why(old, rated="2.15.1") is None
    assert why(old, rated=None) is None  # no version rated: nothing to compare with
    assert "older than the version rated (2.16.0)" in (why(old, rated="2.16.0") or "")
    # another major: a companion project numbered on its own (TF.js 4.x, ExecuTorch 1.x)
    assert why("https://github.com/tensorflow/tfjs/tree/tfjs-v4.22.0", rated="2.21.0") is None
    assert why("https://github.com/tensorflow/tfjs/releases/tag/v4.22.0", rated="2.21.0") is None
    # another project's versioned page is not the toolkit's own documentation
    assert why("https://pypi.org/project/keras/3.9.2/", rated="2.21.0") is None


def test_a_place_matches_by_host_and_whole_path_segments() -> None:
    assert in_place("https://docs.pytorch.org/docs/stable/", "pytorch.org")
    assert in_place("https://github.com/pytorch/pytorch", "github.com/pytorch")
    assert in_place("https://GitHub.com/PyTorch/pytorch", "github.com/pytorch")
    assert not in_place("https://github.com/pytorchfork/pytorch", "github.com/pytorch")
    assert not in_place("https://notpytorch.org/", "pytorch.org")
    assert not in_place("https://pytorch.org.example.com/", "pytorch.org")


FLAX = """\
id: flax
name: Flax
official: [flax.readthedocs.io, github.com/google/flax]
ratings:
  interfaces:
    2026-12-10:
      score: 4
      summary: A module system over JAX.
      sources:
        - https://flax.readthedocs.io/en/latest/
        - https://github.com/someone/flax-fork
        - https://sourceforge.net/projects/flax.mirror/
        - https://flax.readthedocs.io/en/latest/?hl=ja
"""


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "editions.yaml").write_text(
        "editions:\n  - date: 2026-12-10\n    evaluator: our team\n"
        "    summary: Our own ratings of Flax.\n",
        encoding="utf-8",
    )
    (folder / "toolkits" / "flax.yaml").write_text(FLAX, encoding="utf-8")
    return folder


def test_strict_validate_counts_a_fork_a_mirror_and_a_translated_page(cli, team: Path) -> None:
    result = cli("validate", "--strict", str(team))
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if "flax.yaml" in line]
    assert len(lines) == 3, result.out
    assert "sources › 1: https://github.com/someone/flax-fork" in lines[0]
    assert "flax.yaml:11 ›" in lines[0]  # the line of that source in the file
    assert "is a mirror" in lines[1]
    assert "translated page (hl=ja)" in lines[2]


def test_without_strict_they_are_warnings(cli, team: Path) -> None:
    result = cli("validate", str(team))
    assert result.code == 0
    data = json.loads(cli("validate", str(team), "-f", "json").out)
    assert data["ok"] is True and data["problems"] == []
    assert len([w for w in data["warnings"] if w["file"].endswith("flax.yaml")]) == 3
    rows = cli("validate", str(team), "-f", "csv").out.splitlines()
    assert rows[0].endswith(",severity") and all(r.endswith(",warning") for r in rows[1:])
    assert sum("flax.yaml" in r for r in rows) == 3


def test_the_source_editions_are_not_judged(cli, tmp_path: Path) -> None:
    """Revisions of a published document (an edition with a commit) carry its links as they
    were; only editions rated under their own method are checked."""
    folder = tmp_path / "old"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "editions.yaml").write_text(
        "editions:\n  - date: 2014-01-01\n    commit: abcdef0\n    evaluator: a blog\n"
        "    summary: A published review.\n",
        encoding="utf-8",
    )
    (folder / "toolkits" / "flax.yaml").write_text(
        FLAX.replace("2026-12-10", "2014-01-01"), encoding="utf-8"
    )
    result = cli("validate", "--strict", str(folder))
    assert "flax.yaml" not in result.out


def test_an_official_place_must_be_a_host_or_a_host_and_path(cli, team: Path) -> None:
    text = FLAX.replace(
        "official: [flax.readthedocs.io, github.com/google/flax]", "official: [https://x.org]"
    )
    (team / "toolkits" / "flax.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", str(team))
    assert result.code == 1
    assert "official" in result.out and "without http://" in result.out


def test_the_method_is_shipped_and_shown(cli) -> None:
    text = (bundled_data_dir().parent / "docs" / "method.md").read_text(encoding="utf-8")
    shown = cli("method", "-f", "markdown")
    assert shown.code == 0 and shown.out == text
    data = json.loads(cli("method", "-f", "json").out)
    assert data["path"] == "docs/method.md" and data["text"] == text
    assert "schema_version" in data
    assert cli("method", "-f", "csv").code == 2


def test_headers_point_to_the_method_command(cli) -> None:
    out = cli("show", "performance").out
    assert "method: dlcompare method" in out
    assert "docs/method.md" not in out
    # the source's editions have no method of ours
    assert "dlcompare method" not in cli("show", "performance", "--as-of", "2016-12-06").out


def test_the_report_carries_the_method_once(cli) -> None:
    markdown = cli("report").out
    assert markdown.count("\n## Method\n") == 1
    assert "\n### " in markdown.split("\n## Method\n")[1]  # its headings nest under it
    page = cli("report", "-f", "html").out
    assert page.count(">Method</h2>") == 1
    assert "<script" not in page.split(">Method</h2>")[1]
    old = cli("report", "--as-of", "2016-12-06").out
    assert "## Method" not in old


def test_the_bundled_data_passes_strict_validation(cli) -> None:
    result = cli("validate", "--strict")
    assert (result.code, result.out) == (0, "")

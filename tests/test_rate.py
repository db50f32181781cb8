"""`rate`, `new toolkit` and the placeholder evaluator: one rating without editing YAML, the
name a user gives kept, and every file written said on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlcompare.yamlio import load

from .conftest import PINNED_TODAY, Outcome

SOURCE = "https://ml-explore.github.io/mlx/build/html/index.html"
DAY = "2026-12-02"
"""The tests' today is pinned to the bundled edition's day (PINNED_TODAY): one edition per
date, so a new edition takes the day before."""
assert PINNED_TODAY == "2026-12-03"


def rate(cli, folder: Path, *args: str) -> Outcome:
    done: Outcome = cli("rate", *args, "--dir", str(folder))
    return done


def rating_of(cli, folder: Path, toolkit: str, criterion: str) -> dict[str, object]:
    """The rating as of DAY: the bundled edition of the pinned today comes after it."""
    done = cli("show", toolkit, "--data", str(folder), "--as-of", DAY, "-f", "json")
    assert done.code == 0, done.err
    ratings = json.loads(done.out)["ratings"]
    found: dict[str, object] = next(r for r in ratings if r["criterion"] == criterion)
    return found


def test_new_toolkit_keeps_the_name_given_and_says_what_it_wrote(cli, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    done = cli("new", "toolkit", "mlx", "--name", "MLX", "--dir", str(folder))
    assert done.code == 0, done.err
    assert done.out == ""
    assert f"Wrote {folder}/toolkits/mlx.yaml: toolkit mlx, named 'MLX'." in done.err
    assert f"Wrote {folder}/editions.yaml: an edition dated {DAY}" in done.err
    assert "placeholder 'my team'" in done.err
    assert load(folder / "toolkits" / "mlx.yaml")["name"] == "MLX"


@pytest.mark.parametrize(
    ("toolkit", "name"),
    [("burn", "burn"), ("flax-nnx", "flax-nnx"), ("tensorflow", "TensorFlow"), ("mlx", "MLX")],
)
def test_the_default_name_is_the_id_as_typed_or_the_toolkit_s_own(
    cli, tmp_path: Path, toolkit: str, name: str
) -> None:
    folder = tmp_path / "team"
    assert cli("new", "toolkit", toolkit, "--dir", str(folder)).code == 0
    assert load(folder / "toolkits" / f"{toolkit}.yaml")["name"] == name  # never "Mlx"


@pytest.mark.parametrize("name", ["yes", "1.0", "a: b", "#1", "Flax (NNX)", "Ünïcode"])
def test_a_name_yaml_would_misread_is_kept_as_written(cli, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "team"
    assert cli("new", "toolkit", "odd", "--name", name, "--dir", str(folder)).code == 0
    assert load(folder / "toolkits" / "odd.yaml")["name"] == name


def test_rate_into_the_folder_new_toolkit_made(cli, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    cli("new", "toolkit", "mlx", "--name", "MLX", "--dir", str(folder))
    template = (folder / "toolkits" / "mlx.yaml").read_text(encoding="utf-8")
    done = rate(cli, folder, "mlx", "interfaces", "4", "--summary", "Python and C++.", "--source", SOURCE)  # fmt: skip
    assert done.code == 0, done.err
    assert done.out == ""
    assert (
        f"Wrote {folder}/toolkits/mlx.yaml: MLX on interfaces, score 4, in the edition of "
        f"{DAY} by my team."
    ) in done.err
    assert "note: the evaluator is still the placeholder 'my team'" in done.err
    text = (folder / "toolkits" / "mlx.yaml").read_text(encoding="utf-8")
    # the template is edited, not replaced: its comments are all still there
    assert [line for line in template.splitlines() if line.lstrip().startswith("#")] == [
        line for line in text.splitlines() if line.lstrip().startswith("#")
    ]
    shown = rating_of(cli, folder, "mlx", "interfaces")
    assert (shown["score"], shown["summary"], shown["sources"]) == (
        4.0,
        "Python and C++.",
        [SOURCE],
    )
    assert cli("validate", str(folder)).code == 0


def test_rate_a_bundled_toolkit_in_an_empty_folder(cli, tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    done = rate(
        cli, folder, "torch", "Model debugging", "3.5",
        "--summary", "Our servers run TorchScript only.", "--source", "https://docs.pytorch.org/docs/stable/jit.html",
        "--evaluator", "ML platform team", "--as-of", "2016-12-06",
    )  # fmt: skip
    assert done.code == 2  # --as-of is not an option of rate
    done = rate(
        cli, folder, "PyTorch", "Model debugging", "3.5",
        "--summary", "Our servers run TorchScript only.", "--source", "https://docs.pytorch.org/docs/stable/jit.html",
        "--evaluator", "ML platform team",
    )  # fmt: skip
    assert done.code == 0, done.err
    editions = load(folder / "editions.yaml")["editions"]
    assert [e["evaluator"] for e in editions] == ["ML platform team"]
    assert f"Wrote {folder}/editions.yaml: the edition of {editions[0]['date']}" in done.err
    toolkit = load(folder / "toolkits" / "pytorch.yaml")
    assert set(toolkit) == {"id", "ratings"}  # an override: only what it changes
    shown = rating_of(cli, folder, "pytorch", "model-debugging")
    assert (shown["score"], shown["evaluator"]) == (3.5, "ML platform team")
    # the edition after it (dlcompare's, on the pinned today) is what views show by default
    assert "note: the edition of 2026-12-03 (by dlcompare) comes after it" in done.err
    assert f"dlcompare show pytorch --data {folder} --as-of {DAY}" in done.err


def test_rating_again_updates_the_same_assessment(cli, tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    args = ("pytorch", "interfaces", "--source", "https://docs.pytorch.org/docs/stable/index.html")
    first = rate(cli, folder, *args[:2], "4", *args[2:], "--summary", "First.", "--evaluator", "us")
    assert first.code == 0, first.err
    again = rate(cli, folder, *args[:2], "3", *args[2:], "--summary", "Second thoughts.")
    assert again.code == 0, again.err
    assert "replacing the rating there" in again.err
    ratings = load(folder / "toolkits" / "pytorch.yaml")["ratings"]["interfaces"]
    assert [(a["score"], a["summary"]) for a in ratings.values()] == [(3, "Second thoughts.")]
    assert len(load(folder / "editions.yaml")["editions"]) == 1


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("pytorch", "interfaces", "6"), 2, "score 6 is off the scale (0 to 5)"),
        (("pytorch", "interfaces", "nan"), 2, "off the scale"),
        (("pytorch", "interfaces", "four"), 2, "Invalid value"),
        (("pytorch", "performance", "4"), 1, "rated part by part"),
        (("pytorhc", "interfaces", "4"), 1, "did you mean 'pytorch'"),
        (("pytorch", "interfaces", "4", "--evaluator", "dlcompare"), 2, "name yourself"),
        (("pytorch", "interfaces", "4", "--summary", " "), 2, "--summary is empty"),
        (("pytorch", "interfaces", "4", "--source", "notaurl"), 1, "http:// or https://"),
    ],
)
def test_nothing_is_written_when_the_rating_is_wrong(
    cli, tmp_path: Path, args: tuple[str, ...], code: int, said: str
) -> None:
    folder = tmp_path / "ours"
    extra = ["--evaluator", "us"] if "--evaluator" not in args else []
    extra += ["--summary", "Fine."] if "--summary" not in args else []
    extra += ["--source", "https://docs.pytorch.org/"] if "--source" not in args else []
    done = rate(cli, folder, *args, *extra)
    assert done.code == code, done.err
    assert said in done.err
    assert not folder.exists()


def test_a_folder_without_an_edition_needs_an_evaluator(cli, tmp_path: Path) -> None:
    done = rate(cli, tmp_path / "ours", "jax", "interfaces", "4", "--summary", "Fine.", "--source", "https://docs.jax.dev/")  # fmt: skip
    assert done.code == 2
    assert "give --evaluator NAME" in done.err


def test_a_folder_with_problems_is_not_written_to(cli, tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "editions.yaml").write_text(
        "editions:\n  - date: 2026-12-01\n    evaluator: us\n    summary: Ours.\n"
    )
    broken = folder / "toolkits" / "other.yaml"
    broken.write_text("id: jax\nratings: {interfaces: {2026-12-01: {score: 9}}}\n")
    before = broken.read_text()
    done = rate(cli, folder, "pytorch", "interfaces", "4", "--summary", "Fine.", "--source", "https://docs.pytorch.org/")  # fmt: skip
    assert done.code == 1
    assert "other.yaml" in done.err and str(folder) in done.err
    assert "dlcompare-rate-" not in done.err  # the scratch copy is never named
    assert not (folder / "toolkits" / "pytorch.yaml").exists()
    assert broken.read_text() == before


def test_validate_warns_about_the_placeholder_evaluator(cli, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    cli("new", "toolkit", "mlx", "--dir", str(folder))
    done = cli("validate", str(folder))
    assert done.code == 0  # a warning fails nothing
    assert "warning:" in done.out and "placeholder 'my team'" in done.out
    report = json.loads(cli("validate", str(folder), "-f", "json").out)
    assert report["ok"] is True and report["problems"] == []
    assert [w["where"] for w in report["warnings"]] == [f"editions › {DAY} › evaluator"]
    path = folder / "editions.yaml"
    path.write_text(path.read_text().replace("my team", "ML platform team"))
    done = cli("validate", str(folder))
    assert (done.code, done.out) == (0, "")


def test_an_evaluator_named_takes_over_the_placeholder_edition(cli, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    cli("new", "toolkit", "mlx", "--name", "MLX", "--dir", str(folder))
    done = rate(
        cli, folder, "mlx", "interfaces", "4", "--summary", "Python and C++.", "--source", SOURCE,
        "--evaluator", "ML platform team",
    )  # fmt: skip
    assert done.code == 0, done.err
    text = (folder / "editions.yaml").read_text(encoding="utf-8")
    assert "my team" not in text and text.startswith("# Editions of your own evaluation")
    editions = load(folder / "editions.yaml")["editions"]
    assert [(str(e["date"]), e["evaluator"]) for e in editions] == [(DAY, "ML platform team")]
    assert "placeholder" not in cli("validate", str(folder)).out  # none left to warn about
    assert rating_of(cli, folder, "mlx", "interfaces")["evaluator"] == "ML platform team"

"""The Python API: the README example runs, results equal the CLI's JSON, errors are
DlcompareError subclasses, and `import dlcompare` stays light."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import dlcompare
from dlcompare.errors import DlcompareError, NotFoundError, WeightsError
from dlcompare.results.ranking import Ranking, Sensitivity
from tests.test_overlays import PYTORCH, TEAM_DAY, team_folder, write

ROOT = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 26)


def readme_block(heading: str, language: str) -> str:
    """The first ```LANGUAGE block under the README heading HEADING."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"\n{heading}\n", 1)[1]
    match = re.search(rf"^```{language}\n(.*?)^```$", section, re.S | re.M)
    assert match, f"no ```{language} block under {heading}"
    return match.group(1)


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {}
    exec(compile(readme_block("## Python API", "python"), "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "4.0 2026-12-03 dlcompare"  # the current edition, dlcompare's own
    ranking = namespace["ranking"]
    assert isinstance(ranking, Ranking)
    assert [row.toolkit for row in ranking.rows] == [
        "pytorch",
        "tensorflow",
        "keras",
        "jax",
        "mlx",
        "tinygrad",
    ]
    robust = namespace["robust"]
    assert isinstance(robust, Ranking)
    assert isinstance(robust.sensitivity, Sensitivity)
    assert "did you mean 'tensorflow'" in printed[-1]


def cli_json(cli, *args: str) -> object:
    result = cli(*args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def api_json(result: object) -> object:
    return json.loads(result.model_dump_json())  # type: ignore[attr-defined]


def test_api_results_are_what_the_cli_prints(cli) -> None:
    evaluation = dlcompare.load()
    assert api_json(dlcompare.show(evaluation, "performance")) == cli_json(
        cli, "show", "performance"
    )
    first = dlcompare.load(as_of="2015-12-05")
    assert first.edition.date == dt.date(2015, 12, 2)
    assert api_json(dlcompare.show(first, "tf")) == cli_json(
        cli, "show", "tf", "--as-of", "2015-12-05"
    )
    assert api_json(dlcompare.diff(evaluation, "tf@2015-11-20", "torch")) == cli_json(
        cli, "diff", "tf@2015-11-20", "torch"
    )
    weights = {"interfaces": 1, "model-deployment": 2}
    assert api_json(dlcompare.rank(evaluation, weights, missing="drop")) == cli_json(
        cli, "rank", "-w", "interfaces=1", "-w", "model-deployment=2", "--missing", "drop"
    )
    robust = dlcompare.rank(
        evaluation, weights, missing="drop", sensitivity=True, samples=300, seed=7
    )
    assert api_json(robust) == cli_json(
        cli,
        "rank",
        "-w",
        "interfaces=1",
        "-w",
        "model-deployment=2",
        "--missing",
        "drop",
        "--sensitivity",
        "--samples",
        "300",
        "--seed",
        "7",
    )
    assert api_json(dlcompare.history_of(evaluation, "tf", "performance")) == cli_json(
        cli, "history", "tf", "performance"
    )
    assert api_json(dlcompare.changes(evaluation.dataset, "2016-05-11")) == cli_json(
        cli, "changes", "2016-05-11"
    )


def test_rating_lookup_and_dates() -> None:
    evaluation = dlcompare.load(as_of=dt.date(2016, 1, 1))
    assert evaluation.edition.date == dt.date(2015, 12, 7)
    assert evaluation.as_of == dt.date(2016, 1, 1)
    found = dlcompare.rating(evaluation, "TensorFlow", "single-gpu", today=TODAY)
    assert (found.toolkit, found.criterion, found.score) == (
        "tensorflow",
        "performance.single-gpu",
        3.0,
    )
    assert found.stale and found.age_days == (TODAY - found.edition).days  # type: ignore[operator]
    assert not dlcompare.rating(evaluation, "tf", "single-gpu", stale_after=50).stale
    later = dlcompare.at(evaluation, "2016-05-11")
    assert dlcompare.rating(later, "tf", "performance.single-gpu").score == 5.0
    assert dlcompare.at(evaluation).edition == evaluation.dataset.latest
    assert dlcompare.toolkit(evaluation, "tf").id == "tensorflow"
    assert dlcompare.criterion(evaluation, "Performance").id == "performance"  # type: ignore[union-attr]


def test_rank_takes_nested_dotted_weights_or_a_file(tmp_path: Path) -> None:
    evaluation = dlcompare.load()
    nested = dlcompare.rank(evaluation, {"performance": {"single-gpu": 2}}, missing="drop")
    dotted = dlcompare.rank(evaluation, {"performance.single-gpu": 2}, missing="drop")
    file = tmp_path / "mine.yaml"
    file.write_text("performance:\n  single-gpu: 2\n", encoding="utf-8")
    from_file = dlcompare.rank(evaluation, file, missing="drop")
    assert nested == dotted == from_file
    # the current edition rates none of the toolkits that ended: not candidates, not dropped;
    # those it rates without a single-GPU score (no evidence for one) are dropped, and say so
    assert {(d.toolkit, d.missing) for d in nested.dropped} == {
        ("mindspore", ("performance.single-gpu",)),
        ("paddlepaddle", ("performance.single-gpu",)),
    }
    assert {a.toolkit for a in nested.not_in_edition} == {
        "caffe",
        "chainer",
        "cntk",
        "deeplearning4j",
        "mxnet",
        "theano",
        "torch",
    }


def test_overlays_load_like_the_data_option(tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    write(folder, "toolkits/pytorch.yaml", PYTORCH)
    evaluation = dlcompare.load(folder)
    assert evaluation.edition.date.isoformat() == TEAM_DAY
    assert dlcompare.rating(evaluation, "pt", "interfaces").evaluator == "Team A"
    assert dlcompare.load([str(folder)]).dataset.toolkit_by_id.keys() == (
        evaluation.dataset.toolkit_by_id.keys()
    )
    with pytest.raises(DlcompareError, match="needs at least one --data folder"):
        dlcompare.load(bundled=False)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda e: dlcompare.show(e, "tensorflw"), NotFoundError, "did you mean 'tensorflow'"),
        (lambda e: dlcompare.rating(e, "tf", "performance"), NotFoundError, "part by part"),
        (lambda e: dlcompare.rank(e, {}), WeightsError, "every weight is zero"),
        (lambda e: dlcompare.rank(e, {"interfacs": 1}), WeightsError, "did you mean"),
        (lambda e: dlcompare.rank(e, {"interfaces": 1}, missing="x"), WeightsError, "drop"),  # type: ignore[arg-type]
        (lambda e: dlcompare.rank(e, [1]), WeightsError, "mapping"),  # type: ignore[arg-type]
        (lambda e: dlcompare.at(e, "1999-01-01"), NotFoundError, "before the first edition"),
        (lambda e: dlcompare.diff(e, "tf@", "torch"), NotFoundError, "TOOLKIT@DATE"),
    ],
)
def test_mistakes_raise_dlcompare_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call(dlcompare.load())


def test_import_dlcompare_loads_no_dependency() -> None:
    """`import dlcompare` must not pull in pydantic, typer, yaml or importlib.metadata; the
    API and the version load on first use."""
    code = (
        "import sys, dlcompare\n"
        "heavy = [m for m in ('pydantic', 'typer', 'yaml', 'rich', 'importlib.metadata',"
        " 'dlcompare.api') if m in sys.modules]\n"
        "print(heavy)\n"
        "dlcompare.load\n"
        "print('dlcompare.api' in sys.modules, bool(dlcompare.__version__))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["[]", "True True"]


def test_the_package_is_typed() -> None:
    assert (Path(dlcompare.__file__).parent / "py.typed").is_file()
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        dlcompare.nothing  # noqa: B018

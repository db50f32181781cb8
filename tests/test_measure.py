# mypy: disallow-untyped-calls=False
"""`dlcompare measure`: the whole path on the NumPy reference and JAX's CPU build (tiny sizes),
the checks of the same computation, the workers' failure modes, the rating rule and the data
folder. No assertion on how fast anything is."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import stat
import sys
from pathlib import Path

import pytest

from dlcompare.errors import DlcompareError, UsageError
from dlcompare.measure import rating, runner, targets
from dlcompare.measure import workloads as wl
from dlcompare.measure.answer import Ran
from dlcompare.measure.results import Check, Measurement, Run, Timing
from dlcompare.measure.runner import Options, measure
from dlcompare.output import Format, render

from .conftest import PINNED_TODAY

TINY = Options(steps=8, batch_size=4, only=("jax",), timeout_s=240)
TINY_ARGS = ("--only", "jax", "--steps", "8", "--batch-size", "4")


@pytest.fixture(scope="module")
def measured() -> Measurement:
    """One real measurement: NumPy and JAX on both workloads."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLCOMPARE_TODAY", PINNED_TODAY)
        return measure(TINY)


def by(result: Measurement, target: str, workload: str) -> Run:
    return next(r for r in result.runs if r.target == target and r.workload == workload)


# --- the whole path -------------------------------------------------------------------------


def test_numpy_and_jax_run_the_same_computation(measured: Measurement) -> None:
    assert [(r.target, r.workload) for r in measured.runs] == [
        ("numpy", "mlp"),
        ("jax", "mlp"),
        ("numpy", "cnn"),
        ("jax", "cnn"),
    ]
    for run in measured.runs:
        assert run.status == "valid", run.reason
        assert run.device == "cpu" and run.version
        assert run.check is not None and run.check.falls
        assert run.timing is not None
        t = run.timing
        assert t.import_s > 0 and t.first_step_s > 0 and t.peak_rss_mib > 0
        assert t.step_min_s <= t.step_q1_s <= t.step_median_s <= t.step_q3_s <= t.step_max_s
        assert t.samples_per_s == pytest.approx(4 / t.step_median_s)
    for workload in ("mlp", "cnn"):
        jax_run = by(measured, "jax", workload)
        reference = by(measured, "numpy", workload).check
        assert jax_run.check is not None and reference is not None
        assert jax_run.check.reference == reference.losses
        assert jax_run.check.rel_error is not None
        assert jax_run.check.rel_error <= runner.TOLERANCE_REL
    assert measured.leaf == "performance.cpu"
    # one toolkit measured: nothing to compare it with, so no rating (and it says why)
    [only] = measured.ratings
    assert (only.toolkit, only.score) == ("jax", None)
    assert "only 1 toolkit valid on every workload (jax)" in only.reason


def test_the_result_records_machine_versions_date_and_settings(measured: Measurement) -> None:
    assert measured.date.isoformat() == PINNED_TODAY
    assert measured.machine.cores >= 1 and measured.machine.cpu
    assert measured.settings.steps == 8 and measured.settings.batch_size == 4
    assert measured.settings.only == ("jax",)
    document = json.loads(measured.model_dump_json())
    assert document["schema_version"] == 3 and document["kind"] == "measurement"
    for fmt in (Format.TABLE, Format.MARKDOWN, Format.CSV):
        buffer = io.StringIO()
        render(measured, fmt, buffer)
        text = buffer.getvalue()
        assert measured.machine.cpu in text, fmt
        assert str(measured.date) in text, fmt
        assert str(by(measured, "jax", "mlp").version) in text, fmt
        assert "performance.cpu" in text, fmt


def test_the_table_keeps_every_figure_from_60_columns(
    measured: Measurement, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dlcompare.measure.text import milliseconds

    monkeypatch.setenv("COLUMNS", "60")
    buffer = io.StringIO()
    render(measured, Format.TABLE, buffer)
    text = buffer.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 60
    rows = [line.split() for line in text.splitlines()]
    for run in measured.runs:
        assert run.timing is not None
        t = run.timing
        steady = [run.target, milliseconds(t.step_median_s)]
        steady += [f"{milliseconds(t.step_q1_s)}–{milliseconds(t.step_q3_s)}"]
        steady += [f"{t.samples_per_s:,.0f}"]
        assert steady in rows, steady
        start = [run.target, milliseconds(t.first_step_s), f"{t.import_s:.2f}"]
        assert [*start, f"{t.peak_rss_mib:,.0f}"] in rows


def test_csv_has_a_row_per_run_with_the_figures(measured: Measurement) -> None:
    buffer = io.StringIO()
    render(measured, Format.CSV, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    header = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert all(len(row) == len(header) for row in rows)
    runs = [r for r in rows if r["status"] != "not-run"]
    assert [(r["target"], r["workload"]) for r in runs] == [
        ("numpy", "mlp"),
        ("jax", "mlp"),
        ("numpy", "cnn"),
        ("jax", "cnn"),
    ]
    jax_mlp = runs[1]
    assert float(jax_mlp["step_median_s"]) == by(measured, "jax", "mlp").timing.step_median_s  # type: ignore[union-attr]
    assert jax_mlp["score"] == "" and jax_mlp["leaf"] == "performance.cpu"  # one: not rated
    assert runs[0]["score"] == ""  # the reference is not rated
    assert {r["setting_steps"] for r in rows} == {"8"}


def test_numpy_reference_gradients_agree_with_jax() -> None:
    """The reference's hand-written backward pass against JAX's automatic one, in float64."""
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    try:
        for workload in wl.WORKLOADS.values():
            data = wl.make_data(workload, 3)
            x, y = data["x"][0].astype("float64"), data["y"][0]
            start = {k: v.astype("float64") for k, v in wl.parameters(data).items()}
            after = {k: v.copy() for k, v in start.items()}
            loss = wl.REFERENCE_STEPS[workload.id](after, x, y, 1.0)
            expected = _jax_loss_and_grads(workload.id, start, x, y)
            assert loss == pytest.approx(float(expected[0]), rel=1e-9)
            for name, grad in expected[1].items():
                moved = start[name] - after[name]  # lr 1: the update is the gradient
                assert moved == pytest.approx(jnp.asarray(grad).__array__(), rel=1e-9, abs=1e-12)
    finally:
        jax.config.update("jax_enable_x64", False)


def _jax_loss_and_grads(workload, p, x, y):
    import jax
    import jax.numpy as jnp
    from jax import lax

    def forward(q):
        if workload == "mlp":
            h = jax.nn.relu(x @ q["w1"] + q["b1"])
            h = jax.nn.relu(h @ q["w2"] + q["b2"])
            return h @ q["w3"] + q["b3"]

        def conv(h, k, c):
            out = lax.conv_general_dilated(
                h, k, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW")
            )
            return out + c[None, :, None, None]

        def pool(h):
            return lax.reduce_window(h, -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")

        h = pool(jax.nn.relu(conv(x, q["k1"], q["c1"])))
        h = pool(jax.nn.relu(conv(h, q["k2"], q["c2"])))
        return h.reshape(h.shape[0], -1) @ q["w3"] + q["b3"]

    def loss(q):
        log_p = jax.nn.log_softmax(forward(q))
        return -jnp.mean(jnp.take_along_axis(log_p, jnp.asarray(y)[:, None], axis=1))

    return jax.value_and_grad(loss)(p)


# --- the checks of the same computation -------------------------------------------------------


def test_a_wrong_initialisation_is_invalid_and_not_timed(tmp_path: Path) -> None:
    """JAX gets parameters from another seed (the batches are the same): its first loss cannot
    agree with the reference's, so it is invalid, shows no figures and gets no rating."""

    def data_for(target: str, workload: str) -> Path:
        right = wl.make_data(wl.WORKLOADS[workload], 4)
        path = tmp_path / f"{target}-{workload}.npz"
        if target == "jax":
            wrong = wl.make_data(wl.WORKLOADS[workload], 4, seed=7)
            right |= {k: v for k, v in wrong.items() if k.startswith("p.")}
        wl.save(right, path)
        return path

    result = measure(Options(steps=8, batch_size=4, only=("jax",)), data_for=data_for)
    for workload in ("mlp", "cnn"):
        reference = by(result, "numpy", workload)
        assert reference.status == "valid"
        run = by(result, "jax", workload)
        assert run.status == "invalid"
        assert run.timing is None
        assert run.check is not None and run.check.rel_error is not None
        assert run.check.rel_error > runner.TOLERANCE_REL
        assert "differ from the reference's" in (run.reason or "")
    [jax_rating] = result.ratings
    assert jax_rating.score is None and "not valid on every workload" in jax_rating.reason
    buffer = io.StringIO()
    render(result, Format.TABLE, buffer)
    assert "invalid: first losses" in buffer.getvalue()


def test_a_loss_that_does_not_fall_fails_the_check() -> None:
    flat = [2.3] * 9
    result = runner.check(flat, [2.3, 2.3], batches=4)
    assert result.agrees and not result.falls
    falling = [3.0, 2.9, 2.8, 2.7, 2.0, 1.9, 1.8, 1.7, 1.0]
    assert runner.check(falling, [3.0, 2.9], batches=4).falls


def test_agreement_is_relative_to_the_reference() -> None:
    assert runner.check([2.0, 1.0] * 4, [2.0001, 1.0], batches=2).agrees  # 5e-5
    assert not runner.check([2.0, 1.0] * 4, [2.001, 1.0], batches=2).agrees  # 5e-4
    assert not runner.check([math.nan, 1.0] * 4, [2.0, 1.0], batches=2).agrees


def test_without_the_reference_nothing_is_valid() -> None:
    outcome = runner.Outcome(
        "ran", None, _answer(losses=[3.0, 2.9, 2.8, 2.7, 2.0, 1.9, 1.8, 1.7, 1.0])
    )
    run = runner.verdict(
        targets.Target("jax"), "mlp", outcome, reference=None, batch_size=4, batches=4
    )
    assert run.status == "invalid" and run.timing is None
    assert "no NumPy reference" in (run.reason or "")


# --- toolkits that are not installed, and workers that fail -----------------------------------


def test_toolkits_not_installed_are_reported_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    present = {"numpy"}
    monkeypatch.setattr(targets, "installed", lambda module: module in present)
    found = {f.target.id: f.missing for f in targets.detect()}
    assert found == {
        "numpy": None,
        "pytorch": "not installed (no module 'torch'); its CPU build: pip install torch "
        "--index-url https://download.pytorch.org/whl/cpu",
        "jax": "not installed (no module 'jax'); its CPU build: pip install -U jax",
        "tensorflow": "not installed (no module 'tensorflow'); its CPU build: "
        "pip install tensorflow-cpu",
        "keras": "not installed (no module 'keras'); its CPU build: pip install keras",
        "mlx": "not installed (no module 'mlx.core'); its CPU build: pip install 'mlx[cpu]'",
        "paddlepaddle": "not installed (no module 'paddle'); its CPU build: "
        "pip install paddlepaddle",
        "mindspore": "not installed (no module 'mindspore'); its CPU build: pip install mindspore",
        "tinygrad": "not installed (no module 'tinygrad'); its CPU build: pip install tinygrad",
    }
    result = measure(Options(steps=8, batch_size=4), found=targets.detect())
    assert {r.target for r in result.runs} == {"numpy"}
    assert {s.target: s.reason for s in result.skipped} == {k: v for k, v in found.items() if v}
    assert result.ratings == ()


def test_keras_runs_on_each_installed_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        targets, "installed", lambda module: module in {"numpy", "keras", "jax", "torch"}
    )
    monkeypatch.setattr(targets, "keras_version", lambda: "3.5.0")
    found = {f.target.id: f.missing for f in targets.detect()}
    assert found["keras-jax"] is None and found["keras-torch"] is None
    assert found["keras-tensorflow"] == (
        "not installed (no module 'tensorflow'); its CPU build: pip install tensorflow-cpu"
    )
    monkeypatch.setattr(targets, "keras_version", lambda: "2.15.0")
    assert {f.target.id: f.missing for f in targets.detect()}["keras"] == (
        "Keras 2.15.0 installed; Keras 3 needed: pip install -U keras"
    )


def test_keras_default_backend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert targets.keras_default_backend() == "tensorflow"
    (tmp_path / "keras.json").write_text('{"backend": "jax"}', encoding="utf-8")
    assert targets.keras_default_backend() == "jax"
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    assert targets.keras_default_backend() == "torch"


def test_only_rejects_unknown_names() -> None:
    with pytest.raises(UsageError, match="unknown toolkit 'torchh'"):
        runner.select(targets.detect(), ["torchh"])
    chosen = runner.select(
        [
            targets.Found(targets.Target("numpy")),
            targets.Found(targets.Target("keras", "jax")),
            targets.Found(targets.Target("jax")),
        ],
        ["keras"],
    )
    assert [f.target.id for f in chosen] == ["numpy", "keras-jax"]


def test_numpy_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "installed", lambda module: False)
    with pytest.raises(
        DlcompareError, match=r"measure needs NumPy.* -m pip install '.*\[measure\]'"
    ):
        measure(TINY)


def _fake_python(tmp_path: Path, body: str) -> str:
    """A stand-in for the worker's interpreter: a shell script that ignores its arguments."""
    script = tmp_path / "python"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_a_worker_past_its_time_limit_is_stopped(tmp_path: Path) -> None:
    python = _fake_python(tmp_path, "sleep 60 & wait")
    outcome = runner.run_worker({}, dict(os.environ), timeout_s=0.5, python=python)
    assert outcome.status == "timeout" and "0.5 s" in (outcome.reason or "")


def test_a_worker_killed_outright_is_reported_as_out_of_memory(tmp_path: Path) -> None:
    outcome = runner.run_worker({}, dict(os.environ), 60, _fake_python(tmp_path, "kill -9 $$"))
    assert outcome.status == "oom" and "out-of-memory" in (outcome.reason or "")


def test_a_crashing_worker_is_reported_with_its_last_words(tmp_path: Path) -> None:
    python = _fake_python(
        tmp_path, "echo 'partial output'; echo 'ImportError: libfoo.so' >&2; exit 3"
    )
    outcome = runner.run_worker({}, dict(os.environ), 60, python)
    assert outcome.status == "failed"
    assert outcome.reason == "exit status 3: ImportError: libfoo.so"


def test_a_toolkit_that_vanished_fails_cleanly_and_the_others_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Detected as installed, but its import fails in the worker: that run fails, the rest run."""
    if targets.installed("tensorflow"):
        pytest.skip("tensorflow is installed here")
    found = [targets.Found(targets.Target("numpy")), targets.Found(targets.Target("tensorflow"))]
    monkeypatch.setattr(wl, "WORKLOADS", {"mlp": wl.MLP})
    result = measure(Options(steps=8, batch_size=4), found=found, python=sys.executable)
    statuses = {r.target: (r.status, r.reason) for r in result.runs}
    assert statuses["numpy"][0] == "valid"
    assert statuses["tensorflow"][0] == "failed"
    assert "No module named 'tensorflow'" in (statuses["tensorflow"][1] or "")


# --- the rating rule ----------------------------------------------------------------------


def _run(target: str, workload: str, median: float | None, status: str = "valid") -> Run:
    timing = None
    if median is not None:
        timing = Timing(
            import_s=1,
            first_step_s=1,
            step_median_s=median,
            step_q1_s=median,
            step_q3_s=median,
            step_min_s=median,
            step_max_s=median,
            samples_per_s=1 / median,
            rss_after_import_mib=1,
            peak_rss_mib=1,
        )
    toolkit = "keras" if target.startswith("keras") else target
    backend = target.split("-", 1)[1] if "-" in target else None
    check = Check(
        losses=(1.0,),
        reference=None,
        rel_error=None,
        first_mean=2,
        last_mean=1,
        agrees=True,
        falls=True,
    )
    return Run(
        target=target,
        toolkit=toolkit,
        backend=backend,
        workload=workload,
        status=status,
        check=check,
        timing=timing,
    )


def test_half_points_round_halves_up() -> None:
    assert [rating.half_points(x) for x in (0.24, 0.25, 2.24, 2.25, 2.75, 4.99, 5.0)] == [
        0.0,
        0.5,
        2.0,
        2.5,
        3.0,
        5.0,
        5.0,
    ]


def test_the_fastest_gets_five_and_the_others_in_proportion() -> None:
    runs = [
        _run("numpy", "mlp", 0.001),  # faster than all, but the reference is not rated
        _run("pytorch", "mlp", 0.010),
        _run("jax", "mlp", 0.020),
        _run("tensorflow", "mlp", 0.010),
        _run("pytorch", "cnn", 0.040),
        _run("jax", "cnn", 0.010),
        _run("tensorflow", "cnn", 0.010),
    ]
    scores = {r.toolkit: r.score for r in rating.derive(runs, ["mlp", "cnn"], "tensorflow")}
    # pytorch: ratios 1 and 1/4 -> 5 × 0.5 = 2.5; jax: 1/2 and 1 -> 5 × 0.707 = 3.54 -> 3.5
    assert scores == {"pytorch": 2.5, "jax": 3.5, "tensorflow": 5.0}


def test_keras_is_rated_from_its_default_backend_only() -> None:
    runs = [
        _run("jax", "mlp", 0.01),
        _run("keras-tensorflow", "mlp", 0.02),
        _run("keras-jax", "mlp", 0.005),  # not rated: not the default backend
    ]
    ratings = rating.derive(runs, ["mlp"], "tensorflow")
    assert [(r.toolkit, r.target, r.score) for r in ratings] == [
        ("jax", "jax", 5.0),
        ("keras", "keras-tensorflow", 2.5),
    ]


def test_a_toolkit_invalid_on_one_workload_is_not_rated() -> None:
    runs = [
        _run("jax", "mlp", 0.01),
        _run("jax", "cnn", None, "timeout"),
        _run("pytorch", "mlp", 0.02),
        _run("pytorch", "cnn", 0.02),
        _run("tensorflow", "mlp", 0.04),
        _run("tensorflow", "cnn", 0.04),
    ]
    ratings = {r.toolkit: r for r in rating.derive(runs, ["mlp", "cnn"], "tensorflow")}
    assert ratings["jax"].score is None and "cnn: timeout" in ratings["jax"].reason
    assert ratings["pytorch"].score == 5.0  # the fastest of the toolkits rated, on each workload
    assert ratings["tensorflow"].score == 2.5


# --- the command and its data folder ---------------------------------------------------------


def test_measure_writes_a_data_folder_that_rank_and_show_use(cli, tmp_path: Path) -> None:
    folder = tmp_path / "measured"
    result = cli("measure", *TINY_ARGS, "-o", str(folder), "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["schema_version"] == 3 and document["leaf"] == "performance.cpu"
    assert "measure: [1/4] numpy on mlp" in result.err  # progress on stderr, plain when piped
    assert sorted(p.name for p in folder.iterdir()) == [
        "criteria.yaml",
        "editions.yaml",
        "measurement.json",
        "toolkits",
    ]
    assert [p.name for p in (folder / "toolkits").iterdir()] == ["jax.yaml"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left
    assert cli("validate", str(folder)).code == 0
    assert cli("validate", str(folder), "--no-bundled").code == 0
    shown = cli("show", "performance.cpu", "--data", str(folder), "--format", "json")
    assert shown.code == 0, shown.err
    view = json.loads(shown.out)
    jax_rating = next(r for r in view["ratings"] if r["toolkit"] == "jax")
    assert jax_rating["score"] is None  # the figures without a rating: one toolkit measured
    assert "only 1 toolkit valid on every workload" in jax_rating["summary"]
    assert "measurements on this machine" in jax_rating["evaluator"]
    assert (
        "median step" in jax_rating["summary"]
        and document["machine"]["cpu"] in jax_rating["summary"]
    )
    assert "5 times the geometric mean" in jax_rating["summary"]  # the rule, in every summary


def test_measure_never_replaces_a_folder_without_force(cli, tmp_path: Path) -> None:
    folder = tmp_path / "measured"
    assert cli("measure", *TINY_ARGS, "-o", str(folder), "-f", "json").code == 0
    before = (folder / "measurement.json").read_text(encoding="utf-8")
    again = cli("measure", *TINY_ARGS, "-o", str(folder))
    assert again.code == 1 and "already exists; use --force" in again.err
    assert again.out == "" and "measure: [" not in again.err  # refused before measuring
    replaced = cli("measure", *TINY_ARGS, "-o", str(folder), "--force", "-f", "json")
    assert replaced.code == 0, replaced.err
    assert (folder / "measurement.json").read_text(encoding="utf-8") != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["measured"]


def test_force_never_replaces_a_folder_measure_did_not_write(cli, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    result = cli("measure", *TINY_ARGS, "-o", str(mine), "--force")
    assert result.code == 1 and "not a folder written by `dlcompare measure -o`" in result.err
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_a_folder_that_does_not_load_is_not_written(measured: Measurement, tmp_path: Path) -> None:
    from dlcompare.measure import folder

    def refuse(candidate: Path) -> None:
        raise DlcompareError("broken")

    with pytest.raises(DlcompareError, match="broken"):
        folder.write(tmp_path / "out", folder.files(measured, None), force=False, check=refuse)
    assert list(tmp_path.iterdir()) == []


def test_a_gpu_run_rates_single_gpu(measured: Measurement, bundled) -> None:
    from dlcompare.measure import folder

    gpu = measured.model_copy(update={"leaf": "performance.single-gpu"})
    texts = folder.files(gpu, bundled)
    assert "performance.single-gpu:" in texts["toolkits/jax.yaml"]


def test_on_a_gpu_the_reference_still_runs_and_a_toolkit_without_one_says_so() -> None:
    result = measure(Options(device="gpu", steps=8, batch_size=4, only=("jax",)))
    assert result.leaf == "performance.single-gpu"
    reference = by(result, "numpy", "mlp")
    assert reference.status == "valid" and reference.device == "cpu"
    run = by(result, "jax", "mlp")
    if run.status != "no-gpu":
        pytest.skip("JAX sees a GPU here")
    assert run.reason == "JAX sees no GPU (jax.devices('gpu') found none)"
    assert run.timing is None and run.version
    assert result.ratings == ()  # nothing was measured: no rating at all, not even a null one


def test_measure_never_takes_over_the_date_of_an_edition(
    measured: Measurement, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    import yaml

    from dlcompare.loading import bundled_data_dir, load_layers
    from dlcompare.measure.command import write_folder

    team = tmp_path / "team"
    team.mkdir()
    # the team's own evaluation, alone (criteria copied), with an edition on the day measured
    criteria = (bundled_data_dir() / "criteria.yaml").read_text(encoding="utf-8")
    (team / "criteria.yaml").write_text(criteria, encoding="utf-8")
    (team / "editions.yaml").write_text(
        f"editions:\n  - date: {measured.date}\n    evaluator: Team A\n    summary: Ours.\n",
        encoding="utf-8",
    )
    dataset = load_layers([team], bundled=False)
    target = tmp_path / "measured"
    write_folder(
        measured,
        target,
        force=False,
        dataset=dataset,
        load=lambda extra: load_layers([team, *extra], bundled=False),
    )
    day_before = measured.date - dt.timedelta(days=1)
    err = capsys.readouterr().err
    assert f"{measured.date} is already an edition (by Team A)" in err
    assert f"dated {day_before}" in err
    written = yaml.safe_load((target / "editions.yaml").read_text(encoding="utf-8"))
    assert [e["date"] for e in written["editions"]] == [day_before]
    layered = load_layers([team, target], bundled=False)
    assert layered.edition_by_date[measured.date].evaluator == "Team A"
    assert "measure" in layered.edition_by_date[day_before].evaluator


def test_measure_help_and_bad_options(cli) -> None:
    assert cli("measure", "--help").code == 0
    assert cli("measure", "--steps", "3").code == 2
    result = cli("measure", "--only", "nosuch", "--steps", "8")
    assert result.code == 2 and "unknown toolkit 'nosuch'" in result.err


# --- honest at the edges (issue 23) -----------------------------------------------------------


def _answer(**overrides: object) -> Ran:
    return Ran.model_validate(_answer_document(**overrides))


def _loads(dataset: object) -> None:
    """A `check` for `folder.write`: loading raised nothing."""


def _answer_document(**overrides: object) -> dict[str, object]:
    steps = 9
    document: dict[str, object] = {
        "status": "ran",
        "version": "1.0",
        "device": "cpu",
        "threads": {},
        "import_s": 0.5,
        "step_s": [0.01] * steps,
        "losses": [3.0 - 0.1 * i for i in range(steps)],
        "rss_after_import_mib": 100.0,
        "peak_rss_mib": 120.0,
    }
    return document | overrides


def test_one_toolkit_measured_is_not_rated_and_says_why() -> None:
    runs = [_run("jax", "mlp", 0.01), _run("jax", "cnn", 0.02), _run("numpy", "mlp", 0.001)]
    [alone] = rating.derive(runs, ["mlp", "cnn"], "tensorflow")
    assert alone.score is None
    assert alone.reason == (
        "not rated: only 1 toolkit valid on every workload (jax); a speed rating compares at "
        "least 2"
    )
    # the second toolkit invalid on one workload: the first is alone again
    runs += [_run("pytorch", "mlp", 0.005), _run("pytorch", "cnn", None, "invalid")]
    ratings = {r.toolkit: r for r in rating.derive(runs, ["mlp", "cnn"], "tensorflow")}
    assert ratings["jax"].score is None and "only 1 toolkit" in ratings["jax"].reason
    assert ratings["pytorch"].score is None and "cnn: invalid" in ratings["pytorch"].reason


def test_ratings_are_on_the_scale_of_the_data() -> None:
    runs = [
        _run("pytorch", "mlp", 0.010),
        _run("jax", "mlp", 0.020),
    ]
    on_ten = {r.toolkit: r.score for r in rating.derive(runs, ["mlp"], "x", scale=(0, 10))}
    assert on_ten == {"pytorch": 10.0, "jax": 5.0}
    from_one = {r.toolkit: r.score for r in rating.derive(runs, ["mlp"], "x", scale=(1, 7))}
    assert from_one == {"pytorch": 7.0, "jax": 4.0}  # 1 + 6 × 0.5
    assert "on the data's scale 1-7, is 1 plus 6 times the geometric mean" in rating.rule((1, 7))
    assert "is 5 times the geometric mean" in rating.rule((0, 5))


def test_a_data_folder_on_another_scale_gets_ratings_on_it(
    measured: Measurement, tmp_path: Path
) -> None:
    """Two toolkits on data rated 0-10: the folder's criteria and ratings are on 0-10, and it
    loads over that data."""
    import yaml

    from dlcompare.loading import bundled_data_dir, load_layers
    from dlcompare.measure import folder

    team = tmp_path / "team"
    (team / "toolkits").mkdir(parents=True)
    criteria = yaml.safe_load((bundled_data_dir() / "criteria.yaml").read_text(encoding="utf-8"))
    criteria["scale"] = {"min": 0, "max": 10}
    (team / "criteria.yaml").write_text(yaml.safe_dump(criteria), encoding="utf-8")
    (team / "editions.yaml").write_text(
        "editions:\n  - date: 2020-01-01\n    evaluator: Team A\n    summary: Ours.\n",
        encoding="utf-8",
    )
    dataset = load_layers([team], bundled=False)
    two = _two_toolkits(measured, scale=(dataset.scale.min, dataset.scale.max))
    assert {r.toolkit: r.score for r in two.ratings} == {"jax": 10.0, "pytorch": 5.0}
    target = tmp_path / "measured"
    folder.write(
        target,
        folder.files(two, dataset),
        force=False,
        check=lambda extra: _loads(load_layers([team, extra], bundled=False)),
    )
    written = yaml.safe_load((target / "criteria.yaml").read_text(encoding="utf-8"))
    assert written["scale"] == {"min": 0.0, "max": 10.0}
    layered = load_layers([team, target], bundled=False)
    assert layered.scale.max == 10


def _two_toolkits(measured: Measurement, scale: tuple[float, float] = (0, 5)) -> Measurement:
    """`measured` with a second toolkit, `pytorch`, twice as slow as JAX on each workload."""
    extra = []
    for run in measured.runs:
        if run.target == "jax" and run.timing:
            slow = run.timing.model_copy(update={"step_median_s": run.timing.step_median_s * 2})
            extra.append(
                run.model_copy(update={"target": "pytorch", "toolkit": "pytorch", "timing": slow})
            )
    runs = (*measured.runs, *extra)
    settings = measured.settings.model_copy(update={"scale_min": scale[0], "scale_max": scale[1]})
    return measured.model_copy(
        update={
            "runs": runs,
            "settings": settings,
            "rule": rating.rule(scale),
            "ratings": rating.derive(runs, ["mlp", "cnn"], "tensorflow", scale),
        }
    )


def test_with_two_toolkits_the_folder_rates_and_rank_uses_it(
    measured: Measurement, tmp_path: Path, cli, bundled
) -> None:
    from dlcompare.loading import load_layers
    from dlcompare.measure import folder

    two = _two_toolkits(measured)
    target = tmp_path / "measured"
    folder.write(
        target,
        folder.files(two, bundled),
        force=False,
        check=lambda extra: _loads(load_layers([extra], bundled=True)),
    )
    ranked = cli(
        "rank", "--data", str(target), "-w", "performance.cpu=1", "--missing", "drop", "-f", "json"
    )
    assert ranked.code == 0, ranked.err
    rows = json.loads(ranked.out)["rows"]
    assert [(row["toolkit"]) for row in rows] == ["jax", "pytorch"]


def test_a_toolkit_the_data_does_not_know_gets_a_file_of_its_own(
    measured: Measurement, tmp_path: Path
) -> None:
    """A toolkit id that the data in use has no file for yet (a newly supported toolkit):
    the folder adds it under its id, with a name, and loads over the bundled data."""
    import yaml

    from dlcompare.loading import load_dataset, load_layers
    from dlcompare.measure import folder

    bundled = load_dataset()
    unknown = "tinygrad" if "tinygrad" not in bundled.toolkit_by_id else "zz-new-toolkit"
    two = _two_toolkits(measured)
    renamed = two.model_copy(
        update={
            "ratings": tuple(
                r.model_copy(update={"toolkit": unknown}) if r.toolkit == "pytorch" else r
                for r in two.ratings
            )
        }
    )
    texts = folder.files(renamed, bundled)
    document = yaml.safe_load(texts[f"toolkits/{unknown}.yaml"])
    assert document["id"] == unknown and document["name"]
    target = tmp_path / "measured"
    folder.write(target, texts, force=False, check=lambda extra: _loads(load_layers([extra])))
    assert unknown in load_layers([target]).toolkit_by_id


def test_only_a_toolkit_that_cannot_run_exits_1_and_says_why(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(targets, "installed", lambda module: module in {"numpy", "jax"})
    result = cli("measure", "--only", "pytorch", "--steps", "8")
    assert result.code == 1, result.err
    assert "--only names what cannot run here; nothing measured" in result.err
    assert "pytorch: not installed (no module 'torch'); its CPU build: pip install torch " in (
        result.err
    )
    assert "measure: [" not in result.err and result.out == ""  # refused before measuring
    # one of two named that cannot run is refused too, rather than quietly left out
    both = cli("measure", "--only", "jax,tensorflow", "--steps", "8")
    assert both.code == 1 and "tensorflow: not installed" in both.err
    assert "jax:" not in both.err


def test_every_toolkit_names_the_command_for_its_cpu_build() -> None:
    from dlcompare.measure.install import CPU_BUILD

    for toolkit in (*targets.ORDER, *targets.BACKEND_TOOLKIT.values()):
        assert CPU_BUILD[toolkit].startswith("pip install "), toolkit
    assert CPU_BUILD["pytorch"] == (
        "pip install torch --index-url https://download.pytorch.org/whl/cpu"
    )


def test_the_help_gives_one_example_a_line() -> None:
    from typer.main import get_command

    from dlcompare.cli import app

    group = get_command(app)
    ctx = group.make_context("dlcompare", [], resilient_parsing=True)
    help_text = group.get_command(ctx, "measure").help or ""  # type: ignore[attr-defined]
    examples = [line.strip() for line in help_text.splitlines() if "dlcompare measure" in line]
    assert len(examples) >= 3
    assert all(line.startswith("dlcompare measure") and " | " not in line for line in examples)


def test_the_numpy_hint_fits_a_checkout_and_an_installed_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    from dlcompare.measure import install

    checkout = tmp_path / "my checkout"
    (checkout / "src" / "dlcompare").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text('[project]\nname = "dlcompare"\n', encoding="utf-8")
    hint = install.measure_extra(checkout)
    words = shlex.split(hint)
    assert words[1:4] == ["-m", "pip", "install"] and words[4] == f"{checkout}[measure]"
    assert words[0] == sys.executable
    # installed from a built package: not on the package index, so the extra's one package
    monkeypatch.setattr(install, "_installed_from", lambda: None)
    elsewhere = tmp_path / "site-packages"
    elsewhere.mkdir()
    assert shlex.split(install.measure_extra(elsewhere))[1:] == ["-m", "pip", "install", "numpy"]
    # installed from a local folder (pip install /path or -e /path): that folder
    monkeypatch.setattr(install, "_installed_from", lambda: checkout)
    assert shlex.split(install.measure_extra(elsewhere))[4] == f"{checkout}[measure]"


# --- workers that lie, stall or leave things behind (issue 25) --------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"step_s": None}, "step_s"),
        ({"losses": None}, "losses"),
        ({"peak_rss_mib": None}, "peak_rss_mib"),
        ({"step_s": [0.01] * 8 + [0.0]}, "step_s.8: Input should be greater than 0"),
        ({"step_s": [0.01] * 8 + [float("nan")]}, "step_s.8: Input should be a finite number"),
        ({"step_s": [-0.01] * 9}, "step_s.0: Input should be greater than 0"),
        ({"step_s": [0.01]}, "step_s has 1 value(s), one per step (9) expected"),
        ({"losses": ["2.3"] * 9}, "losses.0: Input should be a valid number"),
        ({"import_s": "fast"}, "import_s"),
        ({"status": "done"}, "status"),
    ],
    ids=[
        "no-steps",
        "no-losses",
        "no-memory",
        "zero-time",
        "nan-time",
        "negative-times",
        "single-time",
        "losses-as-text",
        "text-import-time",
        "unknown-status",
    ],
)
def test_an_answer_that_does_not_fit_fails_that_run_only(
    tmp_path: Path, change: dict[str, object], expected: str
) -> None:
    document = _answer_document(**change)
    document = {k: v for k, v in document.items() if v is not None}
    python = _fake_python(tmp_path, f"cat > /dev/null; echo '{json.dumps(document)}'")
    outcome = runner.run_worker({"steps": 9}, dict(os.environ), 60, python)
    assert outcome.status == "failed"
    assert outcome.reason is not None and expected in outcome.reason
    assert outcome.reason.startswith("the worker's answer")
    run = runner.verdict(
        targets.Target("jax"), "mlp", outcome, reference=[3.0, 2.9], batch_size=4, batches=4
    )
    assert run.status == "failed" and run.timing is None


def test_answers_that_are_not_objects_fail_cleanly(tmp_path: Path) -> None:
    for text in ("[1, 2]", "not json at all", '"ran"'):
        python = _fake_python(tmp_path, f"echo '{text}'")
        outcome = runner.run_worker({"steps": 9}, dict(os.environ), 60, python)
        assert outcome.status == "failed" and "the worker's answer" in (outcome.reason or "")


def test_a_lying_worker_leaves_the_rest_of_the_run_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker of one toolkit answers negative times: that toolkit failed, with the
    reason; the reference and the other workload still ran; nothing raised."""
    liar = _fake_python(
        tmp_path, f"cat > /dev/null; echo '{json.dumps(_answer_document(step_s=[-1.0] * 9))}'"
    )
    real = runner.run_worker

    def worker(request, env, timeout_s, python=None):
        fake = liar if request["adapter"] == "jax" and request["workload"] == "mlp" else None
        return real(request, env, timeout_s, fake or python)

    monkeypatch.setattr(runner, "run_worker", worker)
    result = measure(Options(steps=8, batch_size=4, only=("jax",)))
    assert by(result, "jax", "mlp").status == "failed"
    assert "step_s.0: Input should be greater than 0" in (by(result, "jax", "mlp").reason or "")
    assert by(result, "numpy", "mlp").status == "valid"
    assert by(result, "jax", "cnn").status == "valid"


def test_a_reference_loss_of_zero_does_not_divide_by_zero() -> None:
    falling = [0.0, 2.9, 2.8, 2.7, 2.0, 1.9, 1.8, 1.7, 1.0]
    assert runner.check(falling, [0.0, 2.9], batches=4).rel_error == 0.0
    assert runner.check(falling, [0.0, 2.9], batches=4).agrees
    off = runner.check([0.5, *falling[1:]], [0.0, 2.9], batches=4)
    assert off.rel_error == math.inf and not off.agrees


def test_bytes_that_are_not_utf8_on_stderr_never_end_the_run(tmp_path: Path) -> None:
    python = _fake_python(tmp_path, "printf 'caf\\351 \\377\\376 broke\\n' >&2; exit 2")
    outcome = runner.run_worker({}, dict(os.environ), 60, python)
    assert outcome.status == "failed"
    assert outcome.reason == "exit status 2: caf\ufffd \ufffd\ufffd broke"
    answer = json.dumps(_answer_document())
    talkative = _fake_python(tmp_path, f"printf '\\377\\376\\n' >&2; echo '{answer}'")
    assert runner.run_worker({"steps": 9}, dict(os.environ), 60, talkative).status == "ran"


def test_a_helper_holding_the_output_cannot_defeat_the_time_limit(tmp_path: Path) -> None:
    """The worker starts a helper in a session of its own (out of reach of its process
    group) that keeps the worker's output open, then hangs: the limit still holds."""
    import time

    python = _fake_python(tmp_path, "setsid sleep 30 & sleep 60")
    started = time.monotonic()
    outcome = runner.run_worker({}, dict(os.environ), timeout_s=1, python=python)
    assert outcome.status == "timeout"
    assert time.monotonic() - started < 10


def test_a_worker_that_answered_is_not_held_up_by_its_helper(tmp_path: Path) -> None:
    """The worker answers and ends, leaving a helper with its output open: the answer counts
    at once (no waiting for the helper, no timeout), and the helper is killed with the
    worker's process group."""
    import time

    answer = json.dumps(_answer_document())
    pid_file = tmp_path / "helper.pid"
    python = _fake_python(tmp_path, f"sleep 60 & echo $! > {pid_file}; echo '{answer}'")
    started = time.monotonic()
    outcome = runner.run_worker({"steps": 9}, dict(os.environ), timeout_s=20, python=python)
    assert outcome.status == "ran"
    assert time.monotonic() - started < 10
    assert _wait_gone(int(pid_file.read_text(encoding="utf-8")))


def _alive(pid: int) -> bool:
    """Is `pid` one of the stand-in's processes (its shell or its `sleep`), not ended (a
    zombie has ended)? The command line is compared so that a reused pid is not taken for it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    return state != "Z" and (b"sleep" in command or b"python" in command)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text(encoding="utf-8")[:400]
    except OSError:
        return "gone"


def _wait_gone(pid: int, seconds: float = 10) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_an_error_in_the_parent_kills_the_worker_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import time

    pid_file = tmp_path / "pids"
    python = _fake_python(tmp_path, f"sleep 60 & echo $$ $! > {pid_file}; wait")
    real_wait = subprocess.Popen.wait

    def failing_wait(self, timeout=None):
        if timeout is not None:
            while not pid_file.exists() or not pid_file.read_text(encoding="utf-8").strip():
                time.sleep(0.05)
            raise RuntimeError("boom")
        return real_wait(self)

    monkeypatch.setattr(subprocess.Popen, "wait", failing_wait)
    with pytest.raises(RuntimeError, match="boom"):
        runner.run_worker({}, dict(os.environ), 60, python)
    monkeypatch.undo()
    for pid in map(int, pid_file.read_text(encoding="utf-8").split()):
        assert _wait_gone(pid), pid


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_ending_measure_by_a_signal_kills_the_worker_group(tmp_path: Path, sig: str) -> None:
    """`dlcompare measure` as a process of its own, its workers replaced by a stand-in that
    starts a helper and hangs: a signal to measure ends it (exit 130, as Ctrl-C) and
    leaves neither the worker nor its helper running, nor a temporary folder."""
    import signal
    import subprocess
    import time

    pid_file = tmp_path / "pids"
    python = _fake_python(tmp_path, f"sleep 120 & echo $$ $! > {pid_file}; wait")
    script = (
        "import sys\n"
        "from dlcompare.measure import runner\n"
        f"runner.PYTHON = {python!r}\n"
        "from dlcompare.__main__ import main\n"
        "sys.argv = ['dlcompare', 'measure', '--only', 'jax', '--steps', '8', '-o', 'out']\n"
        "main()\n"
    )
    env = dict(
        os.environ, PYTHONPATH=str(Path(__file__).parent.parent / "src"), TMPDIR=str(tmp_path)
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not (pid_file.exists() and pid_file.read_text(encoding="utf-8").strip()):
        assert time.monotonic() < deadline and process.poll() is None, process.stderr
        time.sleep(0.05)
    process.send_signal(getattr(signal, sig))
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    for pid in map(int, pid_file.read_text(encoding="utf-8").split()):
        assert _wait_gone(pid), (pid, _state(pid), err)
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("dlcompare-", ".out"))]


def test_o_onto_a_missing_folder_is_refused_before_measuring(cli, tmp_path: Path) -> None:
    result = cli("measure", *TINY_ARGS, "-o", str(tmp_path / "nowhere" / "measured"))
    assert result.code == 1
    assert "cannot write here: the folder" in result.err and "does not exist" in result.err
    assert "measure: [" not in result.err  # nothing was measured
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    under_file = cli("measure", *TINY_ARGS, "-o", str(tmp_path / "a-file" / "measured"))
    assert under_file.code == 1 and "is not a folder" in under_file.err
    assert "measure: [" not in under_file.err


def test_o_onto_an_existing_file_is_refused_before_measuring(cli, tmp_path: Path) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me", encoding="utf-8")
    for extra in ((), ("--force",)):
        result = cli("measure", *TINY_ARGS, "-o", str(existing), *extra)
        assert result.code == 1 and "measure: [" not in result.err
        assert existing.read_text(encoding="utf-8") == "keep me"


# --- the toolkits added in issue 26, where installed ------------------------------------------


@pytest.mark.parametrize("adapter", ["mlx", "paddlepaddle", "mindspore", "tinygrad", "pytorch"])
def test_an_installed_toolkit_computes_what_the_reference_does(adapter: str) -> None:
    """Run where the toolkit is installed (the test extra installs none of these): both
    workloads valid against the NumPy reference, with figures."""
    if not targets.installed(targets.MODULES[adapter]):
        pytest.skip(f"{adapter} is not installed here")
    result = measure(Options(steps=8, batch_size=4, only=(adapter,)))
    for workload in ("mlp", "cnn"):
        run = by(result, adapter, workload)
        assert run.status == "valid", run.reason
        assert run.check is not None and run.check.rel_error is not None
        assert run.check.rel_error <= runner.TOLERANCE_REL
        assert run.timing is not None and run.version

"""Toolkit status as a sourced fact: the schema, the bundled facts, and every output showing it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from pydantic import ValidationError

from dlcompare.schema import ProjectStatus

# The facts entered for the bundled toolkits, with the source each one rests on.
FACTS = {
    "tensorflow": ("active", None, "https://pypi.org/project/tensorflow/", None),
    "pytorch": ("active", None, "https://pypi.org/project/torch/", None),
    "jax": ("active", None, "https://pypi.org/project/jax/", None),
    "keras": ("active", None, "https://pypi.org/project/keras/", None),
    "theano": (
        "ended",
        dt.date(2017, 9, 28),
        "https://groups.google.com/g/theano-users/c/7Poq8BZutbY",
        "https://github.com/pymc-devs/pytensor",
    ),
    "cntk": (
        "ended",
        dt.date(2019, 3, 29),
        "https://docs.microsoft.com/en-us/cognitive-toolkit/news",
        None,
    ),
    "torch": (
        "ended",
        dt.date(2018, 7, 2),  # the commit that added the README's notice; no end date is given
        "https://github.com/torch/torch7/commit/fd0ee3bbf7bfdd21ab10c5ee70b74afaef9409e1",
        "https://github.com/pytorch/pytorch",
    ),
    "caffe": (
        "inactive",
        dt.date(2017, 4, 18),
        "https://github.com/BVLC/caffe/releases/tag/1.0",
        "https://github.com/caffe2/caffe2",
    ),
    "mxnet": ("ended", dt.date(2023, 9, 20), "https://attic.apache.org/projects/mxnet.html", None),
    "chainer": (
        "ended",
        dt.date(2019, 12, 5),
        "https://chainer.org/announcement/2019/12/05/released-v7.html",
        "https://github.com/pytorch/pytorch",
    ),
}


@pytest.mark.parametrize("toolkit", sorted(FACTS))
def test_bundled_status_facts(bundled, toolkit):
    status = bundled.toolkit_by_id[toolkit].status
    assert status is not None
    successor = status.successor.url if status.successor else None
    assert (status.state, status.date, status.source, successor) == FACTS[toolkit]
    assert status.note
    assert status.checked == dt.date(2026, 12, 3)


def _status(**changes: object) -> ProjectStatus:
    base = {"state": "ended", "source": "https://example.org/end", "note": "It ended."}
    return ProjectStatus.model_validate({**base, **changes})


def test_status_schema_rules():
    assert _status(date="2017-09-28").date == dt.date(2017, 9, 28)
    with pytest.raises(ValidationError, match="Extra inputs"):
        _status(reason="typo")
    with pytest.raises(ValidationError, match="active project has no end date"):
        _status(state="active", date="2020-01-01")
    with pytest.raises(ValidationError, match="inactive project needs the date"):
        _status(state="inactive")
    with pytest.raises(ValidationError, match="http"):
        _status(source="github.com/x")
    with pytest.raises(ValidationError):
        _status(state="dead")
    with pytest.raises(ValidationError):
        _status(note="")


def test_status_is_optional(data_copy, cli):
    path = data_copy / "toolkits" / "caffe.yaml"
    text = path.read_text()
    start = text.index("status:")
    end = text.index("ratings:")
    path.write_text(text[:start] + text[end:])
    assert cli("validate", str(data_copy), "--no-bundled").code == 0


def test_validate_names_a_broken_status(data_copy, cli):
    path = data_copy / "toolkits" / "theano.yaml"
    path.write_text(path.read_text().replace("  state: ended\n", "  state: ended\n  when: soon\n"))
    outcome = cli("validate", str(data_copy), "--no-bundled", "--format", "json")
    assert outcome.code == 1
    [problem] = json.loads(outcome.out)["problems"]
    assert problem["file"].endswith("theano.yaml")
    assert problem["where"] == "status › when"
    assert problem["message"].startswith("unknown key")
    assert "successor" in problem["message"]  # the allowed keys are listed


def test_status_in_show_json_and_table(cli):
    doc = json.loads(cli("show", "-f", "json").out)
    states = {t: s["state"] if s else None for t, s in doc["toolkit_status"].items()}
    assert states == {  # the toolkits the latest edition names, rated or not
        "caffe": "inactive",
        "chainer": "ended",
        "mxnet": "ended",
        "cntk": "ended",
        "deeplearning4j": "inactive",
        "jax": "active",
        "keras": "active",
        "mindspore": "active",
        "mlx": "active",
        "paddlepaddle": "active",
        "pytorch": "active",
        "tensorflow": "active",
        "theano": "ended",
        "tinygrad": "active",
        "torch": "ended",
    }
    assert doc["toolkit_status"]["theano"]["date"] == "2017-09-28"
    assert doc["toolkit_status"]["theano"]["checked"] == "2026-12-03"
    table = cli("show", "theano").out
    assert table.startswith("Theano (ended)\n")
    assert "ended 2017-09-28" in table
    assert "https://groups.google.com/g/theano-users/c/7Poq8BZutbY" in table


def test_status_in_diff_every_format(cli):
    doc = json.loads(cli("diff", "torch", "tensorflow", "-f", "json").out)
    assert doc["toolkit_status"]["torch"]["successor"]["name"].startswith("PyTorch")
    assert doc["toolkit_status"]["tensorflow"]["state"] == "active"
    table = " ".join(cli("diff", "torch", "tensorflow").out.split())
    assert "Torch (ended) vs TensorFlow" in table
    assert "successor PyTorch" in table
    assert "Successor: PyTorch" not in table  # the status table is reference material: -v
    verbose = " ".join(cli("diff", "torch", "tensorflow", "-v").out.split())
    assert "Successor: PyTorch" in verbose
    markdown = cli("diff", "torch", "tensorflow", "-f", "markdown", "-v").out
    assert "| Torch | ended 2018-07-02 |" in markdown
    csv_rows = list(
        csv.DictReader(io.StringIO(cli("diff", "torch", "tensorflow", "-f", "csv").out))
    )
    assert all((r["left_state"], r["right_state"]) == ("ended", "active") for r in csv_rows)


def test_status_in_rank_every_format(cli):
    args = ("rank", "-w", "model-deployment=1", "--as-of", "2016-12-06")
    doc = json.loads(cli(*args, "-f", "json").out)
    assert doc["toolkit_status"]["cntk"]["state"] == "ended"
    assert doc["toolkit_status"]["cntk"]["date"] == "2019-03-29"
    table = cli(*args).out
    assert "Caffe (inactive)" in table
    assert "CNTK (ended)" in table
    markdown = cli(*args, "-f", "markdown", "--verbose").out
    assert "| Caffe | inactive since 2017-04-18 |" in markdown
    rows = [line.split(",") for line in cli(*args, "-f", "csv").out.splitlines()]
    header, body = rows[0], rows[1:]
    column = header.index("toolkit_state")
    assert {row[1]: row[column] for row in body} == {
        "caffe": "inactive",
        "cntk": "ended",
        "tensorflow": "active",
        "theano": "ended",
        "torch": "ended",
    }


def test_status_in_list(cli):
    doc = json.loads(cli("list", "-f", "json").out)
    by_id = {t["id"]: t for t in doc["toolkits"]}
    assert by_id["theano"]["status"]["state"] == "ended"
    csv_text = cli("list", "-f", "csv").out
    assert "toolkit,cntk,CNTK,,microsoft-cognitive-toolkit,2015-12-07," in csv_text
    assert ",ended,2019-03-29,https://docs.microsoft.com/en-us/cognitive-toolkit/news," in csv_text

"""The views build their results without validating them again (`model_construct`: building a
result model's validator costs more than the rest of `show`). Every value is computed from
validated data, of the declared type; these tests hold them to it: validating a result's dump
gives back the same result, every value of the same type (4 stays 4.0, a tuple a tuple)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from dlcompare import api
from dlcompare.dataset import Evaluation


def shape(value: Any) -> Any:
    """`value` with the type of everything in it, nested models, tuples and dicts included."""
    if isinstance(value, BaseModel):
        return (type(value), {name: shape(v) for name, v in vars(value).items()})
    if isinstance(value, list | tuple):
        return (type(value), [shape(v) for v in value])
    if isinstance(value, dict):
        return (dict, {shape(k): shape(v) for k, v in value.items()})
    return (type(value), value)


def assert_as_validated(result: BaseModel) -> None:
    again = type(result).model_validate(result.model_dump())
    assert shape(result) == shape(again)
    assert result.model_dump_json() == again.model_dump_json()


@pytest.fixture(scope="module")
def latest() -> Evaluation:
    return api.at(api.load())


LONG_AFTER = dt.date(2040, 1, 1)
"""A day on which every rating is stale."""


@pytest.mark.parametrize(
    "subject", [None, "performance", "model-deployment", "performance.multi-gpu", "tf", "torch"]
)
@pytest.mark.parametrize("as_of", [None, "2015-11-20", "2016-11-13"])
def test_show(subject: str | None, as_of: str | None) -> None:
    evaluation = api.at(api.load(), as_of)
    assert_as_validated(api.show(evaluation, subject))
    assert_as_validated(api.show(evaluation, subject, stale_after=1, today=LONG_AFTER))


@pytest.mark.parametrize(
    ("left", "right", "criteria"),
    [
        ("tensorflow", "pytorch", None),
        ("tensorflow", "torch", None),
        ("tensorflow@2015-11-20", "tensorflow", None),
        ("tensorflow@2016-11-13", "tensorflow", "model-deployment"),
        ("jax", "mindspore", "performance"),
    ],
)
def test_diff(latest: Evaluation, left: str, right: str, criteria: str | None) -> None:
    assert_as_validated(api.diff(latest, left, right, criteria))
    assert_as_validated(api.diff(latest, left, right, criteria, stale_after=1, today=LONG_AFTER))


@pytest.mark.parametrize("missing", ["drop", "partial"])
@pytest.mark.parametrize(
    "weights",
    [
        {"interfaces": 1, "performance": 2},  # whole numbers, a criterion with parts
        {"performance.single-gpu": 0.75, "model-deployment": {"browser": 1}},
        {"model-deployment": 3, "architecture": 0, "ecosystem": 1},
    ],
)
def test_rank(latest: Evaluation, weights: dict[str, Any], missing: Any) -> None:
    assert_as_validated(api.rank(latest, weights, missing=missing, stale_after=1))
    assert_as_validated(api.rank(latest, weights, missing=missing, sensitivity=True, samples=200))
    old = api.at(api.load(), "2016-05-11")
    assert_as_validated(api.rank(old, {"interfaces": 1}, missing=missing, today=LONG_AFTER))

"""What a worker may answer, checked before any figure of it is used.

A worker runs a toolkit's code, which may print, crash, or (through a bug of the adapter or
the toolkit) report figures that make no sense. Its answer is one JSON object on the last line
of its output; anything that does not fit the models here makes that run `failed`, with the
reason, and the measurement goes on. Times must be finite and positive, one per step asked
for; losses numbers, one per step (a loss that is not finite is the check's business: the run
is then `invalid`, not `failed`); memory finite and not negative.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Seconds = Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)]
Mebibytes = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]
Loss = Annotated[float, Field(strict=True)]
Words = Annotated[str, Field(max_length=10_000)]


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Ran(_Answer):
    """The worker ran every step."""

    status: Literal["ran"]
    version: Words | None = None
    device: Words
    gpu: Words | None = None
    threads: dict[Words, Words] = Field(default_factory=dict)
    import_s: Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]
    step_s: list[Seconds]
    losses: list[Loss]
    rss_after_import_mib: Mebibytes
    peak_rss_mib: Mebibytes


class Stopped(_Answer):
    """The worker could not run: an error, out of memory, or no GPU visible to the toolkit."""

    status: Literal["failed", "oom", "no-gpu"]
    reason: Words
    version: Words | None = None


class Invalid(ValueError):
    """The worker's answer does not fit: the message says how."""


def _problems(error: ValidationError) -> str:
    shown = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item["loc"]) or "the answer"
        shown.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(shown)
    return "; ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def read(line: str, steps: int) -> Ran | Stopped:
    """The answer on `line`, checked; `steps` is the number of steps the worker was asked for.
    Raises Invalid, whose message says what is wrong, for anything else."""
    try:
        document = json.loads(line)
    except ValueError:
        raise Invalid("the worker's answer is not JSON") from None
    if not isinstance(document, dict):
        raise Invalid("the worker's answer is not a JSON object")
    model: type[Ran | Stopped] = Ran if document.get("status") == "ran" else Stopped
    try:
        answer = model.model_validate(document)
    except ValidationError as error:
        raise Invalid(f"the worker's answer does not fit: {_problems(error)}") from None
    if isinstance(answer, Ran):
        for name, values in (("step_s", answer.step_s), ("losses", answer.losses)):
            if len(values) != steps:
                raise Invalid(
                    f"the worker's answer does not fit: {name} has {len(values)} value(s), "
                    f"one per step ({steps}) expected"
                )
    return answer

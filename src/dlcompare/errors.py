"""The project's own error types. Everything a user can cause ends in one of these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class DlcompareError(Exception):
    """Bad input or bad data: the CLI prints the message and exits 1."""

    exit_code = 1


class UsageError(DlcompareError):
    """The command line itself is incomplete (e.g. `rank` without weights): exit 2."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where it is (file › key path) and what is wrong."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file} › {self.where}" if self.where else self.file
        return f"{location}: {self.message}"


class DataError(DlcompareError):
    """One or more problems in data files, reported together."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFoundError(DlcompareError):
    """A toolkit, criterion or edition name that matches nothing."""


class WeightsError(DlcompareError):
    """Weights that cannot be used: unknown criteria, bad numbers, nothing to rank on."""

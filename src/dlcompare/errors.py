"""The project's own error types. Everything a user can cause ends in one of these."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .lookalike import unambiguous

SHOWN_LENGTH = 60
"""Longest piece of user input quoted back in a message: enough to recognise it."""


def printable(text: str, *, newlines: bool = True) -> str:
    """`text` with control characters (escape sequences, NUL, ...) written as `\\x1b` etc.,
    so that a message quoting hostile input cannot drive the terminal."""
    if text.isprintable():
        return text
    return "".join(
        ch
        if (ch == "\n" and newlines) or unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"}
        else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def shown(value: Any) -> str:
    """A short, YAML-like rendering of a value a user gave, for messages: `'abc'`, `true`,
    `null`, `2015-12-07`, `a list of 3 item(s)`. Long text is cut, never printed whole."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".15g")  # nan, inf, -1, 0.25, 1e+100
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else "a very large number"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        cut = value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 1] + "…"
        return f"'{printable(unambiguous(cut), newlines=False)}'"
    if isinstance(value, Mapping):
        return f"a mapping of {len(value)} key(s)"
    if isinstance(value, list | tuple | set | frozenset):
        return f"a list of {len(value)} item(s)"
    return f"a {type(value).__name__}"


SHOWN_PATH = 120
"""Longest path quoted whole in a message; a longer one keeps its start and its end."""


def shown_path(path: object) -> str:
    """A path for a message: control characters escaped, and a very long one cut in the
    middle (`/tmp/aaaa…aaaa/file.html`), so that a 100,000-character argument is not echoed."""
    text = printable(str(path), newlines=False)
    if len(text) <= SHOWN_PATH:
        return text
    return f"{text[: SHOWN_PATH // 2]}…{text[-SHOWN_PATH // 2 + 1 :]} ({len(text)} characters)"


def kind_of(value: Any) -> str:
    """What sort of YAML value this is, in words: `a list`, `text`, `a number`."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    return f"a {type(value).__name__}"


class DlcompareError(Exception):
    """Bad input or bad data: the CLI prints the message and exits 1."""

    exit_code = 1


class UsageError(DlcompareError):
    """The command line itself is incomplete (e.g. `rank` without weights): exit 2."""

    exit_code = 2


class Problem(NamedTuple):
    """One thing wrong in one file: where it is (file › key path) and what is wrong."""

    file: str
    where: str
    message: str
    line: int | None = None
    """The line of `where` in the file (1-based), where known."""

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        if self.where:
            location += f" › {self.where}"
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

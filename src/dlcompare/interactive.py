"""`dlcompare weights init --interactive`: a weights file built by answering one question per
criterion. Questions and notes go to stderr, so that stdout carries only the file."""

from __future__ import annotations

import math
import shutil
import sys
import textwrap
from collections.abc import Callable

from .dataset import Evaluation, Leaf
from .errors import DlcompareError, UsageError

MAX_WEIGHT = 5
SKIP_ANSWERS = frozenset({"", "s", "skip", "-"})

NOT_A_TERMINAL = (
    "weights init --interactive asks its questions on a terminal, and standard input is not "
    "one. Write the template instead and edit it: dlcompare weights init -o mine.yaml"
)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _number(value: float) -> str:
    return format(value, "g")


def spread(evaluation: Evaluation, leaf: Leaf) -> tuple[list[tuple[str, float]], list[str]]:
    """The toolkits' scores on `leaf`, best first (ties by name), and the names of those
    present but not rated on it."""
    rated, unrated = [], []
    for toolkit in evaluation.rated_toolkits:
        score = evaluation.score(toolkit.id, leaf.path)
        if score is None:
            unrated.append(toolkit.name)
        else:
            rated.append((toolkit.name, score))
    rated.sort(key=lambda item: (-item[1], item[0].lower()))
    return rated, unrated


def _parse(answer: str) -> float | None:
    """A weight from 0 to MAX_WEIGHT, or None for 'skip'; ValueError for anything else."""
    text = answer.strip().lower()
    if text in SKIP_ANSWERS:
        return None
    value = float(text)
    if not (math.isfinite(value) and 0 <= value <= MAX_WEIGHT):
        raise ValueError(text)
    return value


def _answer(read: Callable[[], str], write: Callable[[str], object]) -> float | None:
    """Ask until the answer is a weight or a skip (None)."""
    while True:
        write(f"  Weight 0-{MAX_WEIGHT}, Enter to skip: ")
        answer = read()
        if not answer:  # end of input; an empty line is "\n"
            write("\n")
            raise DlcompareError("the input ended before every criterion was answered")
        try:
            return _parse(answer)
        except ValueError:
            write(f"  Please answer a number from 0 to {MAX_WEIGHT}, or press Enter to skip.\n")


def ask(
    evaluation: Evaluation,
    read: Callable[[], str] | None = None,
    write: Callable[[str], object] | None = None,
    width: int | None = None,
) -> dict[str, float]:
    """Ask, criterion by criterion, how much it matters (0 to 5, or Enter to skip it), showing
    its description and every toolkit's score on it. Returns `{leaf path: weight}` without the
    skipped criteria, after showing each weight's share of the total. Reads lines from `read`
    (default: standard input) and writes to `write` (default: standard error). Raises
    DlcompareError when the input ends early or no weight is above 0."""
    read = read or sys.stdin.readline
    write = write or sys.stderr.write
    width = width or min(shutil.get_terminal_size((80, 24)).columns, 100)

    from .render.escape import terminal

    encoding = getattr(sys.stderr, "encoding", None)

    def say(text: str = "", indent: str = "") -> None:
        """One paragraph to the terminal; text from data goes out through the terminal's
        escaping function, like every table."""
        if not text:
            write("\n")
            return
        for line in textwrap.wrap(
            text, width - 1, initial_indent=indent, subsequent_indent=indent
        ) or [""]:
            write(terminal(line, encoding) + "\n")

    dataset = evaluation.dataset
    scale = f"{_number(dataset.scale.min)} to {_number(dataset.scale.max)}"
    edition = evaluation.edition
    say("How much does each criterion matter to you?")
    say(
        f"Answer 0 (not at all) to {MAX_WEIGHT} (very much), or press Enter to skip it "
        "(leave it out). Only the ratios between weights count."
    )
    say(f"Scores are from the edition of {edition.date} by {edition.evaluator}, {scale}.")
    chosen: dict[str, float] = {}
    leaves = evaluation.leaves
    for number, leaf in enumerate(leaves, 1):
        say()
        say(f"[{number}/{len(leaves)}] {leaf.name} ({leaf.path})")
        say(leaf.description, "  ")
        rated, unrated = spread(evaluation, leaf)
        if not rated:
            say("No toolkit is rated on it in this edition, so it is left out.", "  ")
            continue
        scores = ", ".join(f"{name} {_number(score)}" for name, score in rated)
        say(f"Scores, best first: {scores}.", "  ")
        if unrated:
            say(f"Not rated: {', '.join(unrated)}.", "  ")
        weight = _answer(read, write)
        if weight is not None:
            chosen[leaf.path] = weight
    total = math.fsum(chosen.values())
    say()
    if total <= 0:
        raise DlcompareError(
            "no criterion has a weight above 0, and rank needs at least one; nothing written"
        )
    say("Your weights and each one's share of the total:")
    column = max(len(path) for path in chosen)
    for path, weight in chosen.items():
        write(f"  {path:<{column}}  {_number(weight):>3}  {100 * weight / total:>3.0f} %\n")
    left_out = [leaf.path for leaf in leaves if leaf.path not in chosen]
    if left_out:
        say(f"Left out: {', '.join(left_out)}.", "  ")
    gaps = _gaps(evaluation, [path for path, weight in chosen.items() if weight > 0])
    if gaps:
        say(
            f"Not rated on a weighted criterion: {'; '.join(gaps)}. rank leaves them out and "
            "lists them below the ranking; --missing partial scores each over what it has, "
            "--missing error stops instead."
        )
    return chosen


def _gaps(evaluation: Evaluation, paths: list[str]) -> list[str]:
    """`Caffe (performance.single-gpu)` for each toolkit without a score on a weighted path."""
    gaps = []
    for toolkit in evaluation.rated_toolkits:
        missing = [p for p in paths if evaluation.score(toolkit.id, p) is None]
        if missing:
            gaps.append(f"{toolkit.name} ({', '.join(missing)})")
    return gaps


def build(evaluation: Evaluation) -> dict[str, float]:
    """`ask` on the terminal; a polite usage error when standard input is not one."""
    if not stdin_is_terminal():
        raise UsageError(NOT_A_TERMINAL)
    return ask(evaluation)

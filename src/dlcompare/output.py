"""Writing results: stdout is data, stderr is talk. The one place that writes output."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import DlcompareError

if TYPE_CHECKING:
    from pydantic import BaseModel


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"


class ReportFormat(StrEnum):
    """The formats of `report`: documents to read or share, and the JSON they are made from."""

    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


class OutputClosed(Exception):
    """The reader of stdout went away (e.g. `dlcompare show | head -1`)."""


def render(result: BaseModel, fmt: Format, stream: TextIO) -> None:
    """Write `result` to `stream` in `fmt`."""
    try:
        if fmt is Format.JSON:
            stream.write(result.model_dump_json(indent=2) + "\n")
        elif fmt is Format.CSV:
            from .render import csv

            stream.write(csv.render(result))
        elif fmt is Format.MARKDOWN:
            from .render import layout, markdown

            stream.write(markdown.render(layout.document(result)))
        else:
            from .render import layout, terminal

            terminal.render(layout.document(result), terminal.console(stream))
        stream.flush()
    except BrokenPipeError:
        raise OutputClosed from None


def document_text(result: BaseModel, fmt: ReportFormat) -> str:
    """`result` as one whole document in `fmt`, ready to print or to write to a file."""
    if fmt is ReportFormat.HTML:
        from .render import html, layout

        return html.render(layout.document(result))
    buffer = io.StringIO()
    render(result, Format(fmt.value), buffer)
    return buffer.getvalue()


def emit(result: BaseModel, fmt: Format) -> None:
    render(result, fmt, sys.stdout)


def emit_text(text: str) -> None:
    """Write ready-made text (a template, a schema) to stdout."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise OutputClosed from None


def _new_file_mode(path: Path) -> int:
    """The existing file's mode when replacing it; otherwise 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, text: str, *, force: bool) -> None:
    """Write a file completely or not at all: a temporary file beside it, then a rename."""
    if path.is_dir():
        raise DlcompareError(f"{path}: is a directory; give a file name")
    if path.exists() and not force:
        raise DlcompareError(f"{path}: already exists; use --force to overwrite it")
    folder = path.parent if str(path.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise DlcompareError(f"{path}: cannot write here ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            # mkstemp makes the file private (0600); give it the mode a plain write would have
            os.fchmod(file.fileno(), _new_file_mode(path))
        Path(temporary).replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise DlcompareError(f"{path}: cannot write ({error.strerror})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

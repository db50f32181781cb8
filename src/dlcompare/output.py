"""Writing results: stdout is data, stderr is talk. The one place that writes output."""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import DlcompareError, shown_path

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


def _is_utf8(stream: TextIO) -> bool:
    """Whether `stream` writes text as UTF-8 (a StringIO, having no encoding, holds text)."""
    encoding = getattr(stream, "encoding", None)
    return not encoding or encoding.lower().replace("_", "-") in ("utf-8", "utf8")


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def ascii_json(text: str) -> str:
    """JSON text with every non-ASCII character written as a `\\uXXXX` escape (a pair of them
    beyond the BMP): the same JSON value, valid in any ASCII-compatible encoding. Outside
    strings JSON is ASCII, so the escapes land inside strings only."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return text if text.isascii() else _NON_ASCII.sub(escape, text)


def write_document(stream: TextIO, text: str, *, json: bool = False) -> None:
    """Write a whole document (JSON, CSV, Markdown, HTML, YAML) to `stream`. On a stream that
    is not UTF-8 (`PYTHONIOENCODING=latin-1`, a C locale) nothing is changed into something
    else: JSON goes out with ASCII escapes (still JSON, the same value), any other document
    as the UTF-8 bytes that `-o FILE` would write."""
    if _is_utf8(stream):
        stream.write(text)
    elif json:
        stream.write(ascii_json(text))
    else:
        binary = getattr(stream, "buffer", None)
        if binary is None:
            stream.write(text)
            return
        stream.flush()
        binary.write(text.encode("utf-8"))
        binary.flush()


def render(result: BaseModel, fmt: Format, stream: TextIO, *, verbose: bool = False) -> None:
    """Write `result` to `stream` in `fmt`. `verbose` (`-v`): the human formats (table and
    Markdown) add the reference material a view leaves out by default; JSON and CSV always
    carry everything."""
    try:
        if fmt is Format.JSON:
            write_document(stream, result.model_dump_json(indent=2) + "\n", json=True)
        elif fmt is Format.CSV:
            from .render import csv

            write_document(stream, csv.render(result))
        elif fmt is Format.MARKDOWN:
            from .render import layout, markdown

            write_document(stream, markdown.render(layout.document(result, verbose=verbose)))
        else:
            from .render import layout, terminal

            terminal.render(layout.document(result, verbose=verbose), terminal.console(stream))
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


PROGRESS_AFTER = 1.0
"""Seconds of work before progress is shown on stderr."""


def progress(what: str) -> Callable[[int, int], None]:
    """A callback telling stderr how long work goes on (`sampling weights: 40 % of 10,000`),
    once it has taken over PROGRESS_AFTER seconds, at most once a second, on one line
    rewritten in place and cleared at the end. Only on a terminal: piped or logged, a run that
    succeeds stays quiet."""
    import time

    if not sys.stderr.isatty():
        return lambda done, total: None

    start = time.monotonic()
    state = {"shown": 0.0}

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if now - start < PROGRESS_AFTER or (now - state["shown"] < 1.0 and not finished):
            return
        if finished and not state["shown"]:
            return
        state["shown"] = now
        line = f"dlcompare: {what}: {done * 100 // max(total, 1)} % of {total:,}"
        sys.stderr.write("\r\x1b[K" + ("" if finished else line))
        sys.stderr.flush()

    return report


def emit(result: BaseModel, fmt: Format, *, verbose: bool = False) -> None:
    render(result, fmt, sys.stdout, verbose=verbose)


def emit_text(text: str, *, json: bool = False) -> None:
    """Write ready-made text (a template, a schema, a report) to stdout, as `write_document`
    writes it."""
    try:
        write_document(sys.stdout, text, json=json)
        sys.stdout.flush()
    except BrokenPipeError:
        raise OutputClosed from None


def _new_file_mode(info: os.stat_result | None) -> int:
    """The existing file's mode when replacing it; otherwise 0666 less the umask."""
    if info is not None:
        return info.st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


STDOUT = Path("-")
"""`-o -`: standard output, as `-` means for files everywhere in the shell."""

STREAMS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")
"""Names of an already open output: written in place, never replaced."""


def _refuse(path: Path, problem: str) -> DlcompareError:
    return DlcompareError(f"{shown_path(path)}: {problem}")


def _target(path: Path, force: bool) -> tuple[str, Path, os.stat_result | None]:
    """How to write `path`: ("stream", path, info) to write into it in place (a pipe, a FIFO,
    a terminal or another character device, or an open output named as such), else
    ("file", the path to create or replace, its info or None)."""
    try:
        info = path.stat()  # follows a symbolic link to what it names
    except FileNotFoundError:
        if path.is_symlink():
            raise _refuse(
                path, "is a symbolic link to nothing; remove it or name another file"
            ) from None
        return "file", path, None
    except OSError as error:
        raise _refuse(path, f"cannot write here ({error.strerror})") from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise _refuse(path, "is a directory; give a file name")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or str(path).startswith(STREAMS):
        return "stream", path, info
    if not stat.S_ISREG(mode):
        raise _refuse(path, "is not a regular file; --force replaces regular files only")
    if not force:
        raise _refuse(path, "already exists; use --force to overwrite it")
    # --force through a symbolic link replaces the file it names and keeps the link
    return "file", Path(os.path.realpath(path)), info


def refuse_existing(path: Path, *, force: bool) -> None:
    """Stop before any work when `path` exists and may not be replaced (no --force)."""
    if path.exists() and not force:
        raise DlcompareError(f"{path}: already exists; use --force to overwrite it")


def write_atomic(path: Path, text: str, *, force: bool) -> None:
    """Write a file completely or not at all: a temporary file beside it, then moved into
    place. Without `force`, it is linked into place (os.link), which fails if the file appeared
    meanwhile (another run writing the same name): one of them wins, the others say so.
    With `force`, only a regular file is replaced (through a symbolic link: the file it names).
    A pipe, a FIFO, a terminal or another character device (`/dev/null`, `/dev/stdout`) is
    written in place: there is nothing to replace, and a stream cannot be written atomically.
    Anything else (a block device, a socket, a directory) is refused."""
    how, target, info = _target(path, force)
    if how == "stream":
        _write_in_place(path, text)
        return
    folder = target.parent if str(target.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(prefix=".dlcompare-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _refuse(path, f"cannot write here ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            # mkstemp makes the file private (0600); give it the mode a plain write would have
            os.fchmod(file.fileno(), _new_file_mode(info))
        if force:
            Path(temporary).replace(target)
        else:
            _link_new(temporary, target, path)
    except OSError as error:
        raise _refuse(path, f"cannot write ({error.strerror})") from None
    finally:
        Path(temporary).unlink(missing_ok=True)


MEANWHILE = "already exists (written meanwhile); use --force to overwrite it"


def _link_new(temporary: str, target: Path, path: Path) -> None:
    """Put `temporary` at `target` only if nothing is there yet."""
    try:
        os.link(temporary, target)
        return
    except FileExistsError:
        raise _refuse(path, MEANWHILE) from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
    # a file system without hard links: claim the name first, then move the file over it
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise _refuse(path, MEANWHILE) from None
    Path(temporary).replace(target)


def _write_in_place(path: Path, text: str) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND)
        with open(descriptor, "w", encoding="utf-8", errors="backslashreplace") as file:  # noqa: PTH123
            file.write(text)
    except BrokenPipeError:
        raise OutputClosed from None
    except OSError as error:
        raise _refuse(path, f"cannot write ({error.strerror})") from None

"""Entry point: `dlcompare` and `python -m dlcompare`. Turns errors into messages and exit codes."""

from __future__ import annotations

# Ctrl-C before `run` is ready for it (while Python imports this module and typer) would end in
# a KeyboardInterrupt traceback: until then it ends the process quietly with 130. `_signal` is
# built in: importing `signal` (and its enums) would itself be a window for a traceback.
import _signal  # type: ignore[import-not-found]

try:  # noqa: SIM105 - contextlib is not imported yet
    _signal.signal(_signal.SIGINT, lambda *_: __import__("os")._exit(130))
except ValueError:  # not the main thread: not the command line
    pass

import contextlib
import gc
import io
import os
import signal
import sys
from typing import TextIO

COMPLETE_VARIABLE = "_DLCOMPARE_COMPLETE"
"""Set by the shell's completion script: Typer then answers with completions, not output."""
SHOWN_PROBLEMS = 50
"""Most data problems listed in one error message; `dlcompare validate` lists them all."""


def _fail(message: str, code: int) -> int:
    from .errors import printable

    sys.stderr.write(f"dlcompare: error: {printable(message)}\n")
    return code


class _ClosedOutput(io.TextIOBase):
    """Standard output when it was closed (`dlcompare show >&-`): writing to it is an error
    with a message, not an AttributeError on None."""

    def write(self, text: str) -> int:
        from .errors import DlcompareError

        raise DlcompareError("standard output is closed; nothing can be written to it")


class _Messages(io.TextIOBase):
    """Standard error as run() leaves it: every message, ours or click's, goes out through
    `escape.message`, so that no argument is ever echoed whole."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        from .render.escape import message

        self.inner.write(message(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")


def _prepare_streams() -> None:
    """Closed standard streams are replaced; text the output encoding cannot carry (a C or
    latin-1 locale) is written as escapes instead of ending in UnicodeEncodeError."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115, PTH123 - lives as long as the process
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", "") or ""
        if isinstance(stream, io.TextIOWrapper) and not encoding.lower().startswith("utf"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")


def _unexpected(error: BaseException) -> int:
    """No traceback, ever: an error nobody foresaw still ends in one line and exit 1."""
    from .errors import shown, shown_path

    if isinstance(error, OSError):
        where = f"{shown_path(error.filename)}: " if error.filename else ""
        return _fail(f"{where}{error.strerror or shown(str(error))}", 1)
    if isinstance(error, RecursionError | MemoryError):
        return _fail("the input is too deeply nested or too large to handle", 1)
    return _fail(
        f"unexpected {type(error).__name__}: {shown(str(error))} "
        "(please report it; --debug shows where)",
        1,
    )


class Terminated(BaseException):
    """SIGTERM (`kill`, a service manager, a CI time limit): raised where the program is, so
    that it unwinds as on Ctrl-C (a half-written `-o` file's temporary copy is removed)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 1 bad input or data, 2 usage, 130 Ctrl-C,
    141 when the reader of stdout went away, 143 on SIGTERM."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    _prepare_streams()
    with contextlib.suppress(ValueError):  # only the main thread may set a handler
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _terminate)
    stderr = sys.stderr
    sys.stderr = _Messages(stderr)
    try:
        return _run(args, debug)
    finally:
        sys.stderr = stderr


def _run(args: list[str], debug: bool) -> int:
    try:
        from typer.main import get_command

        from .cli import app
        from .errors import DataError, DlcompareError
        from .output import OutputClosed

        command = get_command(app)
        if COMPLETE_VARIABLE in os.environ:
            from .completion import glue_bash_at

            glue_bash_at()
        try:
            command(args=args, prog_name="dlcompare", standalone_mode=True)
        except SystemExit as done:
            code = done.code
            return code if isinstance(code, int) else (0 if code is None else 1)
        except DataError as error:
            if debug:
                raise
            count = len(error.problems)
            lines = [f"  {p}" for p in error.problems[:SHOWN_PROBLEMS]]
            if count > SHOWN_PROBLEMS:
                lines.append(f"  ... and {count - SHOWN_PROBLEMS} more")
            return _fail(f"the data has {count} problem(s):\n" + "\n".join(lines), error.exit_code)
        except DlcompareError as error:
            if debug:
                raise
            return _fail(str(error), error.exit_code)
        except OutputClosed:
            # Nobody reads any more: silence the final flush and stop quietly.
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError, io.UnsupportedOperation):
                pass
            return 141
    except KeyboardInterrupt:
        if debug:
            raise
        sys.stderr.write("\n")
        return 130
    except Terminated:
        return 143
    except Exception as error:
        if debug:
            raise
        return _unexpected(error)
    return 0


def main() -> None:
    # pydantic looks for plugins in the metadata of every installed distribution when it builds
    # its first validator: a cost at every start-up, for plugins (tracing, logging) that a
    # command-line run has no use for. A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # A run is short and makes next to no reference cycles, and whatever it holds is freed at
    # exit: the cyclic collector would only walk the loaded data again and again.
    gc.disable()
    try:
        code = run()
    except KeyboardInterrupt:
        code = 130
    except Terminated:
        code = 143
    # Leave without tearing the interpreter down: freeing every object of pydantic, typer and
    # rich one by one costs a command more than its own work. os._exit skips the buffers and
    # the atexit handlers (dlcompare registers none), so flush first.
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = 141
    except (ValueError, OSError):  # stdout was closed, or its disk is full
        pass
    with contextlib.suppress(ValueError, OSError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()

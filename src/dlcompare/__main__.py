"""Entry point: `dlcompare` and `python -m dlcompare`. Turns errors into messages and exit codes."""

from __future__ import annotations

import gc
import os
import sys

COMPLETE_VARIABLE = "_DLCOMPARE_COMPLETE"
"""Set by the shell's completion script: Typer then answers with completions, not output."""
SHOWN_PROBLEMS = 50
"""Most data problems listed in one error message; `dlcompare validate` lists them all."""


def _fail(message: str, code: int) -> int:
    from .errors import printable

    sys.stderr.write(f"dlcompare: error: {printable(message)}\n")
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: 0 ok, 1 bad input or data, 2 usage, 130 Ctrl-C,
    141 when the reader of stdout went away."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
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
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 141
    except KeyboardInterrupt:
        if debug:
            raise
        sys.stderr.write("\n")
        return 130
    return 0


def main() -> None:
    # pydantic looks for plugins in the metadata of every installed distribution when it builds
    # its first validator: a cost at every start-up, for plugins (tracing, logging) that a
    # command-line run has no use for. A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # A run is short and makes next to no reference cycles, and whatever it holds is freed at
    # exit: the cyclic collector would only walk the loaded data again and again.
    gc.disable()
    code = run()
    # Leave without tearing the interpreter down: freeing every object of pydantic, typer and
    # rich one by one costs a command more than its own work. os._exit skips the buffers and
    # the atexit handlers (dlcompare registers none), so flush first.
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = 141
    except ValueError:  # stdout was closed
        pass
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()

"""A command group that builds only the command that runs: Click's lazily loaded group, under
Typer. `--help` and shell completion list every command from a static table (name, module,
first sentence of its help); the module of a command is imported, and the command built, only
when that command is asked for."""

# No `from __future__ import annotations` in this package: Typer reads every command's signature
# at start-up, and string annotations would make it evaluate each one (about 20 ms per run).

import importlib
from difflib import get_close_matches
from typing import Any, ClassVar, NamedTuple

import typer
from typer import _click as click  # Typer's own copy of Click, which builds its commands
from typer._click.shell_completion import CompletionItem
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup


class Entry(NamedTuple):
    """One command of the table: where it lives and what `--help` says of it."""

    module: str
    """The module of this package that defines it."""
    attribute: str
    """The command's function, or the Typer app of a group of commands."""
    summary: str
    """The first sentence of its help, as written there: `--help` shortens it as Click
    would shorten the help itself (tests/test_cli.py checks that the two agree)."""


class LazyGroup(TyperGroup):
    """A Typer group whose commands are named in `table`, in the order `--help` lists them,
    and built on first use."""

    table: ClassVar[dict[str, Entry]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.table)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            entry = self.table.get(cmd_name)
            if entry is None:
                return None
            self.commands[cmd_name] = build(cmd_name, entry, self.rich_markup_mode)
        return self.commands[cmd_name]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # As Click lists commands, from the table: listing them builds none of them.
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self.summary_of(name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def summary_of(self, name: str, limit: int = 45) -> str:
        return make_default_short_help(self.table[name].summary, limit).strip()

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        results = [
            CompletionItem(name, help=self.summary_of(name))
            for name in self.list_commands(ctx)
            if name.startswith(incomplete)
        ]
        results.extend(click.Command.shell_complete(self, ctx, incomplete))
        return results

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # TyperGroup suggests close names from the commands built so far: here, from all.
        try:
            return self._click_resolve_command(ctx, args)
        except click.exceptions.UsageError as error:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if self.suggest_commands and matches:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise


def build(name: str, entry: Entry, rich_markup_mode: Any) -> click.Command:
    """The Click command Typer builds for ENTRY, as it would in a group holding every command."""
    target = getattr(importlib.import_module(f"{__package__}.{entry.module}"), entry.attribute)
    holder = typer.Typer(rich_markup_mode=rich_markup_mode)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]

"""The `table` format: a Document printed with rich. Colour only on a terminal, never with
NO_COLOR (rich honours it) or when piped; width from the terminal, or COLUMNS, else 80.

Every string goes out through `escape.terminal`: no control sequence from data reaches the
terminal, and an output that cannot encode the marks (`LC_ALL=C`) gets ASCII stand-ins."""

from __future__ import annotations

from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from .blocks import Document, Heading, Links, Paragraph, Table
from .escape import terminal as escape

MIN_WIDTH = 40
"""Narrowest layout: below it (COLUMNS=0, a tiny pane) rich would print nothing or garbage."""


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich's default exits with status 1; let output.render report it as OutputClosed
        self.quiet = True
        raise BrokenPipeError


def console(file: TextIO) -> Console:
    out = _Console(file=file, highlight=False, emoji=False, markup=False)
    out.width = max(out.width, MIN_WIDTH)
    return out


def render(doc: Document, out: Console) -> None:
    encoding = out.encoding

    def text(value: str, style: str = "") -> Text:
        return Text(escape(value, encoding), style=style)

    first = True
    for block in doc.blocks:
        if isinstance(block, Heading):
            if not first:
                out.print()
            out.print(text(block.text, "bold"))
        elif isinstance(block, Paragraph):
            out.print(text(block.text, block.style), soft_wrap=not block.wrap)
        elif isinstance(block, Links):
            for label, url in block.items:
                # soft wrap: a long address is left whole for the terminal to wrap
                out.print(text(f"{label} {url}", "dim"), soft_wrap=True)
        elif isinstance(block, Table):
            out.print(_table(block, encoding))
        first = False


def _table(block: Table, encoding: str) -> RichTable:
    table = RichTable(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
        title=escape(block.title, encoding) or None,
        header_style="bold",
    )
    for column in block.columns:
        header = escape(column.header, encoding)
        table.add_column(
            header,
            justify=column.justify,
            ratio=column.ratio,
            no_wrap=column.no_wrap,
            overflow="fold",
            min_width=max(map(len, header.splitlines()), default=0) or None,
        )
    for row in block.rows:
        table.add_row(*(Text(escape(cell.text, encoding), style=cell.style) for cell in row))
    return table

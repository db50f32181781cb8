"""The `table` format: a Document printed with rich. Colour only on a terminal, never with
NO_COLOR (rich honours it) or when piped; width from the terminal, or COLUMNS, else 80.

Tables fit the width without cutting anything: every column is at least as wide as its longest
word (a score keeps its stale mark, a number its unit), and the text is wrapped here, between
words, and the table drawn here too (`drawn`, in the style of rich's own tables), so that rich
only prints it. When the columns cannot all fit side by side, the table is split
into stacked blocks that each repeat the row-naming column; when not even that fits, each row
becomes a block of its own ("Header: value" lines). Web addresses are never wrapped: in running
text an address goes on a line of its own, left whole for the terminal to wrap.

Every string of the document goes out through `escape.terminal` before anything is measured:
no control sequence from data reaches the terminal, and an output that cannot encode the marks
(`LC_ALL=C`) gets ASCII stand-ins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO

from rich.cells import cell_len as _cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from .blocks import Block, Cell, Document, Heading, Links, Paragraph, Prose, Table
from .escape import terminal as escape

MIN_WIDTH = 40
"""Narrowest layout: below it (COLUMNS=0, a tiny pane) rich would print nothing or garbage."""
GAP = 3
"""Columns are separated by three spaces (padding, rule, padding)."""

_UNIT = re.compile(r"\([^()\s]*(?: [^()\s]+)?\)\S*|\S+(?: (?:†|%\S*))*")
"""What is never split over two lines: a word, with a stale mark or a percent sign after it
("4.5 †", "40 %"), or a short group in brackets ("(was 5.0)", "(40 %)")."""
_URL = re.compile(r"(https?://\S+)")


def cell_len(text: str) -> int:
    """Columns `text` takes on a terminal: its length when it is printable ASCII (most of
    what is measured here, thousands of words a view), else as rich counts them."""
    return len(text) if text.isascii() and text.isprintable() else _cell_len(text)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich's default exits with status 1; let output.render report it as OutputClosed
        self.quiet = True
        raise BrokenPipeError


def console(file: TextIO) -> Console:
    out = _Console(file=file, highlight=False, emoji=False, markup=False)
    out.width = max(out.width, MIN_WIDTH)
    return out


def _escaped(doc: Document, encoding: str | None) -> Document:
    """`doc` with every string passed through the terminal's escaping function."""

    def text(value: str) -> str:
        return escape(value, encoding)

    blocks: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Heading | Paragraph):
            blocks.append(block._replace(text=text(block.text)))
        elif isinstance(block, Links):
            blocks.append(Links(tuple((text(label), text(url)) for label, url in block.items)))
        elif isinstance(block, Prose):
            blocks.append(Paragraph(text(block.markdown), wrap=False))
        elif isinstance(block, Table):
            columns = tuple(c._replace(header=text(c.header)) for c in block.columns)
            rows = tuple(
                tuple(
                    Cell(
                        text(cell.text),
                        cell.style,
                        tuple((text(label), text(url)) for label, url in cell.links),
                    )
                    for cell in row
                )
                for row in block.rows
            )
            blocks.append(block._replace(columns=columns, rows=rows, title=text(block.title)))
        else:
            blocks.append(block)
    return Document(blocks)


def render(doc: Document, out: Console) -> None:
    # One buffer for the whole document: rich writes it out once, at the end, instead of once
    # per print (a view makes dozens of them).
    with out:
        _render(_escaped(doc, out.encoding), out)


def _render(doc: Document, out: Console) -> None:
    first = True
    for block in doc.blocks:
        if isinstance(block, Heading):
            if not first:
                out.print()
            out.print(Text(block.text, style="bold"))
        elif isinstance(block, Paragraph):
            _paragraph(block, out)
        elif isinstance(block, Links) and block.items:
            # one line each, soft-wrapped: a long address is left whole for the terminal to wrap
            lines = "\n".join(f"{label} {url}" for label, url in block.items)
            out.print(Text(lines, style="dim"), soft_wrap=True)
        elif isinstance(block, Table):
            _table(block, out)
        first = False


def _table(block: Table, out: Console) -> None:
    groups = _groups(block, out.width)
    if groups is None:  # not even two columns fit side by side: a block of lines per row
        for n, record in enumerate(_records(block, out.width)):
            if n:
                out.print()
            out.print(record)
        return
    for n, (columns, sizes) in enumerate(groups):
        if n:
            out.print()
        out.print(drawn(block, columns, sizes), soft_wrap=True)


def _paragraph(block: Paragraph, out: Console) -> None:
    if not block.wrap:
        out.print(Text(block.text, style=block.style), soft_wrap=True)
        return
    for piece in (part.strip() for part in _URL.split(block.text)):
        if not piece:
            continue
        # an address on a line of its own, whole; the words around it wrap between words
        out.print(Text(piece, style=block.style), soft_wrap=bool(_URL.fullmatch(piece)))


def units(text: str) -> list[str]:
    """The pieces of one line of text that may not be split (see `_UNIT`)."""
    return _UNIT.findall(text)


def _min_width(text: str, no_wrap: bool) -> int:
    lines = text.split("\n")
    if no_wrap:
        return max(map(cell_len, lines), default=0)
    return max((cell_len(unit) for line in lines for unit in units(line)), default=0)


def _max_width(text: str) -> int:
    return max(map(cell_len, text.split("\n")), default=0)


def wrap(text: str, width: int) -> str:
    """`text` wrapped to `width` between units; a unit wider than `width` stays whole."""
    lines: list[str] = []
    for line in text.split("\n"):
        current, used = "", 0
        for unit in units(line):
            size = cell_len(unit)
            if current and used + 1 + size > width:
                lines.append(current)
                current, used = unit, size
            elif current:
                current, used = f"{current} {unit}", used + 1 + size
            else:
                current, used = unit, size
        lines.append(current)
    return "\n".join(lines)


def _widths(block: Table, columns: Sequence[int], width: int) -> list[int] | None:
    """Widths of `columns` (indexes into block.columns) that fit in `width` without cutting a
    unit, or None when they cannot. Columns get their natural width when all fit; otherwise
    each starts at its longest unit, the columns without a ratio grow first, then those with
    one share what is left by ratio."""
    texts = [[block.columns[i].header, *(row[i].text for row in block.rows)] for i in columns]
    lowest = [
        max(_min_width(t, block.columns[i].no_wrap) for t in column)
        for i, column in zip(columns, texts, strict=True)
    ]
    natural = [max(map(_max_width, column)) for column in texts]
    room = width - GAP * (len(columns) - 1)
    if sum(natural) <= room:
        return natural
    if sum(lowest) > room:
        return None
    sizes = list(lowest)
    spare = room - sum(sizes)
    for n, i in enumerate(columns):
        if block.columns[i].ratio is None:
            grow = min(natural[n] - sizes[n], spare)
            sizes[n] += grow
            spare -= grow
    ratios = [block.columns[i].ratio or 1 for i in columns]
    while spare > 0:
        # one character at a time to the column narrowest for its ratio
        open_ = [n for n in range(len(columns)) if sizes[n] < natural[n]]
        if not open_:
            break
        n = min(open_, key=lambda n: (sizes[n] / ratios[n], n))
        sizes[n] += 1
        spare -= 1
    return sizes


def _groups(block: Table, width: int) -> list[tuple[list[int], list[int]]] | None:
    """The table as stacked blocks, each (column indexes, widths): all columns at once if they
    fit, else the row-naming column with as many of the others as fit, block after block.
    None when the row-naming column and a single other column do not fit together."""
    everything = list(range(len(block.columns)))
    whole = _widths(block, everything, width)
    if whole is not None:
        return [(everything, whole)]
    head = block.row_header
    rest = [i for i in everything if i != head]
    groups: list[tuple[list[int], list[int]]] = []
    current: list[int] = []
    for i in rest:
        if _widths(block, sorted([head, *current, i]), width) is not None:
            current.append(i)
            continue
        if not current or _widths(block, sorted([head, i]), width) is None:
            return None
        groups.append(_group(block, sorted([head, *current]), width))
        current = [i]
    if current:
        groups.append(_group(block, sorted([head, *current]), width))
    return _balanced(block, head, rest, len(groups), width) or groups


def _balanced(
    block: Table, head: int, rest: list[int], count: int, width: int
) -> list[tuple[list[int], list[int]]] | None:
    """The same number of blocks with the columns shared out evenly, if that fits too."""
    size, extra = divmod(len(rest), count)
    groups = []
    start = 0
    for n in range(count):
        end = start + size + (1 if n < extra else 0)
        columns = sorted([head, *rest[start:end]])
        sizes = _widths(block, columns, width)
        if sizes is None:
            return None
        groups.append((columns, sizes))
        start = end
    return groups


def _group(block: Table, columns: list[int], width: int) -> tuple[list[int], list[int]]:
    sizes = _widths(block, columns, width)
    assert sizes is not None
    return columns, sizes


def drawn(block: Table, columns: Sequence[int], sizes: Sequence[int]) -> Drawing:
    """`columns` of the table at `sizes`, drawn as text: the headers in bold, a rule under
    them, the columns GAP apart, every line padded to the table's width. The same characters
    and styles as rich's Table with box SIMPLE_HEAD and no edge (tests/test_terminal.py holds
    the two side by side), drawn by hand because every cell is wrapped to its width already:
    rich's Table, measuring and wrapping each cell again, cost more than the rest of a view.
    Print it with soft_wrap: every line fits."""
    total = sum(sizes) + GAP * (len(sizes) - 1)
    out = Drawing()
    if block.title:
        for line in wrap(block.title, total).split("\n"):
            left = (total - cell_len(line)) // 2
            out.add(" " * left)
            out.add(line, "table.title")
            out.add(" " * (total - left - cell_len(line)))
            out.end_line()
    header = tuple(Cell(block.columns[i].header, "table.header") for i in columns)
    justify = [block.columns[i].justify for i in columns]
    out.row(header, sizes, justify, bottom=True)
    out.add("─" * total)
    out.end_line()
    for row in block.rows:
        out.row(tuple(row[i] for i in columns), sizes, justify)
    return out


class Drawing:
    """Lines of text in styles, laid out already: rich prints its pieces as they are. (A rich
    Text would be split into lines, and every line checked for control codes, again: its text
    was escaped before it was measured, and fits.)"""

    def __init__(self) -> None:
        self.pieces: list[tuple[str, str]] = []
        """(text, style name) in order; a piece that is a line break ends a line."""

    def add(self, piece: str, style: str = "") -> None:
        if piece:
            self.pieces.append((piece, style))

    def end_line(self) -> None:
        self.pieces.append(("\n", ""))

    @property
    def plain(self) -> str:
        """The text without styles (the last line's end left out, as printing ends it)."""
        return "".join(piece for piece, _ in self.pieces).removesuffix("\n")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        styles: dict[str, Style | None] = {"": None}
        for piece, name in self.pieces:  # the last line's end too: rich adds none
            if name not in styles:
                styles[name] = console.get_style(name)
            yield Segment(piece, styles[name])

    def row(
        self,
        cells: Sequence[Cell],
        sizes: Sequence[int],
        justify: Sequence[str],
        *,
        bottom: bool = False,
    ) -> None:
        """One row, as many lines as its tallest cell; the others' text at the top (a
        header's, `bottom`, at the bottom)."""
        texts = [wrap(c.text, size).split("\n") for c, size in zip(cells, sizes, strict=True)]
        height = max(map(len, texts))
        texts = [
            (
                [""] * (height - len(lines)) + lines
                if bottom
                else lines + [""] * (height - len(lines))
            )
            for lines in texts
        ]
        for n in range(height):
            for k, cell in enumerate(cells):
                line = texts[k][n]
                spare = sizes[k] - cell_len(line)
                how = justify[k]
                left = spare if how == "right" else spare // 2 if how == "center" else 0
                self.add((" " * GAP if k else "") + " " * left)
                self.add(line, cell.style)
                self.add(" " * (spare - left))
            self.end_line()


def _records(block: Table, width: int) -> list[Text]:
    """One block per row: the row's name, then "Header: value" for each other column."""
    head = block.row_header
    out: list[Text] = []
    for row in block.rows:
        text = Text(wrap(row[head].text, width), style="bold")
        for i, column in enumerate(block.columns):
            if i == head:
                continue
            header = " ".join(column.header.split())
            body = wrap(f"{header}: {row[i].text}".replace("\n", " "), width - 2)
            text.append("\n" + "\n".join(f"  {line}" for line in body.split("\n")), row[i].style)
        out.append(text)
    return out

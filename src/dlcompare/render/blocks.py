"""Format-neutral building blocks of a human-facing document.

The blocks are named tuples, not dataclasses: a frozen dataclass costs about a millisecond to
create at import (its methods are generated and compiled), a named tuple a sixth of that, and
every command that prints imports this module."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple


class Heading(NamedTuple):
    text: str
    level: int = 0
    """1 for the title, 2 for a section, 3 for a subsection; 0: the first heading of the
    document is its title and every later one a section."""


class Paragraph(NamedTuple):
    text: str
    style: str = ""
    """A rich style name, used only in the terminal (e.g. "dim", "yellow")."""
    wrap: bool = True
    """False: one line, however long (a file path, a message to grep), for the terminal to wrap."""


class Prose(NamedTuple):
    """A Markdown document of the project's own (the method shipped with the package), set
    under the heading before it: its own headings move down `shift` levels."""

    markdown: str
    shift: int = 1

    def shifted(self) -> str:
        """The Markdown with every ATX heading `shift` levels deeper (at most level 6)."""
        return _ATX.sub(lambda m: "#" * min(6, len(m[1]) + self.shift) + " ", self.markdown)


_ATX = re.compile(r"(?m)^(#{1,6}) ")


class Links(NamedTuple):
    """Numbered references, printed in full so that no address is ever cut."""

    items: tuple[tuple[str, str], ...]  # (label, url)


class Cell(NamedTuple):
    text: str
    style: str = ""
    links: tuple[tuple[str, str], ...] = ()
    """(label, url) pairs shown after the text, as links where the format has them."""


class Column(NamedTuple):
    header: str
    justify: Literal["left", "right", "center"] = "left"
    ratio: int | None = None
    """Share of the spare width; columns without a ratio keep their natural width."""
    no_wrap: bool = False


class Table(NamedTuple):
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""
    row_header: int = 0
    """The column that names each row (for formats that mark row headers)."""


class Contents(NamedTuple):
    """A table of contents: the headings after this block, down to `depth`."""

    depth: int = 3


class Bar(NamedTuple):
    label: str
    value: float | None
    """None: no score; the bar is left out and `text` says why, so a gap never reads as 0."""
    text: str
    """The value as shown, or the reason there is none."""
    key: str
    """What the bar stands for (a toolkit id), so that it keeps one colour across charts."""


class BarGroup(NamedTuple):
    title: str
    bars: tuple[Bar, ...]


class Chart(NamedTuple):
    """Horizontal bars on the scale, in groups. Formats without pictures leave it out: the
    same numbers are always in a table of the same section too."""

    title: str
    description: str
    groups: tuple[BarGroup, ...]
    scale: tuple[float, float]


Block = Heading | Paragraph | Table | Links | Contents | Chart | Prose


class Document:
    """A document: blocks in order, which layouts add and renderers read."""

    __slots__ = ("blocks",)

    def __init__(self, blocks: list[Block] | None = None) -> None:
        self.blocks: list[Block] = [] if blocks is None else blocks

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def heading_level(doc: Document, heading: Heading) -> int:
    """The level of a heading, resolving level 0 (the first heading is the title)."""
    if heading.level:
        return heading.level
    first = next(b for b in doc.blocks if isinstance(b, Heading))
    return 1 if first is heading else 2


def slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(doc: Document) -> dict[int, str]:
    """The anchor of every heading, by its index in `doc.blocks`; a repeated heading gets -1,
    -2, ... as on GitHub, so links made from the same text land on the same heading."""
    seen: dict[str, int] = {}
    result = {}
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, Heading):
            continue
        base = slug(block.text)
        count = seen.get(base, 0)
        result[index] = base if count == 0 else f"{base}-{count}"
        seen[base] = count + 1
    return result


def contents(doc: Document, after: int, depth: int) -> list[tuple[int, str, str]]:
    """(level, text, anchor) of the headings after block `after`, from level 2 to `depth`."""
    ids = anchors(doc)
    entries = []
    for index in range(after + 1, len(doc.blocks)):
        block = doc.blocks[index]
        if isinstance(block, Heading) and 2 <= heading_level(doc, block) <= depth:
            entries.append((heading_level(doc, block), block.text, ids[index]))
    return entries

"""Format-neutral building blocks of a human-facing document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""
    """A rich style name, used only in the terminal (e.g. "dim", "yellow")."""
    wrap: bool = True
    """False: one line, however long (a file path, a message to grep), for the terminal to wrap."""


@dataclass(frozen=True)
class Links:
    """Numbered references, printed in full so that no address is ever cut."""

    items: tuple[tuple[str, str], ...]  # (label, url)


@dataclass(frozen=True)
class Cell:
    text: str
    style: str = ""


@dataclass(frozen=True)
class Column:
    header: str
    justify: Literal["left", "right", "center"] = "left"
    ratio: int | None = None
    """Share of the spare width; columns without a ratio keep their natural width."""
    no_wrap: bool = False


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""


Block = Heading | Paragraph | Table | Links


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

"""The `markdown` format: GitHub-flavoured Markdown with tables.

Every piece of text goes out through `escape.markdown` and every link through
`escape.markdown_link`: data never becomes markup, and only http(s) addresses become links."""

from __future__ import annotations

from .blocks import (
    Cell,
    Chart,
    Contents,
    Document,
    Heading,
    Links,
    Paragraph,
    Prose,
    Table,
    contents,
)
from .escape import markdown as _escape
from .escape import markdown_link as _link


def _cell(cell: Cell) -> str:
    links = " ".join(_link(label, url) for label, url in cell.links)
    return " ".join(part for part in (_escape(cell.text), links) if part)


def render(doc: Document) -> str:
    out: list[str] = []
    level = "#"
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level if block.level else level} {_escape(block.text)}")
            level = "##"
        elif isinstance(block, Paragraph):
            out.append(_escape(block.text))
        elif isinstance(block, Links):
            if block.items:
                out.append(
                    "\n".join(f"- {_escape(label)} {_link(url, url)}" for label, url in block.items)
                )
        elif isinstance(block, Contents):
            entries = contents(doc, index, block.depth)
            out.append(
                "\n".join(
                    f"{'  ' * (depth - 2)}- {_link(text, '#' + anchor)}"
                    for depth, text, anchor in entries
                )
            )
        elif isinstance(block, Chart):
            continue  # a picture; its numbers are in a table of the same document
        elif isinstance(block, Prose):
            out.append(block.shifted().strip())
        elif isinstance(block, Table):
            aligns = {"left": ":---", "right": "---:", "center": ":---:"}
            lines = [
                "| " + " | ".join(_escape(c.header) for c in block.columns) + " |",
                "| " + " | ".join(aligns[c.justify] for c in block.columns) + " |",
            ]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"

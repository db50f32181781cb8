"""The `markdown` format: GitHub-flavoured Markdown with tables."""

from __future__ import annotations

from .blocks import Cell, Chart, Contents, Document, Heading, Links, Paragraph, Table, contents


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _link(label: str, url: str) -> str:
    text = label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    target = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("|", "%7C")
    return f"[{text}]({target})"


def _cell(cell: Cell) -> str:
    links = " ".join(_link(label, url) for label, url in cell.links)
    return " ".join(part for part in (_escape(cell.text), links) if part)


def render(doc: Document) -> str:
    out: list[str] = []
    level = "#"
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level if block.level else level} {block.text}")
            level = "##"
        elif isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Links):
            if block.items:
                out.append("\n".join(f"- {label} <{url}>" for label, url in block.items))
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
        elif isinstance(block, Table):
            aligns = {"left": ":---", "right": "---:", "center": ":---:"}
            lines = [
                "| " + " | ".join(_escape(c.header) for c in block.columns) + " |",
                "| " + " | ".join(aligns[c.justify] for c in block.columns) + " |",
            ]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"

"""The `markdown` format: GitHub-flavoured Markdown with tables."""

from __future__ import annotations

from .blocks import Cell, Document, Heading, Links, Paragraph, Table


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _cell(cell: Cell) -> str:
    return _escape(cell.text)


def render(doc: Document) -> str:
    out: list[str] = []
    level = "#"
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"{level} {block.text}")
            level = "##"
        elif isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Links):
            if block.items:
                out.append("\n".join(f"- {label} <{url}>" for label, url in block.items))
        elif isinstance(block, Table):
            aligns = {"left": ":---", "right": "---:", "center": ":---:"}
            lines = [
                "| " + " | ".join(_escape(c.header) for c in block.columns) + " |",
                "| " + " | ".join(aligns[c.justify] for c in block.columns) + " |",
            ]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"

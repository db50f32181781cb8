"""The table format draws its tables by hand (`terminal.drawn`); rich's Table, which drew them
before, is the reference: the same characters, and every visible character in the same style,
for any table the layouts can make."""

from __future__ import annotations

import io
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

from dlcompare.render import terminal
from dlcompare.render.blocks import Cell, Column, Table

WORDS = st.sampled_from(
    ["JAX", "PyTorch", "4.5", "★★★★½", "no score", "漢字", "(was 5.0)", "40 %", "x", "Δ", "-"]
)
TEXT = st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=3)
STYLES = st.sampled_from(["", "dim", "green", "yellow", "red", "bold", "dim italic"])


@st.composite
def tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(1, 4))
    columns = tuple(
        Column(
            draw(TEXT.map("\n".join)),
            justify=draw(st.sampled_from(["left", "right", "center"])),
            no_wrap=draw(st.booleans()),
        )
        for _ in range(width)
    )
    rows = draw(
        st.lists(
            st.tuples(*[st.builds(Cell, TEXT.map("\n".join), STYLES) for _ in range(width)]),
            max_size=4,
        )
    )
    title = draw(st.one_of(st.just(""), TEXT.map(" ".join)))
    return Table(columns, tuple(rows), title=title)


def rich_table(block: Table, sizes: list[int]) -> RichTable:
    """The table as the table format drew it with rich, before it drew tables by hand."""
    table = RichTable(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
        title=block.title or None,
        header_style="bold",
    )
    for column, size in zip(block.columns, sizes, strict=True):
        table.add_column(
            terminal.wrap(column.header, size),
            justify=column.justify,
            width=size,
            no_wrap=True,
            overflow="fold",
        )
    for row in block.rows:
        table.add_row(
            *(
                Text(terminal.wrap(cell.text, size), style=cell.style)
                for cell, size in zip(row, sizes, strict=True)
            )
        )
    return table


_SGR = re.compile(r"\x1b\[[0-9;]*m")
"""A colour or style code, as rich writes them."""
Look = tuple[str, list[tuple[str, tuple[str, bool, bool, bool]]]]
"""What a console prints, and each visible character with its colour, bold, dim, italic."""


def looks(renderable: RichTable | Text | terminal.Drawing, soft_wrap: bool) -> Look:
    """The text a console prints, and the style of each visible character (a space shows no
    colour, boldness or italics, so its style is left out)."""
    console = Console(
        file=io.StringIO(),
        width=200,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        emoji=False,
        markup=False,
    )
    with console.capture() as capture:
        console.print(renderable, soft_wrap=soft_wrap)
    styled: list[tuple[str, tuple[str, bool, bool, bool]]] = []
    for segment in Segment.split_and_crop_lines(
        console.render(renderable, console.options.update(no_wrap=soft_wrap)), 200, pad=False
    ):
        for text, own, _ in segment:
            style = own or Style()
            shown = (str(style.color), bool(style.bold), bool(style.dim), bool(style.italic))
            styled += [(char, shown) for char in text if not char.isspace()]
    return _SGR.sub("", capture.get()), styled


@settings(max_examples=150, deadline=None)
@given(tables())
def test_a_drawn_table_looks_as_rich_drew_it(block: Table) -> None:
    columns = list(range(len(block.columns)))
    sizes = terminal._widths(block, columns, 200)
    assert sizes is not None
    drawn = terminal.drawn(block, columns, sizes)
    width = sum(sizes) + terminal.GAP * (len(sizes) - 1)
    if cell_len(block.title) > width:
        # rich breaks a title wider than the table inside "(was 5.0)", or letter by letter;
        # here it is wrapped between units like any text of the table format
        shown = drawn.plain.split("\n")[: len(terminal.wrap(block.title, width).split("\n"))]
        assert " ".join(shown).split() == block.title.split()
        block = block._replace(title="")
        drawn = terminal.drawn(block, columns, sizes)
    assert looks(drawn, soft_wrap=True) == looks(rich_table(block, sizes), soft_wrap=False)


def test_a_drawn_table_keeps_its_layout():
    """An example to read: bold headers at the bottom of their row, a rule, columns three
    spaces apart, right-justified numbers, every line as wide as the table."""
    block = Table(
        (Column("Toolkit"), Column("Single-\nGPU", justify="right")),
        ((Cell("JAX"), Cell("4.5", "green")), (Cell("PaddlePaddle"), Cell("no score", "dim"))),
    )
    text = terminal.drawn(block, [0, 1], [12, 8])
    assert text.plain.split("\n") == [
        "                Single-",
        "Toolkit             GPU",
        "───────────────────────",
        "JAX                 4.5",
        "PaddlePaddle   no score",
    ]
    assert [(piece, style) for piece, style in text.pieces if style] == [
        ("Single-", "table.header"),
        ("Toolkit", "table.header"),
        ("GPU", "table.header"),
        ("4.5", "green"),
        ("no score", "dim"),
    ]


@given(st.text())
def test_widths_are_counted_as_rich_counts_them(text: str) -> None:
    assert terminal.cell_len(text) == cell_len(text)


@given(st.text(), st.sampled_from(["\n", "\n\t", ""]))
def test_visible_text_is_what_the_slow_path_gives(text: str, keep: str) -> None:
    """`escape.visible` returns printable text as it is without looking at each character:
    the same as escaping each hidden character one by one."""
    from dlcompare.lookalike import HIDDEN_CATEGORIES
    from dlcompare.render.escape import _escaped, visible

    slow = "".join(
        _escaped(ch) if ch not in keep and unicodedata.category(ch) in HIDDEN_CATEGORIES else ch
        for ch in text
    )
    assert visible(text, keep) == slow

"""Tables that fit: at 60, 80 and 120 columns every table the tool prints shows every toolkit
and every score whole. Nothing is dropped, no word or number is cut, no line is wider than
the terminal (a web address is left whole on a line of its own instead)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dlcompare.render import terminal
from dlcompare.render.blocks import Cell, Column, Document, Heading, Links, Paragraph, Table

WIDTHS = (60, 80, 120)
WEIGHTS = ("-w", "performance.single-gpu=3", "-w", "interfaces=1", "-w", "model-deployment=2")
COMMANDS: dict[str, tuple[str, ...]] = {
    "show": ("show",),
    "show-early": ("show", "--as-of", "2015-11-20"),
    "show-criterion": ("show", "performance"),
    "show-leaf": ("show", "interfaces"),
    "show-toolkit": ("show", "tf"),
    "diff": ("diff", "tensorflow", "torch"),
    "diff-dates": ("diff", "tensorflow@2015-11-20", "tensorflow@2016-05-11"),
    "diff-both": ("diff", "theano@2015-11-20", "cntk@2016-12-06"),
    "rank": ("rank", *WEIGHTS),
    "rank-partial": ("rank", *WEIGHTS, "--missing", "partial"),
    "rank-sensitivity": ("rank", *WEIGHTS, "--missing", "partial", "--sensitivity"),
    "list": ("list",),
    "list-verbose": ("list", "--verbose"),
    "editions": ("editions",),
    "history": ("history", "tensorflow"),
    "changes": ("changes", "2016-05-11"),
    "changes-first": ("changes", "2015-11-20"),
    "show-verbose": ("show", "-v"),
    "diff-verbose": ("diff", "tensorflow", "torch", "-v"),
    "diff-dates-verbose": ("diff", "tensorflow@2015-11-20", "tensorflow@2016-05-11", "-v"),
    "rank-verbose": ("rank", *WEIGHTS, "--sensitivity", "-v"),
    "history-verbose": ("history", "tensorflow", "-v"),
    "changes-verbose": ("changes", "2016-05-11", "-v"),
    "show-narrowed": ("show", "--toolkits", "pytorch,jax,torch"),
}
_URL = re.compile(r"https?://\S+")
_RULE = re.compile(r"─+")


def _texts(doc: Document) -> list[str]:
    texts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading | Paragraph):
            texts.append(block.text)
        elif isinstance(block, Links):
            texts += [f"{label} {url}" for label, url in block.items]
        elif isinstance(block, Table):
            texts += [column.header for column in block.columns]
            texts += [cell.text for row in block.rows for cell in row]
    return texts


@pytest.fixture
def printed(cli, monkeypatch: pytest.MonkeyPatch):
    """Run a command at a width; return its output and the documents it printed."""
    documents: list[Document] = []
    original = terminal.render

    def spy(doc: Document, out: object) -> None:
        documents.append(doc)
        original(doc, out)  # type: ignore[arg-type]

    monkeypatch.setattr(terminal, "render", spy)

    def run(width: int, *args: str) -> tuple[str, list[Document]]:
        monkeypatch.setenv("COLUMNS", str(width))
        documents.clear()
        result = cli(*args)
        assert result.code in (0, 1), result.err
        return result.out, list(documents)

    return run


def check_fits(out: str, documents: list[Document], width: int, *, wrapped: bool = True) -> None:
    assert documents, "nothing went through the terminal renderer"
    lines = out.splitlines()
    if wrapped:
        for line in lines:
            if _URL.search(line):
                continue  # an address is never cut; the terminal wraps the line
            assert len(line.rstrip()) <= width, f"wider than {width}: {line!r}"
    # every piece of text printed is a whole word of the document: nothing cut mid-word
    words = {w for doc in documents for text in _texts(doc) for w in text.split()}
    words |= {f"{w}:" for w in words}  # "Header: value" lines of one-block-per-row tables
    for line in lines:
        for token in line.split():
            if _RULE.fullmatch(token):
                continue
            assert token in words, f"{token!r} is not a whole word of the output: {line!r}"
    # every cell of every table is printed, each unbreakable piece on one line
    for doc in documents:
        for block in doc.blocks:
            if not isinstance(block, Table):
                continue
            for row in block.rows:
                for cell in row:
                    for text_line in cell.text.split("\n"):
                        for unit in terminal.units(text_line):
                            assert any(unit in line for line in lines), (
                                f"{unit!r} is missing at {width} columns"
                            )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_table_fits(printed, name: str, width: int) -> None:
    out, documents = printed(width, *COMMANDS[name])
    check_fits(out, documents, width)


def test_toolkit_names_and_scores_appear_whole_at_60_columns(printed) -> None:
    out, _ = printed(60, "show", "--as-of", "2016-12-06")
    for name in ("Caffe", "(inactive)", "CNTK", "TensorFlow", "Theano", "Torch", "(ended)"):
        assert re.search(rf"(^|\s){re.escape(name)}(\s|$)", out, re.M), name
    # the whole matrix is there: 9 leaves for each of the 5 toolkits
    lines = out.splitlines()
    for criterion in ("Modeling capability", "Cross-platform"):
        rows = [line for line in lines if line.startswith(criterion)]
        assert len(rows) >= 2  # split into stacked blocks that repeat the criterion
    out, _ = printed(60, "rank", *WEIGHTS, "--missing", "partial", "--as-of", "2016-12-06", "-v")
    for toolkit in ("TensorFlow", "Caffe", "CNTK", "Theano", "Torch"):
        assert re.search(rf"(^|\s){toolkit}(\s|$)", out.split("Contributions")[1], re.M)


def test_urls_stay_whole(printed) -> None:
    out, _ = printed(60, "list", "--as-of", "2016-12-06")
    for url in (
        "https://github.com/zer0n/deepframeworks/blob/2568bef/README.md",
        "https://github.com/tensorflow/tensorflow",
        "https://github.com/Microsoft/CNTK",
    ):
        assert any(line.strip().endswith(url) for line in out.splitlines()), url


def test_a_toolkit_without_ratings_fits_too(printed, cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert cli("new", "toolkit", "mxnet2", "--dir", str(folder)).code == 0
    for width in WIDTHS:
        out, documents = printed(width, "list", "--data", str(folder))
        check_fits(out, documents, width)
        assert "no ratings yet" in out


def test_validate_findings_are_whole_lines(printed, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "toolkits" / "flax.yaml").write_text("id: flax\nname: Flax\nratings: {x: 1}\n")
    for width in WIDTHS:
        out, documents = printed(width, "validate", str(folder))
        check_fits(out, documents, width, wrapped=False)  # one finding a line, to grep


def test_one_block_per_row_when_not_even_two_columns_fit() -> None:
    import io

    wide = "x" * 30
    table = Table(
        (Column("Name", no_wrap=True), Column("Notes", no_wrap=True)),
        ((Cell("alpha"), Cell(f"{wide} {wide}")), (Cell(f"beta-{wide}"), Cell(f"{wide}-long"))),
    )
    stream = io.StringIO()
    out = terminal.console(stream)
    out.width = 50
    terminal.render(Document([table]), out)
    text = stream.getvalue()
    assert f"beta-{wide}" in text and f"  Notes: {wide}-long" in text
    assert all(len(line) <= 50 for line in text.splitlines())


def test_a_second_block_that_cannot_fit_falls_back_to_one_block_per_row() -> None:
    """The first columns fit beside the row names, a later one does not even alone."""
    import io

    table = Table(
        (
            Column("Name", no_wrap=True),
            Column("A", no_wrap=True),
            Column("B", no_wrap=True),
        ),
        ((Cell("alpha"), Cell("short"), Cell("x" * 45)),),
    )
    stream = io.StringIO()
    out = terminal.console(stream)
    out.width = 48
    terminal.render(Document([table]), out)
    text = stream.getvalue()
    assert "  A: short" in text and "  B:\n  " + "x" * 45 in text

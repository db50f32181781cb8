"""`report`: the Markdown golden, the JSON, the HTML page's promises (self-contained, escaped,
accessible, gaps never drawn as zero), and writing with -o."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dlcompare.render import html as page
from dlcompare.render.blocks import (
    Bar,
    BarGroup,
    Cell,
    Chart,
    Column,
    Contents,
    Document,
    Heading,
    Paragraph,
    Table,
    slug,
)
from tests.test_cli import check_golden

# The weighted reports and the source-era checks pin the source's last edition (2016-12-06);
# the latest edition is dlcompare's own (2026-12-03).
SOURCE_LAST = ("--as-of", "2016-12-06")
WEIGHTS = ("-w", "interfaces=1", "-w", "model-deployment=2", *SOURCE_LAST)


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts (line breaks as spaces), and every id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.ids: set[str] = set()
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if named.get("id"):
            self.ids.add(str(named["id"]))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> Tables:
    parser = Tables()
    parser.feed(text)
    return parser


def matrix_cell(tables: Tables, criterion: str, toolkit: str) -> str:
    """The cell of the ratings matrix (criteria down, toolkits across) for one pair."""
    for table in tables.tables:
        header = table[0]
        if header[0] == "Criterion" and any(h.startswith("TensorFlow") for h in header):
            column = next(i for i, h in enumerate(header) if h.startswith(toolkit))
            row = next(r for r in table[1:] if r[0] == criterion)
            return row[column]
    raise AssertionError("no ratings matrix in the page")


def test_markdown_golden(cli) -> None:
    result = cli("report")
    assert result.code == 0, result.err
    assert result.err == ""
    check_golden("report.md", result.out)


def test_markdown_golden_with_weights(cli) -> None:
    result = cli("report", "--format", "markdown", *WEIGHTS)
    assert result.code == 0, result.err
    check_golden("report-weights.md", result.out)


def test_markdown_contents_links_land_on_headings(cli) -> None:
    text = cli("report", *WEIGHTS).out
    headings = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("##")]
    targets = re.findall(r"\]\(#([^)]+)\)", text)
    assert "performance-single-gpu" in targets  # GitHub's anchor for "Performance: Single-GPU"
    assert "ranking-under-your-weights" in targets
    assert set(targets) <= {slug(h) for h in headings}
    assert len(targets) == len(set(targets))


def test_markdown_has_every_rating_with_links_and_no_total(cli) -> None:
    text = cli("report", *SOURCE_LAST).out
    assert "| Performance: Single-GPU | dropped (was 5.0) | dropped (was 5.0) | 5.0 † |" in text
    assert "[\\[1\\]](https://" in text  # citations are links (`]` escaped inside link text)
    assert "A ranking needs someone's weights, and none were given" in text
    assert "Ranking under your weights" not in text
    assert "total" not in text.lower().replace("nothing is totalled", "")


def test_json_is_the_report_result(cli) -> None:
    plain = json.loads(cli("report", *SOURCE_LAST, "-f", "json").out)
    assert plain["schema_version"] == 3
    assert plain["ranking"] is None
    assert plain["edition"]["date"] == "2016-12-06" and plain["edition"]["age_days"] == 3649
    ratings = {(r["toolkit"], r["criterion"]): r for r in plain["ratings"]["ratings"]}
    assert ratings["tensorflow", "performance.single-gpu"]["score"] == 5.0
    assert ratings["theano", "performance.single-gpu"]["score"] == 3.0
    assert plain["ratings"]["toolkit_status"]["theano"]["state"] == "ended"
    assert next(c["id"] for c in plain["catalog"]["criteria"]) == "modeling-capability"

    weighted = json.loads(cli("report", "-f", "json", *WEIGHTS).out)
    ranking = weighted["ranking"]
    assert ranking["weights"] == {"interfaces": 1.0, "model-deployment": 2.0}
    assert ranking["sensitivity"]["first"] == ["tensorflow"]
    assert ranking["rows"][0]["rated_on"]["interfaces"] == "2015-12-02"
    # the same numbers as `rank --sensitivity`
    alone = json.loads(cli("rank", "--sensitivity", "-f", "json", *WEIGHTS).out)
    assert ranking == alone


@pytest.mark.parametrize("fmt", ["table", "csv", "yaml"])
def test_formats_that_are_not_documents_are_refused(cli, fmt: str) -> None:
    result = cli("report", "--format", fmt)
    assert result.code == 2
    assert result.out == ""
    for name in ("markdown", "html", "json"):
        assert name in result.err


def test_weights_errors_are_rank_errors(cli) -> None:
    gap = cli("report", "-w", "single-gpu=1", *SOURCE_LAST, "--missing", "error")
    assert gap.code == 1 and "caffe lacks performance.single-gpu" in gap.err
    assert gap.out == ""
    dropped = json.loads(cli("report", "-w", "single-gpu=1", *SOURCE_LAST, "-f", "json").out)
    assert [d["toolkit"] for d in dropped["ranking"]["dropped"]] == ["caffe", "cntk"]
    assert cli("report", "-w", "interfaces=1", "--missing", "never").code == 2


def test_output_file_is_written_whole_and_never_replaced_without_force(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    first = cli("report", "-f", "html", "-o", str(target))
    assert first.code == 0 and first.out == "" and first.err == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = cli("report", "-f", "html", "-o", str(target), *WEIGHTS)
    assert again.code == 1 and "already exists" in again.err and "--force" in again.err
    assert "Ranking under your weights" not in target.read_text(encoding="utf-8")
    forced = cli("report", "-f", "html", "-o", str(target), "--force", *WEIGHTS)
    assert forced.code == 0
    assert "Ranking under your weights" in target.read_text(encoding="utf-8")
    failed = cli("report", "-o", str(tmp_path / "never.md"), "-w", "interfacs=1")
    assert failed.code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary left


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("team.html", "<!DOCTYPE html>"),
        ("TEAM.HTM", "<!DOCTYPE html>"),
        ("team.md", "# Evaluation"),
        ("team.markdown", "# Evaluation"),
        ("team.json", "{"),
        ("team", "# Evaluation"),  # no extension: Markdown, as on stdout
    ],
)
def test_the_format_follows_the_extension(cli, tmp_path: Path, name: str, start: str) -> None:
    target = tmp_path / name
    done = cli("report", "-o", str(target), *SOURCE_LAST)
    assert done.code == 0, done.err
    assert target.read_text(encoding="utf-8").startswith(start)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("-o", "team.pdf"), "cannot tell a format from '.pdf'"),
        (("-o", "notes.txt"), "cannot tell a format from '.txt'"),
        (("-f", "markdown", "-o", "team.html"), "--format markdown contradicts -o team.html"),
        (("-f", "html", "-o", "team.md"), "--format html contradicts -o team.md"),
        (("-f", "json", "-o", "team.htm"), "--format json contradicts -o team.htm"),
    ],
)
def test_an_extension_report_cannot_write_is_a_usage_error(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], said: str
) -> None:
    monkeypatch.chdir(tmp_path)
    done = cli("report", *args)
    assert done.code == 2
    assert said in done.err
    assert done.out == ""
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_format_given_for_an_unknown_extension_is_obeyed(cli, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    assert cli("report", "-f", "html", "-o", str(target), *SOURCE_LAST).code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.fixture(scope="module")
def weighted_page() -> str:
    import datetime as dt

    from dlcompare.freshness import Ages
    from dlcompare.loading import load_dataset
    from dlcompare.output import ReportFormat, document_text
    from dlcompare.report import report

    dataset = load_dataset()
    edition = dataset.edition_at(dt.date(2016, 12, 6))  # the source's last edition
    assert edition is not None
    evaluation = dataset.evaluation(edition)
    result = report(
        evaluation, Ages(dt.date(2026, 11, 26)), {"interfaces": 1, "model-deployment": 2}
    )
    return document_text(result, ReportFormat.HTML)


def test_html_is_self_contained(weighted_page: str) -> None:
    assert "<script" not in weighted_page.lower()
    assert "<link" not in weighted_page.lower()
    assert not re.search(r"\bsrc=", weighted_page)
    assert "url(" not in weighted_page and "@import" not in weighted_page
    assert "Content-Security-Policy" in weighted_page and "default-src 'none'" in weighted_page
    for href in re.findall(r'href="([^"]*)"', weighted_page):
        assert href.startswith(("#", "https://", "http://")), href


def test_html_has_the_ratings_and_the_ranking(weighted_page: str) -> None:
    tables = parse(weighted_page)
    assert matrix_cell(tables, "Performance: Single-GPU", "TensorFlow") == "5.0 †"
    assert matrix_cell(tables, "Performance: Single-GPU", "Theano") == "3.0 †"
    assert matrix_cell(tables, "Performance: Multi-GPU", "TensorFlow") == "dropped (was 4.0)"
    ranks = next(t for t in tables.tables if t[0] == ["Rank", "Toolkit", "Score"])
    assert ranks[1] == ["1", "TensorFlow", "4.50"]
    weights = next(t for t in tables.tables if t[0] == ["Criterion", "Weight", "Share"])
    assert ["Interfaces", "1", "33 %"] in weights and ["Model deployment", "2", "67 %"] in weights


def test_html_is_accessible(weighted_page: str) -> None:
    assert '<html lang="en">' in weighted_page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in weighted_page
    headers = re.findall(r"<th\b[^>]*>", weighted_page)
    assert headers and all('scope="col"' in h or 'scope="row"' in h for h in headers)
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", weighted_page, re.S)
    assert len(svgs) == 10  # one per leaf criterion, and the ranking
    for svg in svgs:
        labels = re.search(r'role="img" aria-labelledby="([^ "]+) ([^"]+)"', svg)
        assert labels, svg[:80]
        assert f'<title id="{labels[1]}">' in svg and f'<desc id="{labels[2]}">' in svg
    tables = parse(weighted_page)
    for target in re.findall(r'href="#([^"]+)"', weighted_page):
        assert target in tables.ids, target
    assert "@media print" in weighted_page and "@media (max-width" in weighted_page


def test_unrated_is_a_labelled_gap_never_a_zero_bar(weighted_page: str) -> None:
    multi = re.search(
        r"<svg\b(?:(?!</svg>).)*Performance: Multi-GPU</title>.*?</svg>", weighted_page, re.S
    )
    assert multi is not None
    assert "<rect" not in multi[0]  # nobody is rated there in the latest edition
    assert "dropped (was 4.0)" in multi[0] and "not covered" in multi[0]
    single = re.search(
        r"<svg\b(?:(?!</svg>).)*Performance: Single-GPU</title>.*?</svg>", weighted_page, re.S
    )
    assert single is not None and single[0].count("<rect") == 3  # TensorFlow, Theano, Torch


def _doc_with(text: str) -> Document:
    return Document(
        [
            Heading(text, 1),
            Paragraph(text, "bold"),
            Contents(),
            Heading(text, 2),
            Table(
                (Column(text), Column("Score", justify="right")),
                ((Cell(text, links=((text, "https://example.org/?a=1&b=<2>"),)), Cell(text)),),
                title=text,
            ),
            Chart(
                title=text,
                description=text,
                groups=(
                    BarGroup(
                        text,
                        (Bar(text, 0.0, "0.0", "a"), Bar(text, None, text, "b")),
                    ),
                ),
                scale=(0, 5),
            ),
        ]
    )


def test_html_escapes_every_text() -> None:
    hostile = "<script>alert('x')</script> & \"quoted\" <img src=x onerror=alert(1)>"
    out = page.render(_doc_with(hostile))
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in out
    assert 'href="https://example.org/?a=1&amp;b=%3C2%3E"' in out


def test_a_zero_score_is_a_bar_and_a_gap_is_not() -> None:
    out = page.render(_doc_with("x"))
    svg = re.search(r"<svg\b.*?</svg>", out, re.S)
    assert svg is not None
    assert svg[0].count("<rect") == 1  # the 0.0 gets a hairline bar; the gap none
    assert 'class="gap"' in svg[0]


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_have_enough_contrast() -> None:
    for background in page.BACKGROUNDS.values():
        for colour in page.TEXT_COLOURS.values():
            assert _contrast(colour, background) >= 4.5, (colour, background)  # WCAG AA text
        for colour in page.PALETTE:
            assert _contrast(colour, background) >= 3.0, (colour, background)  # graphics


def test_a_table_report_gets_the_tools_own_message(cli) -> None:
    result = cli("report", "-f", "table")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("dlcompare: error: report writes a document: --format markdown")
    assert "Value error" not in result.err and "Usage:" not in result.err
    assert cli("report", "-f", "HTML").out.startswith("<!DOCTYPE html>")

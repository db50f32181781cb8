"""Round 3: the Markdown report read by a real CommonMark renderer (markdown-it-py, with GFM's
tables): every source link is a link; an http(s) address without a host is never one, in
Markdown or HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt

from dlcompare.render import escape


def _commonmark(text: str) -> str:
    html: str = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    return html


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value or "" for name, value in attrs if name == "href"]


def _hrefs(html: str) -> list[str]:
    parser = _Anchors()
    parser.feed(html)
    return parser.hrefs


def _sources(value: Any) -> set[str]:
    """Every address listed under `sources` in a JSON document."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                found |= {s for s in item if isinstance(s, str)}
            else:
                found |= _sources(item)
    elif isinstance(value, list):
        for item in value:
            found |= _sources(item)
    return found


REPORT = ("report", "-w", "interfaces=1", "-w", "performance.single-gpu=2", "--missing", "drop")


@pytest.mark.parametrize("as_of", ["2016-12-06", "2026-12-03"])
def test_every_source_of_the_report_is_a_link_to_commonmark(cli, as_of) -> None:
    markdown = cli(*REPORT, "--as-of", as_of, "-f", "markdown")
    data = cli(*REPORT, "--as-of", as_of, "-f", "json")
    assert markdown.code == data.code == 0
    html = _commonmark(markdown.out)
    hrefs = {unquote(h) for h in _hrefs(html)}
    sources = {unquote(a) for a in _sources(json.loads(data.out))}
    assert sources, "the report has sources"
    missing = sources - hrefs
    assert not missing, sorted(missing)[:5]
    # no link left as literal text: `[\[1]](https://...)` renders as `[[1]](https://...)`
    assert not re.search(r"\]\(https?://", html)


@pytest.mark.parametrize(
    "label", ["[1]", "a]b", "]", "[[x]]", "x\\]", "*[1]*", "`]`", "[1](https://evil.example/)"]
)
def test_a_link_label_stays_inside_its_link(label) -> None:
    html = _commonmark(escape.markdown_link(label, "https://example.org/page"))
    assert _hrefs(html) == ["https://example.org/page"]
    assert "evil" not in "".join(_hrefs(html))


HOSTLESS = [
    "https:///etc/passwd",
    "http:///no-host/at-all",
    "https://:443/only-a-port",
    "http://?query=only-a-query",
    "https://#fragment-only",
]


@pytest.fixture
def hostless(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    (folder / "toolkits").mkdir(parents=True)
    sources = ", ".join(f'"{url}"' for url in HOSTLESS)
    (folder / "toolkits" / "kit.yaml").write_text(
        "id: kit\nname: Kit\nratings:\n  interfaces:\n    2016-12-06:\n"
        f"      {{score: 3, summary: Some words., sources: [{sources}, https://example.org/ok]}}\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        (("show", "kit"), "markdown"),
        (("show", "interfaces"), "markdown"),
        (("history", "kit", "-v"), "markdown"),
        (REPORT, "markdown"),
        (REPORT, "html"),
    ],
)
def test_an_address_without_a_host_is_never_a_link(cli, hostless, command, fmt) -> None:
    done = cli(*command, "--as-of", "2016-12-06", "--data", str(hostless), "-f", fmt)
    assert done.code == 0, done.err
    html = done.out if fmt == "html" else _commonmark(done.out)
    hrefs = _hrefs(html)
    assert any(h.startswith("https://example.org/ok") for h in hrefs)  # links are made here
    for url in HOSTLESS:
        assert not any(unquote(h).startswith(url[:9]) and "example" not in h for h in hrefs), url
        assert url.split("//", 1)[1][:6] in html  # shown as text

"""One escaping function per output format, applied by each renderer where text leaves it.

Text from data files is untrusted on the way out: a name may carry an escape sequence that
clears the terminal, a summary may carry HTML for a Markdown page, a source may be a
`javascript:` address. Layout code builds documents from plain strings; each renderer passes
every string it writes through the one function of its format here, so no call site can
forget one.

- `visible`: control, format (bidirectional, zero-width) and separator characters written as
  Python escapes (`\\x1b`, `\\u202e`), so they are seen, never obeyed. Every format uses it.
- `terminal`: `visible`, and characters the output encoding cannot carry as ASCII stand-ins
  (`*` for a star) or escapes, so that a `C` or `latin-1` locale prints instead of crashing.
- `markdown`: `visible`, HTML special characters as entities and Markdown punctuation
  backslashed, so that data is always read as text.
- `markdown_link` / `link_target`: a link only for `http(s)` addresses (and in-page anchors);
  anything else is shown as text.
- `html`: `visible`, then HTML-escaped (quotes too).
- `csv`: `visible` (line breaks and tabs kept: the CSV writer quotes them), and a cell a
  spreadsheet would run as a formula made text (OWASP's rule: a leading `'`).
"""

from __future__ import annotations

import re
import unicodedata

from ..lookalike import HIDDEN_CATEGORIES as _HIDDEN


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_DROPPING: dict[str, dict[int, None]] = {}


def _dropping(keep: str) -> dict[int, None]:
    """A `str.translate` table deleting the characters of `keep`."""
    table = _DROPPING.get(keep)
    if table is None:
        table = _DROPPING[keep] = dict.fromkeys(map(ord, keep))
    return table


def visible(text: str, keep: str = "\n") -> str:
    """`text` with every hidden character written as an escape (`\\x1b`, `\\u200b`); the
    characters in `keep` pass as they are."""
    if text.isprintable() or (keep and text.translate(_dropping(keep)).isprintable()):
        return text  # nothing hidden: isprintable is False for every hidden category
    return "".join(
        _escaped(ch) if ch not in keep and unicodedata.category(ch) in _HIDDEN else ch
        for ch in text
    )


ASCII_STAND_INS = str.maketrans(
    {
        "★": "*",
        "☆": ".",
        "½": "+",
        "†": "^",
        "Δ": "d",
        "›": ">",
        "…": "...",
        "—": "-",
        "–": "-",
        "→": "->",
        "±": "+/-",
        "·": ".",
        "×": "x",
        "≥": ">=",
        "≤": "<=",
        "█": "#",
        "▏": "|",
        "▎": "|",
        "▍": "|",
        "▌": "|",
        "▋": "|",
        "▊": "|",
        "▉": "|",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
    }
)
"""What the layout's marks become where the output cannot encode them (`LC_ALL=C`)."""


def terminal(text: str, encoding: str | None = "utf-8") -> str:
    """Text for a terminal (or whatever stdout is, in the `table` format): nothing hidden is
    sent raw, and what `encoding` cannot carry becomes an ASCII stand-in or an escape."""
    text = visible(text, keep="\n\t")
    if not encoding or encoding.lower().replace("_", "-").startswith("utf"):
        return text
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = text.translate(ASCII_STAND_INS)
        try:
            return text.encode(encoding, "backslashreplace").decode(encoding)
        except LookupError:
            return text.encode("ascii", "backslashreplace").decode("ascii")
    return text


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[|~$])")
"""Markup characters: emphasis, code, links (no link or image starts without its `[`), table
cells, strikethrough, maths."""
_LINE_START = re.compile(r"(?m)^(\s*\d*)([-+=#.)])(?=\s|$|[-=#])")


def markdown(text: str) -> str:
    """Text for a Markdown document (a table cell, a heading, a paragraph): HTML special
    characters as entities, Markdown punctuation backslashed, line breaks as `<br>`."""
    from html import escape  # documents only: the terminal's table format has no use for it

    text = escape(visible(text), quote=False)
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    # a list, a heading underline or a numbered item where a line starts
    text = _LINE_START.sub(r"\1\\\2", text)
    return text.replace("\n", "<br>")


_SAFE_URL = "/:?#[]@!$&'*+,;=%~-._"


def link_target(url: str) -> str | None:
    """`url` fit to be a link target, or None: only `http(s)` addresses with a host, and
    in-page anchors (`#section`), become links. Anything outside plain printable ASCII is
    percent-encoded, so that a target can never close its markup."""
    from urllib.parse import quote, urlsplit  # only documents with links need it

    if url.startswith("#"):
        return "#" + quote(url[1:], safe="-_.")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    try:
        host = parts.hostname  # `https://:443/x` has a netloc and no host
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return quote(url, safe=_SAFE_URL.replace("'", "").replace("*", ""))


def markdown_link(label: str, url: str) -> str:
    """A Markdown link, or for an address that may not be a link, its label and the address
    as escaped text."""
    target = link_target(url)
    if target is None:
        return f"{markdown(label)} ({markdown(url)})" if label != url else markdown(url)
    if label == url:
        return f"<{target}>"  # an autolink: the target holds no space, `<` or `>`
    target = target.replace("(", "%28").replace(")", "%29")
    # `]` closes link text, so inside it a `]` of the label is escaped too: `[\[1\]](...)`
    # (`[\[1]](...)` is no link to CommonMark: its text ends at the first `]`)
    return f"[{markdown(label).replace(']', chr(92) + ']')}]({target})"


def html(text: str) -> str:
    """Text for HTML content or an attribute value."""
    from html import escape

    return escape(visible(text))


FORMULA_START = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


def csv(text: str) -> str:
    """Text for a CSV field (the writer quotes line breaks, tabs and commas). A cell that
    starts with `=`, `+`, `-`, `@`, a tab or a carriage return, also after leading white
    space, is prefixed with `'` so that a spreadsheet shows it as text instead of running
    it (`=HYPERLINK(...)`, `=cmd|...`); a plain number (`-0.5`) stays a number."""
    starts = {text[:1], text.lstrip()[:1]}
    if not starts.isdisjoint(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        text = "'" + text
    return visible(text, keep="\n\t")


LONGEST_WORD = 300
"""Longest run of text without a space that a message shows whole."""
_LONG_WORD = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")


def message(text: str) -> str:
    """Text for stderr (messages, click's usage errors): a run of more than LONGEST_WORD
    characters without a space (a 100,000-character argument echoed back) is cut to a short
    prefix and its length."""
    if len(text) <= LONGEST_WORD:
        return text
    return _LONG_WORD.sub(lambda m: f"{m.group()[:60]}… ({len(m.group())} characters)", text)

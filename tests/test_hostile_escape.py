"""Hostile input, class "data that reaches a terminal or a document": text from data files
never reaches a terminal or a document as live control codes or markup, and names that hide or
imitate are refused.

Written as the attacker would: a toolkit file carrying escape sequences, HTML and look-alike
names, run through every command and format; and hypothesis over any text for each
format's escaping function.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlcompare.render import escape

HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}

ATTACKS = [
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]0;owned\x07",  # window title (OSC, BEL-terminated)
    "\x1b]0;owned",  # OSC left open once BEL is stripped
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b[31mred\x1b[0m",  # colour
    "\x9b2J",  # 8-bit CSI
    "line\rover",  # carriage return overwrites the line
    "\u202eevil\u202c",  # right-to-left override
    "zero\u200bwidth\ufeff",  # zero-width space, BOM
    "\x00nul\x7fdel",
]


def _hidden(text: str, allowed: str = "") -> list[str]:
    return [ch for ch in text if ch not in allowed and unicodedata.category(ch) in HIDDEN]


@given(st.text())
def test_terminal_text_has_no_hidden_character(text: str) -> None:
    assert not _hidden(escape.terminal(text), "\n\t")


@given(st.text(), st.sampled_from(["ascii", "latin-1", "cp1252", "utf-8"]))
def test_terminal_text_always_encodes(text: str, encoding: str) -> None:
    escape.terminal(text, encoding).encode(encoding)  # never raises


@given(st.text())
def test_csv_text_has_no_hidden_character_and_round_trips_through_the_writer(text: str) -> None:
    field = escape.csv(text)
    assert not _hidden(field, "\n\t")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([field, "x"])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == [field, "x"]


@given(st.text())
def test_html_text_holds_no_markup(text: str) -> None:
    out = escape.html(text)
    assert not _hidden(out, "\n")  # line breaks become <br> where the renderer wants them
    assert not set("<>\"'") & set(out)


@given(st.text())
def test_markdown_text_holds_no_markup(text: str) -> None:
    out = escape.markdown(text)
    assert not _hidden(out)
    assert "<" not in out.replace("<br>", "")  # no tag, no autolink
    assert ">" not in out.replace("<br>", "")
    assert "\n" not in out  # one table cell stays one cell
    # every markup character is backslashed (an even run of backslashes before it is no escape)
    assert not re.search(r"(?<!\\)(?:\\\\)*[`*_\[|~$]", out)


@given(st.text(), st.text())
def test_markdown_links_only_to_http(label: str, url: str) -> None:
    out = escape.markdown_link(label, url)
    target = escape.link_target(url)
    if target is None:
        assert not re.search(r"(?<!\\)(?:\\\\)*\[", out)  # no link can open
        assert not out.replace("<br>", "").startswith("<")  # nor an autolink
    else:
        assert target.startswith(("http://", "https://", "#"))
        assert not set(' <>"()\\') & set(target.split("#", 1)[0] if url.startswith("#") else target)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>", "file:///etc/passwd", "//evil", "x"]
)
def test_only_http_addresses_become_links(url: str) -> None:
    assert escape.link_target(url) is None
    assert "](" not in escape.markdown_link("[1]", url)


EVIL_NAME = "<script>alert(1)</script>"
EVIL_TEXT = " ".join(ATTACKS) + " <img src=x onerror=alert(3)> [x](javascript:alert(1)) | *b* `c`"


def _toolkit(folder: Path, ident: str, name: str, summary: str = "fine", note: str = "") -> None:
    (folder / "toolkits").mkdir(parents=True, exist_ok=True)
    quoted = name.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    text = summary.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    (folder / "toolkits" / f"{ident}.yaml").write_text(
        f'id: {ident}\nname: "{quoted}"\nratings:\n  interfaces:\n    2016-12-06:\n'
        f'      score: 5\n      summary: "{text}"\n'
        f"      sources: [https://example.org/a_b]\n",
        encoding="utf-8",
    )


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    folder = tmp_path / "evil"
    _toolkit(folder, "evil", EVIL_NAME, EVIL_TEXT)
    return folder


COMMANDS = [
    ("show", "interfaces"),
    ("show", "evil"),
    ("show",),
    ("rank", "-w", "interfaces=1", "--missing", "drop"),
    ("history", "evil"),
    ("diff", "evil", "tensorflow"),
    ("list",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_no_control_code_reaches_any_human_format(cli, evil, command, fmt) -> None:
    done = cli(*command, "--data", str(evil), "-f", fmt)
    assert done.code == 0, done.err
    assert "evil" in done.out.lower() or "script" in done.out
    assert not _hidden(done.out, "\n\t\r" if fmt == "csv" else "\n")
    if command == ("show", "interfaces"):
        assert "\\x1b]0;owned" in done.out  # shown, not obeyed


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_markdown_carries_no_live_html(cli, evil, command) -> None:
    out = cli(*command, "--data", str(evil), "-f", "markdown").out
    assert "<script" not in out and "<img" not in out
    assert "](javascript" not in out.replace("\\[x]", "")


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_report_carries_no_live_html_nor_control_code(cli, evil, fmt) -> None:
    done = cli("report", "-f", fmt, "--data", str(evil), "-w", "interfaces=1", "--missing", "drop")
    assert done.code == 0, done.err
    assert not _hidden(done.out, "\n")
    assert "<script" not in done.out and "<img" not in done.out
    assert 'href="javascript' not in done.out
    if fmt == "markdown":
        assert "](javascript" not in done.out.replace("\\[x](javascript", "")  # [ escaped


@pytest.mark.parametrize(
    "name, found",
    [
        ("Tensor\u202eFlow", "\\u202e"),  # right-to-left override
        ("Evil\u200b", "\\u200b"),  # zero-width space
        ("\ufeffEvil", "\\ufeff"),  # byte order mark
        ("Evil\x1b[2J", "\\x1b"),
        ("Evil\u2066x\u2069", "\\u2066"),  # isolate
        ("Evil\u00a0Kit", "\\xa0"),  # no-break space
    ],
)
def test_validate_refuses_hidden_characters_in_names(cli, tmp_path, name, found) -> None:
    _toolkit(tmp_path / "d", "evil", name)
    done = cli("validate", str(tmp_path / "d"))
    assert done.code == 1
    assert "invisible or control characters" in done.out and found in done.out
    assert not _hidden(done.out, "\n")


@pytest.mark.parametrize(
    "name, other",
    [
        ("TensorFlow", "tensorflow"),  # the same display name as the bundled toolkit
        ("tensorflow", "tensorflow"),  # the same but for case
        ("Tensor Flow", "tensorflow"),
        ("TensorF1ow", "tensorflow"),  # a digit for a letter
        ("Ⓣorch", "torch"),  # compatibility form
        ("Toŕch", "torch"),  # an accent
    ],
)
def test_validate_refuses_a_name_that_looks_like_another(cli, tmp_path, name, other) -> None:
    _toolkit(tmp_path / "d", "evil", name)
    done = cli("validate", str(tmp_path / "d"))
    assert done.code == 1, done.out
    assert f"the name of toolkit {other}" in done.out
    ranked = cli("rank", "-w", "interfaces=1", "--missing", "drop", "--data", str(tmp_path / "d"))
    assert ranked.code == 1  # the ranking never shows two rows that read the same


@pytest.mark.parametrize("name", ["T\u0435nsorFlow", "Ca\u0444\u0444e", "\u03a4orch Kit"])
def test_validate_flags_mixed_scripts(cli, tmp_path, name) -> None:
    _toolkit(tmp_path / "d", "evil", name)
    done = cli("validate", str(tmp_path / "d"))
    assert done.code == 1
    assert "mixes letters of look-alike scripts" in done.out
    assert "\\u" in done.out  # the look-alike letter is shown as an escape


def test_validate_refuses_stacked_combining_marks(cli, tmp_path) -> None:
    _toolkit(tmp_path / "d", "zalgo", "Z\u0338\u0322\u031b\u0301algo")
    done = cli("validate", str(tmp_path / "d"))
    assert done.code == 1 and "stacks 4 combining marks" in done.out


def test_two_marks_on_a_letter_are_fine(cli, tmp_path) -> None:
    _toolkit(tmp_path / "d", "viet", "Vi\u1ec7t Kit")  # ệ: e with two marks, decomposed too
    _toolkit(tmp_path / "d", "viet2", "Vie\u0323\u0302t Two")
    assert cli("validate", str(tmp_path / "d")).code == 0


def test_a_name_in_one_other_script_is_fine(cli, tmp_path) -> None:
    _toolkit(tmp_path / "d", "kit", "Тензор")  # all Cyrillic: imitates nothing
    assert cli("validate", str(tmp_path / "d")).code == 0


def test_an_error_quoting_a_look_alike_shows_it_unambiguously(cli) -> None:
    done = cli("show", "t\u0435nsorflow")
    assert done.code == 1
    assert "'t\\u0435nsorflow'" in done.err


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/><img/src=x/onerror=alert(2)>",
        'https://evil.example/"onmouseover="x',
        "https://evil.example/\x1b[2J",
        "javascript:alert(1)",
    ],
)
def test_validate_refuses_addresses_that_could_close_markup(cli, tmp_path, url) -> None:
    folder = tmp_path / "d" / "toolkits"
    folder.mkdir(parents=True)
    quoted = url.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    (folder / "kit.yaml").write_text(f'id: kit\nname: Kit\nhomepage: "{quoted}"\n')
    done = cli("validate", str(tmp_path / "d"))
    assert done.code == 1 and "homepage" in done.out
    assert (
        "<img" in done.out or "onmouseover" in done.out or "\\x1b" in done.out or "java" in done.out
    )
    assert not _hidden(done.out, "\n")


def test_the_interactive_questions_escape_data_text(evil: Path) -> None:
    from dlcompare import interactive
    from dlcompare.loading import load_layers

    (evil / "criteria.yaml").write_text(
        "criteria:\n  - id: tricky\n    name: Tricky\n"
        '    description: "Clears \\e[2J the screen \\e]0;owned\\a and more"\n'
    )
    dataset = load_layers([evil])
    answers = iter(["1\n"] * 20)
    said = io.StringIO()
    interactive.ask(
        dataset.evaluation(dataset.latest), read=lambda: next(answers), write=said.write, width=100
    )
    assert "Clears \\x1b[2J the screen \\x1b]0;owned\\x07" in said.getvalue()
    assert not _hidden(said.getvalue(), "\n")

"""Every example command runs as printed, on the bundled data: the README's, every command's
help, and the commands the tool itself suggests. The examples are read from where they are
printed, so that one can never rot unnoticed.

What counts as an example (the README says so too, under "Development"):
- README: every `$ dlcompare ...` line of a ```console block, and every inline `dlcompare ...`
  span. A synopsis is not an example: a span with an upper-case placeholder (`DIR`,
  `TOOLKIT`), `[...]` or `...`. Other `$` lines (`$ $EDITOR ...`) are steps for the reader.
  A block or table right after `<!-- examples: not run -->` is left out (completion set-up,
  which changes your shell's start-up files, and key presses).
- Help: each line of a command's help, or of the top-level epilog, that starts with
  `dlcompare ` (the `Examples:` of every command, one a line).
- Hints: a `dlcompare ...` command the tool prints after a colon or in backticks.
- `check` reads the network: its examples run against a server on 127.0.0.1 (recorded package
  index answers; every other address a 404), and may exit 1 (something moved).
- An example may chain commands with `&&` and send stdout to a file with `> FILE`; `# ...`
  is a comment. `-i`/`--interactive` examples get an answer of 3 to every question.
- Inline and help examples run each in a fresh folder; the console blocks under one heading
  run in order in one folder (a walkthrough). Every folder holds the files the README
  defines (a ```yaml block whose first line is `# NAME`), except a file the example writes.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dlcompare import interactive

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SKIP_MARK = "<!-- examples: not run -->"
_SPAN = re.compile(r"`(dlcompare [^`]*)`")
_PLACEHOLDER = re.compile(r"\b[A-Z]{2,}\b|\[|\.\.\.")
_HINT = re.compile(r"(?:^|:\s+|`)(dlcompare [^`\n]*)", re.M)


@dataclass
class Example:
    where: str
    commands: list[str] = field(default_factory=list)


def is_synopsis(command: str) -> bool:
    """A synopsis names placeholders (TOOLKIT, [DIR], ...); a quoted word is a value
    (`--name "MLX"`), never a placeholder."""
    return bool(_PLACEHOLDER.search(re.sub(r"\"[^\"]*\"|'[^']*'", "''", command)))


def readme_files(text: str = README) -> dict[str, str]:
    """The files the README defines: ```yaml blocks whose first line is `# NAME`."""
    return dict(re.findall(r"```yaml\n# (\S+)\n(.*?)```", text, re.S))


def readme_examples(text: str = README) -> list[Example]:
    examples: list[Example] = []
    walkthroughs: dict[str, Example] = {}
    heading = ""
    fence: str | None = None
    skip_next = False  # a marker was seen: leave out the next block or table
    skipping = False  # inside a block or table that is left out
    for number, line in enumerate(text.splitlines(), 1):
        if fence is not None:
            if line.startswith("```"):
                fence, skipping = None, False
            elif fence == "console" and not skipping and line.startswith("$ dlcompare "):
                walk = walkthroughs.setdefault(heading, Example(f"README.md, {heading}"))
                walk.commands.append(line[2:])
            continue
        if line.startswith("```"):
            fence, skipping, skip_next = line[3:].strip(), skip_next, False
            continue
        if line.strip() == SKIP_MARK:
            skip_next = True
            continue
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("|"):
            skipping, skip_next = skipping or skip_next, False
        else:
            skipping = False
        if skipping:
            continue
        for span in _SPAN.findall(line.replace("\\|", "|")):
            if not is_synopsis(span):
                examples.append(Example(f"README.md:{number}", [span]))
    return examples + list(walkthroughs.values())


def help_examples() -> list[Example]:
    from typer.main import get_command

    from dlcompare.cli import app

    found: list[Example] = []

    def walk(command: Any, path: str) -> None:
        for text in (command.help or "", command.epilog or ""):
            for line in text.splitlines():
                if line.strip().startswith("dlcompare "):
                    found.append(Example(f"help of '{path}'", [line.strip()]))
        if hasattr(command, "list_commands"):  # a group: its commands, built one by one
            ctx = command.make_context(path, [], resilient_parsing=True)
            for name in sorted(command.list_commands(ctx)):
                walk(command.get_command(ctx, name), f"{path} {name}")

    walk(get_command(app), "dlcompare")
    return found


@pytest.fixture(scope="module")
def local_network():
    """`check` examples read the network: here a server on 127.0.0.1 answers instead, with
    the recorded package index answers of the bundled packages (tests/data/index); any other
    address (every source link) is a 404 there. Nothing reaches the internet."""
    from .local_server import local_server, recorded

    with local_server() as server:
        for name in ("Theano", "cntk", "chainer"):
            server.routes[f"/pypi/{name}/json"] = recorded(name)
        yield server


@pytest.fixture
def offline(local_network, monkeypatch: pytest.MonkeyPatch) -> None:
    from dlcompare import check, web

    from .local_server import PROXY_VARIABLES, local_opener

    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DLCOMPARE_INDEX_URL", f"{local_network.url}/pypi")
    opener = local_opener(local_network)
    monkeypatch.setattr(
        check,
        "new_client",
        lambda timeout: web.Client(timeout=timeout, sleep=lambda s: None, opener=opener),
    )


@pytest.fixture
def run_example(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline: None):
    """Run one example (a list of command lines) in a folder; fails on any non-zero exit
    (`check` may exit 1: it found something that moved, its documented answer)."""

    def run(example: Example, folder: Path | None = None) -> list[str]:
        if folder is None:
            folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
        folder.mkdir(exist_ok=True)
        monkeypatch.chdir(folder)
        outputs = []
        for line in example.commands:
            for command in line.split(" && "):
                outputs.append(run_command(cli, monkeypatch, folder, command, example.where))
        return outputs

    return run


def written(words: list[str]) -> set[str]:
    """The files a command writes itself: `-o FILE`, `--output FILE`, `> FILE`."""
    return {words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output", ">")}


def run_command(
    cli: Any, monkeypatch: pytest.MonkeyPatch, folder: Path, command: str, where: str
) -> str:
    words = shlex.split(command, comments=True)
    assert words[0] == "dlcompare", f"{where}: not a dlcompare command: {command}"
    for name, content in readme_files().items():
        if name not in written(words) and not (folder / name).exists():
            (folder / name).write_text(content, encoding="utf-8")
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    if "-i" in words or "--interactive" in words:
        monkeypatch.setattr(interactive, "stdin_is_terminal", lambda: True)
        monkeypatch.setattr(sys, "stdin", io.StringIO("3\n" * 40))
    result = cli(*words[1:])
    allowed = (0, 1) if words[1:2] == ["check"] else (0,)
    assert result.code in allowed, f"{where}: `{command}` exited {result.code}:\n{result.err}"
    assert "error:" not in result.err, f"{where}: `{command}`: {result.err}"
    if target is not None:
        (folder / target).write_text(result.out, encoding="utf-8")
    return f"{result.out}{result.err}"


README_EXAMPLES = readme_examples()
HELP_EXAMPLES = help_examples()


def test_the_readme_has_the_examples_we_expect() -> None:
    """The reader is not fooled: the parser finds the README's examples, and skips what it
    should (a synopsis, a `$EDITOR` step, the completion set-up)."""
    commands = [c for e in README_EXAMPLES for c in e.commands]
    for expected in (
        "dlcompare show performance",
        "dlcompare rank --weights mine.yaml",
        "dlcompare weights init -o mine.yaml",
        "dlcompare report -o report.html --weights mine.yaml    # one self-contained web page",
        "dlcompare history tensorflow performance.single-gpu",
        "dlcompare diff tensorflow@2015-11-20 tensorflow@2016-05-11",
        "dlcompare schema toolkit > toolkit.schema.json",
    ):
        assert expected in commands, expected
    assert not any(is_synopsis(c) for c in commands)
    assert not any("completion" in c or "<Tab>" in c or "EDITOR" in c for c in commands)
    assert set(readme_files()) == {"mine.yaml"}
    assert len(HELP_EXAMPLES) >= 20


@pytest.mark.parametrize("example", README_EXAMPLES, ids=lambda e: f"{e.where}: {e.commands[0]}")
def test_readme_examples_run_as_printed(run_example, example: Example) -> None:
    run_example(example)


@pytest.mark.parametrize("example", HELP_EXAMPLES, ids=lambda e: f"{e.where}: {e.commands[0]}")
def test_help_examples_run_as_printed(run_example, example: Example) -> None:
    run_example(example)


HINT_SOURCES = {
    "bare rank": ["dlcompare rank"],
    "interactive without a terminal": ["dlcompare weights init -i"],
    "interactive, written": ["dlcompare weights init -i -o answers.yaml"],
    "unknown toolkit": ["dlcompare show tensorflw"],
    "unknown criterion": ["dlcompare history tf speeed"],
    "scaffold": ["dlcompare new toolkit flax --dir team"],
}


@pytest.mark.parametrize("source", sorted(HINT_SOURCES))
def test_hints_the_tool_prints_run_as_printed(
    cli, run_example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str
) -> None:
    folder = tmp_path / "hints"
    folder.mkdir()
    monkeypatch.chdir(folder)
    texts = []
    for command in HINT_SOURCES[source]:
        words = shlex.split(command)
        if words[-1] == "-i":
            monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
        elif "-i" in words:
            monkeypatch.setattr(interactive, "stdin_is_terminal", lambda: True)
            monkeypatch.setattr(sys, "stdin", io.StringIO("3\n" * 40))
        result = cli(*words[1:])
        texts.append(result.out + result.err)
    monkeypatch.undo()
    scaffold = folder / "team" / "toolkits" / "flax.yaml"
    if scaffold.exists():
        texts.append(scaffold.read_text(encoding="utf-8"))
    hints = [
        h.strip().rstrip(".") for text in texts for h in _HINT.findall(text) if not is_synopsis(h)
    ]
    assert hints, f"{source}: printed no runnable hint"
    for n, hint in enumerate(hints):
        # each in a copy of the folder the hint was printed in (it may name a file written there)
        copy = tmp_path / f"hint{n}"
        shutil.copytree(folder, copy)
        run_example(Example(f"hint after `{HINT_SOURCES[source][0]}`", [hint]), copy)


def test_the_walkthrough_shares_one_folder(run_example, tmp_path: Path) -> None:
    """The README's own walkthrough ("Bring your own ratings") leaves the files it says."""
    walk = next(e for e in README_EXAMPLES if e.where.endswith("Bring your own ratings"))
    assert walk.commands[0].startswith("dlcompare new toolkit ")
    folder = tmp_path / "walk"
    run_example(walk, folder)
    assert (folder / "team" / "editions.yaml").exists()

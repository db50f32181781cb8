"""The HTML report in a real browser: headless Chromium loads it with a fresh profile, takes
screenshots at desktop and phone width, logs no console message (the page's content security
policy makes any attempt to load from the network, or to run a script, a logged error), and
the rendered DOM holds the key ratings.

Skipped where Chromium is missing, unless DLCOMPARE_BROWSER_TESTS=required (as in CI), where
a missing browser fails the test instead."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.test_report import matrix_cell, parse

BROWSERS = ("chromium", "chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)
CONSOLE = re.compile(r":CONSOLE[^\]]*\] (.*)")
"""How Chromium logs a page's console messages (errors included) on stderr."""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found is None:
        reason = (
            "Chromium is not installed, so the HTML report is not checked in a browser; "
            "install it with `apt-get install chromium` (Debian/Ubuntu) to run this test"
        )
        if os.environ.get("DLCOMPARE_BROWSER_TESTS") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def browse(
    chromium: str, page: Path, profile: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run Chromium once on `page` with a profile of its own."""
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def console_messages(stderr: str) -> list[str]:
    return CONSOLE.findall(stderr)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(
    scope="module",
    params=[("report.html", ("-f", "html")), ("team.html", ())],
    ids=["format-given", "format-from-extension"],
)
def report_page(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The page as `report -f html -o report.html` writes it, and as `report -o team.html`
    (no --format: the extension names HTML) does."""
    from dlcompare.__main__ import run

    name, options = request.param
    assert isinstance(name, str) and isinstance(options, tuple)
    folder = tmp_path_factory.mktemp("report")
    target = folder / name
    weights = ["-w", "interfaces=1", "-w", "performance.single-gpu=2", "--missing", "partial"]
    weights += ["--as-of", "2016-12-06"]  # the source's last edition
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLCOMPARE_TODAY", "2026-11-26")
        assert run(["report", *options, "-o", str(target), *weights]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    return target


def test_the_console_check_catches_errors(chromium: str, tmp_path: Path) -> None:
    """The negative control: a page that breaks its own policy is reported on stderr, so a
    clean stderr below means something."""
    from dlcompare.render.html import CONTENT_POLICY

    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_POLICY}">'
        '<title>bad</title></head><body><img alt="" src="https://example.org/x.png">'
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    done = browse(chromium, bad, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    messages = console_messages(done.stderr)
    assert any("example.org" in m for m in messages), done.stderr[-2000:]
    assert any("inline script" in m for m in messages), done.stderr[-2000:]


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_screenshot_without_console_messages(
    chromium: str, report_page: Path, tmp_path: Path, name: str, width: int
) -> None:
    shot = tmp_path / f"report-{name}.png"
    done = browse(
        chromium,
        report_page,
        tmp_path / "profile",
        f"--screenshot={shot}",
        f"--window-size={width},2000",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_messages(done.stderr) == []
    assert png_size(shot) == (width, 2000)
    # an empty white page of this size compresses to a few kilobytes; text and charts do not
    assert shot.stat().st_size > 40_000
    keep = os.environ.get("DLCOMPARE_SCREENSHOTS")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)


def test_rendered_dom_has_the_key_ratings(chromium: str, report_page: Path, tmp_path: Path) -> None:
    done = browse(chromium, report_page, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_messages(done.stderr) == []
    dom = done.stdout
    assert dom.lstrip().startswith("<!DOCTYPE html>") and '<html lang="en">' in dom
    tables = parse(dom)
    assert matrix_cell(tables, "Performance: Single-GPU", "TensorFlow") == "5.0 †"
    assert matrix_cell(tables, "Performance: Single-GPU", "Theano") == "3.0 †"
    assert matrix_cell(tables, "Model deployment", "Caffe") == "5.0 †"
    ranks = next(t for t in tables.tables if t[0][:3] == ["Rank", "Toolkit", "Score"])
    assert ranks[1][:3] == ["1", "TensorFlow", "4.83"]
    assert len(re.findall(r'<svg [^>]*role="img"', dom)) == 10

"""Ready to be installed by someone else: the license, the changelog and the metadata agree."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_license_matches_the_metadata() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert project["license"] == "MIT" and license_text.startswith("MIT License\n")
    assert "Copyright (c) 2026 dlcompare contributors" in license_text
    assert project["license-files"] == ["LICENSE"]
    assert "License :: OSI Approved :: MIT License" not in project["classifiers"]  # PEP 639


def test_urls_name_only_what_is_known() -> None:
    """No invented address for this project's own repository: only the source evaluation."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"] == {"Source evaluation": "https://github.com/zer0n/deepframeworks"}
    assert "Typing :: Typed" in project["classifiers"]
    assert (ROOT / "src" / "dlcompare" / "py.typed").exists()


def test_changelog_has_an_unreleased_section_first() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = [line for line in changelog.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Unreleased"
    assert "keepachangelog.com" in changelog


def test_the_readme_says_how_the_data_may_be_used() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## License and use of the data")[1].split("\n## ")[0]
    for fact in ("carries no", "our own words", "edition", "MIT License"):
        assert fact in section, fact

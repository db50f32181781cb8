"""Goldens are rewritten only with UPDATE_GOLDEN=1 and never under CI, and .ci/run fails when
a test run left tests/golden different from the commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import test_cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("environment", "rewrites"),
    [
        ({"UPDATE_GOLDEN": "1"}, True),
        ({"UPDATE_GOLDEN": "1", "CI": "true"}, False),
        ({"UPDATE_GOLDEN": "1", "CI": ""}, False),
        ({"UPDATE_GOLDEN": "0"}, False),
        ({"UPDATE_GOLDEN": "yes"}, False),
        ({"UPDATE_GOLDEN": ""}, False),
        ({}, False),
    ],
)
def test_goldens_are_rewritten_only_with_update_golden_1_outside_ci(
    monkeypatch, tmp_path, environment, rewrites
) -> None:
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    monkeypatch.delenv("CI", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(test_cli, "GOLDEN", tmp_path)
    (tmp_path / "g.txt").write_text("what the commit holds\n", encoding="utf-8")
    if rewrites:
        test_cli.check_golden("g.txt", "new output\n")
        assert (tmp_path / "g.txt").read_text(encoding="utf-8") == "new output\n"
    else:
        with pytest.raises(AssertionError):
            test_cli.check_golden("g.txt", "new output\n")
        assert (tmp_path / "g.txt").read_text(encoding="utf-8") == "what the commit holds\n"


def test_ci_fails_when_a_golden_differs_after_the_tests() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    tests_at = script.index('bash -c "$test_command"')
    check = script.index("git diff --exit-code --stat -- tests/golden")
    assert check > tests_at  # after the test command, under `set -e`
    assert "set -euo pipefail" in script

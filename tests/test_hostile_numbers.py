"""Round 3: YAML 1.1's surprising numbers. A number means the same in a weights file, in a data
file and on the command line (`-w`), or the file is refused with a message naming both
readings; never read as something else silently (`010` as 8, `1:30` as 90)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlcompare import yamlio
from dlcompare.errors import DlcompareError
from dlcompare.weights import parse_option, read_file

# (as written, what the file and -w both read, or None: the file is refused, naming this)
CASES = [
    ("010", 10.0, None),
    ("007", 7.0, None),
    ("09", 9.0, None),
    ("1_000", 1000.0, None),
    ("+2", 2.0, None),
    ("1e3", 1000.0, None),
    ("1.5e3", 1500.0, None),
    ("1.5e+3", 1500.0, None),
    (".5", 0.5, None),
    ("2.", 2.0, None),
    ("1:30", None, "as 90"),
    ("1:30.5", None, "as 90.5"),
    ("0x1F", None, "as 31"),
    ("0b11", None, "as 3"),
    ("0o17", None, "as 15"),
    (".inf", None, "infinity"),
    (".NaN", None, "not a number"),
]


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "w.yaml"
    path.write_text(f"interfaces: {text}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("written", "value", "named"), CASES, ids=[c[0] for c in CASES])
def test_a_weight_means_the_same_in_a_file_and_on_the_command_line(
    bundled, tmp_path, written, value, named
) -> None:
    path = _file(tmp_path, written)
    if value is not None:
        assert read_file(bundled, path) == {"interfaces": value}
        assert parse_option(bundled, f"interfaces={written}") == {"interfaces": value}
        return
    with pytest.raises(DlcompareError) as refused:
        read_file(bundled, path)
    message = str(refused.value)
    assert str(path) in message and "line 1, column 13" in message
    assert f"{written} is not a decimal number" in message and named in message
    assert "quote it" in message and "\n" not in message


@pytest.mark.parametrize(("written", "value", "named"), CASES, ids=[c[0] for c in CASES])
def test_the_cli_says_so_with_exit_1(cli, tmp_path, written, value, named) -> None:
    done = cli("rank", "--weights", str(_file(tmp_path, written)), "-f", "json")
    if value is None:
        assert done.code == 1 and named in done.err and "Traceback" not in done.err
    else:
        assert done.code == 0, done.err


digits = st.from_regex(r"[0-9]{1,4}(_[0-9]{1,3})?", fullmatch=True)
number_text = st.one_of(
    st.builds(lambda s, d: s + d, st.sampled_from(["", "+", "-"]), digits),
    st.builds(
        lambda s, a, b, e: f"{s}{a}.{b}{e}",
        st.sampled_from(["", "+", "-"]),
        st.sampled_from(["", "0", "1", "12", "010", "1_0"]),
        st.sampled_from(["", "5", "05", "5_0"]),
        st.sampled_from(["", "e3", "e+3", "E-2", "e0_1"]),
    ),
    st.builds(lambda d, e: f"{d}e{e}", digits, st.sampled_from(["3", "+3", "-2"])),
    st.builds(
        lambda s, p, d: f"{s}0{p}{d}",
        st.sampled_from(["", "-", "+"]),
        st.sampled_from(["x", "o", "b"]),
        st.from_regex(r"[01][0-1_]{0,4}", fullmatch=True),
    ),
    st.builds(
        lambda a, b, c: f"{a}:{b}{c}",
        st.integers(1, 999).map(str),
        st.integers(0, 59).map(str),
        st.sampled_from(["", ":30", ".5", ":5.25"]),
    ),
    st.sampled_from([".inf", "-.inf", "+.INF", ".nan", ".NaN", "inf", "nan", "Infinity"]),
)


def _cli_reading(text: str) -> float | None:
    """What `-w x=TEXT` reads: Python's float() of the text."""
    try:
        return float(text)
    except ValueError:
        return None


@settings(max_examples=300, deadline=None)
@given(number_text)
def test_a_number_in_any_file_is_the_command_lines_number_or_refused(text: str) -> None:
    try:
        value = yamlio.parse(f"score: {text}\n", "f.yaml")["score"]
    except yamlio.YamlError as error:
        assert "line 1, column 8" in str(error) and "quote it" in str(error)
        return
    if isinstance(value, str):
        return  # text: a number field refuses it ("must be a number"), a weight reads it as -w
    assert not isinstance(value, bool)
    reading = _cli_reading(text)
    assert reading is not None, f"{text!r} read as {value!r}; the command line refuses it"
    assert value == reading or (math.isnan(value) and math.isnan(reading))


@settings(max_examples=150, deadline=None)
@given(number_text)
def test_a_weights_file_and_w_agree(bundled, tmp_path_factory, text: str) -> None:
    path = _file(tmp_path_factory.mktemp("w"), text)
    try:
        from_file = read_file(bundled, path)
    except DlcompareError:
        return  # refused: never a silent other reading
    assert parse_option(bundled, f"interfaces={text}") == from_file


def test_commit_hashes_stay_text() -> None:
    data = yamlio.parse("commit: 35480e4\nother: 1234e56\n", "e.yaml")
    assert data == {"commit": "35480e4", "other": "1234e56"}

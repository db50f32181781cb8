"""Reading YAML safely: the only place a YAML document is parsed.

Safe loader only (libyaml's C parser when present), no custom tags, duplicate keys rejected,
bounded size, depth and node count, so that a hostile file ends in a clear error rather than
a hang, a crash or a silently dropped key.

Limits (documented in the README): a file is at most `MAX_BYTES` (1 MiB), nests at most
`MAX_DEPTH` (40) collections deep and holds at most `MAX_NODES` (100,000) values, counting
every value an alias repeats. The bundled files are under 8 KiB, nest 6 deep and hold a few
hundred values.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .days import EARLIEST_DAY, LATEST_DAY, day_problem
from .errors import DlcompareError, shown

MAX_BYTES = 1024 * 1024
"""Largest file dlcompare reads (1 MiB): over a hundred times the largest bundled file."""
MAX_DEPTH = 40
"""Deepest nesting of lists and mappings; the data formats need 6."""
MAX_NODES = 100_000
"""Most values in one document, counting every value an alias repeats."""

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE_TAG = "tag:yaml.org,2002:"
_MERGE_TAG = _CORE_TAG + "merge"
LONGEST_KEY = 1024
"""YAML's limit on a plain (implicit) key; a longer one is read as a broken line."""


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, with duplicate mapping keys made an error instead of 'last one wins',
    and a bad value of a known type (`2015-13-40`) made a YAML error with its position."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except Exception as error:  # PyYAML's own constructors trip on e.g. `!!timestamp ''`
            what = "a valid date" if node.tag.endswith(":timestamp") else f"valid {_tag(node.tag)}"
            detail = f": {error}" if isinstance(error, ValueError | OverflowError) else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"not {what}{detail}", node.start_mark
            ) from None


def _tag(tag: str) -> str:
    """`tag:yaml.org,2002:timestamp` -> `!!timestamp`, as a YAML author writes it."""
    return "!!" + tag.removeprefix(_CORE_TAG) if tag.startswith(_CORE_TAG) else tag


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # One pass that builds the mapping and checks its keys: PyYAML's own construct_mapping
    # would flatten the node and walk the keys a second time.
    #
    # A merge key (`<<: *base`) brings in the pairs of another mapping; a key written in this
    # mapping overrides a merged one (YAML's rule), so only two written keys clash.
    written = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
    loader.flatten_mapping(node)  # the merged pairs first, then the written ones
    merged = len(node.value) - written
    mapping: dict[Any, Any] = {}
    seen: set[Any] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shown(key)}", key_node.start_mark
            )
        if index >= merged:
            seen.add(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _unsupported_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"tag {_tag(node.tag)} is not allowed; dlcompare reads plain YAML values only",
        node.start_mark,
    )


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(None, _unsupported_tag)

# Numbers: a number in a file means what it means on the command line (`-w interfaces=010` is
# 10), or the file is refused. YAML 1.1 (PyYAML) reads `010` as octal 8, `1:30` as 90 (base
# 60), `0x1F`, `0b11` as numbers and `1e3` (no dot) as text; YAML 1.2 reads `0o17` as octal.
# Here a plain scalar written in decimal (`10`, `010`, `1_000`, `-2.5`, `.5`, `1.5e3`) is a
# number read in decimal, as Python's int() and float() read it; one of YAML's other numbers
# (base 2, 8, 16 or 60, `.inf`, `.nan`) is an error that names both readings.
_INT_TAG, _FLOAT_TAG = _CORE_TAG + "int", _CORE_TAG + "float"
_OTHER_NUMBER_TAG = "tag:dlcompare,2026:other-number"
_DIGITS = r"[0-9]+(?:_[0-9]+)*"
_DECIMAL_INT = re.compile(rf"[-+]?{_DIGITS}\Z")
_DECIMAL_FLOAT = re.compile(
    rf"[-+]?(?:{_DIGITS}\.(?:{_DIGITS})?|\.{_DIGITS})(?:[eE][-+]?{_DIGITS})?\Z"
)
"""A decimal point is required, as in YAML 1.1: `35480e4` is a commit, not 354800000 (a
weights file reads such text as a number, as `-w` does)."""
_OTHER_NUMBER = re.compile(
    r"[-+]?0(?:b[01_]+|o[0-7_]+|x[0-9a-fA-F_]+)\Z"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z"
    r"|[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z"
)


def _yaml_reading(value: str) -> str:
    """What YAML 1.1 (or for `0o17`, YAML 1.2) makes of one of its non-decimal numbers."""
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if digits[:2].lower() in ("0b", "0o", "0x"):
        return str(sign * int(digits, 0))
    if ":" in digits:
        whole = 0.0
        for part in digits.split(":"):
            whole = whole * 60 + float(part)
        number = sign * whole
        return str(int(number)) if "." not in digits else str(number)
    infinite = {"inf": "infinity", "nan": "not a number"}[digits.lstrip(".").lower()]
    return f"minus {infinite}" if sign < 0 else infinite


def _other_number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    value = node.value
    reading = _yaml_reading(value)
    hint = (
        "a number must be finite"
        if reading.endswith(("infinity", "not a number"))
        else f"write it in decimal ({reading})"
    )
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"{value} is not a decimal number: YAML may read it as {reading}, the command line "
        f"does not read it; {hint}, or quote it to keep it as text",
        node.start_mark,
    )


def _decimal_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    return int(node.value)  # decimal, leading zeros and `_` between digits as int() reads them


def _decimal_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    return float(node.value)


_TIMESTAMP_TAG = _CORE_TAG + "timestamp"


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> dt.date:
    """A date, checked where it is read: a day (no time, no time zone) in the range above."""
    day = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    problem = day_problem(day, node.value)
    if problem is not None:
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
    return day


_Loader.add_constructor(_TIMESTAMP_TAG, _timestamp)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT_TAG, _FLOAT_TAG)]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_OTHER_NUMBER_TAG, _OTHER_NUMBER, list("-+0123456789."))
_Loader.add_implicit_resolver(_INT_TAG, _DECIMAL_INT, list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT_TAG, _DECIMAL_FLOAT, list("-+0123456789."))
_Loader.add_constructor(_OTHER_NUMBER_TAG, _other_number)
_Loader.add_constructor(_INT_TAG, _decimal_int)
_Loader.add_constructor(_FLOAT_TAG, _decimal_float)


class YamlError(DlcompareError):
    """A file that cannot be read as a YAML document; the message names the file."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def read_text(path: Path, *, allow_pipe: bool = False) -> str:
    """The file's text, or a YamlError saying why it cannot be read.

    Only regular files are read (a device such as /dev/zero would never end), and never more
    than MAX_BYTES. `allow_pipe` also accepts a pipe the user named on the command line, as
    `--weights <(...)` gives."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise YamlError(path, "is a directory, expected a file")
        pipe = stat.S_ISFIFO(info.st_mode)
        if not stat.S_ISREG(info.st_mode) and not (pipe and allow_pipe):
            raise YamlError(path, "is not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_BYTES:
            raise YamlError(path, f"is {info.st_size:,} bytes; the limit is {MAX_BYTES:,} bytes")
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise YamlError(path, "no such file") from None
    except PermissionError:
        raise YamlError(path, "permission denied") from None
    except OSError as error:
        raise YamlError(path, error.strerror or str(error)) from None
    if len(raw) > MAX_BYTES:
        raise YamlError(path, f"is over the limit of {MAX_BYTES:,} bytes")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError(path, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:
        raise YamlError(path, "is a binary file, expected YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(path, f"is not UTF-8 text (bad byte at offset {error.start})") from None


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""


def parse(text: str, name: Path | str) -> Any:
    """Parse one YAML document; `name` is used in error messages."""
    plain = _plain_document(text)
    if plain is not _NOT_PLAIN:
        return plain
    try:
        _check_events(text, name)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own limit, met while looking ahead
            problem = f"nested deeper than {MAX_DEPTH} levels"
        long_key = _long_key(text, mark)
        if long_key and mark is not None:
            raise YamlError(
                name,
                f"line {mark.line + 1}, column 1: a key of {long_key:,} characters is too long; "
                f"YAML reads a key of at most {LONGEST_KEY:,} characters (write a long text as "
                "a value, not a key)",
            ) from None
        raise YamlError(name, f"{_where(mark)}{problem}") from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise YamlError(
            name, f"line {line}, column {column}: character U+{code:04X} is not allowed in YAML"
        ) from None
    except yaml.YAMLError as error:
        raise YamlError(name, f"invalid YAML: {error}") from None
    except RecursionError:  # pragma: no cover - _check_events bounds the depth first
        raise YamlError(name, f"nested deeper than {MAX_DEPTH} levels") from None
    _check_shape(data, name)
    return data


_NOT_PLAIN: Any = object()
"""What `_plain_document` returns for a document it leaves to the full loader."""
_SCALARS = {
    _CORE_TAG + kind: _Loader.yaml_constructors[_CORE_TAG + kind]
    for kind in ("null", "bool", "int", "float", "timestamp")
}
_SCALARS[_OTHER_NUMBER_TAG] = _other_number
_RESOLVERS: dict[str | None, list[tuple[str, Any]]] = _Loader.yaml_implicit_resolvers
_FLOAT = _CORE_TAG + "float"
_FIRST = frozenset(k for k in _RESOLVERS if k)
"""First characters of a plain scalar that may be something other than text."""
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class _NotPlain(Exception):
    """The document uses something `_plain_document` leaves to the full loader."""


def _scalar(value: str, helper: Any) -> Any:
    """A plain (unquoted) scalar as the safe loader builds it: YAML 1.1's implicit types."""
    if not value:
        return None  # an empty value is null, as the safe loader reads it
    tag = next((tag for tag, pattern in _RESOLVERS.get(value[0], ()) if pattern.match(value)), None)
    if tag is None:
        return value
    if tag == _TIMESTAMP_TAG and _DATE.match(value):
        # the common case, built as the safe loader builds a date without a time
        day = dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise _NotPlain  # the full loader says why
        return day
    if tag == _FLOAT and ":" not in value and value[-1].isdigit():
        return float(value.replace("_", ""))  # as the safe loader's float, without .inf or 1:30
    construct = _SCALARS.get(tag)
    if construct is None:  # a merge key `<<`, `=`, or another type left to the full loader
        raise _NotPlain
    return construct(helper, yaml.ScalarNode(tag, value))


def _plain_document(text: str) -> Any:
    """The document built in one pass over libyaml's events, or `_NOT_PLAIN`.

    Most data files are plain: one document of mappings, lists and untagged scalars, no
    anchors, aliases, merge keys or tags, no duplicate key. Such a document is built here
    exactly as `yaml.load` with `_Loader` builds it (the same resolvers and constructors), with
    its depth and size bounded as `_check_events` bounds them, in about half the time the
    safe loader takes to build it (and a third of parsing it twice, bounds then build).
    Anything else, including every error, is left to the full loader, which gives the
    document's value or the error message."""
    if _RESOLVERS.get(None):  # pragma: no cover - no resolver matches every first character
        return _NOT_PLAIN
    loader = _Loader(text)
    get = loader.get_event
    first = _FIRST
    root: Any = _NOT_PLAIN
    container: Any = None  # the collection being filled; None before the document's value
    key: Any = _NOT_PLAIN  # in a mapping: the key waiting for its value
    stack: list[tuple[Any, Any]] = []  # (collection, key) of each enclosing collection
    values = 0
    try:
        while True:
            event = get()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _NotPlain
                value: Any = event.value
                if event.implicit[0] and (not value or value[0] in first):
                    value = _scalar(value, loader)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _NotPlain
                value = {} if kind is yaml.MappingStartEvent else []
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, key = stack.pop()
                continue
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.StreamStartEvent or kind is yaml.DocumentStartEvent:
                if root is not _NOT_PLAIN:  # a second document
                    raise _NotPlain
                continue
            elif kind is yaml.DocumentEndEvent:
                continue
            else:  # an alias
                raise _NotPlain
            values += 1
            if values > MAX_NODES:
                raise _NotPlain
            if type(container) is dict:
                if key is _NOT_PLAIN:  # a key: a plain value, not one of the mapping's keys
                    if type(value) is dict or type(value) is list or value in container:
                        raise _NotPlain
                    key = value
                    continue
                container[key] = value
                key = _NOT_PLAIN
            elif container is None:
                root = value
            else:
                container.append(value)
            if type(value) is dict or type(value) is list:
                stack.append((container, key))
                container, key = value, _NOT_PLAIN
    except (_NotPlain, yaml.YAMLError, ValueError, TypeError, OverflowError):
        return _NOT_PLAIN
    return None if root is _NOT_PLAIN else root


def _long_key(text: str, mark: Any) -> int:
    """The length of the key on the line of an error, when it is over YAML's limit (else 0):
    libyaml then reports "could not find expected ':'" although the colon is there."""
    if mark is None:
        return 0
    lines = text.split("\n", mark.line + 1)
    if mark.line >= len(lines):
        return 0
    line = lines[mark.line].lstrip(" -")
    key, colon, _ = line.partition(": ")
    if not colon and line.endswith(":"):
        key, colon = line[:-1], ":"
    return len(key) if colon and len(key) > LONGEST_KEY else 0


def load(path: Path, *, allow_pipe: bool = False) -> Any:
    """Read and parse a YAML file."""
    return parse(read_text(path, allow_pipe=allow_pipe), path)


def compose(text: str) -> yaml.Node | None:
    """The document's node tree (keys and values with their positions, nothing built), or
    None when it cannot be read; for finding the line of a problem."""
    try:
        _check_events(text, "")
        node: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, YamlError, RecursionError):
        return None
    return node


def line_of(node: yaml.Node | None, path: list[str]) -> int | None:
    """The line (1-based) of the deepest key or list item of `path` found under `node`:
    `["ratings", "interfaces", "2015-12-07", "summary"]` gives the line of `summary`, or of
    `2015-12-07` when `summary` is missing. A list item is addressed by its index."""
    line = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _check_events(text: str, name: Path | str) -> None:
    """Bound depth and size from the parser's event stream, before anything is built.

    The event stream is flat (no recursion, whatever the nesting), and an alias adds the size
    of what it repeats, so an alias bomb or a 100,000-deep `[[[[...` is refused after reading
    at most MAX_NODES events, in bounded time and memory."""
    sizes: dict[str, int] = {}  # anchor -> number of values its node holds
    open_: list[list[Any]] = [[None, 0]]  # [anchor, values so far] per open collection
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_) > MAX_DEPTH:
                raise YamlError(
                    name, f"{_where(event.start_mark)}nested deeper than {MAX_DEPTH} levels"
                )
            open_.append([event.anchor, 1])
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, count = open_.pop()
            if anchor is not None:
                sizes[anchor] = count
        elif isinstance(event, yaml.ScalarEvent):
            count = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            count = sizes.get(event.anchor or "", 1)  # an undefined alias fails later
        else:
            continue
        open_[-1][1] += count
        if open_[-1][1] > MAX_NODES:
            mark = getattr(event, "start_mark", None)
            raise YamlError(
                name,
                f"{_where(mark)}holds more than {MAX_NODES:,} values "
                "(counting what aliases repeat); the limit keeps alias bombs out",
            )


def _check_shape(data: Any, name: Path | str) -> None:
    """Bound depth and total node count of the built document: a second guard behind
    _check_events (merge keys `<<` copy values without aliases being visible as such)."""
    budget = MAX_NODES
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise YamlError(name, f"holds more than {MAX_NODES:,} values")
        if depth > MAX_DEPTH:
            raise YamlError(name, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)

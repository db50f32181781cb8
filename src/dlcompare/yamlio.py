"""Reading YAML safely: the only place a YAML document is parsed.

Safe loader only (libyaml's C parser when present), no custom tags, duplicate keys rejected,
bounded size, depth and node count, so that a hostile file ends in a clear error rather than
a hang, a crash or a silently dropped key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DlcompareError

MAX_BYTES = 4 * 1024 * 1024
"""Largest file dlcompare reads (4 MiB): ample for any data or weights file."""
MAX_DEPTH = 40
MAX_NODES = 2_000_000

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, with duplicate mapping keys made an error instead of 'last one wins'."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # One pass that builds the mapping and checks its keys: PyYAML's own construct_mapping
    # would flatten the node and walk the keys a second time.
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in mapping
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlError(DlcompareError):
    """A file that cannot be read as a YAML document; the message names the file."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def read_text(path: Path) -> str:
    """The file's text, or a YamlError saying why it cannot be read."""
    try:
        if path.is_dir():
            raise YamlError(path, "is a directory, expected a file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlError(path, f"is {size:,} bytes; the limit is {MAX_BYTES:,} bytes")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlError(path, "no such file") from None
    except PermissionError:
        raise YamlError(path, "permission denied") from None
    except OSError as error:
        raise YamlError(path, error.strerror or str(error)) from None
    if b"\x00" in raw:
        raise YamlError(path, "is a binary file, expected YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(path, f"is not UTF-8 text (bad byte at offset {error.start})") from None


def parse(text: str, name: Path | str) -> Any:
    """Parse one YAML document; `name` is used in error messages."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        if "could not determine a constructor" in (problem or ""):
            problem = (
                f"unsupported tag {error.problem.split('tag ')[-1]}" if error.problem else problem
            )
        raise YamlError(name, f"{where}{problem}") from None
    except yaml.YAMLError as error:
        raise YamlError(name, f"invalid YAML: {error}") from None
    except RecursionError:
        raise YamlError(name, f"nested deeper than {MAX_DEPTH} levels") from None
    _check_shape(data, name)
    return data


def load(path: Path) -> Any:
    """Read and parse a YAML file."""
    return parse(read_text(path), path)


def _check_shape(data: Any, name: Path | str) -> None:
    """Bound depth and total node count. Aliases share nodes, so an 'alias bomb' is small in
    memory but explodes when walked: counting visits catches it before anything walks it."""
    budget = MAX_NODES
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise YamlError(name, f"more than {MAX_NODES:,} values (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise YamlError(name, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)

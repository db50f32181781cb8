"""Layers read one way (STYLE habit 16): no two modules import each other, directly or round a
longer circle, and no stage of schema → loading → dataset → scoring/views → results → render →
cli reaches into a later one. Read from the source with `ast`, so every import counts: top level,
under TYPE_CHECKING and inside functions alike."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "src" / "dlcompare"

VIEWS = ("scoring", "views", "provenance", "sensitivity", "history", "catalog", "report")
"""The modules that build result objects out of the data."""
LATER = ("render", "output", "api", "cli", "__main__")
"""Everything that consumes result objects: formats, the Python API, the command line."""
LOADING = (
    "bundled",
    "folders",
    "layout",
    "messages",
    "packing",
    "layers",
    "merging",
    "crosscheck",
    "load",
)
"""The modules of loading/, one per job, in the order a load uses them: none imports a later
one (a folder's files are read before they are merged, merged before they are checked)."""
RESULTS: dict[str, tuple[str, ...]] = {
    "base": (),
    "views": ("base",),
    "ranking": ("base",),
    "catalog": ("base",),
    "history": ("base", "views"),
    "report": ("base", "views", "ranking", "catalog"),
    "check": ("base",),
}
"""The families of results/ and the families each may import: a command creates only the
result classes of its own family and those it is made of."""

MAY_NOT_IMPORT: dict[str, tuple[str, ...]] = {
    # The data flows along the arrows; the data models (schema, dataset) and the result models
    # are the vocabulary the stages share, so they import no stage at all.
    "freshness": ("schema", "loading", "dataset", "results", *VIEWS, *LATER),
    "schema": ("loading", "dataset", "results", *VIEWS, *LATER),
    "dataset": ("loading", "results", *VIEWS, *LATER),
    "loading": ("results", *VIEWS, *LATER),
    "results": ("loading", "dataset", *VIEWS, *LATER),
    # Building results is pure: no files (validate, in catalog, is the one that reads folders),
    # and never the code that shows them.
    **{module: ("loading", *LATER) for module in VIEWS if module != "catalog"},
    "catalog": LATER,
    "render": ("loading", "dataset", *VIEWS, "output", "api", "cli", "__main__"),
    "output": ("api", "cli", "__main__"),
    "api": ("render", "output", "cli", "__main__"),
    **{
        f"loading.{module}": tuple(f"loading.{later}" for later in LOADING[n + 1 :])
        for n, module in enumerate(LOADING)
    },
    **{
        f"results.{family}": tuple(
            f"results.{other}" for other in RESULTS if other not in (family, *allowed)
        )
        for family, allowed in RESULTS.items()
    },
}
"""Module (or package) -> the modules and packages it may not import, relative to dlcompare."""


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name; a package by the name of its folder."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The dlcompare modules that `name` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from . import x`: the module x when there is one, else a name of the package
            targets += [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
    return {_module_of(target, known) for target in targets} - {"", name}


def _module_of(target: str, known: dict[str, Path]) -> str:
    """`a.b.c` where that is a module, else the module holding the name (`a.b`); "" outside."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One circle per back edge met in a depth-first walk, as [a, b, ..., a]."""
    found: list[list[str]] = []
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def _within(module: str, prefix: str) -> bool:
    full = f"dlcompare.{prefix}"
    return module == full or module.startswith(f"{full}.")


def test_the_reader_sees_every_kind_of_import() -> None:
    """The walker itself: relative, `from . import`, TYPE_CHECKING and function-local."""
    edges = graph()
    assert "dlcompare.render.blocks" in edges["dlcompare.render.markdown"]  # from .blocks import
    assert "dlcompare.render.measure" in edges["dlcompare.render.layout"]  # from . import, local
    assert "dlcompare.loading" in edges["dlcompare.catalog"]  # inside a function
    assert "dlcompare.loading.folders" in edges["dlcompare.loading.layers"]  # within loading/
    assert "dlcompare.loading.load" in edges["dlcompare.loading"]  # the package's re-exports
    assert "dlcompare.freshness" in edges["dlcompare.results.base"]  # under TYPE_CHECKING
    assert "dlcompare.errors" in edges["dlcompare"]  # the package's own __init__
    assert "dlcompare.schema_version" in edges["dlcompare.measure.results"]  # from ..x import


def test_no_import_circles() -> None:
    found = cycles(graph())
    assert not found, "import circles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_layers_read_one_way() -> None:
    edges = graph()
    wrong = sorted(
        f"{module} imports {target} (a {prefix} module may not import {banned})"
        for module, targets in edges.items()
        for prefix, banned_list in MAY_NOT_IMPORT.items()
        if _within(module, prefix)
        for target in targets
        for banned in banned_list
        if _within(target, banned)
    )
    assert not wrong, "\n".join(wrong)


def test_every_layer_rule_names_a_module() -> None:
    """A renamed module would leave its rule checking nothing."""
    names = {name.removeprefix("dlcompare.") for name in modules()}
    named = set(MAY_NOT_IMPORT) | {b for banned in MAY_NOT_IMPORT.values() for b in banned}
    assert named <= names


def test_loading_modules_read_one_way_and_each_is_used() -> None:
    """Every module of loading/ is in the order above, so a new one gets a place in it."""
    names = {name for name in modules() if name.startswith("dlcompare.loading.")}
    assert names == {f"dlcompare.loading.{module}" for module in LOADING}


def test_results_modules_are_the_families_and_the_package_imports_none() -> None:
    """`import dlcompare.results` creates no result class: each command imports its family."""
    known = modules()
    names = {name for name in known if name.startswith("dlcompare.results.")}
    assert names == {f"dlcompare.results.{family}" for family in RESULTS}
    assert graph()["dlcompare.results"] == set()


def test_only_the_entry_point_imports_the_command_line() -> None:
    edges = graph()
    users = sorted(
        module
        for module, targets in edges.items()
        if not _within(module, "cli") and any(_within(t, "cli") for t in targets)
    )
    assert users == ["dlcompare.__main__"]

"""What a data folder holds that a load would otherwise pass over in silence: links that lead
nowhere, files and folders named like the ones dlcompare reads, a folder with nothing to read."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from ..errors import Problem, shown_path
from .folders import CRITERIA_FILE, EDITIONS_FILE, TOOLKITS_DIR, file_label, link_problem

_LOOK_ALIKES = {
    "criteria": CRITERIA_FILE,
    "criterion": CRITERIA_FILE,
    "editions": EDITIONS_FILE,
    "edition": EDITIONS_FILE,
    "toolkits": f"{TOOLKITS_DIR}/",
    "toolkit": f"{TOOLKITS_DIR}/",
}
"""Names a data file or folder might be given by mistake, and the name dlcompare reads."""
_SUFFIXES = (".yaml", ".yml", ".json")
_TOOLKIT_SUFFIXES = (".yaml", ".yml")


def layout_problems(folder: Path) -> list[Problem]:
    """What a data folder holds that a load would otherwise pass over in silence: a link in
    place of `criteria.yaml`, `editions.yaml` or `toolkits/` that leads nowhere, a file or
    folder named like one of them (`editions.yml`, `toolkit/`), a toolkit file with another
    ending (`x.YAML`, `x.json`), and a folder with nothing dlcompare reads. Checked on every
    load, cached or not (a cached load never lists the folder otherwise)."""
    try:
        names = sorted(os.listdir(folder))  # noqa: PTH208 - its errors are wanted here
    except OSError:
        return []  # read_layer names the folder's own problem
    problems: list[Problem] = []
    for name in names:
        path = folder / name
        if name in (CRITERIA_FILE, EDITIONS_FILE, TOOLKITS_DIR):
            problem = link_problem(path)
            if problem is not None:
                problems.append(Problem(file_label(folder, name), "", problem))
            continue
        stem = name.casefold()
        for suffix in _SUFFIXES:
            stem = stem.removesuffix(suffix)
        meant = _LOOK_ALIKES.get(stem)
        if meant is not None:
            problems.append(
                Problem(file_label(folder, name), "", f"is not read; dlcompare reads {meant}")
            )
    toolkit_dir = folder / TOOLKITS_DIR
    toolkit_names = []
    if toolkit_dir.is_dir():
        with suppress(OSError):  # read_layer names it
            toolkit_names = sorted(os.listdir(toolkit_dir))  # noqa: PTH208
    for name in toolkit_names:
        lower = name.casefold()
        if lower.endswith(_SUFFIXES) and not name.endswith(_TOOLKIT_SUFFIXES):
            problems.append(
                Problem(
                    file_label(folder, f"{TOOLKITS_DIR}/{name}"),
                    "",
                    "is not read; a toolkit file's name ends in .yaml",
                )
            )
    loads = (
        os.path.lexists(folder / CRITERIA_FILE)
        or os.path.lexists(folder / EDITIONS_FILE)
        or any(n.endswith(_TOOLKIT_SUFFIXES) for n in toolkit_names)
    )
    if not loads:
        stray = any(n.endswith(_TOOLKIT_SUFFIXES) for n in names)
        problems.append(
            Problem(
                shown_path(folder),
                "",
                f"holds nothing dlcompare reads ({CRITERIA_FILE}, {EDITIONS_FILE} or "
                f"{TOOLKITS_DIR}/ID.yaml)"
                + (f"; a toolkit file belongs in {TOOLKITS_DIR}/" if stray else ""),
            )
        )
    return problems

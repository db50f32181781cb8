"""Where data folders are found, and which files of a folder a load reads: the layers in
order (bundled, DLCOMPARE_DATA, --data), the files of one folder, and the links and folders
that cannot be read."""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import shown_path
from .bundled import bundled_data_dir

CRITERIA_FILE = "criteria.yaml"
EDITIONS_FILE = "editions.yaml"
TOOLKITS_DIR = "toolkits"
DATA_VARIABLE = "DLCOMPARE_DATA"
"""A path list of data folders layered over the bundled data, before any --data folder."""


def toolkit_files(folder: Path) -> list[Path]:
    """The toolkit files of a data folder; none when `toolkits/` cannot be listed (then
    `unreadable` names the problem)."""
    toolkit_dir = folder / TOOLKITS_DIR
    try:
        names = os.listdir(toolkit_dir)  # noqa: PTH208 - its errors are wanted here
    except OSError:
        return []
    return [toolkit_dir / name for name in sorted(names) if name.endswith(".yaml")] + [
        toolkit_dir / name for name in sorted(names) if name.endswith(".yml")
    ]


def unreadable(folder: Path, what: str) -> str | None:
    """Why a folder cannot be used, or None: missing, a file, or not listable (permissions,
    a name too long). A folder that cannot be read is an error, never skipped in silence."""
    try:
        os.listdir(folder)  # noqa: PTH208 - its errors are wanted here
    except FileNotFoundError:
        return f"no such {what}"
    except NotADirectoryError:
        return f"is a file, expected a {what}"
    except OSError as error:
        return f"cannot read this {what} ({error.strerror})"
    return None


def layer_files(folder: Path) -> list[Path]:
    """Every file a load of this folder may read, in the order it reads them."""
    return [folder / CRITERIA_FILE, folder / EDITIONS_FILE, *toolkit_files(folder)]


def outside_folder(path: Path, folder: Path) -> str | None:
    """Why `path` is not read, when it is a link (or sits in a linked folder) to a regular
    file outside `folder`; else None. Anything else is left to `yamlio.read_text`."""
    try:
        real = Path(os.path.realpath(path))
        if not real.is_file() or real.is_relative_to(os.path.realpath(folder)):
            return None
    except (OSError, ValueError):
        return None
    return (
        f"is a link to a file outside the data folder ({shown_path(real)}); it is not read "
        "(copy the file into the folder)"
    )


def link_problem(path: Path) -> str | None:
    """Why a link at `path` leads nowhere (dangling, or looping), or None."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except FileNotFoundError:
        return f"is a symbolic link to nothing ({shown_path(path.readlink())})"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a symbolic link that loops (it never reaches a file)"
        return f"cannot be read ({error.strerror})"
    return None


def data_folders(folders: Sequence[Path], *, bundled: bool = True) -> tuple[Path, ...]:
    """The layers in order: the bundled data (unless `bundled` is false), the folders named in
    DLCOMPARE_DATA (a path list), then `folders`. Later layers override earlier ones."""
    from_env = tuple(
        Path(part) for part in os.environ.get(DATA_VARIABLE, "").split(os.pathsep) if part
    )
    return ((bundled_data_dir(),) if bundled else ()) + from_env + tuple(folders)


def file_label(folder: Path, name: str) -> str:
    return str(folder / name)

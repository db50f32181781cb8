"""What ships with dlcompare: the bundled data folder and the method document, inside the
installed package (a wheel) or in the checkout."""

from __future__ import annotations

from pathlib import Path

from ..errors import DlcompareError, shown_path
from ..schema import METHOD_PATH


def bundled_data_dir() -> Path:
    """The data shipped with dlcompare: inside the installed package (a wheel), or the
    checkout's `data/` folder for an editable install or a source tree."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_data"
    if installed.is_dir():
        return installed
    return package.parent.parent / "data"


def bundled_method() -> str:
    """The text of docs/method.md, shipped inside the package (a wheel) or read from the
    checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_docs" / "method.md"
    path = installed if installed.is_file() else package.parent.parent / METHOD_PATH
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DlcompareError(f"{shown_path(path)}: cannot be read ({error})") from None

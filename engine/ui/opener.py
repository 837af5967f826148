"""Opening a file or a folder with the system's own program (the exported report in a web
browser, its folder in the file manager), without waiting for it.

`App.opener` is this function unless something else is given (the tests give a recorder, so
that nothing is launched)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def open_with_system(path: Path) -> None:
    """Open `path` as a double click would; raises OSError when there is no way to."""
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]  # noqa: S606 - the player's own file
        return
    command = "open" if sys.platform == "darwin" else "xdg-open"
    subprocess.Popen(  # noqa: S603 - a fixed program and the path of a file the game wrote
        [command, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

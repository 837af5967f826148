"""The crash log: when something unexpected goes wrong, the details go to a file, not the screen.

The command line and the game both show one plain line and point to this file, so a player
never sees a traceback and a bug report can still carry one.
"""

from __future__ import annotations

import os
import tempfile
import traceback


def write_crash_log() -> str | None:
    """Write the exception being handled to a new file in the temp folder; its path, or None."""
    try:
        handle, name = tempfile.mkstemp(prefix="balance-of-power-crash-", suffix=".log")
        with os.fdopen(handle, "w", encoding="utf-8") as log:
            log.write(traceback.format_exc())
        return name
    except OSError:
        return None

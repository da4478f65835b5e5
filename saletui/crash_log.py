"""When saletui itself fails: one line for the rep, the whole traceback in a log file.

A traceback on the terminal helps nobody in a customer's lobby and may show personal data
(Textual prints local variables); the log file, readable by its owner only, is what a
bug report needs. `configure` is called once by the command line with the state folder.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path

from saletui import __version__
from saletui.i18n import _

LOG_NAME = "saletui.log"
MAX_BYTES = 1024 * 1024  # older reports are dropped beyond this: a log must not fill a disk


class _Where:
    path: Path | None = None  # set once per process by `configure`


def configure(path: Path) -> None:
    _Where.path = path


def record(error: BaseException) -> Path | None:
    """Append the error's traceback to the log file; its path, or None if it cannot be written."""
    log = _Where.path
    if log is None:
        return None
    text = "".join(traceback.format_exception(error))
    entry = f"--- {dt.datetime.now().isoformat(timespec='seconds')} saletui {__version__}\n{text}\n"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        old = log.read_bytes()[-MAX_BYTES:] if log.exists() else b""
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(old + entry.encode("utf-8", "replace"))
    except OSError:
        return None
    return log


def one_line(error: BaseException) -> str:
    """What the rep reads: what failed, and where the details are."""
    log = record(error)
    what = f"{type(error).__name__}: {error}".splitlines()[0][:200] if str(error) else type(error).__name__
    if log is None:
        return _("saletui: internal error ({what}); please report it").format(what=what)
    return _("saletui: internal error ({what}); the details are in {log}").format(what=what, log=log)

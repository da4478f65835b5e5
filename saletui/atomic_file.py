"""Write a text file so that it holds either the old or the new text, never half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from saletui.i18n import _


def regular_target(path: Path) -> Path:
    """The file a write to `path` must replace: a symlink is followed (the rep's link to a
    synced folder stays a link, its target gets the new text), and anything but a regular
    file (a device such as /dev/null, a FIFO, a folder) is refused, since a rename over it
    would put a file of personal data in its place."""
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target  # a new file (or a dangling link's target, created where it points)
    if not stat.S_ISREG(mode):
        reason = (
            _("it is a folder: give a file name")
            if stat.S_ISDIR(mode)
            else _("not a regular file (a device, pipe or socket): give a file name")
        )
        raise OSError(errno.EINVAL, reason, str(path))
    return target


def write_text_atomic(path: Path, content: str, *, backup: Path | None = None) -> None:
    """Write `content` as UTF-8 through a temporary file and a rename.

    With `backup`, the previous version is copied there first. A replaced file keeps its
    mode; a new one is readable by its owner only (these files hold personal data).
    Symlinks are written through; targets that are not regular files are refused (OSError).
    """
    with open_atomic(path, backup=backup) as file:
        file.write(content)


@contextlib.contextmanager
def open_atomic(path: Path, *, backup: Path | None = None) -> Iterator[TextIO]:
    """A text file (UTF-8, newlines as written) that replaces `path` when the block ends
    without an error, and is removed when it raises: for writers that stream a million
    rows instead of building the text in memory. Same rules as `write_text_atomic`."""
    path = regular_target(Path(path))
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
        if backup is not None and path.exists():
            shutil.copy2(path, backup)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise

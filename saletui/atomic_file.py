"""Write a text file so that it holds either the old or the new text, never half of one."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path


def write_text_atomic(path: Path, content: str, *, backup: Path | None = None) -> None:
    """Write `content` as UTF-8 through a temporary file and a rename.

    With `backup`, the previous version is copied there first. A replaced file keeps its
    mode; a new one is readable by its owner only (these files hold personal data).
    """
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
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

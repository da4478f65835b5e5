"""An entry in the rep's own playbook for a built-in objection, to write changes into.

The built-in playbook is read-only; a personal entry with the same id overrides it, key by
key. Opening the personal file on a built-in objection adds such an entry (id only, which
changes nothing) with comments that say what can go there.
"""

from __future__ import annotations

import re
from pathlib import Path

from saletui.atomic_file import write_text_atomic
from saletui.playbook.schema import Objection

_EMPTY_LIST = re.compile(r"^objections:[ \t]*\[\][ \t]*$", re.MULTILINE)
_TOP_KEY = re.compile(r"^[^\s#-][^:\n]*:", re.MULTILINE)
_ITEM = re.compile(r"^( *)- ", re.MULTILINE)


def _stub(objection: Objection, indent: str) -> list[str]:
    title = " ".join(objection.title.split())
    body = indent + "  "
    return [
        f"{indent}- id: {objection.id}",
        f"{body}# Overrides the built-in objection {title!r}: add only what you change, e.g.",
        f"{body}# aliases: [what your customers say]",
        f"{body}# techniques:",
        f"{body}#   - id: my-answer",
        f"{body}#     name: My answer",
        f"{body}#     script: What I say.",
    ]


def add_override_stub(path: Path, objection: Objection, known_ids: set[str]) -> int | None:
    """Add an entry for `objection` to the playbook file at `path` (its ids: `known_ids`);
    return the line (0-based) of its `- id:`, or where it already is. None when the file's
    shape is not the plain one this can extend safely (it is then left as it was)."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    if objection.id in known_ids:
        wanted = re.compile(rf"^\s*- id:\s*['\"]?{re.escape(objection.id)}['\"]?\s*$")
        return next((i for i, line in enumerate(lines) if wanted.match(line)), None)
    empty = _EMPTY_LIST.search(text)
    if empty is not None:
        at = text.count("\n", 0, empty.start())
        lines[at : at + 1] = ["objections:", *_stub(objection, "  ")]
        new = at + 1
    else:
        keys = _TOP_KEY.findall(text)
        if not keys or keys[-1] != "objections:":
            return None  # objections is not the last key: appending would land elsewhere
        start = text.rindex("\nobjections:") + 1 if not text.startswith("objections:") else 0
        item = _ITEM.search(text, start)
        indent = item.group(1) if item else "  "
        new = len(lines)
        lines.extend(_stub(objection, indent))
    write_text_atomic(path, "\n".join(lines) + "\n")
    return new

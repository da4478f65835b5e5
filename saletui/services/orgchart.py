"""The buying organisation out of the app: as indented text (for reading, and for the
pre-call brief), as a Mermaid flowchart and as a Graphviz DOT graph.

Each renderer reads one account from the open database and returns a string; nothing is
written until `write_export`, which replaces the target file atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from saletui.atomic_file import write_text_atomic
from saletui.file_names import safe_file_stem
from saletui.i18n import _
from saletui.method.org import ATTITUDE_SYMBOLS, ATTITUDES, attitude_label, role_label, tree_order
from saletui.store import accounts, people
from saletui.store.people import Link, PersonRow
from saletui.text import display_text

# -- reading the organisation once ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Org:
    account_name: str
    people: dict[int, PersonRow]
    order: list[tuple[int, int]]  # (person id, depth) in tree order, every person exactly once
    managers: dict[int, int | None]  # the manager drawn above each person (None: top level)
    links: list[Link]


def _sort_key(person: PersonRow) -> tuple[bool, int, str, int]:
    """Most influential first (unrated last), then by name."""
    return (person.influence is None, person.influence or 0, person.name.casefold(), person.id)


def _load(account_id: int) -> _Org:
    account = accounts.get(account_id)
    rows = {p.id: p for p in people.for_account(account_id)}
    drawn, _in_cycle = tree_order({pid: p.reports_to for pid, p in rows.items()}, lambda pid: _sort_key(rows[pid]))
    order = [(pid, depth) for pid, depth, _above in drawn]
    managers = {pid: above for pid, _depth, above in drawn}
    return _Org(account.name, rows, order, managers, people.links_for_account(account_id))


def _attitude(value: str) -> str:
    value = value if value in ATTITUDES else ""
    return f"{ATTITUDE_SYMBOLS[value]} {attitude_label(value)}"


def _facts(person: PersonRow) -> list[str]:
    """Badges after the name: [L1] ★ ++ mentor, buying role, owner."""
    first = []
    if person.influence:
        first.append(f"[L{person.influence}]")
    if person.is_coach:
        first.append("★")
    first.append(_attitude(person.attitude))
    parts = [" ".join(first)]
    if person.buying_role:
        parts.append(role_label(person.buying_role))
    if person.owner:
        parts.append(_("owner: {name}").format(name=display_text(person.owner)))
    return parts


def _position(person: PersonRow) -> str:
    return ", ".join(display_text(v) for v in (person.title, person.department) if v)


# -- text -----------------------------------------------------------------------------------


def legend() -> str:
    attitudes = ", ".join(f"{ATTITUDE_SYMBOLS[a]} {attitude_label(a)}" for a in (*ATTITUDES, ""))
    return _("L1 = highest influence … L5 = lowest; ★ = coach; {attitudes}").format(attitudes=attitudes)


def _text_line(person: PersonRow) -> str:
    head = display_text(person.name)
    position = _position(person)
    if position:
        head += f" — {position}"
    badges, *rest = _facts(person)
    return " · ".join([f"{head} {badges}", *rest])


# Levels drawn as indentation; real organisations have well under this many. A chain
# thousands deep (a bad import) would otherwise make the file grow with the square of it.
MAX_INDENT = 24


def render_text(account_id: int) -> str:
    """The account's org chart as indented plain text, with links and coverage warnings."""
    org = _load(account_id)
    lines = [display_text(org.account_name), legend(), ""]
    if not org.people:
        lines.append(_("Nobody mapped yet."))
    siblings: dict[int | None, list[int]] = {}
    for pid, _depth in org.order:
        siblings.setdefault(org.managers[pid], []).append(pid)
    open_branches: list[bool] = []
    for pid, depth in org.order:
        person = org.people[pid]
        if depth == 0:
            lines.append(_text_line(person))
            open_branches = []
            continue
        is_last = siblings[org.managers[pid]][-1] == pid
        # open_branches[i]: whether the ancestor drawn at depth i + 1 has siblings below it.
        del open_branches[depth - 1 :]
        drawn = open_branches[-MAX_INDENT:]  # a deeper line says its depth instead of growing
        prefix = (f"[{depth}] " if len(open_branches) > MAX_INDENT else "") + "".join(
            "│  " if still_open else "   " for still_open in drawn
        )
        lines.append(f"{prefix}{'└─' if is_last else '├─'} {_text_line(person)}")
        open_branches.append(not is_last)
    lines += ["", _("Informal influence")]
    if org.links:
        for link in org.links:
            line = f"  {display_text(link.source_name)} → {display_text(link.target_name)}"
            if link.note:
                line += f" ({display_text(link.note)})"
            lines.append(line)
    else:
        lines.append("  " + _("none recorded"))
    lines += ["", _("Coverage warnings")]
    warnings = people.warnings_for(account_id)
    if warnings:
        lines += [f"  ! {display_text(w.text)}" for w in warnings]
    else:
        lines.append("  " + _("none"))
    return "\n".join(lines) + "\n"


# -- Mermaid ----------------------------------------------------------------------------------

# Characters that Mermaid (or the Markdown/HTML it renders labels with) could read as syntax,
# written as Mermaid entity codes. "#" itself first, so that a name like "#quot;" stays literal.
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    "`": "#96;",
    "*": "#42;",
    "_": "#95;",
    "~": "#126;",
    "\\": "#92;",
    ";": "#59;",
}


def mermaid_escape(value: str) -> str:
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in display_text(value))


def _mermaid_label(person: PersonRow) -> str:
    lines = [mermaid_escape(person.name)]
    position = _position(person)
    if position:
        lines.append(mermaid_escape(position))
    lines += [mermaid_escape(part) for part in _facts(person)]
    return "<br/>".join(lines)


def _yaml_string(value: str) -> str:
    return '"' + display_text(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_mermaid(account_id: int) -> str:
    """A Mermaid `flowchart TD`: reporting lines solid, informal influence dotted."""
    org = _load(account_id)
    lines = ["---", f"title: {_yaml_string(org.account_name)}", "---", "flowchart TD"]
    if not org.people:
        nobody = mermaid_escape(_("Nobody mapped yet."))
        lines.append(f'    nobody["{nobody}"]')
    for pid, _depth in org.order:
        lines.append(f'    p{pid}["{_mermaid_label(org.people[pid])}"]')
    for pid, _depth in org.order:
        manager = org.managers[pid]
        if manager is not None:
            lines.append(f"    p{manager} --> p{pid}")
    for link in org.links:
        label = _("influences")
        if link.note:
            label += f": {link.note}"
        lines.append(f'    p{link.source_id} -.->|"{mermaid_escape(label)}"| p{link.target_id}')
    lines += [
        "    classDef coach fill:#fff3bf,stroke:#f08c00,stroke-width:2px",
        "    classDef l1 stroke-width:4px,font-weight:bold",
        "    classDef l2 stroke-width:3px",
        "    classDef opponent fill:#ffe3e3,stroke:#c92a2a,color:#c92a2a",
    ]
    groups = {
        "l1": [p for p in org.people.values() if p.influence == 1],
        "l2": [p for p in org.people.values() if p.influence == 2],
        "opponent": [p for p in org.people.values() if p.attitude == "opponent"],
        "coach": [p for p in org.people.values() if p.is_coach],
    }
    for name, members in groups.items():
        if members:
            lines.append(f"    class {','.join(f'p{p.id}' for p in sorted(members, key=lambda p: p.id))} {name}")
    return "\n".join(lines) + "\n"


# -- Graphviz DOT -----------------------------------------------------------------------------


def dot_escape(value: str) -> str:
    """Text for inside a double-quoted DOT string (newlines become the \\n escape)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "\\n".join(display_text(line).replace("\\", "\\\\").replace('"', '\\"') for line in value.split("\n"))


def _dot_label(person: PersonRow) -> str:
    lines = [person.name]
    position = _position(person)
    if position:
        lines.append(position)
    lines += _facts(person)
    return "\\n".join(dot_escape(line) for line in lines)


def render_dot(account_id: int) -> str:
    """A Graphviz `digraph`: reporting lines solid, informal influence dashed."""
    org = _load(account_id)
    lines = [
        "digraph orgchart {",
        '    charset="UTF-8";',
        "    rankdir=TB;",
        f'    label="{dot_escape(org.account_name)}";',
        "    labelloc=t;",
        '    node [shape=box, style="rounded", fontname="sans-serif"];',
        '    edge [fontname="sans-serif", fontsize=10];',
    ]
    if not org.people:
        nobody = dot_escape(_("Nobody mapped yet."))
        lines.append(f'    nobody [label="{nobody}", shape=plaintext];')
    for pid, _depth in org.order:
        person = org.people[pid]
        attrs = [f'label="{_dot_label(person)}"']
        if person.is_coach:
            attrs += ["shape=octagon", 'style="filled,bold"', 'fillcolor="#fff3bf"', 'color="#f08c00"']
        elif person.attitude == "opponent":
            attrs += ['style="rounded,filled"', 'fillcolor="#ffe3e3"', 'color="#c92a2a"']
        if person.influence == 1:
            attrs.append("penwidth=3")
        elif person.influence == 2:
            attrs.append("penwidth=2")
        lines.append(f"    p{pid} [{', '.join(attrs)}];")
    for pid, _depth in org.order:
        manager = org.managers[pid]
        if manager is not None:
            lines.append(f"    p{manager} -> p{pid};")
    for link in org.links:
        label = _("influences")
        if link.note:
            label += f": {link.note}"
        lines.append(
            f'    p{link.source_id} -> p{link.target_id} [style=dashed, constraint=false, label="{dot_escape(label)}"];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- files ------------------------------------------------------------------------------------

FORMATS: dict[str, Callable[[int], str]] = {"text": render_text, "mermaid": render_mermaid, "dot": render_dot}
EXTENSIONS = {"text": ".txt", "mermaid": ".mmd", "dot": ".dot"}


def format_for_path(path: Path) -> str | None:
    """The export format a file name asks for by its extension, if any."""
    return {".txt": "text", ".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot"}.get(
        path.suffix.lower()
    )


def default_filename(account_name: str, fmt: str) -> str:
    """A file name for the export that is safe on every platform, e.g. `华为-orgchart.dot`."""
    return f"{safe_file_stem(account_name)}-orgchart{EXTENSIONS[fmt]}"


def write_export(path: Path, content: str) -> None:
    """Write `content` as UTF-8, atomically: the file holds either the old or the new text."""
    write_text_atomic(path, content)

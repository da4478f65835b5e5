"""The buying organisation as a tree (who reports to whom), rated from the keyboard.

Influence, coach, attitude and coverage change with single keys on the highlighted
person, so a rep can rate a whole chart in seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from rich.cells import cell_len
from rich.text import Span, Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets.tree import TreeNode

from saletui.i18n import N_, _
from saletui.method.org import ATTITUDE_SYMBOLS, tree_order
from saletui.store import people
from saletui.store.people import PeopleChange, PersonRow
from saletui.text import display_text
from saletui.ui.compat import BatchedTree

_INFLUENCE_STYLE = {1: "bold reverse red", 2: "bold red", 3: "bold yellow", 4: "cyan", 5: "dim"}
_ATTITUDE_STYLE = {
    "mentor": "bold green",
    "supporter": "green",
    "neutral": "",
    "non-supporter": "yellow",
    "opponent": "bold red",
    "": "dim",
}


def person_label(p: PersonRow) -> Text:
    """One line: name L1 ★ ++  title · department. The ratings come right after the name
    so that a narrow terminal cuts the title, not the ratings. All user text is literal."""
    parts = [(display_text(p.name), ""), (" ", "")]
    if p.influence:
        parts.append((f"L{p.influence}", _INFLUENCE_STYLE[p.influence]))
    else:
        parts.append(("L?", "dim"))
    if p.is_coach:
        parts.append((" ★", "bold magenta"))
    parts.append((f" {ATTITUDE_SYMBOLS.get(p.attitude, '?')}", _ATTITUDE_STYLE.get(p.attitude, "")))
    detail = " · ".join(display_text(v) for v in (p.title, p.department) if v)
    if detail:
        parts.append(("  " + detail, "dim"))
    return _assemble(parts, style="bold")


def _assemble(parts: list[tuple[str, str]], style: str) -> Text:
    """The Text with its spans set directly: appending piece by piece checks every piece
    for control codes again (display_text made them safe), 500 times per chart."""
    spans = []
    offset = 0
    for text, part_style in parts:
        end = offset + len(text)
        if part_style:
            spans.append(Span(offset, end, part_style))
        offset = end
    return Text("".join(text for text, _style in parts), style=style, spans=spans)


_INFLUENCE = Binding.Group(N_("Influence"), compact=True)
_ATTITUDE = Binding.Group(N_("Attitude"), compact=True)
_COVERAGE = Binding.Group(N_("Coverage"), compact=True)


# Levels drawn as a tree; the rest of a deeper chain continues flat (see reload).
MAX_DEPTH = 40


class OrgChart(BatchedTree[int]):
    """Reporting tree of one account; node data is the person id."""

    # The footer shows the everyday keys (100 columns hold no more); the others are in the
    # help panel (?) and the command palette.
    BINDINGS = [
        Binding(
            "slash",
            "screen.find_person",
            N_("Find"),
            id="account.find_person",
            tooltip=N_("Jump to a person by typing part of the name"),
        ),
        Binding(
            "a",
            "add_report",
            N_("Add"),
            id="org.add_report",
            tooltip=N_("Add a person reporting to the highlighted one"),
        ),
        Binding(
            "A", "add_top", N_("Add at top"), id="org.add_top", tooltip=N_("Add a person at the top level"), show=False
        ),
        Binding("e", "edit", N_("Edit"), id="org.edit", tooltip=N_("Edit every field of the highlighted person")),
        Binding("m", "move", N_("Move"), id="org.move", tooltip=N_("Put the person under another manager"), show=False),
        Binding(
            "d,delete",
            "delete",
            N_("Delete"),
            id="org.delete",
            show=False,
            tooltip=N_("Delete the person; their reports move up"),
        ),
        Binding(
            "plus,equals_sign",
            "influence(1)",
            N_("Influence+"),
            id="org.influence_up",
            tooltip=N_("Raise influence (towards L1)"),
            group=_INFLUENCE,
        ),
        Binding(
            "minus",
            "influence(-1)",
            N_("Influence-"),
            id="org.influence_down",
            tooltip=N_("Lower influence (towards L5)"),
            group=_INFLUENCE,
        ),
        *(
            Binding(
                str(n),
                f"set_influence({n})",
                f"L{n}",
                id=f"org.influence_{n}",
                group=_INFLUENCE,
                show=False,
                tooltip=N_("Set influence to this level"),
            )
            for n in range(1, 6)
        ),
        Binding(
            "0",
            "set_influence(0)",
            N_("Clear influence"),
            id="org.influence_clear",
            group=_INFLUENCE,
            show=False,
            tooltip=N_("Influence not rated"),
        ),
        Binding("c", "toggle_coach", N_("Coach"), id="org.coach", tooltip=N_("Mark or unmark as our coach")),
        Binding("t", "attitude(1)", N_("Attitude"), id="org.attitude", tooltip=N_("Next attitude"), group=_ATTITUDE),
        Binding(
            "T",
            "attitude(-1)",
            N_("Attitude back"),
            id="org.attitude_back",
            tooltip=N_("Previous attitude"),
            group=_ATTITUDE,
        ),
        Binding(
            "v",
            "coverage(1)",
            N_("Coverage"),
            id="org.coverage",
            tooltip=N_("Next coverage"),
            group=_COVERAGE,
            show=False,
        ),
        Binding(
            "V",
            "coverage(-1)",
            N_("Coverage back"),
            id="org.coverage_back",
            tooltip=N_("Previous coverage"),
            group=_COVERAGE,
            show=False,
        ),
        Binding(
            "i",
            "link",
            N_("Influences"),
            id="org.link",
            show=False,
            tooltip=N_("Record that the highlighted person influences someone"),
        ),
        Binding(
            "I",
            "unlink",
            N_("Remove link"),
            id="org.unlink",
            show=False,
            tooltip=N_("Remove an influence link of the highlighted person"),
        ),
        Binding(
            "R",
            "relationship",
            N_("Our relationship"),
            id="org.relationship",
            show=False,
            tooltip=N_("Our staff's relationship with the person: now and the target"),
        ),
    ]

    @dataclass
    class Rate(Message):
        """A rating key on a person (see `people.rate`): the screen writes it."""

        person_id: int
        rating: Literal["coach", "influence", "shift", "attitude", "coverage"]
        value: int = 0

    @dataclass
    class Request(Message):
        """A key that needs a form, a picker or a question first: the screen asks and writes.
        `person_id` is the highlighted person (None for "add" on an empty chart, "add_top")."""

        action: Literal["add", "add_top", "edit", "move", "delete", "link", "unlink", "relationship"]
        person_id: int | None

    @dataclass
    class CycleFound(Message):
        """The stored reporting lines loop (A under B under A): the people in the loop, drawn
        at the top with ⟲ so that nobody is hidden; the screen tells the rep how to mend it."""

        person_ids: list[int]

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(_("Organisation"), **kwargs)
        self.in_cycle: set[int] = set()
        self.account_id = account_id
        self.show_root = False
        self.guide_depth = 3
        self.rows: dict[int, PersonRow] = {}
        self._expanded: set[int] | None = None  # None: first build expands everything

    # -- building ---------------------------------------------------------------------------
    def process_label(self, label: str | Text) -> Text:
        """Labels from person_label are one line already (display_text): Tree's default
        splits every label into lines, a copy per node that a 500-person chart feels."""
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[int]) -> int:
        """The width without rendering the label: Tree's default renders every line's label
        to measure it, each time the tree's lines are rebuilt (opening, folding)."""
        icon = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node.allow_expand else ""
        # Textual types TreeNode.label as str | Text, but it is always process_label's Text.
        return cell_len(icon) + node.label.cell_len  # type: ignore[union-attr]

    def reload(self, focus_id: int | None = None, rows: list[PersonRow] | None = None) -> None:
        """Rebuild from `rows` (read from the store when not given), keeping what was
        expanded and where the cursor was."""
        if focus_id is None and self.cursor_node is not None:
            focus_id = self.cursor_node.data
        if self._expanded is not None or self.rows:
            self._expanded = {n.data for n in self._all_nodes() if n.is_expanded and n.data is not None}
        if rows is None:
            rows = people.for_account(self.account_id)
        self.rows = {p.id: p for p in rows}
        parents = {p.id: p.reports_to for p in rows}
        order = {p.id: i for i, p in enumerate(rows)}  # influence first, then name
        drawn, in_cycle = tree_order(parents, order.__getitem__)
        has_reports = {above for _pid, _depth, above in drawn if above is not None}
        self.clear()
        nodes: dict[int, TreeNode[int]] = {}
        level: dict[int, int] = {}
        with self.batched_changes():  # the tree's lines rebuilt once, not once per person
            for person_id, _depth, above in drawn:
                parent = self.root if above is None else nodes[above]
                level[person_id] = 0 if above is None else level[above] + 1
                if level[person_id] > MAX_DEPTH:
                    # Deeper, a chain goes on flat beside its deepest drawn manager: Textual
                    # builds a tree's lines recursively, and no organisation is this deep.
                    parent, level[person_id] = parent.parent or self.root, MAX_DEPTH
                label = person_label(self.rows[person_id])
                if person_id in in_cycle:
                    label = Text.assemble(("⟲ ", "bold"), label)
                expand = self._expanded is None or person_id in self._expanded
                nodes[person_id] = parent.add(
                    label, data=person_id, expand=expand, allow_expand=person_id in has_reports
                )
            if focus_id not in nodes and drawn:
                focus_id = drawn[0][0]
            if focus_id in nodes:
                node = nodes[focus_id].parent
                while node is not None and node is not self.root:
                    node.expand()
                    node = node.parent
        if in_cycle != self.in_cycle:
            self.in_cycle = in_cycle
            if in_cycle:
                self.post_message(self.CycleFound(sorted(in_cycle, key=order.__getitem__)))
        if focus_id in nodes:
            self.call_after_refresh(self.move_cursor, nodes[focus_id])

    def _all_nodes(self) -> Iterator[TreeNode[int]]:
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.children)

    @property
    def selected_id(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def jump_to(self, text: str) -> bool:
        """Move to the first person whose name (or title) contains `text`; expand the way there."""
        needle = text.casefold().strip()
        if not needle:
            return False
        for p in self.rows.values():
            if needle in p.name.casefold() or needle in p.title.casefold():
                self.reload(focus_id=p.id)
                return True
        return False

    def show_change(self, change: PeopleChange, focus_id: int | None, *, relabel_only: bool = False) -> None:
        """Draw a change the screen wrote: a rating redraws one line instead of rebuilding
        a 500-person tree; anything else rebuilds from the rows the change returned."""
        node = self.cursor_node
        if relabel_only and node is not None and node.data == focus_id and focus_id is not None:
            self.rows = {p.id: p for p in change.rows}
            if focus_id in self.rows:
                node.set_label(person_label(self.rows[focus_id]))
                return
        self.reload(focus_id=focus_id, rows=change.rows)

    # -- keys: ratings are posted at once, the rest ask first (the screen owns the writes) -------
    def _rate(self, rating: Literal["coach", "influence", "shift", "attitude", "coverage"], value: int = 0) -> None:
        if self.selected_id is not None:
            self.post_message(self.Rate(self.selected_id, rating, value))

    def _request(
        self, action: Literal["add", "add_top", "edit", "move", "delete", "link", "unlink", "relationship"]
    ) -> None:
        person_id = self.selected_id
        if person_id is None and action not in ("add", "add_top"):
            return
        self.post_message(self.Request(action, person_id))

    def action_add_report(self) -> None:
        self._request("add")

    def action_add_top(self) -> None:
        self._request("add_top")

    def action_edit(self) -> None:
        self._request("edit")

    def action_move(self) -> None:
        self._request("move")

    def action_delete(self) -> None:
        self._request("delete")

    def action_link(self) -> None:
        self._request("link")

    def action_unlink(self) -> None:
        self._request("unlink")

    def action_relationship(self) -> None:
        self._request("relationship")

    def action_influence(self, delta: int) -> None:
        self._rate("shift", delta)

    def action_set_influence(self, level: int) -> None:
        self._rate("influence", level)

    def action_toggle_coach(self) -> None:
        self._rate("coach")

    def action_attitude(self, step: int) -> None:
        self._rate("attitude", step)

    def action_coverage(self, step: int) -> None:
        self._rate("coverage", step)

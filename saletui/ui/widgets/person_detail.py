"""Everything known about the highlighted person, and the legend of the chart's marks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from saletui.i18n import _
from saletui.method.attention import days_ago_text
from saletui.method.org import ATTITUDE_SYMBOLS, attitude_label, coverage_label, role_label
from saletui.method.relationship import Relationship, level_label
from saletui.store.models import Person
from saletui.store.people import Link
from saletui.text import display_block, display_text


def legend() -> Text:
    text = Text(_("L1 highest influence … L5 lowest · ★ coach · "), style="dim")
    text.append(" ".join(f"{ATTITUDE_SYMBOLS[a]} {attitude_label(a)}" for a in ATTITUDE_SYMBOLS), style="dim")
    return text


class PersonDetail(Static):
    """Read-only card; all user text rendered literally."""

    def show(
        self,
        person: Person | None,
        manager: str,
        links: list[Link],
        today: dt.date,
        relationships: Sequence[Relationship] = (),
    ) -> None:
        if person is None:
            self.update(Text(_("Nobody selected. Press A to add the first person."), style="dim"))
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)

        def add(label: str, value: str) -> None:
            if value:
                grid.add_row(Text(label), Text(display_block(value)))

        add(_("Title"), person.title)
        add(_("Department"), person.department)
        add(_("Reports to"), manager or _("(top level)"))
        add(_("Influence"), f"L{person.influence}" if person.influence else _("not rated"))
        add(_("Coach"), _("yes: our insider guide") if person.is_coach else "")
        add(_("Attitude"), f"{ATTITUDE_SYMBOLS.get(person.attitude, '?')} {attitude_label(person.attitude)}")
        add(_("Coverage"), coverage_label(person.coverage))
        add(_("Buying role"), role_label(person.buying_role))
        add(_("Our owner"), person.owner or _("nobody yet"))
        add(_("Last contacted"), days_ago_text(person.last_contacted, today))
        add(_("Phone"), person.phone)
        add(_("Fax"), person.fax)
        add(_("E-mail"), person.email)
        add(_("Pains"), person.pains)
        add(_("Interests"), person.interests)
        add(_("Good supplier"), person.good_supplier)
        add(_("Responsibility"), person.responsibility)
        add(_("Notes"), person.notes)
        influences = [
            f"→ {display_text(link.target_name)}" + (f" ({display_text(link.note)})" if link.note else "")
            for link in links
            if link.source_id == person.id
        ]
        influenced = [f"← {display_text(link.source_name)}" for link in links if link.target_id == person.id]
        add(
            _("Our relationships"),
            "\n".join(
                f"{display_text(r.staff)}: {level_label(r.level)} → {level_label(r.target)}"
                + (" " + _("(gap {n})").format(n=r.gap) if r.gap else "")
                for r in relationships
            ),
        )
        add(_("Influences"), "\n".join(influences))
        add(_("Influenced by"), "\n".join(influenced))
        self.update(Group(Text(display_text(person.name), style="bold underline"), grid))

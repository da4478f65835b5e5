"""The power map: people by influence level against attitude, and the coverage warnings."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from saletui.i18n import _
from saletui.method.org import ATTITUDES, CoverageWarning, PersonFacts, attitude_label, power_map
from saletui.text import display_text


class PowerMap(Static):
    """Rows L1 (top) to L5 and unrated; columns mentor ... opponent and unknown."""

    def show(self, facts: list[PersonFacts], warnings: list[CoverageWarning]) -> None:
        grid = power_map(facts)
        table = Table(expand=True, show_lines=True, title=_("Power map: influence x attitude"))
        table.add_column(_("Influence"), no_wrap=True)
        columns = (*ATTITUDES, "")
        for attitude in columns:
            table.add_column(attitude_label(attitude), ratio=1)
        for level in (1, 2, 3, 4, 5, None):
            cells = []
            for attitude in columns:
                names = Text()
                for p in sorted(grid.get((level, attitude), []), key=lambda p: p.name):
                    if names:
                        names.append("\n")
                    names.append(display_text(p.name), style="bold" if level in (1, 2) else "")
                    if p.is_coach:
                        names.append(" ★", style="magenta")
                cells.append(names)
            table.add_row(Text(f"L{level}" if level else _("unrated")), *cells)
        lines = Text()
        if warnings:
            lines.append(_("Coverage warnings") + f" ({len(warnings)})\n", style="bold")
            for w in warnings:
                lines.append("⚠ ", style="bold yellow")
                lines.append(display_text(w.text) + "\n")
        else:
            lines.append(_("No coverage warnings: every gap the method asks about is covered."), style="green")
        self.update(Group(table, Text(), lines))

"""The techniques of one objection, each with how often the team used it and it worked."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from saletui.i18n import _
from saletui.playbook.schema import Objection, Technique
from saletui.store.objection_log import TechniqueStats
from saletui.text import display_block, display_text
from saletui.ui.widgets.steady_scroll import SteadyScrollView


def stats_text(stats: TechniqueStats | None) -> str:
    if stats is None or not stats.used:
        return _("not used on a visit yet")
    share = round(100 * stats.worked / stats.used)
    return _("used {used}× · worked {worked}× ({share}%)").format(used=stats.used, worked=stats.worked, share=share)


class TechniqueList(OptionList, SteadyScrollView):
    """One option per technique: name, evidence, when, script and follow-up question.

    Steady like the results list: most objections' techniques are longer than the pane, and
    OptionList (a ScrollView) would repaint its scrollbar after every layout of the screen,
    one frame later, which a key typed then has to wait for."""

    def show(
        self, objection: Objection | None, stats: dict[tuple[str, str], TechniqueStats], keep: str | None = None
    ) -> None:
        """List `objection`'s techniques; the one with id `keep` stays highlighted if present."""
        self.objection = objection
        self.clear_options()
        if objection is None:
            return
        options = []
        for t in objection.techniques:
            head = Text(display_text(t.name), style="bold")
            head.append("   " + stats_text(stats.get((objection.id, t.id))), style="italic")
            head.append(f"   {t.source.name}:{t.line}", style="dim")
            parts = [head]
            for label, value in ((_("When"), t.when), (_("Say"), t.script), (_("Then ask"), t.follow_up)):
                if value:
                    line = Text(f"{label}: ", style="bold dim")
                    line.append(display_block(value))
                    parts.append(line)
            parts.append(Text(""))
            options.append(Option(Group(*parts), id=t.id))
        self.add_options(options)
        if options:
            ids = [t.id for t in objection.techniques]
            self.highlighted = ids.index(keep) if keep in ids else 0

    @property
    def selected_technique(self) -> Technique | None:
        objection = getattr(self, "objection", None)
        if objection is None or self.highlighted is None:
            return None
        return objection.techniques[self.highlighted]

"""A deal's milestone list: the customer's questions in order, with what each visit reached."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Header, Label

from saletui.i18n import N_, Translated, _
from saletui.method.milestones import REACHED, SKIPPED, progress
from saletui.method.stages import stage_label
from saletui.store import deals, milestones
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.guarded_write import guarded_write
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.widgets.deal_table import qualification_text


def status_text(row: milestones.MilestoneRow) -> Text:
    if row.status == REACHED:
        when = row.reached_on.isoformat() if row.reached_on else ""
        return Text(_("reached {date}").format(date=when).strip(), style="green")
    if row.status == SKIPPED:
        return Text(_("skipped: {reason}").format(reason=display_text(row.skip_reason)), style="dim")
    if row.planned_visit_id:
        when = row.planned_on.isoformat() if row.planned_on else ""
        return Text(_("planned {date}").format(date=when).strip(), style="cyan")
    return Text(_("open"))


def progress_line(rows: list[milestones.MilestoneRow], current_stage: int) -> Text:
    text = Text()
    for stage, p in progress(r.state() for r in rows).items():
        if text:
            text.append("  ·  ")
        style = "bold reverse" if stage == current_stage else ""
        text.append(f"{stage_label(stage)} {p}", style=style)
    return text


class DealMilestones(LocalizedScreen[None]):
    """Work through the milestones of one deal."""

    HELP = Translated(
        N_("""
## Milestones
Everything the customer must settle before deciding, as their questions, in order. Each
visit answers a few of them; this list shows which visit reached which.

- **a** adds a milestone after the highlighted one, **e** edits its question
- **s** skips one that does not apply (the reason is kept), **o** reopens it
- **Shift+↑ / Shift+↓** move it within its stage, **d** deletes it
- **Esc** goes back
""")
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="milestones.back"),
        Binding("a", "add", N_("Add"), id="milestones.add", tooltip=N_("Add a milestone after this one")),
        Binding("e", "edit", N_("Edit"), id="milestones.edit", tooltip=N_("Edit the question")),
        Binding("s", "skip", N_("Skip"), id="milestones.skip", tooltip=N_("Skip it, keeping the reason")),
        Binding("o", "reopen", N_("Reopen"), id="milestones.reopen", tooltip=N_("Back to open")),
        Binding("shift+up,K", "move(-1)", N_("Move up"), id="milestones.up", tooltip=N_("Earlier in its stage")),
        Binding("shift+down,J", "move(1)", N_("Move down"), id="milestones.down", tooltip=N_("Later in its stage")),
        Binding("d", "delete", N_("Delete"), id="milestones.delete", show=False, tooltip=N_("Delete it")),
    ]

    def __init__(self, deal_id: int) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.rows: list[milestones.MilestoneRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="milestones-title")
        yield Label("", id="milestones-progress")
        yield DataTable(id="milestones", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        deal = deals.get(self.deal_id)
        self.sub_title = display_text(deal.title)
        with guarded_write(self):
            if milestones.ensure(self.deal_id, self.app.process):
                self.notify(_("This deal had no milestones yet: the standard list was added."))
        self._relabel_table()
        table = self.query_one(DataTable)
        first_open = next((i for i, row in enumerate(self.rows) if row.status not in (REACHED, SKIPPED)), None)
        if first_open is not None:  # where the work is: the reached ones are above it
            table.move_cursor(row=first_open, animate=False)
        table.focus()

    def _widths(self) -> tuple[int, int, int]:
        """Stage, question and status column widths that fit the screen: the question and
        a skip reason wrap in their cells instead of running off to the right."""
        room = max(40, self.size.width - 2 - 3 * 2)  # the scrollbar; each cell's padding
        stage, status = 16, max(14, room * 3 // 10)
        return stage, room - stage - status, status

    def _relabel_table(self) -> None:
        table = self.query_one(DataTable)
        line = table.cursor_row
        self._shown_widths = self._widths()
        stage, question, status = self._shown_widths
        table.clear(columns=True)
        table.add_column(_("Stage"), width=stage)
        table.add_column(_("Milestone (the customer's question)"), width=question)
        table.add_column(_("Status"), width=status)
        self.reload()
        if table.row_count:
            table.move_cursor(row=min(line, table.row_count - 1), animate=False)

    _shown_widths: tuple[int, int, int] | None = None

    def on_resize(self) -> None:
        if self._shown_widths is not None and self._widths() != self._shown_widths:
            self._relabel_table()

    async def relabel(self) -> None:
        self._relabel_table()
        await super().relabel()

    def reload(self, keep_id: int | None = None) -> None:
        deal = deals.get(self.deal_id)
        table = self.query_one(DataTable)
        keep_id = keep_id if keep_id is not None else self.selected_id
        self.rows = milestones.for_deal(self.deal_id)
        self.query_one("#milestones-title", Label).update(
            Content(f"{display_text(deal.title)} · {stage_label(deal.stage)}")
        )
        line = progress_line(self.rows, deal.stage)
        states = milestones.qualification([self.deal_id], self.app.process)[self.deal_id]
        if states:
            line.append("  ·  " + _("Qualified") + " ")
            line.append_text(qualification_text(states))
        self.query_one("#milestones-progress", Label).update(line)
        table.clear()
        for row in self.rows:
            question = Text(display_text(row.question))
            if row.key_node:
                question.append("  ◆ " + _("key node"), style="bold yellow")
            table.add_row(Text(stage_label(row.stage)), question, status_text(row), key=str(row.id), height=None)
        if keep_id is not None:
            for index, row in enumerate(self.rows):
                if row.id == keep_id:
                    table.move_cursor(row=index)

    @property
    def selected(self) -> milestones.MilestoneRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @property
    def selected_id(self) -> int | None:
        row = self.selected
        return row.id if row else None

    def _done(self, result: object) -> None:
        if result is not None:
            self.reload()

    def action_add(self) -> None:
        current = self.selected
        stage = current.stage if current else deals.get(self.deal_id).stage
        after = current.id if current else None
        created: list[int] = []

        def add(text: str) -> None:
            created.append(milestones.add(self.deal_id, stage, text, after_id=after).id)

        def added(result: str | None) -> None:
            if result is not None:
                self.reload(created[0] if created else None)

        self.app.push_screen(
            TextPrompt(
                lambda: _("New milestone in {stage}").format(stage=stage_label(stage)),
                lambda: _("The customer's question"),
                add,
                field="question",
            ),
            added,
        )

    def action_edit(self) -> None:
        current = self.selected
        if current:
            self.app.push_screen(
                TextPrompt(
                    lambda: _("Edit milestone"),
                    lambda: _("The customer's question"),
                    lambda text, v: milestones.edit(current.id, text, expected_version=v),
                    current.question,
                    field="question",
                    stored=(current.version, lambda m: m.question),
                ),
                self._done,
            )

    def action_skip(self) -> None:
        current = self.selected
        if current and current.status != SKIPPED:
            self.app.push_screen(
                TextPrompt(
                    lambda: _("Skip the milestone {question!r}").format(question=display_text(current.question)),
                    lambda: _("Why does it not apply?"),
                    lambda text, v: milestones.skip(current.id, text, expected_version=v),
                    field="reason",
                    stored=(current.version, lambda m: m.skip_reason),
                ),
                self._done,
            )

    def action_reopen(self) -> None:
        current = self.selected
        if current and current.status != "open":
            self._write(milestones.reopen, current.id)

    def action_move(self, delta: int) -> None:
        current = self.selected
        if current:
            self._write(milestones.move, current.id, delta)

    def action_delete(self) -> None:
        current = self.selected
        if current:

            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(milestones.delete, current.id)

            self.app.push_screen(
                ConfirmScreen(
                    lambda: _("Delete the milestone {question!r}?").format(question=display_text(current.question)),
                    lambda: _("Delete"),
                ),
                answered,
            )

    def _write(self, fn: Callable[..., object], *args: int) -> None:
        keep = self.selected_id
        with guarded_write(self) as write:
            fn(*args)
        if write.ok:
            self.reload(keep)

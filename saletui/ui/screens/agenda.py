"""The agenda: today and this week across the book; Enter goes to the account, visit or
deal; x writes the planned visits as an .ics calendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Header, Label

from saletui.i18n import N_, Translated, _
from saletui.services import agenda
from saletui.services.agenda import AgendaItem, Kind
from saletui.store import deal_health
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.guarded_write import guarded_write
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.save_prompt import ask_to_save

if TYPE_CHECKING:
    from saletui.account_listing import AccountListing

SHOWN_PER_KIND = 30  # lines of each kind per section; `saletui agenda` prints them all


class AgendaScreen(LocalizedScreen[None]):
    """What is due today (and overdue) and over the rest of the week."""

    HELP = Translated(
        N_("""
## Agenda
Today (with whatever is overdue) and the rest of this week: planned visits in time
order, next steps due, plan actions due, the contact and purchase reminders of the
5+5+5 focus accounts and of the accounts implementing a won deal, and the deals at risk
with why. **Enter** opens the account (on the visit, or the deal, the line is about).
Each section shows up to 30 lines of each kind; a last line counts the rest.

**x** writes the planned visits as an `.ics` calendar for Outlook, Google Calendar or
Apple Calendar; writing it again updates the same events instead of adding new ones.
**Esc** goes back. `saletui agenda` prints the same.
""")
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="agenda.back"),
        Binding("x", "calendar", N_("Calendar"), id="agenda.calendar", tooltip=N_("Write the planned visits as .ics")),
    ]

    def __init__(self, listing: AccountListing | None = None) -> None:
        super().__init__()
        self.items: list[AgendaItem | None] = []  # per table row; None for a heading
        # The account list's rows, when opened from it: their reminders are worked out, so
        # the first build reuses them; later ones (back from an account where the rep may
        # have recorded a contact) read them again.
        self._listing = listing

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="agenda-title")
        yield DataTable(id="agenda-table", cursor_type="row")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("Agenda")
        self._build()
        self.query_one("#agenda-table").focus()

    def on_screen_resume(self) -> None:
        # Back from an account (Esc pops it: no dismiss callback runs), where the rep may
        # have recorded a visit or moved a next step: the agenda is read again, the cursor
        # kept on its row. (The first resume comes right after on_mount: nothing to redo.)
        if self._resumed:
            table = self.query_one("#agenda-table", DataTable)
            row = table.cursor_row
            self._build()
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        self._resumed = True

    _resumed = False

    async def relabel(self) -> None:
        self.sub_title = _("Agenda")
        self._build()
        await super().relabel()

    def _build(self) -> None:
        app = self.app
        with guarded_write(self):  # the deals' stored risks, current as of today
            deal_health.refresh(app.settings.deal_risks, app.today())
        data = agenda.build(
            app.today(),
            app.settings.thresholds(),
            app.settings.after_signing,
            cap=SHOWN_PER_KIND,
            listing=self._listing,
        )
        self._listing = None
        self.query_one("#agenda-title", Label).update(Content(_("Agenda · {date}").format(date=data.today.isoformat())))
        table = self.query_one("#agenda-table", DataTable)
        table.clear(columns=True)
        table.add_columns(_("When"), _("Account"), _("What"))
        self.items = []
        for in_today, title, items in (
            (True, _("Today"), data.today_items()),
            (False, _("This week, to {date}").format(date=data.week_end.isoformat()), data.week_items()),
        ):
            hidden = data.hidden_in(in_today)
            table.add_row(Text(title, style="bold"), Text(""), Text(""))
            self.items.append(None)
            if not items:
                table.add_row(Text(""), Text(""), Text(_("Nothing due."), style="dim"))
                self.items.append(None)
            for item in items:
                when = agenda.when_text(item, data.today)
                style = "yellow" if item.overdue or item.kind is Kind.DEAL else ""
                mark = "⚠ " if style else ""
                table.add_row(
                    Text(when),
                    Text(display_text(item.account)),
                    Text(f"{mark}{display_text(item.text)}", style=style),
                )
                self.items.append(item)
            for kind, n in hidden.items():
                table.add_row(Text(""), Text(""), Text(agenda.more_text(kind, n), style="dim"))
                self.items.append(None)
        first = next((n for n, item in enumerate(self.items) if item is not None), 0)
        table.move_cursor(row=first, animate=False)

    @on(DataTable.RowSelected, "#agenda-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        item = self.items[event.cursor_row] if event.cursor_row < len(self.items) else None
        if item is None:
            return
        from saletui.ui.screens.account import AccountScreen

        self.app.push_screen(
            AccountScreen(
                item.account_id,
                visit_id=item.target_id if item.kind is Kind.VISIT else None,
                deal_id=item.target_id if item.kind is Kind.DEAL else None,
            )
        )

    def action_calendar(self) -> None:
        from saletui.services import calendar

        planned = 0

        def text_for(_path: Path) -> str:
            nonlocal planned
            data, planned = calendar.visits_calendar(self.app.today())
            return data.decode("utf-8")

        ask_to_save(
            self,
            lambda: _("Send the planned visits to a calendar"),
            lambda: _("File (.ics)"),
            Path.cwd() / "saletui-visits.ics",
            text_for,
            lambda path: _("{n} planned visits written to {path}").format(n=planned, path=path),
        )

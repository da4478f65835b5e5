"""The account list: filter, sort, classify, and act on accounts from the keyboard."""

from __future__ import annotations

import datetime as dt
import gc

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Header, Input, Label

from saletui.account_listing import AccountListing, Filters, purchases_of
from saletui.i18n import N_, Translated, _, labelled, ngettext
from saletui.method.attention import reason_texts, reminder_text
from saletui.store import accounts, derived
from saletui.store.db import release_thread_connection
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.guarded_write import guarded_write
from saletui.ui.language import LocalizedScreen
from saletui.ui.widgets.account_table import AccountTable
from saletui.ui.widgets.filter_bar import FilterBar

FIRST_PAGE = 200  # rows read before the first frame


class AccountsScreen(LocalizedScreen[None]):
    """All active accounts (or the archive), with needs-attention reminders."""

    HELP = Translated(
        N_(r"""
## Accounts
Your accounts, classified the key-account way: **EI-EIV** for customers (contribution x
stability), **PI-PIV** for prospects (expected contribution x intent), the **5+5+5** tiers,
and the stage of each account's most advanced open deal.

A customer's class is derived from its orders of the last 12 months when it has any
(unless it was set by hand in the form); a **\*** after the class marks a customer whose
orders say another class than the one set by hand, and **d** shows only those.

A red **!** marks an account that needs attention: never contacted, no contact for
longer than its class allows, a next step that is overdue, an action of its 5+5+5 plan
due within a week (or overdue), or (once orders are recorded) a customer who never
bought, has not bought for long, or has probably run out; also an open deal at risk
(the account's deals table says why; the `deal_risks` settings say when).

- **/** filters while you type (name, industry, region, owner); **Esc** clears.
- **!** shows only accounts that need attention; the selects narrow by class, tier,
  stage and owner (Tab to reach them).
- **s** sorts by the next column, **S** reverses; clicking a header sorts too.
- **n** new, **e** edit, **Enter** open, **x** archive (or restore in the archive),
  **u** undoes the last archive or restore, **a** shows the archive.
- **r** opens the reports: sales by period and company, region, rep, product, class or
  tier, and the win/loss review.
- **m** opens the monthly review of the 15 (5+5+5): each plan's expected sales against
  the orders, the ones behind highlighted, as a table and a chart.
""")
    )

    BINDINGS = [
        Binding("slash", "focus_filter", N_("Filter"), id="accounts.filter", tooltip=N_("Filter while typing")),
        Binding("n", "new_account", N_("New"), id="accounts.new", tooltip=N_("Add an account")),
        Binding("e", "edit_account", N_("Edit"), id="accounts.edit", tooltip=N_("Edit the highlighted account")),
        Binding(
            "x",
            "archive",
            N_("Archive"),
            id="accounts.archive",
            tooltip=N_("Archive the highlighted account (restore it in the archive)"),
        ),
        Binding(  # the same key in the archive view, where it restores
            "x", "restore", N_("Restore"), id="accounts.restore", tooltip=N_("Restore the highlighted account")
        ),
        Binding(
            "u", "undo", N_("Undo"), id="accounts.undo", tooltip=N_("Undo the last archive or restore"), show=False
        ),
        Binding(
            "exclamation_mark",
            "toggle_attention",
            N_("Attention"),
            id="accounts.attention",
            tooltip=N_("Show only accounts that need attention"),
        ),
        Binding(
            "d",
            "toggle_disagree",
            N_("Class differs"),
            id="accounts.disagree",
            show=False,
            tooltip=N_("Show only customers whose orders say another class than the one set by hand"),
        ),
        Binding(
            "i",
            "import_csv",
            N_("Import"),
            id="accounts.import",
            show=False,
            tooltip=N_("Import accounts or people from a CSV file, with a preview"),
        ),
        Binding(
            "b", "brief", N_("Brief"), id="accounts.brief", tooltip=N_("The pre-call brief of the highlighted account")
        ),
        Binding(
            "r", "reports", N_("Reports"), id="accounts.reports", tooltip=N_("Sales reports and the win/loss review")
        ),
        Binding(
            "w",
            "agenda",
            N_("Agenda"),
            id="accounts.agenda",
            tooltip=N_("Today and this week: visits, next steps, reminders, deals at risk"),
        ),
        Binding(
            "p",
            "pipeline",
            N_("Pipeline"),
            id="accounts.pipeline",
            tooltip=N_("Open deals across accounts by stage or close month, weighted"),
        ),
        Binding(
            "m",
            "review",
            N_("Review"),
            id="accounts.review",
            tooltip=N_("The monthly review of the 15 (5+5+5): expected against actual"),
        ),
        Binding(
            "a",
            "toggle_archive_view",
            N_("Archive view"),
            id="accounts.archive_view",
            show=False,
            tooltip=N_("Switch between active and archived accounts"),
        ),
        Binding(
            "escape", "clear_filters", N_("Clear"), id="accounts.clear", show=False, tooltip=N_("Clear every filter")
        ),
    ]

    AUTO_FOCUS = "#account-table"  # not the filter box first: each focus change restyles

    def __init__(self) -> None:
        super().__init__()
        self.showing_archive = False
        self._undo: tuple[str, int] | None = None  # ("archive"|"restore", account id)
        self._opened: int | None = None  # the account whose screen may have changed its row
        self._shown = False  # shown once already (see on_screen_resume)

    def compose(self) -> ComposeResult:
        app = self.app
        # Paint the first screen from the first rows by name; the rest follow from a worker.
        rows = accounts.list_rows(limit=FIRST_PAGE)
        self._loading = len(rows) == FIRST_PAGE
        # A small book derives its classes at once; a large one in the worker (the first
        # page may show classes derived before the last import until the rest arrives).
        if not self._loading and (
            derived.ensure_current(app.today(), app.settings.classes) | bool(self._store_deal_risks(app.today()))
        ):
            rows = accounts.list_rows(limit=FIRST_PAGE)
        self._generation = derived.generation()  # the classes the rows were read with
        self.listing = AccountListing(
            today=app.today(),
            thresholds=app.settings.thresholds(),
            rows=rows,
            trading=derived.trading(),
            cadence=app.settings.after_signing,
        )
        yield Header()
        yield FilterBar([] if self._loading else accounts.owners(), id="filter-bar")
        yield AccountTable(self.listing, id="account-table")
        yield Label("", id="list-status")

    def on_mount(self) -> None:
        # The footer's dozen widgets follow the first frame: the list comes first.
        self.call_after_refresh(self.mount, KeyFooter(compact=True))
        table = self.query_one(AccountTable)
        table.refresh_view()
        table.focus()
        self._update_status()
        bar = self.query_one(FilterBar)
        self.watch(bar.text_input, "value", lambda _value: self._apply_filters(bar.filters), init=False)
        if self._loading:
            self.call_after_refresh(self._load_all)
        else:
            self._loaded()

    def _store_deal_risks(self, today: dt.date, account_id: int | None = None) -> int:
        """The open deals' risks stored again where stale (store.deal_health), for the list's
        count; imported here, not at start-up: the first frame does not need them."""
        from saletui.store import deal_health

        return deal_health.refresh(self.app.settings.deal_risks, today, account_id)

    @work(thread=True, exclusive=True, group="account-list")
    def _load_all(self) -> None:
        """Read every account off the UI thread, after the first frame is on screen."""
        try:
            derived.ensure_current(self.app.today(), self.app.settings.classes)
            self._store_deal_risks(self.app.today())
            generation = derived.generation()
            rows, owners, trading = accounts.list_rows(), accounts.owners(), derived.trading()
        finally:
            release_thread_connection()
        self.app.call_from_thread(self._rows_arrived, rows, owners, trading, generation)

    def _rows_arrived(self, rows: list, owners: list[str], trading: bool, generation: int) -> None:
        if not self._loading or self.showing_archive:
            return  # a reload in between already showed fresh data
        current = self.table.selected
        self.listing.trading = trading
        self._generation = generation
        self.listing.set_rows(rows)
        self.query_one(FilterBar).set_owners(owners)
        self.table.refresh_view(current.id if current else None)
        self._loaded()

    def _loaded(self) -> None:
        self._loading = False
        self._update_status()
        # The list's tens of thousands of long-lived objects need not be rescanned by every
        # full garbage collection (each took ~27 ms and landed on a keystroke).
        gc.freeze()

    def on_resize(self, event: events.Resize) -> None:
        # Below ~110 columns the filters take two rows instead of running off the screen.
        self.set_class(event.size.width < 110, "-narrow")

    @property
    def table(self) -> AccountTable:
        return self.query_one(AccountTable)

    # -- status line -----------------------------------------------------------------
    def _update_status(self) -> None:
        listing = self.listing
        shown, total = len(listing.view), len(listing.rows)
        if self._loading:
            parts = [_("Loading accounts…")]
        elif self.showing_archive:
            parts = [ngettext("{n} archived account", "{n} archived accounts", total).format(n=total)]
        else:
            parts = [_("{shown} of {total} accounts").format(shown=shown, total=total)]
            need = listing.attention_count
            parts.append(ngettext("{n} needs attention", "{n} need attention", need).format(n=need))
            if listing.visits_due:
                parts.append(
                    ngettext("{n} visit today or tomorrow", "{n} visits today or tomorrow", listing.visits_due).format(
                        n=listing.visits_due
                    )
                )
            tiers = listing.tier_counts()
            parts.append(
                _("5+5+5: {top}/5 · {middle}/5 · {new}/5").format(
                    top=tiers["top5"], middle=tiers["middle5"], new=tiers["new5"]
                )
            )
            if listing.filters.disagree_only:
                parts.append(_("only classes that differ from the hand-set ones (d)"))
        self.table.empty_hint = [] if self._loading or self.showing_archive else self._how_to_start()
        row = self.table.selected
        if row is not None:
            index = listing.view[self.table.cursor]
            reasons = listing.reasons[index]
            notes = []
            reminder = listing.reminders[index]
            if reminder and row.next_planned:
                notes.append(reminder_text(reminder, row.next_planned))
            if reasons:
                purchases = purchases_of(row, listing.trading)
                notes.extend(
                    reason_texts(
                        reasons, row.last_contact, purchases, listing.today, row.next_action_due, row.deals_at_risk
                    )
                )
            if row.disagrees:
                notes.append(
                    _("orders say {derived}, set by hand {hand}").format(derived=row.derived_class, hand=row.hand_class)
                )
            if notes:
                parts.append(labelled(display_text(row.name), _("; ").join(notes)))
        self.query_one("#list-status", Label).update(Content("  ·  ".join(parts)))
        self.sub_title = _("Archive") if self.showing_archive else _("Accounts")

    @staticmethod
    def _how_to_start() -> list[str]:
        """What an empty book shows: the three ways to get accounts in."""
        return [
            _("No accounts yet. To start:"),
            "",
            _("  n               add an account"),
            _("  i               import a CSV file (Excel, a CRM export)"),
            _("  saletui --demo  try saletui on demo data (your own data is not touched)"),
        ]

    async def relabel(self) -> None:
        """The cells hold translated words (class, tier, stage, days ago): build them again
        from the rows in memory, keeping the filter, the sort and the cursor."""
        current = self.table.selected
        self.listing.set_rows(self.listing.rows)
        self.table.refresh_view(current.id if current else None)
        self.query_one(FilterBar).relabel()
        self._update_status()
        await super().relabel()

    @on(AccountTable.Highlighted)
    def _highlighted(self) -> None:
        self._update_status()

    # -- data -----------------------------------------------------------------------------
    def reload(self, keep_id: int | None = None) -> None:
        """Re-read the list (after a write, or when coming back from an account)."""
        self._loading = False
        self.listing.today = self.app.today()
        derived.ensure_current(self.listing.today, self.app.settings.classes)
        self._store_deal_risks(self.listing.today)
        self._generation = derived.generation()
        self.listing.trading = derived.trading()
        self.listing.set_rows(accounts.list_rows(archived=self.showing_archive))
        self.query_one(FilterBar).set_owners(accounts.owners())
        self.table.refresh_view(keep_id)
        self._update_status()
        gc.freeze()  # as after the first load: keep full collections off the keystrokes

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from an account: re-read its row only (not 10,000 of them)."""
        if not self._shown:
            # Shown the first time: its widgets were styled a moment ago, when mounted, so
            # Textual's restyle of every widget on resume is skipped (as AccountScreen does):
            # the first frame comes that much sooner.
            self._shown = True
            event.refresh_styles = False
        if self._opened is not None:
            account_id, self._opened = self._opened, None
            derived.ensure_current(self.app.today(), self.app.settings.classes)
            if derived.generation() != self._generation:
                # Orders changed (here or elsewhere): the ranking of the owner's other
                # accounts may have moved too, so every row is read again.
                self.reload(account_id)
                return
            today = self.app.today()
            if today != self.listing.today:  # past midnight: every row's days and risks moved
                self.reload(account_id)
                return
            self._store_deal_risks(today, account_id)
            self.listing.replace_row(accounts.get_row(account_id), account_id, archive_view=self.showing_archive)
            self.table.refresh_view(account_id)
            self._update_status()
            gc.freeze()

    @on(FilterBar.Changed)
    def _filters_changed(self, event: FilterBar.Changed) -> None:
        self._apply_filters(event.filters)

    def _apply_filters(self, filters: Filters) -> None:
        self.listing.set_filters(filters)
        self.table.refresh_view()
        self._update_status()

    @on(AccountTable.Opened)
    def _open(self, event: AccountTable.Opened) -> None:
        from saletui.ui.screens.account import AccountScreen  # not needed for the first frame

        self._opened = event.row.id
        self.app.push_screen(AccountScreen(event.row.id))

    # -- actions --------------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def action_clear_filters(self) -> None:
        bar = self.query_one(FilterBar)
        if bar.filters.active:
            bar.clear()
        self.table.focus()

    @on(Input.Submitted, "#filter-text")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_toggle_attention(self) -> None:
        self.query_one(FilterBar).toggle_attention()

    def action_toggle_disagree(self) -> None:
        self.query_one(FilterBar).toggle_disagree()

    def action_new_account(self) -> None:
        from saletui.ui.screens.account_form import AccountForm  # not needed for the first frame

        def saved(account_id: int | None) -> None:
            if account_id:
                self.showing_archive = False  # a new account is active: show it there
                self.refresh_bindings()
                self.reload(account_id)
                if self.listing.index_of(account_id) is None:
                    self.notify(_("Saved. It is hidden by the current filter."))

        self.app.push_screen(AccountForm(currency=self.app.settings.currency), saved)

    def action_edit_account(self) -> None:
        from saletui.ui.screens.account_form import AccountForm  # not needed for the first frame

        row = self.table.selected
        if row is None:
            return

        def edited(account_id: int | None) -> None:
            if account_id:
                self.reload(account_id)

        self.app.push_screen(AccountForm(row.id), edited)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """x archives in the list and restores in the archive: the footer shows which."""
        if action == "archive":
            return not self.showing_archive
        if action == "restore":
            return self.showing_archive
        return True

    def action_restore(self) -> None:
        row = self.table.selected
        if row is not None and self.showing_archive:
            self._restore(row.id, row.name)

    def action_archive(self) -> None:
        row = self.table.selected
        if row is None:
            return
        if self.showing_archive:
            self._restore(row.id, row.name)
            return
        with guarded_write(self) as write:
            accounts.archive(row.id)
        if write.ok:
            self._undo = ("archive", row.id)
            self.reload()
            self.notify(_("Archived {name}. Press u to undo.").format(name=display_text(row.name)))

    def _restore(self, account_id: int, name: str) -> bool:
        with guarded_write(self, refusals=True) as write:
            accounts.restore(account_id)
        if not write.ok:
            return False
        self._undo = ("restore", account_id)
        self.reload()
        self.notify(_("Restored {name}. Press u to undo.").format(name=display_text(name)))
        return True

    def action_undo(self) -> None:
        if self._undo is None:
            self.notify(_("Nothing to undo."), severity="warning")
            return
        kind, account_id = self._undo
        with guarded_write(self, refusals=True) as write:
            if kind == "archive":
                accounts.restore(account_id)
            else:
                accounts.archive(account_id)
        if not write.ok:
            return
        self.notify(_("Archive undone.") if kind == "archive" else _("Restore undone."))
        self._undo = None
        self.reload(account_id)

    def action_import_csv(self) -> None:
        from saletui.ui.screens.import_csv import ImportScreen  # not needed for the first frame

        def done(imported: bool | None) -> None:
            if imported:
                self.reload()

        self.app.push_screen(ImportScreen(), done)

    def action_brief(self) -> None:
        from saletui.ui.screens.brief import BriefScreen  # not needed for the first frame

        row = self.table.selected
        if row is not None:
            self.app.push_screen(BriefScreen(row.id))

    def action_reports(self) -> None:
        from saletui.ui.screens.reports import ReportsScreen  # not needed for the first frame

        self.app.push_screen(ReportsScreen())

    def action_agenda(self) -> None:
        from saletui.ui.screens.agenda import AgendaScreen  # not needed for the first frame

        # The active accounts' reminders are worked out already (not in the archive view).
        self.app.push_screen(AgendaScreen(None if self.showing_archive else self.listing))

    def action_pipeline(self) -> None:
        from saletui.ui.screens.pipeline import PipelineScreen  # not needed for the first frame

        self.app.push_screen(PipelineScreen())

    def action_review(self) -> None:
        from saletui.ui.screens.review import ReviewScreen  # not needed for the first frame

        self.app.push_screen(ReviewScreen(), self._reviewed)

    def _reviewed(self, opened: set[int] | None) -> None:
        """Accounts opened from the review may have new plan actions: re-read their rows."""
        for account_id in opened or ():
            self.listing.replace_row(accounts.get_row(account_id), account_id, archive_view=self.showing_archive)
        if opened:
            self.table.refresh_view()
            self._update_status()

    def action_toggle_archive_view(self) -> None:
        self.showing_archive = not self.showing_archive
        self.refresh_bindings()  # x: Archive or Restore
        self.reload()
        self.table.focus()

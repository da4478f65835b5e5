"""One account: overview (deals and profile), its people as an org chart, and the power map."""

from __future__ import annotations

from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Input, Label, TabbedContent, TabPane, Tree

from saletui.i18n import N_, Translated, _, labelled, ngettext
from saletui.method.org import CoverageWarning, PersonFacts, coverage_warnings
from saletui.store import accounts, people
from saletui.text import display_text
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.brief import BriefScreen
from saletui.ui.screens.orgchart_export import OrgChartExport
from saletui.ui.widgets.account_profile import AccountProfile
from saletui.ui.widgets.deal_table import DealTable
from saletui.ui.widgets.key_footer import KeyFooter
from saletui.ui.widgets.org_chart import OrgChart
from saletui.ui.widgets.person_detail import PersonDetail, legend
from saletui.ui.widgets.power_map import PowerMap
from saletui.ui.widgets.visit_table import VisitTable

TABS = ("tab-overview", "tab-people", "tab-power", "tab-visits")


class AccountScreen(LocalizedScreen[None]):
    """Everything about one account, one tab per working area."""

    HELP = Translated(
        N_("""
## Account
**[** and **]** switch tabs: Overview (deals and profile), People (the org chart),
Power map and Visits. **E** edits the account, **Esc** goes back to the list.

**Deals**: **n** new, **Enter** edit, **c** close as won or lost with the reason,
**o** reopen, **m** the deal's milestones (the customer's questions, in order).

**Visits**: **p** plans a visit with its checklist of milestones, **Enter** re-plans it,
**r** records it afterwards (what was reached, outcome, next step), **x** cancels it.

**People**: **a** adds a report of the highlighted person, **A** someone at the top,
**e** edits, **m** moves under another manager, **d** deletes (reports move up),
**+ / -** or **1-5** set influence (L1 highest), **c** toggles coach, **t** cycles
attitude, **v** cycles coverage, **i** records who influences whom, **/** jumps to a
person by name, **x** exports the chart. Space expands or collapses.
""")
    )

    # At 100 columns the footer has room for the focused pane's keys only: Brief, Edit
    # account and Find person are shown by the panes where they matter (same binding ids,
    # so a keymap moves them together); every key is in the help panel and the palette.
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="account.back", tooltip=N_("Back to the account list"), show=False),
        Binding(
            "E", "edit_account", N_("Edit account"), id="account.edit", tooltip=N_("Edit this account"), show=False
        ),
        Binding(
            "b", "brief", N_("Brief"), id="account.brief", tooltip=N_("The pre-call brief of this account"), show=False
        ),
        Binding(
            "f",
            "find_person",
            N_("Find person"),
            id="account.find_person_f",
            show=False,
            tooltip=N_("Jump to a person by typing part of the name"),
        ),
        Binding(
            "left_square_bracket",
            "switch_tab(-1)",
            N_("Prev tab"),
            id="account.prev_tab",
            tooltip=N_("Previous tab"),
            group=Binding.Group(N_("Tabs"), compact=True),
        ),
        Binding(
            "right_square_bracket",
            "switch_tab(1)",
            N_("Next tab"),
            id="account.next_tab",
            tooltip=N_("Next tab"),
            group=Binding.Group(N_("Tabs"), compact=True),
        ),
        Binding(
            "slash",
            "find_person",
            N_("Find person"),
            id="account.find_person",
            show=False,
            tooltip=N_("Jump to a person by typing part of the name"),
        ),
        Binding(
            "x",
            "export_chart",
            N_("Export chart"),
            id="account.export_chart",
            show=False,
            tooltip=N_("Write the org chart as text, Mermaid or DOT"),
        ),
    ]

    def __init__(self, account_id: int) -> None:
        super().__init__()
        self.account_id = account_id
        self._filled_tabs: set[str] = set()
        self._facts: list[PersonFacts] = []  # for the power map, drawn once its tab is shown
        self._warnings: list[CoverageWarning] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="account-title")
        with TabbedContent(id="account-tabs"):
            with TabPane(_("Overview"), id="tab-overview"):
                yield Label(Content(_("Deals")), classes="section-title", id="deals-title")
                yield DealTable(self.account_id, id="deals")
                yield Label(Content(_("Profile")), classes="section-title", id="profile-title")
                with VerticalScroll(id="profile-scroll"):
                    yield AccountProfile(id="profile")
            with TabPane(_("People"), id="tab-people"), Horizontal(id="people-pane"):
                with Vertical(id="org-column"):
                    yield Label(legend(), id="org-legend")
                    yield OrgChart(self.account_id, id="org-chart")
                    yield Label("", id="org-warnings")
            yield TabPane(_("Power map"), id="tab-power")  # filled when first shown: _fill_tab
            yield TabPane(_("Visits"), id="tab-visits")
        yield KeyFooter(compact=True)

    AUTO_FOCUS = "#deals"  # straight to the deals: focusing the tabs first restyles them twice
    _shown = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen each time it is shown. The first time,
        # they were styled a moment before, when mounted: skipping that pass saves ~10% of
        # opening an account. Coming back from another screen still restyles. (Tried on
        # every screen: the playbook then needed an extra frame on its second keystroke.)
        if not self._shown:
            self._shown = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        self.reload()
        self._people_changed()

    def _tab_widgets(self, tab: str) -> list[Widget]:
        """The widgets of a tab that is composed when first shown, so that opening an
        account pays only for the tabs on show (the People tab's chart and warnings are
        there from the start: the warnings are computed on open)."""
        if tab == "tab-people":
            return [VerticalScroll(PersonDetail(id="person-detail"), id="person-detail-scroll")]
        if tab == "tab-power":
            return [VerticalScroll(PowerMap(id="power-map"), id="power-scroll", can_focus=True)]
        if tab == "tab-visits":
            return [VisitTable(self.account_id, id="visits")]
        return []

    async def _fill_tab(self, tab: str) -> None:
        if tab in self._filled_tabs:
            return
        self._filled_tabs.add(tab)  # before the await: the key and TabActivated both get here
        parent = self.query_one("#people-pane" if tab == "tab-people" else f"#{tab}")
        await parent.mount_all(self._tab_widgets(tab))
        if tab == "tab-people":
            self._show_person(self.query_one(OrgChart).selected_id)
        elif tab == "tab-power":
            self._show_power_map()

    def _ensure_chart(self) -> OrgChart:
        """Build the tree when the People tab is first shown: opening the account stays
        quick even with 500 people, and the warnings do not need the tree."""
        chart = self.query_one(OrgChart)
        if not self._chart_loaded:
            self._chart_loaded = True
            chart.reload()
        return chart

    _chart_loaded = False

    # -- refresh -------------------------------------------------------------------------------
    async def relabel(self) -> None:
        tabs = self.query_one(TabbedContent)
        for pane_id, label in (
            ("tab-overview", _("Overview")),
            ("tab-people", _("People")),
            ("tab-power", _("Power map")),
            ("tab-visits", _("Visits")),
        ):
            tabs.get_tab(pane_id).label = label
        self.query_one("#deals-title", Label).update(Content(_("Deals")))
        self.query_one("#profile-title", Label).update(Content(_("Profile")))
        find = self._find_box()
        if find is not None:
            find.placeholder = _("find a person: type part of the name, Enter to go")
        self.query_one("#org-legend", Label).update(legend())
        self.query_one(DealTable).relabel()
        for table in self.query(VisitTable):  # none until its tab was shown
            table.relabel()
        self.reload()
        self._people_changed()
        await super().relabel()

    def reload(self) -> None:
        """Title and profile (after the account or its deals changed)."""
        account = accounts.get(self.account_id)
        row = accounts.get_row(self.account_id)
        self.sub_title = display_text(account.name)
        title = display_text(account.name)
        if row and row.class_code:
            title += f"  [{row.class_code}]"
        if account.archived_at:
            title += "  " + _("(archived)")
        self.query_one("#account-title", Label).update(Content(title))
        self.query_one("#profile", AccountProfile).show(account, row, self.app.today())

    def _people_changed(self) -> None:
        """Warnings and power map follow every change to the people."""
        chart = self.query_one(OrgChart)
        rows = chart.rows.values() if self._chart_loaded else people.for_account(self.account_id)
        facts = [p.facts() for p in rows]
        warnings = coverage_warnings(facts)
        self._facts, self._warnings = facts, warnings
        self._show_power_map()
        summary = ngettext("{n} coverage warning", "{n} coverage warnings", len(warnings)).format(n=len(warnings))
        if warnings:
            summary = labelled(summary, display_text(warnings[0].text) + (" …" if len(warnings) > 1 else ""))
        self.query_one("#org-warnings", Label).update(Content(summary))
        self._show_person(chart.selected_id)

    def _show_power_map(self) -> None:
        for power_map in self.query(PowerMap):  # none until its tab was shown
            power_map.show(self._facts, self._warnings)

    def _show_person(self, person_id: int | None) -> None:
        detail = next(self.query(PersonDetail).results(), None)
        if detail is None:  # its tab was not shown yet
            return
        chart = self.query_one(OrgChart)
        if person_id is None or person_id not in chart.rows:
            detail.show(None, "", [], self.app.today())
            return
        person = people.get(person_id)
        manager = chart.rows.get(person.reports_to_id)
        detail.show(
            person, manager.name if manager else "", people.links_for_account(self.account_id), self.app.today()
        )

    @on(Tree.NodeHighlighted, "#org-chart")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show_person(event.node.data)

    @on(OrgChart.Changed)
    def _org_changed(self) -> None:
        self._people_changed()

    @on(DealTable.Changed)
    def _deals_changed(self) -> None:
        self.reload()
        for table in self.query(VisitTable):  # none until its tab was shown
            table.reload()

    @on(VisitTable.Changed)
    def _visits_changed(self) -> None:
        """A recorded visit moves last contacts, the next step, milestones and maybe the stage."""
        self.reload()
        self.query_one(DealTable).reload()
        if self._chart_loaded:
            self.query_one(OrgChart).reload()
        self._people_changed()

    # -- actions ---------------------------------------------------------------------------------
    def action_back(self) -> None:
        find = self._find_box()
        if find is not None and find.display:
            find.display = False
            self.query_one(OrgChart).focus()
            return
        self.app.pop_screen()

    def action_brief(self) -> None:
        self.app.push_screen(BriefScreen(self.account_id))

    def action_edit_account(self) -> None:
        self.app.push_screen(AccountForm(self.account_id), lambda saved: saved and self.reload())

    async def action_switch_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        current = TABS.index(tabs.active) if tabs.active in TABS else 0
        tabs.active = TABS[(current + step) % len(TABS)]
        await self._focus_tab(tabs.active)

    async def _focus_tab(self, tab: str) -> None:
        await self._fill_tab(tab)
        if tab == "tab-overview":
            self.query_one(DealTable).focus()
        elif tab == "tab-people":
            self._ensure_chart().focus()
        elif tab == "tab-power":
            self.query_one("#power-scroll").focus()
        elif tab == "tab-visits":
            self.query_one(VisitTable).focus()

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        await self._focus_tab(event.pane.id or "")

    async def action_find_person(self) -> None:
        self.query_one(TabbedContent).active = "tab-people"
        find = self._find_box()
        if find is None:  # made on first use: most opens never search
            find = Input(
                placeholder=_("find a person: type part of the name, Enter to go"), id="person-find", compact=True
            )
            await self.query_one("#org-column").mount(find, before=0)
        find.display = True
        find.value = ""
        find.focus()

    def _find_box(self) -> Input | None:
        return next(self.query("#person-find").results(Input), None)

    @on(Input.Changed, "#person-find")
    def _find_changed(self, event: Input.Changed) -> None:
        found = not event.value.strip() or self._ensure_chart().jump_to(event.value)
        event.input.set_class(not found, "-nomatch")  # shown in the box itself, no pop-up per key

    @on(Input.Submitted, "#person-find")
    def _find_done(self, event: Input.Submitted) -> None:
        if event.input.has_class("-nomatch"):
            self.notify(_("Nobody here matches {text!r}.").format(text=event.value), severity="warning", timeout=3)
        event.input.display = False
        self.query_one(OrgChart).focus()

    def action_export_chart(self) -> None:
        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(_("Org chart written to {path}").format(path=path))

        self.app.push_screen(OrgChartExport(self.account_id, Path.cwd()), written)

"""One account: overview (deals and profile), its people as an org chart, and the power map."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, Label, TabbedContent, TabPane, Tabs, Tree

from saletui.i18n import N_, Translated, _, labelled, ngettext
from saletui.method.deal_risk import risk_text
from saletui.method.implementation import PHASES, phase_hint, phase_label
from saletui.method.org import CoverageWarning, PersonFacts, attitude_label, coverage_warnings
from saletui.method.qualification import moving_on_text, unqualified_before
from saletui.method.relationship import Relationship
from saletui.method.stages import stage_label
from saletui.store import (
    accounts,
    deals,
    derived,
    milestones,
    order_history,
    orders,
    people,
    relationships,
    visits,
)
from saletui.store.db import release_thread_connection
from saletui.store.models import Person
from saletui.store.people import Link, PeopleChange
from saletui.store.visits import Completion
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.guarded_write import guarded_write
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.account_plan import PlanTab
from saletui.ui.screens.brief import BriefScreen
from saletui.ui.screens.choice_picker import Choice, ChoicePicker
from saletui.ui.screens.close_deal_form import CloseDealForm
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.deal_contacts import DealContacts
from saletui.ui.screens.deal_form import DealForm
from saletui.ui.screens.deal_milestones import DealMilestones
from saletui.ui.screens.debrief_form import DebriefForm
from saletui.ui.screens.order_form import OrderLineForm
from saletui.ui.screens.orgchart_export import OrgChartExport
from saletui.ui.screens.person_form import PersonForm
from saletui.ui.screens.person_picker import TOP_LEVEL, PersonPicker
from saletui.ui.screens.relationship_form import RelationshipForm
from saletui.ui.screens.visit_form import VisitForm
from saletui.ui.screens.visit_record import VisitRecordScreen
from saletui.ui.widgets.account_profile import AccountProfile
from saletui.ui.widgets.deal_table import DealTable
from saletui.ui.widgets.order_table import OrderTable
from saletui.ui.widgets.order_totals import OrderTotals
from saletui.ui.widgets.org_chart import OrgChart
from saletui.ui.widgets.person_detail import PersonDetail, legend
from saletui.ui.widgets.plan_contacts import PlanContacts
from saletui.ui.widgets.plan_timeline import PlanTimeline
from saletui.ui.widgets.power_map import PowerMap
from saletui.ui.widgets.visit_table import VisitTable

TOTALS_AT_ONCE = 5_000  # order lines up to which the totals are read in the redraw itself

TABS = ("tab-overview", "tab-people", "tab-power", "tab-visits", "tab-orders", "tab-plan")


class AccountScreen(PlanTab):
    """Everything about one account, one tab per working area."""

    HELP = Translated(
        N_("""
## Account
**[** and **]** switch tabs: Overview (deals and profile), People (the org chart),
Power map, Visits, Orders and Plan. **E** edits the account, **Esc** goes back to the list.

**Deals**: **n** new, **Enter** edit, **c** close as won or lost with the reason,
**o** reopen, **m** the deal's milestones (the customer's questions, in order), **r** its
contacts and their roles (decision maker, economic buyer, coach …), **i** sets a won deal's
implementation phase ("new toy", learning, effectiveness; the phase also moves
on by itself after the days set in `after_signing`).

**Visits**: **p** plans a visit with its checklist of milestones, **Enter** re-plans it,
**r** records it afterwards (who you met, what was reached, outcome, next step), **x**
cancels it. On a recorded visit **Enter** (or **r**) reads the record and **e** corrects it.

**Orders** (the trading history, newest first, with totals by month and product): **a**
adds a line, **Enter** corrects the highlighted one, **d** deletes it (asks first).

**People**: **a** adds a report of the highlighted person, **A** someone at the top,
**e** edits, **m** moves under another manager, **d** deletes (reports move up),
**+ / -** or **1-5** set influence (L1 highest), **c** toggles coach, **t** cycles
attitude, **v** cycles coverage, **i** records who influences whom, **R** sets our staff's
relationship with the person (vendor … trusted advisor, now and the target), **/** jumps to
a person by name, **x** exports the chart. Space expands or collapses.

**Plan** (the 5+5+5 one-year action plan): **e** sets the year's objective and its
monthly split, **a** adds an action, **Enter** edits it, **s** marks it done, dropped or
open again, **d** deletes it, **<** and **>** show other years. On the objectives per
contact (Tab): **a** adds what we want from a person this year, **Enter** edits, **d** deletes.
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

    def __init__(
        self,
        account_id: int,
        *,
        visit_id: int | None = None,
        deal_id: int | None = None,
        person_id: int | None = None,
    ) -> None:
        super().__init__()
        self.account_id = account_id
        # Opened for one visit, deal or person (the agenda's or the search's Enter): its tab
        # shown, its row highlighted.
        self._opened_for = (visit_id, deal_id)
        self._person_to_show = person_id
        self._filled_tabs: set[str] = set()
        self._facts: list[PersonFacts] = []  # for the power map, drawn once its tab is shown
        self._warnings: list[CoverageWarning] = []
        self._links: list[Link] | None = None  # read when the person card first needs them
        self._relationships: dict[int, list[Relationship]] | None = None  # likewise

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="account-title")
        with TabbedContent(id="account-tabs"):
            with TabPane(_("Overview"), id="tab-overview"):
                # One above the other; side by side on a wide terminal (app.tcss).
                with Vertical(id="deals-column"):
                    yield Label(Content(_("Deals")), classes="section-title", id="deals-title")
                    yield DealTable(self.account_id, id="deals")
                    yield Label("", id="deal-risks")
                with Vertical(id="profile-column"):
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
            yield TabPane(_("Orders"), id="tab-orders")
            yield TabPane(_("Plan"), id="tab-plan")
        yield KeyFooter(compact=True)

    # From 160 columns the screen takes the class `-wide`: app.tcss gives the tabs the room.
    # (On this screen only: a class change on resize left other screens' DataTables drawn
    # at the old width; the account's own tables redraw on resize.)
    HORIZONTAL_BREAKPOINTS = [(0, "-standard-width"), (160, "-wide")]

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
        visit_id, deal_id = self._opened_for
        if deal_id is not None:
            self.query_one(DealTable).reload(select=deal_id)
        if visit_id is not None:
            self.call_after_refresh(self._show_visit, visit_id)
        if self._person_to_show is not None:
            self.call_after_refresh(self._show_people)

    async def _show_people(self) -> None:
        self.query_one(TabbedContent).active = "tab-people"
        await self._focus_tab("tab-people")

    async def _show_visit(self, visit_id: int) -> None:
        self.query_one(TabbedContent).active = "tab-visits"
        await self._focus_tab("tab-visits")
        self.query_one(VisitTable).reload(select=visit_id)

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
        if tab == "tab-orders":
            return [
                Vertical(Label("", id="orders-summary"), OrderTable(self.account_id, id="orders"), id="orders-column"),
                OrderTotals(id="order-totals"),
            ]
        if tab == "tab-plan":
            return self.plan_widgets()
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
        elif tab == "tab-orders":
            self._show_totals()
        elif tab == "tab-plan":
            self.show_plan()

    def _ensure_chart(self) -> OrgChart:
        """Build the tree when the People tab is first shown: opening the account stays
        quick even with 500 people, and the warnings do not need the tree."""
        chart = self.query_one(OrgChart)
        if not self._chart_loaded:
            self._chart_loaded = True
            chart.reload(focus_id=self._person_to_show)
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
            ("tab-orders", _("Orders")),
            ("tab-plan", _("Plan")),
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
        for orders_table in self.query(OrderTable):
            orders_table.relabel()
        for totals in self.query(OrderTotals):
            totals.relabel()
        self._show_totals()
        for contacts in self.query(PlanContacts):
            contacts.relabel()
            self.query_one("#plan-contacts-title", Label).update(Content(_("Objectives per contact")))
            self.show_plan()
        self.reload()
        self._people_changed()
        await super().relabel()

    def reload(self) -> None:
        """Title and profile (after the account or its deals changed)."""
        account = accounts.get(self.account_id)
        rules = self.app.settings.classes
        info = derived.class_info(account, self.app.today(), rules)  # derived afresh if orders changed
        row = accounts.get_row(self.account_id)
        self.sub_title = display_text(account.name)
        title = display_text(account.name)
        if row and row.class_code:
            title += f"  [{row.class_code}]"
        if account.archived_at:
            title += "  " + _("(archived)")
        self.query_one("#account-title", Label).update(Content(title))
        self.query_one("#profile", AccountProfile).show(account, row, self.app.today(), info, rules)

    def _people_changed(self, change: PeopleChange | None = None) -> None:
        """Warnings and power map follow every change to the people: from the change the
        store returned (computed once, in its transaction), or read afresh."""
        chart = self.query_one(OrgChart)
        if change is not None:
            facts = [p.facts() for p in change.rows]
            warnings = change.warnings
        else:
            rows = chart.rows.values() if self._chart_loaded else people.for_account(self.account_id)
            facts = [p.facts() for p in rows]
            warnings = coverage_warnings(facts)
        self._facts, self._warnings = facts, warnings
        self._show_power_map()
        summary = ngettext("{n} coverage warning", "{n} coverage warnings", len(warnings)).format(n=len(warnings))
        if warnings:
            summary = labelled(summary, display_text(warnings[0].text) + (" …" if len(warnings) > 1 else ""))
        self.query_one("#org-warnings", Label).update(Content(summary))
        person = change.person if change is not None else None
        if person is not None and person.id == chart.selected_id:
            self._show_person(person.id, person)
        else:
            self._show_person(chart.selected_id)

    def _show_power_map(self) -> None:
        for power_map in self.query(PowerMap):  # none until its tab was shown
            power_map.show(self._facts, self._warnings)

    def _show_person(self, person_id: int | None, person: Person | None = None) -> None:
        """The person card; `person` when the change just returned it (nothing to read)."""
        detail = next(self.query(PersonDetail).results(), None)
        if detail is None:  # its tab was not shown yet
            return
        chart = self.query_one(OrgChart)
        if person_id is None or person_id not in chart.rows:
            detail.show(None, "", [], self.app.today())
            return
        if person is None:
            person = people.get(person_id)
        manager = chart.rows.get(person.reports_to_id) if person.reports_to_id is not None else None
        if self._links is None:
            self._links = people.links_for_account(self.account_id)
        if self._relationships is None:
            self._relationships = relationships.for_account(self.account_id)
        detail.show(
            person,
            manager.name if manager else "",
            self._links,
            self.app.today(),
            self._relationships.get(person_id, []),
        )

    @on(Tree.NodeHighlighted, "#org-chart")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show_person(event.node.data)

    # -- the org chart's writes: one store call each, drawn from what it returns ------------
    def _draw_change(self, change: PeopleChange, focus_id: int | None, *, relabel_only: bool = False) -> None:
        if not relabel_only:
            self._links = self._relationships = None  # people or links changed: the card reads them again
        self.query_one(OrgChart).show_change(change, focus_id, relabel_only=relabel_only)
        self._people_changed(change)

    def _people_gone(self) -> None:
        """A person changed here was deleted elsewhere: show the account's people as stored."""
        self._links = None
        if self._chart_loaded:
            self.query_one(OrgChart).reload()
        self._people_changed()

    @on(OrgChart.Rate)
    def _rate(self, event: OrgChart.Rate) -> None:
        with guarded_write(self, refusals=True) as write:
            change = people.rate(self.account_id, event.person_id, event.rating, event.value)
        if write.gone:
            self._people_gone()
        if write.ok:
            self._draw_change(change, event.person_id, relabel_only=True)
            if event.rating == "attitude" and change.person is not None:
                self.notify(attitude_label(change.person.attitude), timeout=1.5)

    @on(OrgChart.CycleFound)
    def _cycle_found(self, event: OrgChart.CycleFound) -> None:
        chart = self.query_one(OrgChart)
        names = ", ".join(display_text(chart.rows[pid].name) for pid in event.person_ids if pid in chart.rows)
        self.notify(
            _(
                "The reporting lines of {names} go round in a circle. They are shown at the top, marked ⟲: "
                "press m on one of them to give them another manager, or none."
            ).format(names=names),
            severity="warning",
            timeout=12,
            markup=False,
        )

    @on(OrgChart.Request)
    def _org_request(self, event: OrgChart.Request) -> None:
        chart = self.query_one(OrgChart)
        person_id = event.person_id

        def saved(change: PeopleChange | None) -> None:
            if change is not None and change.person is not None:
                self._draw_change(change, change.person.id)

        if event.action == "add":
            self.app.push_screen(PersonForm(self.account_id, reports_to=person_id), saved)
        elif event.action == "add_top":
            self.app.push_screen(PersonForm(self.account_id), saved)
        elif person_id is None or person_id not in chart.rows:
            return
        elif event.action == "edit":
            self.app.push_screen(PersonForm(self.account_id, person_id), saved)
        elif event.action == "move":
            self._ask_move(person_id)
        elif event.action == "delete":
            self._ask_delete(person_id)
        elif event.action == "link":
            self._ask_link(person_id)
        elif event.action == "unlink":
            self._ask_unlink(person_id)
        elif event.action == "relationship":
            self._ask_relationship(person_id)

    def _ask_relationship(self, person_id: int) -> None:
        def saved(change: PeopleChange | None) -> None:
            if change is not None:  # the warnings may follow (a key person below target)
                self._relationships = None
                self._draw_change(change, person_id, relabel_only=True)

        self.app.push_screen(RelationshipForm(person_id), saved)

    def _ask_move(self, person_id: int) -> None:
        rows = self.query_one(OrgChart).rows
        name = display_text(rows[person_id].name)

        def chosen(manager: int | None) -> None:
            if manager is None:
                return
            with guarded_write(self, refusals=True) as write:
                change = people.move_person(self.account_id, person_id, None if manager == TOP_LEVEL else manager)
            if write.gone:
                self._people_gone()
            if write.ok:
                self._draw_change(change, person_id)

        self.app.push_screen(
            PersonPicker(
                lambda: _("Move {name} under…").format(name=name),
                list(rows.values()),
                allow_top=True,
                exclude={person_id},
            ),
            chosen,
        )

    def _ask_delete(self, person_id: int) -> None:
        rows = self.query_one(OrgChart).rows
        person = rows[person_id]
        reports = sum(1 for p in rows.values() if p.reports_to == person_id)

        def question() -> str:
            text = _("Delete {name}?").format(name=display_text(person.name))
            if reports:
                text += " " + _("Their {n} direct report(s) will report to their manager.").format(n=reports)
            return text

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            with guarded_write(self) as write:
                change = people.delete_person(self.account_id, person_id)
            if write.gone:
                self._people_gone()
            if write.ok:
                manager = person.reports_to if person.reports_to in rows else None
                self._draw_change(change, manager)

        self.app.push_screen(ConfirmScreen(question, lambda: _("Delete")), answered)

    def _links_changed(self, person_id: int) -> None:
        """Links change neither the chart nor the warnings: only the person card."""
        self._links = None
        self._show_person(person_id)

    def _ask_link(self, source: int) -> None:
        rows = self.query_one(OrgChart).rows
        name = display_text(rows[source].name)

        def chosen(target: int | None) -> None:
            if not target:
                return
            with guarded_write(self, refusals=True) as write:
                people.add_link(source, target)
            if write.ok:
                self._links_changed(source)

        self.app.push_screen(
            PersonPicker(lambda: _("{name} influences…").format(name=name), list(rows.values()), exclude={source}),
            chosen,
        )

    def _ask_unlink(self, person_id: int) -> None:
        links = [
            link for link in people.links_for_account(self.account_id) if person_id in (link.source_id, link.target_id)
        ]
        if not links:
            self.notify(_("No influence link to remove here."), severity="warning")
            return
        choices = [
            Choice(link.id, Text(f"{display_text(link.source_name)} → {display_text(link.target_name)}"))
            for link in links
        ]

        def chosen(link_id: int | None) -> None:
            if not link_id:
                return
            with guarded_write(self) as write:
                people.remove_link(link_id)
            if write.ok:
                self._links_changed(person_id)

        self.app.push_screen(ChoicePicker(lambda: _("Remove which influence link?"), choices), chosen)

    # -- deals and visits: the forms write; the screen redraws what follows ------------------
    def _deals_changed(self, result: object = True, select: int | None = None) -> None:
        """A deal was added or changed: its row, the account's stage and the visits follow;
        `select` highlights that deal."""
        if result is None or result is False:
            return
        self.query_one(DealTable).reload(select=select)
        self.reload()
        for table in self.query(VisitTable):  # none until its tab was shown
            table.reload()

    def _deal_added(self, deal_id: int | None) -> None:
        """As `_deals_changed`, with the new deal highlighted: the rep's next key is for it."""
        if deal_id is not None:
            self._deals_changed(select=deal_id)

    @on(DataTable.RowHighlighted, "#deals")
    def _show_deal_risks(self) -> None:
        """The highlighted open deal's risk warnings, under the table (⚠ n in its row)."""
        table = self.query_one(DealTable)
        found = table.risks(table.selected)
        label = self.query_one("#deal-risks", Label)
        label.update(Content("⚠ " + " · ".join(risk_text(f) for f in found)) if found else Content(""))
        label.display = bool(found)

    @on(DealTable.Request)
    def _deal_request(self, event: DealTable.Request) -> None:
        deal = event.deal
        if event.action == "new":
            self.app.push_screen(DealForm(self.account_id), self._deal_added)
        elif deal is None:
            return
        elif event.action == "edit":
            self.app.push_screen(DealForm(self.account_id, deal.id), self._deals_changed)
        elif event.action == "milestones":
            self.app.push_screen(DealMilestones(deal.id), lambda _result: self._deals_changed())
        elif event.action == "contacts":
            self.app.push_screen(DealContacts(deal.id), lambda _result: self._deals_changed())
        elif event.action == "close":
            if deal.status != "open":
                self.notify(_("This deal is already closed; press o to reopen it."), severity="warning")
            else:
                self.app.push_screen(CloseDealForm(deal.id), self._deals_changed)
        elif event.action == "phase":
            self._ask_phase(deal.id, deal.title)
        elif event.action == "reopen" and deal.status != "open":
            with guarded_write(self) as write:
                deals.reopen(deal.id)
            if write.ok:
                self._deals_changed()

    def _ask_phase(self, deal_id: int, title: str) -> None:
        """After signing: the rep says which implementation phase the customer is in."""
        choices = [
            Choice(n, Text(f"{phase_label(phase)} — {phase_hint(phase)}"), phase_label(phase))
            for n, phase in enumerate(PHASES, start=1)
        ]

        def chosen(n: int | None) -> None:
            if not n:
                return
            with guarded_write(self, refusals=True) as write:
                deals.set_phase(deal_id, PHASES[n - 1].value, self.app.today())
            if write.gone:
                self._deals_changed()
            if write.ok:
                self._deals_changed(select=deal_id)

        self.app.push_screen(
            ChoicePicker(lambda: _("Implementation phase of {title}").format(title=display_text(title)), choices),
            chosen,
        )

    def _visits_changed(self, result: object = True) -> None:
        """A recorded visit moves last contacts, the next step, milestones and maybe the stage."""
        if result is None or result is False:
            return
        for table in self.query(VisitTable):
            table.reload()
        self.reload()
        self.query_one(DealTable).reload()
        if self._chart_loaded:
            self.query_one(OrgChart).reload()
        self._links = None
        self._people_changed()

    @on(VisitTable.Request)
    def _visit_request(self, event: VisitTable.Request) -> None:
        visit = event.visit
        if event.action == "plan":
            self.app.push_screen(VisitForm(self.account_id, today=self.app.today()), self._visits_changed)
        elif visit is None:
            return
        elif event.action == "open":
            self.app.push_screen(VisitForm(self.account_id, visit.id), self._visits_changed)
        elif event.action == "view":

            def closed(then: str | None) -> None:
                if then == "edit":
                    self.app.push_screen(DebriefForm(visit.id), self._recorded)

            self.app.push_screen(VisitRecordScreen(visit.id), closed)
        elif event.action in ("record", "edit"):
            self.app.push_screen(DebriefForm(visit.id), self._recorded)
        elif event.action == "cancel":

            def answer(yes: bool | None) -> None:
                if not yes:
                    return
                with guarded_write(self) as write:
                    visits.cancel(visit.id)
                if write.ok:
                    self._visits_changed()

            self.app.push_screen(
                ConfirmScreen(lambda: _("Cancel this planned visit?"), lambda: _("Cancel visit")), answer
            )

    def _recorded(self, completion: Completion | None) -> None:
        if completion is None:
            return
        self._visits_changed()
        stage = completion.offer_stage
        if stage is None:
            return
        deal_id = completion.reached[0].deal_id

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            with guarded_write(self) as write:
                visits.set_deal_stage(deal_id, stage, self.app.today())
            if write.ok:
                self._visits_changed()

        behind = unqualified_before(milestones.qualification([deal_id], self.app.process)[deal_id], stage)
        self.app.push_screen(
            ConfirmScreen(
                lambda: (
                    _("A key node was reached. Advance the deal to {stage}?").format(stage=stage_label(stage))
                    + (" " + moving_on_text(behind) if behind else "")
                ),
                lambda: _("Advance"),
            ),
            answer,
        )

    # -- order lines: the form or the question writes; lines and totals follow ------------------
    def _show_totals(self) -> None:
        """The count of lines and the totals by month and product: read at once for most
        accounts (in the same redraw as the change), off the UI thread for a long history
        (the product totals sum every line: ~0.1-0.4 s at 50,000)."""
        table = next(self.query(OrderTable).results(), None)
        if table is None:  # its tab was not shown yet
            return
        total = table.total
        summary = ngettext("{n} order line", "{n} order lines", total).format(n=total)
        if total > len(table.records):
            summary += " · " + _("newest {n} read; more as you scroll").format(n=len(table.records))
        self.query_one("#orders-summary", Label).update(Content(summary))
        if total <= TOTALS_AT_ONCE:
            self._totals_arrived(order_history.by_month(self.account_id), order_history.by_product(self.account_id))
        else:
            self._read_totals()

    @work(thread=True, exclusive=True, group="order-totals")
    def _read_totals(self) -> None:
        try:
            months, products = order_history.by_month(self.account_id), order_history.by_product(self.account_id)
        finally:
            release_thread_connection()
        self.app.call_from_thread(self._totals_arrived, months, products)

    def _totals_arrived(self, months: list[order_history.Total], products: list[order_history.Total]) -> None:
        self.query_one(OrderTotals).show(months, products)

    def _orders_changed(self, line_id: int | None = None) -> None:
        """A line was added, corrected or deleted: the table (cursor on it), the totals."""
        self.query_one(OrderTable).reload(select=line_id)
        self._show_totals()

    def _order_saved(self, line_id: int | None) -> None:
        if line_id is not None:
            self._orders_changed(line_id)

    @on(OrderTable.Request)
    def _order_request(self, event: OrderTable.Request) -> None:
        line = event.line
        if event.action == "add":
            self.app.push_screen(OrderLineForm(self.account_id), self._order_saved)
        elif line is None:
            return
        elif event.action == "edit":
            self.app.push_screen(OrderLineForm(self.account_id, line.id), self._order_saved)
        elif event.action == "delete":

            def answer(yes: bool | None) -> None:
                if not yes:
                    return
                with guarded_write(self) as write:
                    orders.delete(line.id)
                if write.ok:
                    self._orders_changed()

            what = f"{line.ordered_on.isoformat()} {display_text(line.product)}"
            self.app.push_screen(
                ConfirmScreen(
                    lambda: _("Delete the order line {line}? Its amount leaves the totals.").format(line=what),
                    lambda: _("Delete"),
                ),
                answer,
            )

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
        def edited(saved: int | None) -> None:
            if saved:  # a new currency relabels (and rescales) the deals too
                self._deals_changed()

        self.app.push_screen(AccountForm(self.account_id), edited)

    def action_switch_tab(self, step: int) -> None:
        # Through the tab bar's own keys: it holds which tab is active and the content
        # follows its messages (TabActivated, which fills and focuses the tab). Setting
        # TabbedContent.active instead raced with those messages: two keys in a row on a
        # busy machine could bring the first tab back.
        bar = self.query_one(TabbedContent).query_one(Tabs)
        if step > 0:
            bar.action_next_tab()
        else:
            bar.action_previous_tab()

    async def _focus_tab(self, tab: str) -> None:
        await self._fill_tab(tab)
        if self.query_one(TabbedContent).active != tab:
            # Another tab was chosen meanwhile (a second key while this one was filling, or
            # this tab's late TabActivated): focusing this one's widget now would take the
            # focus from the tab on show.
            return
        if tab == "tab-overview":
            self.query_one(DealTable).focus()
        elif tab == "tab-people":
            self._ensure_chart().focus()
        elif tab == "tab-power":
            self.query_one("#power-scroll").focus()
        elif tab == "tab-visits":
            self.query_one(VisitTable).focus()
        elif tab == "tab-orders":
            self.query_one(OrderTable).focus()
        elif tab == "tab-plan":
            self.query_one(PlanTimeline).focus()

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

"""A deal's contacts and their roles in it, with what puts the deal at risk."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Header, Label

from saletui.i18n import N_, Translated, _
from saletui.method.deal_risk import Finding, risk_text
from saletui.method.deal_roles import roles_text, suggested_roles
from saletui.method.stages import stage_label
from saletui.store import deal_contacts, deal_health, deals, people
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.guarded_write import guarded_write
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.deal_roles_form import DealRolesForm
from saletui.ui.screens.person_picker import PersonPicker


class DealContacts(LocalizedScreen[None]):
    """Who takes part in one deal, as what; the deal's risks above them."""

    HELP = Translated(
        N_("""
## Deal contacts
The people of the account who take part in this deal and their roles in it (decision
maker, economic buyer, technical buyer, user, coach, influencer, gatekeeper); a person
can play other roles in another deal. One of them is the deal's primary contact (★).
Planning a visit for the deal ticks them as attendees.

Above the list, what puts the deal at risk now (the `deal_risks` settings say when).

- **a** adds a person of the account, **Enter** (or **e**) changes their roles
- **p** makes the highlighted person the primary contact, **d** takes them out of the deal
- **Esc** goes back
""")
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="contacts.back"),
        Binding("a", "add", N_("Add"), id="contacts.add", tooltip=N_("Add a person of the account to the deal")),
        Binding("e", "roles", N_("Roles"), id="contacts.roles", tooltip=N_("Change their roles in the deal")),
        Binding("p", "primary", N_("Primary"), id="contacts.primary", tooltip=N_("Make them the primary contact")),
        Binding("d", "remove", N_("Remove"), id="contacts.remove", tooltip=N_("Take them out of the deal")),
    ]

    def __init__(self, deal_id: int) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.rows: list[deal_contacts.DealContactRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="contacts-title")
        yield Label("", id="contacts-risks")
        yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = display_text(deals.get(self.deal_id).title)
        self._relabel_table()
        self.query_one(DataTable).focus()

    def _relabel_table(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(_("Name"), _("Title"), _("Level"), _("Roles in this deal"), _("Primary"))
        self.reload()

    async def relabel(self) -> None:
        self._relabel_table()
        await super().relabel()

    def reload(self, keep_id: int | None = None) -> None:
        deal = deals.get(self.deal_id)
        keep_id = keep_id if keep_id is not None else self.selected_id
        self.query_one("#contacts-title", Label).update(
            Content(f"{display_text(deal.title)} · {stage_label(deal.stage)}")
        )
        found: tuple[Finding, ...] = ()
        if deal.status == "open":
            found = deal_health.worked_out([self.deal_id], self.app.settings.deal_risks, self.app.today())[self.deal_id]
        risks = self.query_one("#contacts-risks", Label)
        risks.update(
            Content("⚠ " + _("At risk: {risks}").format(risks=" · ".join(risk_text(f) for f in found)))
            if found
            else Content(_("No risk found.") if deal.status == "open" else "")
        )
        risks.set_class(bool(found), "-at-risk")
        self.rows = deal_contacts.for_deal(self.deal_id)
        table = self.query_one(DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(
                Text(display_text(row.name), style="bold" if row.primary else ""),
                Text(display_text(row.title)),
                Text(f"L{row.influence}" if row.influence else ""),
                Text(roles_text(row.roles)),
                Text("★" if row.primary else "", style="yellow"),
                key=str(row.person_id),
            )
        for index, row in enumerate(self.rows):
            if row.person_id == keep_id:
                table.move_cursor(row=index)

    @property
    def selected(self) -> deal_contacts.DealContactRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @property
    def selected_id(self) -> int | None:
        row = self.selected
        return row.person_id if row else None

    def action_add(self) -> None:
        deal = deals.get(self.deal_id)
        everyone = people.for_account(deal.account_id)
        taking_part = {r.person_id for r in self.rows}
        if not [p for p in everyone if p.id not in taking_part]:
            self.notify(_("Everyone of the account takes part already: add people on the People tab."))
            return

        def picked(person_id: int | None) -> None:
            person = next((p for p in everyone if p.id == person_id), None)
            if person is not None:
                self._ask_roles(person.id, person.name, suggested_roles(person.buying_role, person.is_coach))

        self.app.push_screen(
            PersonPicker(lambda: _("Who takes part in the deal?"), everyone, exclude=taking_part), picked
        )

    @on(DataTable.RowSelected, "#contacts")
    def action_roles(self) -> None:
        current = self.selected
        if current is not None:
            self._ask_roles(current.person_id, current.name, current.roles)

    def _ask_roles(self, person_id: int, name: str, roles: tuple[str, ...]) -> None:
        def saved(ok: bool | None) -> None:
            if ok:
                self.reload(person_id)

        self.app.push_screen(DealRolesForm(self.deal_id, person_id, name, roles), saved)

    def action_primary(self) -> None:
        current = self.selected
        if current is not None and not current.primary:
            with guarded_write(self) as write:
                deal_contacts.set_primary(self.deal_id, current.person_id)
            if write.ok:
                self.reload(current.person_id)

    def action_remove(self) -> None:
        current = self.selected
        if current is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                with guarded_write(self) as write:
                    deal_contacts.remove(self.deal_id, current.person_id)
                if write.ok:
                    self.reload()

        self.app.push_screen(
            ConfirmScreen(
                lambda: _("Take {name} out of this deal? (They stay on the org chart.)").format(
                    name=display_text(current.name)
                ),
                lambda: _("Remove"),
            ),
            answered,
        )

"""One search (Ctrl+F from anywhere): accounts, people, deals and visit notes as you type,
grouped by kind; Enter opens the account there, on the person, deal or visit."""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from saletui.i18n import N_, Translated, _
from saletui.store import search
from saletui.store.search import Found, Hit, Kind
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.language import LocalizedScreen

MATCH_STYLE = "bold underline"


def kind_label(kind: Kind) -> str:
    return {
        Kind.ACCOUNT: _("Accounts"),
        Kind.PERSON: _("People"),
        Kind.DEAL: _("Deals"),
        Kind.VISIT: _("Visits"),
    }[kind]


NAME_CELLS = 28  # names are padded to the longest shown of their kind, up to this


def hit_line(hit: Hit, terms: list[str], name_cells: int = 0) -> Content:
    """One result on one line: the name (padded to `name_cells`), then where it is and
    what else matched, the words typed underlined. (Content, not a Rich Text: the list
    draws it without converting each option, which halves the time of a keystroke.)"""
    if hit.kind is Kind.ACCOUNT:
        where = [hit.detail]
    elif hit.kind is Kind.DEAL:
        where = [hit.account, _("close {date}").format(date=hit.when) if hit.when else "", hit.detail]
    else:
        where = [hit.account, hit.detail]
    name = hit.name
    if not name and hit.kind is Kind.VISIT:
        name = _("(no objective)")
    parts: list[str | tuple[str, str]] = []
    if hit.kind is Kind.VISIT and hit.when:
        parts.append((f"{hit.when} ", "dim"))
    shown = display_text(name)
    parts.append((shown, "bold"))
    rest = " · ".join(display_text(w) for w in where if w)
    if rest:
        parts.append((" " * max(0, name_cells - cell_len(shown)) + "  " + rest, "dim"))
    line = Content.assemble(*parts)
    if terms:
        line = line.highlight_regex(_words_pattern(terms), style=MATCH_STYLE)
    return line


def _words_pattern(terms: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


class SearchScreen(LocalizedScreen[None]):
    """Everything the rep has, found by any part of a name, a phone number or a note."""

    HELP = Translated(
        N_("""
## Search
Type part of a name, title, department, phone number or e-mail address, a deal's title
or words from visit notes, in Chinese or English: every word must be found, in any
order, inside words too. Results come by kind (accounts, people, deals, visits), names
that match first; **↓** goes into them, **Enter** opens the account on that person,
deal or visit. **Esc** there comes back to these results; **Ctrl+F** anywhere else too.
Archived accounts are left out.
""")
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="search.back"),
        Binding(
            "down",
            "to_results",
            N_("To the results"),
            show=False,
            id="search.results",
            tooltip=N_("From the search box down into the results"),
        ),
        Binding(
            "slash", "focus_box", N_("Search box"), id="search.box", show=False, tooltip=N_("Back to the search box")
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found = Found("")
        self.hits: dict[str, Hit] = {}  # option id -> hit

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=self._placeholder(), id="search-box", compact=True)
        yield Label("", id="search-status")
        yield OptionList(id="search-results")
        yield KeyFooter(compact=True)

    @staticmethod
    def _placeholder() -> str:
        return _("search accounts, people, phone numbers, deals, visit notes")

    def on_mount(self) -> None:
        self.sub_title = _("Search")
        self._show(Found(""))
        self.query_one("#search-box", Input).focus()

    def on_screen_resume(self) -> None:
        # Back from an account: what it shows may have changed there; the cursor stays on
        # the result the rep opened, so the next one is a key away.
        if self.found.text:
            results = self.query_one("#search-results", OptionList)
            at = results.highlighted
            keep = results.get_option_at_index(at).id if at is not None else None
            self._show(search.find(self.found.text), keep=keep)

    async def relabel(self) -> None:
        self.sub_title = _("Search")
        self.query_one("#search-box", Input).placeholder = self._placeholder()
        self._show(self.found)
        await super().relabel()

    @on(Input.Changed, "#search-box")
    def _typed(self, event: Input.Changed) -> None:
        self._show(search.find(event.value))

    def _show(self, found: Found, keep: str | None = None) -> None:
        """The results of one search: the list rebuilt once (the cursor on `keep` when it is
        still there, else on the first result), its status line."""
        self.found = found
        terms = search.words(found.text)
        options: list[Option] = []
        self.hits = {}
        for kind, hits in found.hits.items():
            if not hits:
                continue
            count = f"{len(hits)}+" if found.more.get(kind) else str(len(hits))
            options.append(Option(Content.styled(f"{kind_label(kind)} · {count}", "bold reverse"), disabled=True))
            cells = min(NAME_CELLS, max(cell_len(display_text(h.name)) for h in hits))
            for hit in hits:
                key = f"{hit.kind.value}:{hit.id}"
                self.hits[key] = hit
                options.append(Option(hit_line(hit, terms, cells), id=key))
        results = self.query_one("#search-results", OptionList)
        results.set_options(options)
        if self.hits:
            first = next(n for n, o in enumerate(options) if not o.disabled)
            results.highlighted = next((n for n, o in enumerate(options) if keep and o.id == keep), first)
        status = self.query_one("#search-status", Label)
        if not terms:
            status.update(
                Content(_("Type part of a name, a phone number, an e-mail address, a deal or words from visit notes."))
            )
        elif not self.hits:
            status.update(Content(_("Nothing matches {text!r}.").format(text=display_text(found.text.strip()))))
        else:
            status.update(Content(_("Enter opens the highlighted result; more words narrow the search.")))

    def action_to_results(self) -> None:
        if self.hits:
            self.query_one("#search-results").focus()

    def action_focus_box(self) -> None:
        box = self.query_one("#search-box", Input)
        box.focus()
        box.select_all()

    @on(Input.Submitted, "#search-box")
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.highlighted is not None:
            self._open(results.get_option_at_index(results.highlighted).id)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def _open(self, key: str | None) -> None:
        hit = self.hits.get(key or "")
        if hit is None:
            return
        from saletui.ui.screens.account import AccountScreen

        self.app.push_screen(
            AccountScreen(
                hit.account_id,
                person_id=hit.id if hit.kind is Kind.PERSON else None,
                deal_id=hit.id if hit.kind is Kind.DEAL else None,
                visit_id=hit.id if hit.kind is Kind.VISIT else None,
            )
        )

"""The pre-call brief of one account, as the rep reads it before walking in."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from saletui.file_names import safe_file_stem
from saletui.i18n import N_, Translated, _
from saletui.services import brief
from saletui.store import accounts
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.save_prompt import ask_to_save
from saletui.ui.widgets.markdown_page import MarkdownPage


class BriefScreen(LocalizedScreen[None]):
    """Class and strategy, open deals, the people who matter, warnings, last visits, the
    next visit's milestones and the objections likely at this stage."""

    HELP = Translated(
        N_("""
## Pre-call brief
Everything to know before the visit, on one page. **Ctrl+S** writes it as Markdown (to
print or read on a phone); **Esc** goes back. `saletui brief ACCOUNT` writes the same
from the command line.
""")
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="brief.back"),
        Binding("ctrl+s", "save", N_("Save as Markdown"), id="brief.save", tooltip=N_("Write the brief to a file")),
    ]

    def __init__(self, account_id: int, deal_id: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.deal_id = deal_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield MarkdownPage(id="brief")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self._build()
        self.query_one("#brief").focus()

    async def relabel(self) -> None:
        self._build()  # headings and the built-in playbook's objections in the new language
        await super().relabel()

    def _build(self) -> None:
        self.sub_title = _("Brief: {name}").format(name=display_text(accounts.get(self.account_id).name))
        settings = self.app.settings
        data = brief.build(
            self.account_id,
            self.app.today(),
            self.app.playbook.objections,
            self.deal_id,
            settings.plan.action_notice_days,
            rules=settings.classes,
            purchase_rules=settings.purchases,
            cadence=settings.after_signing,
            risk_rules=settings.deal_risks,
            process=self.app.process,
        )
        self.text = brief.render_markdown(data)
        self.query_one("#brief", MarkdownPage).update(self.text)

    def action_save(self) -> None:
        name = accounts.get(self.account_id).name
        default = Path.cwd() / f"brief-{safe_file_stem(name)}.md"

        ask_to_save(
            self,
            lambda: _("Save the brief"),
            lambda: _("File"),
            default,
            lambda _path: self.text,
            lambda path: _("Brief written to {path}").format(path=path),
        )

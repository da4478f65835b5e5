"""Export the org chart as indented text, Mermaid or Graphviz DOT to a file."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select

from saletui.i18n import _
from saletui.services import orgchart
from saletui.store import accounts
from saletui.ui.screens.form_screen import FormScreen
from saletui.ui.widgets.form_field import FormField


class OrgChartExport(FormScreen[Path | None]):
    """Returns the written file's path, or None when cancelled."""

    def __init__(self, account_id: int, directory: Path) -> None:
        super().__init__()
        self.account_id = account_id
        self.directory = directory
        self.account_name = accounts.get(account_id).name

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="export-dialog"):
            yield Label(Content(_("Export the org chart")), classes="form-title")
            yield FormField(
                _("Format"),
                Select(
                    [(_("Indented text"), "text"), ("Mermaid", "mermaid"), ("Graphviz DOT", "dot")],
                    value="text",
                    allow_blank=False,
                    id="format",
                    compact=True,
                ),
                field="format",
            )
            yield FormField(_("File"), Input(self._default_path("text"), id="path", compact=True), field="path")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Export"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def _default_path(self, fmt: str) -> str:
        return str(self.directory / orgchart.default_filename(self.account_name, fmt))

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        # Follow the format only while the rep has not typed a path of their own.
        if Path(path.value).parent == self.directory:
            path.value = self._default_path(str(event.value))

    def action_save(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        raw = self.query_one("#path", Input).value.strip()
        field = self.query_one("#field-path", FormField)
        field.set_error(None)
        if not raw:
            field.set_error(_("Give a file name."))
            return
        path = Path(raw).expanduser()
        try:
            orgchart.write_export(path, orgchart.FORMATS[fmt](self.account_id))
        except OSError as exc:
            field.set_error(_("Cannot write {path}: {reason}.").format(path=path, reason=exc.strerror or exc))
            return
        self.dismiss(path)

"""Import accounts or people from a spreadsheet's CSV, with a preview before anything is
written (the same import as `saletui import`)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Header, Input, Label, Select

from saletui.i18n import N_, Translated, _, labelled
from saletui.services.csv_import import ImportFileError, ImportReport, import_csv
from saletui.store.db import release_thread_connection
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.guarded_write import guarded_write
from saletui.ui.language import LocalizedScreen, relabel_select, relabel_table
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.form_screen import LeaveGuard


def action_label(action: str) -> Text:
    style = {"create": "green", "update": "cyan", "unchanged": "dim", "error": "bold red"}.get(action, "")
    label = {"create": _("create"), "update": _("update"), "unchanged": _("unchanged"), "error": _("error")}
    return Text(label.get(action, action), style=style)


def _kinds() -> list[tuple[str, str]]:
    return [(_("Accounts"), "accounts"), (_("People"), "people")]


def _columns() -> tuple[str, ...]:
    return (_("Row"), _("Action"), _("Name"), _("Problem"))


class ImportScreen(LeaveGuard, LocalizedScreen[bool]):
    """Returns True when rows were imported."""

    HELP = Translated(
        N_("""
## Import from CSV
Give the file (UTF-8, or GB18030/GBK as Chinese Excel saves it) and what it holds:
accounts or people. The preview shows what each row would do and every bad row with its
number and reason; nothing is written until **Ctrl+S**. An import is all-or-nothing
unless "skip bad rows" is ticked. Importing the same file again updates, never duplicates.
""")
    )

    BINDINGS = [
        Binding("escape", "leave", N_("Back"), id="import.back", tooltip=N_("Back (asks when something was typed)")),
        Binding(
            "ctrl+s", "run_import", N_("Import"), id="import.run", tooltip=N_("Write the previewed rows"), priority=True
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-form"):
            with Horizontal(classes="form-row"):
                yield Input(placeholder=_("path of the CSV file"), id="import-path", compact=True)
                yield Select(_kinds(), value="accounts", allow_blank=False, id="import-kind", compact=True)
                yield Checkbox(_("Skip bad rows"), id="import-skip", compact=True)
            yield Label("", id="import-summary")
        yield DataTable(id="import-preview", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("Import from CSV")
        self.report: ImportReport | None = None
        self._timer: Timer | None = None
        self.query_one("#import-preview", DataTable).add_columns(*_columns())
        self.query_one("#import-path", Input).focus()

    async def relabel(self) -> None:
        self.sub_title = _("Import from CSV")
        self.query_one("#import-path", Input).placeholder = _("path of the CSV file")
        relabel_select(self.query_one("#import-kind", Select), "", _kinds())
        self.query_one("#import-skip", Checkbox).label = _("Skip bad rows")
        # The preview is read again: its summary and row messages come in the new language.
        relabel_table(self.query_one("#import-preview", DataTable), _columns(), self._preview)
        await super().relabel()

    @on(Input.Changed, "#import-path")
    @on(Select.Changed, "#import-kind")
    @on(Checkbox.Changed, "#import-skip")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.app.delays.import_preview, self._preview)

    def _request(self) -> tuple[Path, str, bool]:
        return (
            Path(self.query_one("#import-path", Input).value.strip()).expanduser(),
            str(self.query_one("#import-kind", Select).value),
            self.query_one("#import-skip", Checkbox).value,
        )

    def _preview(self) -> None:
        path, kind, skip = self._request()
        self.report = None
        if not path.name or not path.is_file():
            self._show_summary(_("No such file yet.") if path.name else "")
            self.query_one("#import-preview", DataTable).clear()
            return
        self._run(path, kind, skip, True)

    @work(thread=True, exclusive=True, group="import")
    def _run(self, path: Path, kind: str, skip: bool, dry_run: bool) -> None:
        """Read and check the file off the UI thread (a big file takes a few seconds)."""
        try:
            with guarded_write(self, from_thread=True) as write:
                report = import_csv(
                    kind, path, dry_run=dry_run, skip_bad_rows=skip, currency=self.app.settings.currency
                )
        except ImportFileError as exc:
            self.app.call_from_thread(self._file_error, str(exc))
            return
        finally:
            release_thread_connection()
        if write.ok:
            self.app.call_from_thread(self._show_report, report)

    def _file_error(self, message: str) -> None:
        self.report = None
        self.query_one("#import-preview", DataTable).clear()  # no rows of an earlier file
        self._show_summary(message, True)

    def _show_summary(self, text: str, error: bool = False) -> None:
        label = self.query_one("#import-summary", Label)
        label.update(Content(text))
        label.set_class(error, "-invalid")

    def _show_report(self, report: ImportReport) -> None:
        if report.written:
            self.notify(_("Imported: {counts}").format(counts=report.counts()))
            self.dismiss(True)
            return
        self.report = report
        head = _("{encoding}, {n} column(s) recognised").format(encoding=report.encoding, n=len(report.columns))
        if report.unknown_columns:
            head += " · " + _("ignored: {columns}").format(
                columns=", ".join(display_text(c.column) for c in report.unknown_columns)
            )
        self._show_summary(head + "\n" + labelled(_("Preview"), report.counts()), bool(report.errors))
        problems: dict[int, str] = {}
        for error in report.errors:
            problems.setdefault(error.row, f"{error.column}: {error.message}")
        table = self.query_one("#import-preview", DataTable)
        table.clear()
        for outcome in report.rows:
            table.add_row(
                Text(str(outcome.row)),
                action_label(outcome.action),
                Text(display_text(outcome.name)),
                Text(display_text(problems.get(outcome.row, ""))),
            )
        for row, problem in problems.items():
            if not any(o.row == row for o in report.rows):
                table.add_row(Text(str(row)), action_label("error"), Text(""), Text(display_text(problem)))

    def action_leave(self) -> None:
        self.leave(lambda: self.dismiss(False))

    def action_run_import(self) -> None:
        report = self.report
        path, kind, skip = self._request()
        if report is None or report.path != path or report.kind != kind:
            self.notify(_("Wait for the preview of this file first."), severity="warning")
            return
        if report.errors and not skip:
            self.notify(_("Nothing imported: fix the bad rows or tick \u201cSkip bad rows\u201d."), severity="error")
            return
        if not report.created and not report.updated:
            self.notify(_("Nothing to import: every row is unchanged."), severity="warning")
            return

        def question() -> str:
            return _("Import {kind} from {file}? {counts}").format(kind=kind, file=path.name, counts=report.counts())

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(path, kind, skip, False)

        self.app.push_screen(ConfirmScreen(question, lambda: _("Import")), answered)

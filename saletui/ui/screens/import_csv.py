"""Import accounts, people or deals from a spreadsheet's CSV, or people from a vCard file,
with a preview before anything is written (the same imports as `saletui import`)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Header, Input, Label, ProgressBar, Select

from saletui.i18n import N_, Translated, _, labelled
from saletui.services.csv_import import ImportFileError, ImportReport, detect_file, import_csv
from saletui.services.deal_import import import_deals
from saletui.services.import_columns import IGNORE, ColumnMap, field_english, field_label, fields, source_label
from saletui.services.order_import import import_orders
from saletui.services.vcard import import_vcards, looks_like_vcard
from saletui.store.db import release_thread_connection
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.guarded_write import guarded_write
from saletui.ui.language import LocalizedScreen, relabel_select, relabel_table
from saletui.ui.screens.choice_picker import Choice, ChoicePicker
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.form_screen import LeaveGuard

PREVIEW_ROWS = 1_000  # rows a preview checks: the first ones, never the whole file


def action_label(action: str) -> Text:
    style = {"create": "green", "update": "cyan", "unchanged": "dim", "error": "bold red"}.get(action, "")
    label = {"create": _("create"), "update": _("update"), "unchanged": _("unchanged"), "error": _("error")}
    return Text(label.get(action, action), style=style)


def _kinds() -> list[tuple[str, str]]:
    return [(_("Accounts"), "accounts"), (_("People"), "people"), (_("Deals"), "deals"), (_("Orders"), "orders")]


# What the screen asked a preview for: file, kind (None: as detected), skip bad rows,
# create missing accounts (vCards), the rep's column -> field overrides.
Request = tuple[Path, str | None, bool, bool, dict[str, str]]


def _kind_label(kind: str) -> str:
    return {v: label for label, v in _kinds()}.get(kind, kind)


def _no_columns() -> str:
    return _(
        "A vCard file has no columns to map: each card's name (FN, N), company (ORG), title, "
        "department, phones, e-mail, notes and manager go to the person's fields."
    )


def _columns() -> tuple[str, ...]:
    return (_("Row"), _("Action"), _("Name"), _("Problem"))


def _mapping_titles() -> tuple[str, ...]:
    return (_("Column"), _("Goes to (Enter: change)"))


def mapping_label(column: ColumnMap, kind: str = "") -> Text:
    """Where a column goes, as the mapping table shows it: ignored ones dimmed, unknown ones
    with the column they probably are."""
    if column.field:
        return Text(field_label(column.field, kind))
    if column.known:
        return Text(field_label(IGNORE), style="dim")
    text = _("unknown, ignored")
    if column.suggestion:
        text += " · " + _("did you mean {name!r}?").format(name=column.suggestion)
    return Text(text, style="dim italic")


class ImportScreen(LeaveGuard, LocalizedScreen[bool]):
    """Returns True when rows were imported."""

    HELP = Translated(
        N_("""
## Import from CSV or vCard
Give the file (UTF-8, or GB18030/GBK as Chinese Excel saves it). Its columns tell what it
holds (accounts, people, deals or an ERP's order lines) and which CRM wrote it (Salesforce, HubSpot, Dynamics
365, WeCom); the kind can still be changed. Deal stages are mapped as the settings'
`deal_stages` say. A vCard file (.vcf) brings people, one per card: tick "Create missing
accounts" to add the companies of their ORG that are not in saletui yet. The column list
shows which field each column goes to: **Enter** on a column picks another field, or
"(ignore)". The preview shows what each row would do and every bad row with its number
and reason; nothing is written until **Ctrl+S**. An import is all-or-nothing unless "skip
bad rows" is ticked. Importing the same file again updates, never duplicates.
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
            yield Checkbox(_("Create missing accounts"), id="import-create", compact=True)
            yield Label("", id="import-summary")
            yield ProgressBar(id="import-progress", show_eta=True)
        yield DataTable(id="import-columns", cursor_type="row")
        yield Label("", id="import-no-columns")
        yield DataTable(id="import-preview", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("Import from CSV")
        self.report: ImportReport | None = None
        self._timer: Timer | None = None
        # The rep's own choices: a kind picked by hand, and column -> field overrides.
        self.kind_chosen = False
        self.overrides: dict[str, str] = {}
        self._asked: Request | None = None
        self.query_one("#import-create", Checkbox).display = False
        self.query_one("#import-no-columns", Label).display = False
        self.query_one("#import-progress", ProgressBar).display = False
        self.importing = False  # the real import is running (its worker reports progress)
        self.query_one("#import-preview", DataTable).add_columns(*_columns())
        self.query_one("#import-columns", DataTable).add_columns(*_mapping_titles())
        self.query_one("#import-path", Input).focus()

    async def relabel(self) -> None:
        self.sub_title = _("Import from CSV")
        self.query_one("#import-path", Input).placeholder = _("path of the CSV file")
        relabel_select(self.query_one("#import-kind", Select), "", _kinds())
        self.query_one("#import-skip", Checkbox).label = _("Skip bad rows")
        self.query_one("#import-create", Checkbox).label = _("Create missing accounts")
        self.query_one("#import-no-columns", Label).update(_no_columns())
        # The preview is read again: its summary and row messages come in the new language.
        relabel_table(self.query_one("#import-columns", DataTable), _mapping_titles(), self._fill_columns)
        relabel_table(self.query_one("#import-preview", DataTable), _columns(), self._preview)
        await super().relabel()

    @on(Input.Changed, "#import-path")
    def _path_changed(self) -> None:
        """Another file: its own kind and columns are detected afresh."""
        self.kind_chosen = False
        self.overrides = {}
        self._changed()

    @on(Select.Changed, "#import-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if not event.select.has_focus_within:
            return  # set by the app (mounting, or the detected kind), not chosen by the rep
        self.kind_chosen = True
        self.overrides = {}  # the fields differ between kinds
        self._changed()

    @on(Checkbox.Changed, "#import-skip")
    @on(Checkbox.Changed, "#import-create")
    def _changed(self) -> None:
        if self.importing:  # the import runs on what was confirmed; the next preview follows it
            return
        self.report = None
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.app.delays.import_preview, self._preview)

    def _request(self) -> Request:
        """What the screen shows now: the file, the kind (None: as detected), whether bad
        rows are skipped and missing accounts created, the rep's column overrides."""
        return (
            Path(self.query_one("#import-path", Input).value.strip()).expanduser(),
            str(self.query_one("#import-kind", Select).value) if self.kind_chosen else None,
            self.query_one("#import-skip", Checkbox).value,
            self.query_one("#import-create", Checkbox).value,
            dict(self.overrides),
        )

    def _preview(self) -> None:
        request = self._request()
        path = request[0]
        self.report = None
        if not path.name or not path.is_file():
            self._show_summary(_("No such file yet.") if path.name else "")
            self.query_one("#import-preview", DataTable).clear()
            self.query_one("#import-columns", DataTable).clear()
            self._show_vcard(False)
            return
        self._asked = request
        self._run(request, True)

    @work(thread=True, exclusive=True, group="import")
    def _run(self, request: Request, dry_run: bool) -> None:
        """Read and check the file off the UI thread: a preview checks its first
        PREVIEW_ROWS rows; the import itself reads all of it, its progress on the bar,
        the screen answering keys meanwhile, and ends in one transaction."""
        path, kind, skip, create, mapping = request
        settings = self.app.settings
        limit = PREVIEW_ROWS if dry_run else None

        def progress(rows: int, done: int, size: int) -> None:
            self.app.call_from_thread(self._show_progress, rows, done, size)

        told = None if dry_run else progress
        try:
            vcard = looks_like_vcard(path)
            if kind is None and not vcard:
                kind = detect_file(path).kind
            with guarded_write(self, from_thread=True) as write:
                report: ImportReport
                if vcard:  # people, one per card: no columns to map
                    report = import_vcards(
                        path, dry_run=dry_run, skip_bad_rows=skip, create_accounts=create, currency=settings.currency
                    )
                elif kind == "orders":
                    report = import_orders(
                        path, dry_run=dry_run, skip_bad_rows=skip, mapping=mapping, progress=told, limit=limit
                    )
                elif kind == "deals":
                    report = import_deals(
                        path,
                        process=self.app.process,
                        stages=settings.deal_stages,
                        settings_file=str(self.app.settings_file or self.app.paths.settings_file),
                        dry_run=dry_run,
                        skip_bad_rows=skip,
                        mapping=mapping,
                        progress=told,
                        limit=limit,
                    )
                else:
                    report = import_csv(
                        kind or "accounts",
                        path,
                        dry_run=dry_run,
                        skip_bad_rows=skip,
                        currency=settings.currency,
                        mapping=mapping,
                        progress=told,
                        limit=limit,
                    )
        except ImportFileError as exc:
            self.app.call_from_thread(self._file_error, str(exc))
            return
        finally:
            release_thread_connection()
            if not dry_run:
                self.app.call_from_thread(self._end_progress)
        if write.ok:
            self.app.call_from_thread(self._show_report, report, request, vcard)

    def _show_progress(self, rows: int, done: int, size: int) -> None:
        """The import's progress: the bar by bytes of the file, the rows in the summary."""
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=max(size, 1), progress=min(done, size))
        self._show_summary(_("Importing: {n} rows…").format(n=f"{rows:,}"))

    def _end_progress(self) -> None:
        self.importing = False
        self.query_one("#import-progress", ProgressBar).display = False

    def _file_error(self, message: str) -> None:
        self.report = None
        self._show_vcard(False)
        self.query_one("#import-preview", DataTable).clear()  # no rows of an earlier file
        self.query_one("#import-columns", DataTable).clear()
        self._show_summary(message, True)

    def _show_summary(self, text: str, error: bool = False) -> None:
        label = self.query_one("#import-summary", Label)
        label.update(Content(text))
        label.set_class(error, "-invalid")

    def _show_vcard(self, vcard: bool) -> None:
        """A vCard file: the create-accounts choice instead of a kind to pick, and a word
        instead of an empty column list."""
        self.query_one("#import-kind", Select).disabled = vcard
        self.query_one("#import-create", Checkbox).display = vcard
        self.query_one("#import-columns", DataTable).display = not vcard
        no_columns = self.query_one("#import-no-columns", Label)
        no_columns.display = vcard
        if vcard:
            no_columns.update(_no_columns())

    def _show_report(self, report: ImportReport, request: Request, vcard: bool) -> None:
        if report.written:
            self.notify(_("Imported: {counts}").format(counts=report.counts()))
            self.dismiss(True)
            return
        path, kind, skip, create, mapping = self._request()
        if (path, kind, skip, create, mapping) != (
            report.path,
            kind and report.kind,
            report.skip_bad_rows,
            request[3],
            request[4],
        ):
            return  # an answer to an earlier question: the preview asked since will come
        self.report = report
        self._show_vcard(vcard)
        select = self.query_one("#import-kind", Select)
        if select.value != report.kind:
            with select.prevent(Select.Changed):  # the detected kind, not the rep's choice
                select.value = report.kind
        kind_label = _kind_label(report.kind)
        if vcard:
            head = _("vCard, {kind}: {n} card(s)").format(kind=kind_label, n=report.processed)
        else:
            head = _("{source}, {kind}: {encoding}, {n} column(s) recognised").format(
                source=source_label(report.source or "csv"),
                kind=kind_label,
                encoding=report.encoding,
                n=len(report.columns),
            )
        counts = report.counts()
        if report.truncated:
            counts += " · " + _("the first {n} rows checked; the import checks them all").format(n=report.processed)
        if report.accounts_created:  # a WeCom file brings its companies along (and a vCard one)
            counts += " · " + _("new accounts: {names}").format(
                names=", ".join(display_text(n) for n in report.accounts_created)
            )
        self._show_summary(head + "\n" + labelled(_("Preview"), counts), bool(report.errors))
        self._fill_columns()
        problems: dict[int, str] = {}
        for error in report.errors:
            problems.setdefault(error.row, str(error).split(": ", 1)[1])  # column: reason (and if imported)
        table = self.query_one("#import-preview", DataTable)
        table.clear()
        for outcome in report.rows:
            table.add_row(
                Text(str(outcome.row)),
                action_label(outcome.action),
                Text(display_text(outcome.name)),
                Text(display_text(problems.get(outcome.row, ""))),
            )
        shown = {o.row for o in report.rows}
        for row, problem in list(problems.items())[:PREVIEW_ROWS]:
            if row not in shown:
                table.add_row(Text(str(row)), action_label("error"), Text(""), Text(display_text(problem)))

    def _fill_columns(self) -> None:
        table = self.query_one("#import-columns", DataTable)
        row = table.cursor_row
        table.clear()
        detection = self.report.detection if self.report is not None else None
        if detection is None:
            return
        for column in detection.columns:
            name = column.column or _("column {n}").format(n=column.position)
            table.add_row(Text(display_text(name)), mapping_label(column, detection.kind), key=str(column.position))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    @on(DataTable.RowSelected, "#import-columns")
    def _pick_field(self, event: DataTable.RowSelected) -> None:
        """Enter on a column: choose the field it goes to (or ignore it)."""
        report = self.report
        if report is None or report.detection is None or event.row_key.value is None:
            return
        position = int(event.row_key.value)
        column = next(c for c in report.detection.columns if c.position == position)
        kind = report.kind
        names = fields(kind)
        # Found by typing in either language, or the field's own name.
        choices = [
            Choice(i + 1, Text(field_label(f, kind)), f"{field_label(f, kind)} {field_english(f, kind)} {f}")
            for i, f in enumerate(names)
        ]

        def chosen(choice: int | None) -> None:
            if not choice:
                return
            field_name = names[choice - 1]
            if field_name == column.field:
                return
            self.overrides[column.column] = field_name
            select = self.query_one("#import-kind", Select)
            if select.value != kind:
                with select.prevent(Select.Changed):
                    select.value = kind
            self.kind_chosen = True  # the overrides are fields of this kind
            self.report = None
            self._preview()

        title = column.column or _("column {n}").format(n=column.position)
        self.app.push_screen(
            ChoicePicker(lambda: _("Where does the column {column!r} go?").format(column=title), choices), chosen
        )

    def action_leave(self) -> None:
        if self.importing:
            self.notify(_("The import is running; it ends in a moment."), severity="warning")
            return
        self.leave(lambda: self.dismiss(False))

    def action_run_import(self) -> None:
        if self.importing:
            self.notify(_("The import is running; it ends in a moment."), severity="warning")
            return
        report = self.report
        request = self._request()
        path, kind, skip = request[:3]
        if report is None or report.path != path or (kind is not None and report.kind != kind):
            self.notify(_("Wait for the preview of this file first."), severity="warning")
            return
        kind = report.kind
        if report.errors and not skip:
            self.notify(_("Nothing imported: fix the bad rows or tick \u201cSkip bad rows\u201d."), severity="error")
            return
        if not report.created and not report.updated:
            self.notify(_("Nothing to import: every row is unchanged."), severity="warning")
            return
        request = (path, kind, skip, request[3], request[4])

        def question() -> str:
            return _("Import {kind} from {file}? {counts}").format(
                kind=_kind_label(kind), file=path.name, counts=report.counts()
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self.importing = True
                bar = self.query_one("#import-progress", ProgressBar)
                bar.update(total=None, progress=0)
                bar.display = True
                self._run(request, False)

        self.app.push_screen(ConfirmScreen(question, lambda: _("Import")), answered)

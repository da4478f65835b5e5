"""Edit a playbook file in place: YAML highlighting, checked while typing, saved atomically
with the previous version kept as a backup."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Header, Label, TextArea

from saletui.atomic_file import write_text_atomic
from saletui.i18n import N_, Translated, _, ngettext
from saletui.playbook.load import load_file
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.form_screen import LeaveGuard


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


class PlaybookEditor(LeaveGuard, LocalizedScreen[bool]):
    """Returns True when the file was saved."""

    HELP = Translated(
        N_("""
## Playbook editor
The file is checked while you type; problems show below with their line and column.
**Ctrl+S** saves (through a temporary file and a rename, keeping the previous version as
`FILE.bak`); saving a file with problems asks first, since saletui would skip it.
**Esc** leaves (asking first when there are unsaved changes).
""")
    )

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="editor.save", tooltip=N_("Check and save the file"), priority=True),
        # Priority: the code editor's text area takes Esc to move the focus on, and it is the
        # only control here, so Esc would never leave.
        Binding("escape", "leave", N_("Back"), id="editor.back", tooltip=N_("Leave the editor"), priority=True),
    ]

    def __init__(self, path: Path, line: int | None = None) -> None:
        super().__init__()
        self.path = path
        self.line = line  # where the cursor starts (0-based), e.g. on a new entry
        self.load_error = ""
        try:
            self.original = path.read_text(encoding="utf-8-sig") if path.exists() else ""
        except (OSError, UnicodeDecodeError) as exc:
            self.original = ""
            self.load_error = str(getattr(exc, "strerror", None) or exc)
        self.errors: list = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(Content(str(self.path)), id="editor-path")
        yield TextArea.code_editor(self.original, language=self._language(), id="editor-text")
        yield Label("", id="editor-problems")
        yield KeyFooter(compact=True)

    @staticmethod
    def _language() -> str | None:
        """YAML highlighting when the tree-sitter grammar is installed, plain text otherwise."""
        try:
            import tree_sitter_yaml  # noqa: F401
        except ImportError:
            return None
        return "yaml"

    def on_mount(self) -> None:
        if self.load_error:
            self.notify(
                _("Cannot open {path}: {reason}").format(path=self.path, reason=self.load_error), severity="error"
            )
            self.dismiss(False)
            return
        self.sub_title = _("Playbook editor")
        self._check()
        area = self.query_one(TextArea)
        if self.line is not None:
            area.move_cursor((self.line, len(area.document.get_line(self.line))), center=True)
        area.focus()

    async def relabel(self) -> None:
        self.sub_title = _("Playbook editor")
        self._check()  # the problems list, in the new language; the text being edited stays
        await super().relabel()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @on(TextArea.Changed)
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.app.delays.editor_check, self._check)

    def _check(self) -> None:
        _playbook, self.errors = load_file(self.path, self.text)
        label = self.query_one("#editor-problems", Label)
        if self.errors:
            head = ngettext("{n} problem", "{n} problems", len(self.errors)).format(n=len(self.errors))
            lines = [f"⚠ {head}:"] + [
                f"  {e.line or '?'}:{e.column or '?'}  {display_text(e.key or '')} {display_text(e.problem)}".rstrip()
                for e in self.errors[:5]
            ]
            label.update(Content("\n".join(lines)))
            label.set_class(True, "-invalid")
        else:
            label.update(Content(_("✓ valid")))
            label.set_class(False, "-invalid")

    def action_save(self) -> None:
        self._check()
        if self.errors:
            n = len(self.errors)

            def question() -> str:
                return ngettext(
                    "The file has {n} problem; saletui will skip it until it is fixed. Save anyway?",
                    "The file has {n} problems; saletui will skip it until they are fixed. Save anyway?",
                    n,
                ).format(n=n)

            def answered(yes: bool | None) -> None:
                if yes:
                    self._write()

            self.app.push_screen(ConfirmScreen(question, lambda: _("Save anyway")), answered)
        else:
            self._write()

    def _write(self) -> None:
        try:
            write_text_atomic(self.path, self.text, backup=backup_path(self.path))
        except OSError as exc:
            self.notify(
                _("Cannot save {path}: {reason}").format(path=self.path, reason=exc.strerror or exc), severity="error"
            )
            return
        self.original = self.text
        self.notify(
            _("Saved {path} (previous version: {backup})").format(path=self.path, backup=backup_path(self.path).name)
        )
        self.dismiss(True)

    def action_leave(self) -> None:
        self.leave(lambda: self.dismiss(False))

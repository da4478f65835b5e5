"""The objection playbook: search while typing, read the techniques, copy a script.

Files changed on disk (a colleague's edit, a git pull) are picked up every two seconds
(the app's `delays.playbook_poll`).
"""

from __future__ import annotations

import gc
import os
import shlex
import subprocess
from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Header, Input, Label, Select, Static

from saletui.i18n import N_, Translated, _
from saletui.method.stages import STAGES, stage_label
from saletui.playbook.schema import Objection
from saletui.playbook.search import all_tags
from saletui.store import objection_log
from saletui.text import display_block, display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.language import LocalizedScreen, relabel_select
from saletui.ui.widgets.objection_list import ObjectionList
from saletui.ui.widgets.technique_list import TechniqueList

MAX_RESULTS = 40  # a screenful and a half: typing more narrows it
_STAGE_KEYS = {s.key: s.number for s in STAGES}


def _stage_options() -> list[tuple[str, str]]:
    return [(stage_label(s.number), s.key) for s in STAGES]


class PlaybookScreen(LocalizedScreen[None]):
    """Search objections and the techniques that answer them."""

    HELP = Translated(
        N_("""
## Objection playbook
Type to search titles, what customers say (aliases), scripts and tags, in Chinese or
English; title and alias matches come first. Narrow by stage or tag with the selects.

- **Enter** (or ↓) moves to the techniques of the highlighted objection
- **y** copies the highlighted technique's script to the clipboard
- **Ctrl+E** edits the file the objection comes from (the built-in one is read-only:
  your personal playbook opens instead), **Ctrl+X** opens it in `$EDITOR`
- **Ctrl+R** reads the files again (it also happens by itself when they change)
- Each technique shows how often the team used it on visits and how often it worked.
""")
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="playbook.back"),
        Binding("slash", "focus_search", N_("Search"), id="playbook.search", tooltip=N_("Search while typing")),
        Binding(
            "down",
            "to_results",
            N_("To the results"),
            show=False,
            id="playbook.results",
            tooltip=N_("From the search box down into the results"),
        ),
        Binding(
            "y",
            "copy_script",
            N_("Copy script"),
            id="playbook.copy",
            tooltip=N_("Copy the highlighted technique's script"),
        ),
        # Priority: the search box would otherwise take these keys for its own editing.
        Binding(
            "ctrl+e",
            "edit",
            N_("Edit file"),
            id="playbook.edit",
            tooltip=N_("Edit the playbook file in saletui"),
            priority=True,
        ),
        Binding(
            "ctrl+x",
            "external_edit",
            N_("$EDITOR"),
            id="playbook.external_edit",
            tooltip=N_("Open the playbook file in your own editor"),
            priority=True,
        ),
        Binding(
            "ctrl+r",
            "reload",
            N_("Reload"),
            id="playbook.reload",
            tooltip=N_("Read the playbook files again"),
            priority=True,
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="pb-filters"):
            yield Input(
                placeholder=_("search: what the customer says, titles, scripts, tags"), id="pb-search", compact=True
            )
            yield Select(_stage_options(), prompt=_("Stage"), id="pb-stage", compact=True)
            yield Select([], prompt=_("Tag"), id="pb-tag", compact=True)
        yield Label("", id="pb-errors")
        with Horizontal(id="pb-body"):
            yield ObjectionList(id="pb-results")
            with Vertical(id="pb-right"):
                with VerticalScroll(id="pb-detail-scroll"):
                    yield Static(id="pb-detail")
                yield TechniqueList(id="pb-techniques")
        yield Label("", id="pb-status")
        yield KeyFooter(compact=True)

    _detail_timer: Timer | None = None
    _keep: tuple[str, str] | None = None  # (objection id, technique id) to keep highlighted on a reload

    def on_mount(self) -> None:
        self.sub_title = _("Objection playbook")
        self.stats = objection_log.technique_stats()
        self._loaded()
        self.query_one("#pb-search", Input).focus()
        self.set_interval(self.app.delays.playbook_poll, self._check_disk)
        self.watch(self.query_one("#pb-search", Input), "value", lambda _value: self._search(), init=False)

    # -- data ------------------------------------------------------------------------------
    def _loaded(self) -> None:
        """Show the playbook as (re)read; the highlighted objection stays highlighted if it
        is still among the results (a colleague's edit arriving mid-read must not move it)."""
        kept = self.current.id if self.current is not None else None
        # The technique pane may still show the objection highlighted before (it follows
        # 0.12 s later): keep the technique together with the objection it belongs to.
        techniques = self.query_one(TechniqueList)
        shown, technique = getattr(techniques, "objection", None), techniques.selected_technique
        self._keep = (shown.id, technique.id) if shown is not None and technique is not None else None
        playbook = self.app.playbook
        tags = all_tags(playbook.objections)
        # The chosen tag stays chosen when the files are read again, if it still exists.
        relabel_select(self.query_one("#pb-tag", Select), _("Tag"), [(Content(display_text(t)), t) for t in tags])
        errors = self.query_one("#pb-errors", Label)
        if playbook.errors:
            first = playbook.errors[0]
            more = len(playbook.errors) - 1
            text = "⚠ " + display_text(str(first)) + (_(" (and {n} more)").format(n=more) if more else "")
            errors.update(Content(text))
            errors.display = True
        else:
            errors.display = False
        self._search()
        for index, objection in enumerate(self.results):
            if objection.id == kept:
                self.query_one(ObjectionList).cursor = index
                break
        gc.freeze()  # the playbook's objects are long-lived: keep full collections off keystrokes

    async def relabel(self) -> None:
        self.sub_title = _("Objection playbook")
        self.query_one("#pb-search", Input).placeholder = _("search: what the customer says, titles, scripts, tags")
        relabel_select(self.query_one("#pb-stage", Select), _("Stage"), _stage_options())
        self._loaded()  # the app now gives the built-in playbook of the new language
        await super().relabel()

    def _check_disk(self) -> None:
        def loaded() -> None:
            if self.is_attached:
                self._loaded()
                self.notify(_("Playbook files changed on disk: reloaded."))

        self.app.reload_playbook_in_background(loaded)

    def action_reload(self) -> None:
        self.app.reload_playbook()
        self.stats = objection_log.technique_stats()
        self._loaded()
        self.notify(_("Playbook reloaded."))

    @on(Select.Changed)
    def _search(self) -> None:
        playbook = self.app.playbook
        stage = self.query_one("#pb-stage", Select).value
        tag = self.query_one("#pb-tag", Select).value
        results = playbook.search(
            self.query_one("#pb-search", Input).value,
            stage=None if stage is Select.NULL else str(stage),
            tag=None if tag is Select.NULL else str(tag),
        )
        self.results = results[:MAX_RESULTS]
        self.query_one(ObjectionList).show(self.results)
        self._show_soon(self.results[0] if self.results else None)
        shown = len(self.results)
        status = _("{shown} of {total} objections").format(shown=shown, total=len(playbook.objections))
        if len(results) > shown:
            status += " · " + _("type more to narrow")
        status += " · " + _("{n} file(s)").format(n=len(playbook.files))
        self.query_one("#pb-status", Label).update(Content(status))

    @on(ObjectionList.Highlighted)
    def _highlighted(self, event: ObjectionList.Highlighted) -> None:
        if event.index < len(self.results):
            self._show_soon(self.results[event.index])

    def _show_soon(self, objection: Objection | None) -> None:
        """Show an objection's detail when typing pauses (rendering techniques costs more
        than the search itself)."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(self.app.delays.playbook_detail, lambda: self._show(objection))

    def _show(self, objection: Objection | None) -> None:
        self._detail_timer = None
        detail = self.query_one("#pb-detail", Static)
        keep = self._keep[1] if self._keep and objection is not None and objection.id == self._keep[0] else None
        self._keep = None  # only the reload's own detail keeps the technique
        self.query_one(TechniqueList).show(objection, self.stats, keep)
        if objection is None:
            detail.update(Text(_("No objection matches."), style="dim"))
            return
        lines = [Text(display_text(objection.title), style="bold underline")]
        if objection.aliases:
            lines.append(Text(_("Customers say: ") + display_text(" · ".join(objection.aliases))))
        stages = ", ".join(stage_label(_STAGE_KEYS[s]) for s in objection.stages if s in _STAGE_KEYS)
        if stages:
            lines.append(Text(_("Comes up in: ") + stages))
        if objection.tags:
            lines.append(Text(_("Tags: ") + display_text(", ".join(objection.tags)), style="dim"))
        if objection.stance:
            lines.append(Text(_("Stance: ") + display_block(objection.stance), style="italic"))
        lines.append(Text(f"{objection.source}:{objection.line}", style="dim"))
        detail.update(Group(*lines))

    @property
    def current(self) -> Objection | None:
        index = self.query_one(ObjectionList).highlighted
        return self.results[index] if index is not None and index < len(self.results) else None

    # -- actions ---------------------------------------------------------------------------
    def action_to_results(self) -> None:
        results = self.query_one(ObjectionList)
        if self.focused is self.query_one("#pb-search", Input):
            results.focus()
            results.cursor = min(1, max(0, results.option_count - 1))  # Down moves one row

    def action_focus_search(self) -> None:
        self.query_one("#pb-search", Input).focus()

    @on(Input.Submitted, "#pb-search")
    @on(ObjectionList.Selected)
    def _to_techniques(self) -> None:
        self._flush_detail()
        self.query_one(TechniqueList).focus()

    def _flush_detail(self) -> None:
        """Show the pending detail now (Enter or y right after typing)."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._show(self.current)

    def action_copy_script(self) -> None:
        self._flush_detail()
        technique = self.query_one(TechniqueList).selected_technique
        if technique is None or not technique.script:
            self.notify(_("No script to copy here."), severity="warning")
            return
        self.app.copy_to_clipboard(technique.script)
        self.notify(_("Script copied: {name}").format(name=technique.name))

    def _file_to_edit(self) -> Path:
        """The objection's own file, unless it is the built-in one (read-only): then the
        rep's personal playbook, created with a short header if it does not exist yet."""
        from saletui.playbook.load import default_builtin_dir

        objection = self.current
        source = objection.source if objection else None
        if source is not None and source.parent != default_builtin_dir() and source.exists():
            return source
        personal = self.app.settings.playbooks.personal_path(self.app.paths)
        if not personal.exists():
            personal.parent.mkdir(parents=True, exist_ok=True)
            personal.write_text(PERSONAL_TEMPLATE, encoding="utf-8")
        self._stub_line = None
        if objection is not None and source is not None:
            self._stub_line = self._override_stub(personal, objection)
            message = (
                _(
                    "The built-in playbook is read-only: your personal playbook has an entry for {id}; write what you change there."
                ).format(id=objection.id)
                if self._stub_line is not None
                else _(
                    "The built-in playbook is read-only: add or override objections (same id) in your "
                    "personal playbook."
                )
            )
            self.notify(message, timeout=8)
        return personal

    _stub_line: int | None = None
    """The line of the personal entry for the built-in objection being edited (for the cursor)."""

    def _override_stub(self, personal: Path, objection: Objection) -> int | None:
        """The personal file's entry for a built-in objection (added if missing): its line."""
        from saletui.playbook.load import load_file
        from saletui.playbook.stub import add_override_stub

        playbook, _problems = load_file(personal)
        if playbook is None:  # a broken file: opened as it is, the editor shows its problems
            return None
        return add_override_stub(personal, objection, {o.id for o in playbook.objections})

    def action_edit(self) -> None:
        from saletui.ui.screens.playbook_editor import PlaybookEditor

        path = self._editable_file()
        if path is not None:

            def edited(saved: bool | None) -> None:
                if saved:
                    self.action_reload()

            self.app.push_screen(PlaybookEditor(path, line=self._stub_line), edited)

    def _editable_file(self) -> Path | None:
        try:
            return self._file_to_edit()
        except OSError as exc:
            self.notify(
                _("Cannot create your personal playbook: {reason}").format(reason=exc.strerror or exc), severity="error"
            )
            return None

    def action_external_edit(self) -> None:
        path = self._editable_file()
        if path is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            command = [*shlex.split(editor), str(path)]
            with self.app.suspend():
                result = subprocess.run(command, check=False)
        except (OSError, ValueError, SuspendNotSupported) as exc:
            self.notify(
                _("Cannot start the editor {editor!r}: {reason}").format(editor=editor, reason=exc), severity="error"
            )
            return
        if result.returncode != 0:
            self.notify(
                _("{editor} exited with status {code}.").format(editor=editor, code=result.returncode),
                severity="warning",
            )
        self.action_reload()


PERSONAL_TEMPLATE = """\
# My objection playbook: layered over the built-in one and the team's.
# An objection with an existing id overrides the keys it gives and merges techniques by id.
# Check it with: saletui playbook check FILE
name: My playbook
objections: []
"""

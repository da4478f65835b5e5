"""The saletui application: receives opened settings and store, shows the screens."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen

from saletui.i18n import N_, _, current_language, set_language, translate
from saletui.settings import Paths, Settings
from saletui.ui.compat import OneLineCrashApp
from saletui.ui.delays import Delays
from saletui.ui.screens.accounts import AccountsScreen

if TYPE_CHECKING:  # read when first needed, not at start-up
    from saletui.playbook.load import LoadedPlaybook
    from saletui.process.schema import Process


# Each language named in itself, so whoever cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}


class SaletuiApp(OneLineCrashApp[None]):
    """Key-account selling workbench."""

    CSS_PATH = "app.tcss"
    TITLE = "saletui"

    BINDINGS = [
        Binding(
            "question_mark",
            "toggle_help",
            N_("Help"),
            id="app.help",
            tooltip=N_("Show or hide the help and every key of this screen"),
        ),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", tooltip=N_("Quit saletui"), priority=True, show=False),
        Binding("ctrl+o", "playbook", N_("Playbook"), id="app.playbook", tooltip=N_("Search the objection playbook")),
        # Priority: a search box or text field focused would otherwise keep the key.
        Binding(
            "ctrl+f",
            "search",
            N_("Search"),
            id="app.search",
            tooltip=N_("Find accounts, people, deals and visit notes"),
            priority=True,
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        db_path: Path,
        *,
        demo: bool = False,
        today: Callable[[], dt.date] = dt.date.today,
        process: Process | None = None,
        process_error: str | None = None,
        process_chosen: bool = False,
        paths: Paths | None = None,
        delays: Delays | None = None,
        settings_file: Path | None = None,
    ) -> None:
        super().__init__()
        self.delays = delays or Delays()
        self.paths = paths or Paths.from_environment()
        self._playbook: LoadedPlaybook | None = None
        self.settings = settings
        self.settings_file = settings_file  # where `settings` came from: Ctrl+R reads it again
        self.db_path = db_path
        self.demo = demo
        self.today = today
        self._process = process
        self.process_chosen = process_chosen  # a user's file does not follow the language
        self.process_error = process_error

    @property
    def playbook(self) -> LoadedPlaybook:
        """The merged objection playbook, read when first needed."""
        if self._playbook is None:
            from saletui.i18n import current_language
            from saletui.playbook.load import load_layers

            settings = self.settings.playbooks
            self._playbook = load_layers(
                None, settings.team_paths(), settings.personal_path(self.paths), current_language()
            )
        return self._playbook

    def reload_playbook(self, *, only_if_changed: bool = False) -> bool:
        """Read the playbook files again (e.g. after a colleague's edit or a git pull)."""
        from saletui.playbook.load import changed_since

        if self._playbook is None:
            return False
        if only_if_changed and not changed_since(self._playbook.fingerprint):
            return False
        if not only_if_changed and self._reread_playbook_settings():
            self._playbook = None  # the folders or the personal file moved: load them afresh
            return True
        self._playbook = self._playbook.reload()
        return True

    def reload_playbook_in_background(self, loaded: Callable[[], None]) -> None:
        """When the playbook files changed on disk, read them again in a thread: a team file
        of megabytes takes seconds to parse, and the rep keeps typing meanwhile. `loaded` runs
        on the app's loop once the new playbook is in place; nothing happens when no file
        changed or a reload is already under way."""
        from saletui.playbook.load import changed_since

        current = self._playbook
        if current is None or not changed_since(current.fingerprint):
            return
        if any(w.group == "playbook-reload" and not w.is_finished for w in self.workers):
            return

        def read() -> None:
            fresh = current.reload()  # files and YAML only: nothing here touches the UI or the database

            def swap() -> None:
                if self._playbook is current:  # not replaced meanwhile (Ctrl+R, a language switch)
                    self._playbook = fresh
                    loaded()

            self.call_from_thread(swap)

        self.run_worker(read, thread=True, group="playbook-reload", exit_on_error=False)

    def _reread_playbook_settings(self) -> bool:
        """Read the settings file again for its playbook paths (asked for with Ctrl+R); True
        when they changed. A broken file is reported and the last good paths are kept."""
        from dataclasses import replace

        from saletui.config_error import ConfigError
        from saletui.settings import load_settings

        if self.settings_file is None:
            return False
        try:
            playbooks = load_settings(self.settings_file).playbooks
        except ConfigError as exc:
            self.notify(
                _("The settings file has an error; the playbook paths stay as they were.\n{error}").format(error=exc),
                severity="error",
                timeout=20,
            )
            return False
        if playbooks == self.settings.playbooks:
            return False
        self.settings = replace(self.settings, playbooks=playbooks)
        return True

    @property
    def process(self) -> Process:
        """The sales process (stages and milestone templates), read when first needed."""
        if self._process is None:
            from saletui.i18n import current_language
            from saletui.process.load import builtin_path, load_process

            self._process = load_process(builtin_path(current_language()))
        return self._process

    def on_mount(self) -> None:
        # Fewer, larger young-generation passes and rarer full ones: Textual keeps tens of
        # thousands of cached lines alive, and a full pass over them (~25 ms) was landing on
        # keystrokes. Memory stays bounded: the benchmark's peak is measured with this on.
        gc.set_threshold(20_000, 20, 50)
        theme = self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.notify(_("Unknown theme {theme!r}; using textual-dark.").format(theme=theme), severity="warning")
        if self.settings.keymap:
            from saletui.ui.keymap import unknown_ids  # imports every screen: only with a keymap

            self.set_keymap(self.settings.keymap)
            unknown = unknown_ids(self.settings.keymap)
            if unknown:
                self.notify(
                    _("Unknown binding ids in the keymap setting: {ids}").format(ids=", ".join(unknown)),
                    severity="warning",
                    timeout=15,
                )
        self.sub_title = _("DEMO data") if self.demo else str(self.db_path)
        if self.process_error:
            self.notify(
                _("The process file has an error; using the built-in one.\n{error}").format(error=self.process_error),
                severity="error",
                timeout=20,
            )
        if self.settings.problems:
            self.notify(
                _("The settings file has an error; those sections use their defaults.\n{errors}").format(
                    errors="\n".join(str(p) for p in self.settings.problems)
                ),
                severity="error",
                timeout=20,
            )

    def get_default_screen(self) -> AccountsScreen:
        # The account list is the bottom of the stack: no blank screen composed and then covered.
        return AccountsScreen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications carry names, paths and typed text: never read them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":
            # Not over a form or an editor: jumping to a result would leave it unsaved. (No
            # such screen exists before its module is imported: not at start-up.)
            from textual.screen import ModalScreen

            forms = sys.modules.get("saletui.ui.screens.form_screen")
            return not isinstance(self.screen, ModalScreen) and not (
                forms is not None and isinstance(self.screen, forms.LeaveGuard)
            )
        return super().check_action(action, parameters)

    async def action_search(self) -> None:
        """The one search; when it is open below the current screen (an account opened from
        its results), back to it with its results, so the stack does not grow."""
        from saletui.ui.screens.form_screen import LeaveGuard
        from saletui.ui.screens.search import SearchScreen

        stack = self.screen_stack
        below = next((s for s in reversed(stack) if isinstance(s, SearchScreen)), None)
        if below is None or any(isinstance(s, LeaveGuard) for s in stack[stack.index(below) + 1 :]):
            await self.push_screen(SearchScreen())  # (never closes an editor with unsaved text)
            return
        while self.screen is not below:
            await self.pop_screen()
        below.action_focus_box()

    def action_playbook(self) -> None:
        from saletui.ui.screens.playbook import PlaybookScreen

        if not isinstance(self.screen, PlaybookScreen):
            self.push_screen(PlaybookScreen())

    async def switch_language(self, language: str) -> None:
        """Show everything in `language` from now on; every open screen keeps its state."""
        from saletui.ui.language import Relabel

        set_language(language)
        if not self.process_chosen:
            self._process = None  # the built-in process in the new language, read when needed
        self._playbook = None  # the built-in layer is the new language's, read when needed
        self.sub_title = _("DEMO data") if self.demo else str(self.db_path)
        for screen in list(self.screen_stack):
            if isinstance(screen, Relabel):
                await screen.relabel()
        if self.screen.query("HelpPanel"):  # shown, so its module (with Markdown) is loaded already
            from textual.widgets import HelpPanel

            for panel in self.screen.query(HelpPanel):
                panel.update_help(self.screen.focused)
        self.notify(
            _("Interface language: English. To keep it, set language: en in the settings file.")
            if language == "en"
            else _("Interface language: Chinese. To keep it, set language: zh_CN in the settings file.")
        )

    def action_command_palette(self) -> None:
        """Textual's palette, with its search placeholder in the interface language."""
        from textual.command import CommandPalette

        from saletui.ui.textual_texts import COMMAND_PALETTE_PLACEHOLDER

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=translate(COMMAND_PALETTE_PLACEHOLDER), id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's theme search ("Theme" command), its placeholder translated."""
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        from saletui.ui.textual_texts import THEME_SEARCH_PLACEHOLDER

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=translate(THEME_SEARCH_PLACEHOLDER)))

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands plus every action bound on the current screen, each with
        its key; Textual's Quit and Keys are left out, the app's own (with their keys) do that."""
        bound = list(self._binding_commands(screen))
        covered = {self.action_quit, self.action_show_help_panel, self.action_hide_help_panel}
        if not any(action == "quit" for action, _command in bound):
            covered.discard(self.action_quit)
        if not any(action == "toggle_help" for action, _command in bound):
            covered -= {self.action_show_help_panel, self.action_hide_help_panel}
        for command in super().get_system_commands(screen):
            if command.callback not in covered:
                yield command._replace(title=translate(command.title), help=translate(command.help))
        other = "en" if current_language() == "zh_CN" else "zh_CN"
        yield SystemCommand(
            _("Language: {name}").format(name=LANGUAGE_NAMES[other]),
            _("Switch the interface language; nothing you are doing is lost"),
            partial(self.switch_language, other),
        )
        for _action, command in bound:
            yield command

    def _binding_commands(self, screen: Screen) -> Iterable[tuple[str, SystemCommand]]:
        """(action, command) for each enabled binding of `screen` worth listing."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.system or binding.action in seen or not active.enabled:
                continue
            if not binding.show and binding.id is None:
                continue  # cursor movement: in the key panel, but noise in the palette
            seen.add(binding.action)
            key = f"[{self.get_key_display(binding)}]"
            # The palette reads help as markup: "[/]" (the key display of /) must stay literal.
            help_text = escape(f"{binding.tooltip}  {key}" if binding.tooltip else key)
            # App.run_action with the node as namespace is what Widget.run_action does, and also
            # covers the App's own bindings (ActiveBinding.node is typed DOMNode).
            command = SystemCommand(
                binding.description, help_text, partial(self.run_action, binding.action, active.node)
            )
            yield binding.action, command

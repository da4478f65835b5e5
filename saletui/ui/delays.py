"""How long the UI waits before it acts by itself. The defaults are what users get; tests
hand the app shorter ones so that they wait for what happens, not for the clock."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Delays:
    """Seconds, each one a trade-off between keeping up and not working on every keystroke."""

    playbook_poll: float = 2.0  # the playbook screen looks at its files for a colleague's edit
    playbook_detail: float = 0.12  # the techniques follow once typing pauses: the list repaints first
    import_preview: float = 0.3  # the import preview reads the file once the path is typed
    editor_check: float = 0.3  # the playbook editor checks the text after quiet typing

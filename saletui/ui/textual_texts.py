"""Textual's own texts that saletui shows, marked for the catalogue.

Textual writes its binding descriptions (shown in the help panel's key list), its palette
commands and its search placeholders in English. They reach the screen through saletui's
translation points: `Relabel.active_bindings` (every binding description), the app's
`get_system_commands` (palette commands) and the app's palette and theme search (the
placeholders). Listing them here puts them in the .pot, so they get a Chinese translation.

tests/test_textual_compat.py checks, for the Textual release pinned, that every description
of the widgets saletui uses is listed here: after an upgrade it names any new one.
"""

from __future__ import annotations

from saletui.i18n import N_

COMMAND_PALETTE_PLACEHOLDER = N_("Search for commands…")
"""`CommandPalette`'s default placeholder, passed translated by the app."""
THEME_SEARCH_PLACEHOLDER = N_("Search for themes…")
"""`App.search_themes`' placeholder, passed translated by the app."""

PALETTE_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("palette"),
    N_("Open the command palette"),
)
"""`App.get_system_commands`' titles and help, and the palette key's description."""

BINDING_DESCRIPTIONS = (
    # Screen, App
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Copy selected text"),
    # ScrollableContainer, VerticalScroll, ScrollView
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
    N_("Page Up"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    # Input
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Go to start"),
    N_("Go to end"),
    N_("Select line start"),
    N_("Select line end"),
    N_("Select all"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Delete left to start of word"),
    N_("Delete right to start of word"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Paste text from the clipboard"),
    N_("Submit"),
    # TextArea
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Cursor left"),
    N_("Cursor right"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cursor line start"),
    N_("Cursor line end"),
    N_("Cursor page up"),
    N_("Cursor page down"),
    N_("Cursor up select"),
    N_("Cursor down select"),
    N_("Cursor left select"),
    N_("Cursor right select"),
    N_("Cursor left word select"),
    N_("Cursor right word select"),
    N_("Cursor line start select"),
    N_("Cursor line end select"),
    N_("Select line"),
    N_("Delete line"),
    N_("Delete to line start"),
    N_("Delete to line end"),
    N_("Copy"),
    N_("Cut"),
    N_("Paste"),
    N_("Undo"),
    N_("Redo"),
    # DataTable, ListView, OptionList, Tree
    N_("Select"),
    N_("Up"),
    N_("Down"),
    N_("First"),
    N_("Last"),
    N_("Top"),
    N_("Bottom"),
    N_("Home"),
    N_("End"),
    N_("Page up"),
    N_("Page down"),
    N_("Cursor Up"),
    N_("Cursor Down"),
    N_("Cursor to parent"),
    N_("Cursor to next sibling"),
    N_("Cursor to previous sibling"),
    N_("Cursor to next ancestor"),
    N_("Expand or collapse all"),
    N_("Toggle"),
    # Select, SelectionList, RadioSet, Tabs, Button, Link, Collapsible
    N_("Show menu"),
    N_("Dismiss menu"),
    N_("Toggle option"),
    N_("Next option"),
    N_("Previous option"),
    N_("Next tab"),
    N_("Previous tab"),
    N_("Press button"),
    N_("Open link"),
    N_("Toggle collapsible"),
    # CommandPalette
    N_("Exit the command palette"),
    N_("Next command"),
    N_("Previous command"),
    N_("Next page"),
    N_("Previous page"),
    N_("Go to top"),
    N_("Go to bottom"),
)
"""The `BINDINGS` descriptions of Textual's own widgets and screens."""

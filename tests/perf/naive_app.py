"""Reference: the straightforward way to show 10,000 accounts with Textual's DataTable.

    python tests/perf/naive_app.py DBPATH

Reads name, industry, region, owner, relationship and tier of every active account
straight from SQLite (no saletui code) into a stock DataTable with add_rows.
`/` focuses a filter Input; each change re-filters with clear() + add_rows() of the
matching rows (every word must occur in name, industry, region or owner, like saletui).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input

COLUMNS = ("name", "industry", "region", "owner", "relationship", "tier")


def read_accounts(path: str | Path) -> list[tuple[str, ...]]:
    # A plain connection: a read-only one would leave -wal/-shm files beside the database.
    conn = sqlite3.connect(Path(path))
    try:
        return conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM account WHERE archived_at IS NULL ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


class NaiveApp(App[None]):
    BINDINGS = [Binding("slash", "focus_filter", "Filter")]
    CSS = "Input { height: 1; border: none; padding: 0 1; }"

    def __init__(self, db_path: str | Path) -> None:
        super().__init__()
        self.rows = read_accounts(db_path)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter")
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(self.rows)
        table.focus()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def apply_filter(self, text: str) -> None:
        needles = text.casefold().split()
        matching = [r for r in self.rows if all(n in f"{r[0]}\n{r[1]}\n{r[2]}\n{r[3]}".casefold() for n in needles)]
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(matching)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: naive_app.py DBPATH")
    NaiveApp(sys.argv[1]).run()

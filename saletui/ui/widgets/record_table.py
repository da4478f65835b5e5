"""What the account's deal and visit tables share: a row per record of one account, the
column titles in the current language, the cursor kept on the same row across a reload,
and keys that post a request (the account screen asks, writes and tells them to reload)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from saletui.ui.language import relabel_table

RecordT = TypeVar("RecordT")


class RecordTable(DataTable[Text], Generic[RecordT]):
    """Subclasses say what to read (`read`), the titles (`titles`), a record's cells and
    its id (`key`, the row key)."""

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.account_id = account_id
        self.records: list[RecordT] = []

    def read(self) -> list[RecordT]:
        raise NotImplementedError

    def titles(self) -> Sequence[str]:
        raise NotImplementedError

    def cells(self, record: RecordT) -> Sequence[Text]:
        raise NotImplementedError

    def key(self, record: RecordT) -> int:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.relabel()

    def on_resize(self, event: events.Resize) -> None:
        """Redraw every row at the new width: DataTable only forgets its cached lines, and
        inside a container that grew with it (the account overview) the rows' cursor and
        stripes were left ending at the old width."""
        self.refresh()

    def relabel(self) -> None:
        """Column titles and cells in the current language (also the first fill)."""
        relabel_table(self, self.titles(), self.reload)

    def reload(self, select: int | None = None) -> None:
        """Read the account's records again, the cursor staying on the same record (a deal
        closed or reopened moves in the order), else on the same line (it was deleted);
        `select` puts it on that record instead (one just added)."""
        line = self.cursor_row
        current = self.selected
        kept = select if select is not None else self.key(current) if current is not None else None
        self.records = self.read()
        self.clear()
        for record in self.records:
            self.add_row(*self.cells(record), key=str(self.key(record)))
        if self.row_count:
            found = next((i for i, r in enumerate(self.records) if self.key(r) == kept), None)
            self.move_cursor(row=found if found is not None else min(line, self.row_count - 1))

    @property
    def selected(self) -> RecordT | None:
        """The record under the cursor (None when the table is empty)."""
        if not self.records or not 0 <= self.cursor_row < len(self.records):
            return None
        return self.records[self.cursor_row]

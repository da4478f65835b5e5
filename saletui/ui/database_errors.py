"""Report a write the database refused (locked by another program, disk full, read-only)
as a notification instead of a crash; the transaction was rolled back, nothing is lost."""

from __future__ import annotations

from peewee import DatabaseError
from textual.dom import DOMNode

from saletui.i18n import _

__all__ = ["DatabaseError", "report_database_error"]


def report_database_error(node: DOMNode, exc: DatabaseError) -> None:
    node.notify(
        _("Not saved: the database refused the change ({reason}). Nothing was written; try again.").format(
            reason=str(exc) or type(exc).__name__
        ),
        severity="error",
        timeout=10,
    )

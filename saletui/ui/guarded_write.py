"""One way for the UI to run a store write: when the database refuses it (locked by
another program, disk full, read-only file), the user is told why in their language and
the screen stays as it was; the store's transaction was rolled back, nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from peewee import DatabaseError, DoesNotExist
from textual.widget import Widget

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.store.db import describe

__all__ = ["DatabaseError", "Write", "guarded_write", "refusal_reason", "report_database_error"]


def refusal_reason(exc: DatabaseError) -> str:
    """Why SQLite refused, in words a rep can act on (its own message otherwise)."""
    return describe(exc)


def report_database_error(node: Widget, exc: DatabaseError) -> None:
    node.notify(
        _("Not saved: the database refused the change ({reason}). Nothing was written; try again.").format(
            reason=refusal_reason(exc)
        ),
        severity="error",
        timeout=10,
    )


@dataclass
class Write:
    """The outcome of a guarded write: `ok` is False when it was refused; `gone` too when
    what it changes was deleted meanwhile (e.g. in another window): redraw from the store."""

    ok: bool = True
    gone: bool = False


@contextmanager
def guarded_write(node: Widget, *, refusals: bool = False, from_thread: bool = False) -> Iterator[Write]:
    """Run the store call in the block; on a database refusal notify and set `ok` False.

    `refusals=True` also shows a ValidationError (a refused value) as an error notification,
    for actions that have no form to show it beside a field. `from_thread=True` reports
    through the app's loop, for a write in a thread worker.
    """
    outcome = Write()
    try:
        yield outcome
    except ValidationError as exc:
        if not refusals:
            raise
        outcome.ok = False
        node.notify(" ".join(exc.errors.values()), severity="error", timeout=8)
    except DoesNotExist:
        outcome.ok = False
        outcome.gone = True
        message = _(
            "Not saved: it was deleted meanwhile, perhaps in another window. The screen shows what is stored now."
        )
        if from_thread:
            node.app.call_from_thread(node.notify, message, severity="error", timeout=10)
        else:
            node.notify(message, severity="error", timeout=10)
    except DatabaseError as exc:
        outcome.ok = False
        if from_thread:
            node.app.call_from_thread(report_database_error, node, exc)
        else:
            report_database_error(node, exc)

"""The plan's year on one table: months across, expected and sold as bars per month, then
one line per action with its mark in the month it is due. The cursor picks an action
(or the expected line: Enter edits the objective and its split)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from saletui.i18n import N_, _
from saletui.method.plan import MONTHS
from saletui.services.review import cell_width, fit, month_abbr
from saletui.store.models import PlanAction
from saletui.store.plans import PlanView
from saletui.text import display_text

_LEVELS = " ▁▂▃▄▅▆▇█"
EXPECTED_ROW, ACTUAL_ROW = "expected", "actual"

PlanRequest = Literal[
    "edit_plan", "add_action", "edit_action", "status", "delete_action", "prev_year", "next_year", "add_contact"
]


def status_mark(action: PlanAction, today: dt.date) -> str:
    """○ open, ! open and overdue, ✓ done, ✗ dropped."""
    if action.status == "done":
        return "✓"
    if action.status == "dropped":
        return "✗"
    return "!" if action.due_on < today else "○"


def status_label(status: str) -> str:
    return {"open": _("open"), "done": _("done"), "dropped": _("dropped")}.get(status, status)


class PlanTimeline(DataTable[Text]):
    """Months across; the first lines are the months' expected and actual sales, the
    others the plan's actions by due date."""

    DEFAULT_CSS = """
    PlanTimeline { height: auto; max-height: 60%; }
    """

    COMPONENT_CLASSES = {"plan-timeline--behind", "plan-timeline--now", "plan-timeline--ahead"}

    BINDINGS = [
        Binding("a", "request('add_action')", N_("Add action"), id="plan.add_action", tooltip=N_("Add an action")),
        Binding(
            "e",
            "request('edit_plan')",
            N_("Objective"),
            id="plan.edit",
            tooltip=N_("The year's objective and its monthly split"),
        ),
        Binding(
            "enter",
            "request('open')",
            N_("Edit"),
            id="plan.open",
            tooltip=N_("Edit the highlighted action (on the expected line: the objective)"),
        ),
        Binding(
            "s",
            "request('status')",
            N_("Status"),
            id="plan.status",
            tooltip=N_("The highlighted action: open, done, dropped"),
        ),
        Binding(
            "d",
            "request('delete_action')",
            N_("Delete"),
            id="plan.delete_action",
            tooltip=N_("Delete the highlighted action"),
            show=False,
        ),
        Binding(
            "less_than_sign,comma",
            "request('prev_year')",
            N_("Prev year"),
            id="plan.prev_year",
            tooltip=N_("The plan of the year before"),
            show=False,
        ),
        Binding(
            "greater_than_sign,full_stop",
            "request('next_year')",
            N_("Next year"),
            id="plan.next_year",
            tooltip=N_("The plan of the year after"),
            show=False,
        ),
    ]

    @dataclass
    class Request(Message):
        """A plan key; `action` is the highlighted plan action (None on the bar lines)."""

        request: PlanRequest
        action: PlanAction | None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, **kwargs)
        self.view: PlanView | None = None
        self.actual: list[int] = [0] * MONTHS
        self.year = dt.date.today().year
        self.today = dt.date.today()
        self.actions: list[PlanAction] = []
        self._widths = (0, 0)

    def show(self, view: PlanView | None, actual: list[int], year: int, today: dt.date) -> None:
        """Draw `view` (None: no plan for `year` yet; `actual` are the year's sales)."""
        self.view, self.actual, self.year, self.today = view, actual, year, today
        self.actions = list(view.actions) if view is not None else []
        self._rebuild()

    def _geometry(self) -> tuple[int, int]:
        """Label and month column widths for the current width (80 columns: 18 + 12 x 4)."""
        width = self.size.width or self.app.size.width
        month = 4 if width < 120 else 7 if width < 180 else 9
        label = max(14, min(50, width - MONTHS * month - 2))
        return label, month

    def on_resize(self, event: events.Resize) -> None:
        if self._geometry() != self._widths:
            self._rebuild()

    def relabel(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        row = self.cursor_row
        label_w, month_w = self._widths = self._geometry()
        self.clear(columns=True)
        self.add_column(Text(" " + str(self.year)), width=label_w, key="label")
        now_style = self.get_component_rich_style("plan-timeline--now", partial=True)
        for m in range(1, MONTHS + 1):
            name = month_abbr(m)
            title = Text(fit(name if cell_width(name) >= month_w else " " + name, month_w))
            if self.today.year == self.year and m == self.today.month:
                title.stylize(now_style)
            self.add_column(title, width=month_w, key=f"m{m}")
        view = self.view
        expected = view.months if view is not None else [0] * MONTHS
        top = max([*expected, *self.actual, 1])
        if view is not None:
            self.add_row(Text(" " + _("Expected")), *self._bars(expected, top, month_w), key=EXPECTED_ROW)
        self.add_row(Text(" " + _("Actual")), *self._bars(self.actual, top, month_w, expected), key=ACTUAL_ROW)
        for action in self.actions:
            self.add_row(*self._action_cells(action, label_w, month_w), key=str(action.id))
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1))

    def _bars(self, values: list[int], top: int, width: int, expected: list[int] | None = None) -> list[Text]:
        """One block per month, its height the month's share of the largest month; an
        actual month that has ended short of its expected value is drawn as behind."""
        behind = self.get_component_rich_style("plan-timeline--behind", partial=True)
        ahead = self.get_component_rich_style("plan-timeline--ahead", partial=True)
        cells = []
        for m, value in enumerate(values, start=1):
            level = 0 if value <= 0 else max(1, (value * 16 + top) // (2 * top))  # eighths, rounded
            cell = Text(fit(" " + _LEVELS[level] * max(1, width - 2), width))
            if expected is not None and self._month_over(m) and expected[m - 1]:
                cell.stylize(behind if value < expected[m - 1] else ahead)
            cells.append(cell)
        return cells

    def _month_left(self, month: int) -> bool:
        return (self.year, month) >= (self.today.year, self.today.month)

    def _month_over(self, month: int) -> bool:
        return (self.year, month) < (self.today.year, self.today.month)

    def _action_cells(self, action: PlanAction, label_w: int, month_w: int) -> list[Text]:
        mark = status_mark(action, self.today)
        label = Text(fit(f" {mark} {display_text(action.what)}", label_w))
        cells = [label]
        for m in range(1, MONTHS + 1):
            if action.due_on.month == m:
                cell = Text(fit(" " + mark + f"{action.due_on.day:>2}"[: max(0, month_w - 2)], month_w))
                if mark == "!":
                    cell.stylize(self.get_component_rich_style("plan-timeline--behind", partial=True))
            else:
                # Open: a dotted line through the months left before it is due.
                left = action.status == "open" and self._month_left(m) and m < action.due_on.month
                cell = Text(fit(" ·" if left else "", month_w))
                cell.stylize(Style(dim=True))
            cells.append(cell)
        if mark == "!":
            label.stylize(self.get_component_rich_style("plan-timeline--behind", partial=True))
        elif action.status != "open":
            label.stylize(Style(dim=True))
        return cells

    @property
    def selected(self) -> PlanAction | None:
        """The action under the cursor (None on the bar lines)."""
        offset = 2 if self.view is not None else 1
        index = self.cursor_row - offset
        return self.actions[index] if 0 <= index < len(self.actions) else None

    def select_action(self, action_id: int) -> None:
        offset = 2 if self.view is not None else 1
        for i, action in enumerate(self.actions):
            if action.id == action_id:
                self.move_cursor(row=i + offset)

    def action_request(self, request: str) -> None:
        action = self.selected
        if request == "open":
            request = "edit_action" if action is not None else "edit_plan"
        if request in ("status", "delete_action", "edit_action") and action is None:
            self.notify(_("Highlight an action first (↓)."), severity="warning")
            return
        self.post_message(self.Request(request, action))  # type: ignore[arg-type]  # one of PlanRequest

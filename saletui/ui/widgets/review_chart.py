"""The review's chart: one bar per account, its sales to date as a share of what its plan
expected (│ marks 100%), the ones behind in the error colour. Drawn with Rich text and
block characters in eighths of a cell; names are cut by terminal cells, so Chinese names
(two cells a character) line up with Latin ones."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from saletui.i18n import _
from saletui.services.review import CHART_MAX_PERCENT, bar, fit, percent_text
from saletui.store.plans import Review
from saletui.text import display_text


class ReviewChart(Widget):
    """Draws a Review; height follows the number of accounts."""

    DEFAULT_CSS = """
    ReviewChart { height: auto; padding: 0 1; }
    ReviewChart > .review-chart--behind { color: $text-error; }
    ReviewChart > .review-chart--ok { color: $text-success; }
    ReviewChart > .review-chart--none { color: $text-muted; }
    ReviewChart > .review-chart--mark { color: $text-accent; }
    """

    COMPONENT_CLASSES = {"review-chart--behind", "review-chart--ok", "review-chart--none", "review-chart--mark"}

    review: Review | None = None

    def show(self, review: Review) -> None:
        self.review = review
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        review = self.review
        text = Text()
        text.append(
            _("Year to date against expected (│ = 100%, bars up to {max})").format(max=f"{CHART_MAX_PERCENT}%") + "\n",
            style="bold",
        )
        if review is None or not review.lines:
            text.append(_("No account is on the 5+5+5 list yet."))
            return text
        width = max(40, self.size.width - 2 if self.size.width else 78)
        name_w = max(10, min(24, width // 4))
        bar_w = max(10, width - name_w - 12)
        style = self.get_component_rich_style
        mark_style = style("review-chart--mark")
        for i, line in enumerate(review.lines):
            cells, mark = bar(line.percent_ytd if line.has_plan else None, bar_w)
            kind = "none" if not line.has_plan else "behind" if line.behind else "ok"
            text.append(fit(display_text(line.name), name_w) + " ")
            text.append(cells[:mark], style=style(f"review-chart--{kind}"))
            text.append("│" if mark < bar_w and cells[mark] == " " else cells[mark : mark + 1], style=mark_style)
            text.append(cells[mark + 1 :], style=style(f"review-chart--{kind}"))
            flag = " ⚠" if line.behind else ""
            text.append(f" {percent_text(line):>7}{flag}", style=style(f"review-chart--{kind}"))
            if i < len(review.lines) - 1:
                text.append("\n")
        return text

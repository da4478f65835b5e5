"""The monthly review of the 15 for the team meeting (DOMAIN section 4: "a chart of the 15,
reviewed monthly in public, expected against actual"), as Markdown: the table, the totals
per currency, the accounts behind, and a bar chart drawn with block characters.

Also the pieces the Review screen draws with: month names, the bars' arithmetic and a
terminal cell width that counts Chinese characters as two.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from saletui import money
from saletui.i18n import N_, _, labelled, ngettext, translate
from saletui.services.brief import md
from saletui.store.plans import Review, ReviewLine
from saletui.text import display_text

MONTH_ABBR = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)

CHART_MAX_PERCENT = 150
"""The bars run from 0 to 150% of what was expected (more is drawn to the end, with its
number): enough to see who is ahead without one big order squashing every other bar."""

_EIGHTHS = " ▏▎▍▌▋▊▉"


def month_abbr(month: int) -> str:
    return translate(MONTH_ABBR[month - 1])


def month_title(year: int, month: int) -> str:
    """ "Nov 2026" / "2026年11月"."""
    return _("{month} {year}").format(month=month_abbr(month), year=year)


def tier_label(tier: str) -> str:
    return {"top5": _("Top 5"), "middle5": _("Middle 5"), "new5": _("New 5")}.get(tier, tier)


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: wide (CJK) and full-width characters count two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """`text` cut (with …) or padded to exactly `width` cells."""
    if cell_width(text) <= width:
        return text + " " * (width - cell_width(text))
    out, used = "", 0
    for c in text:
        w = cell_width(c)
        if used + w > width - 1:
            break
        out, used = out + c, used + w
    return out + "…" + " " * (width - used - 1)


def bar(percent: int | None, width: int) -> tuple[str, int]:
    """A bar of `width` cells for `percent` of expected (0-150%), in eighths of a cell,
    and the cell where 100% falls (the expected mark)."""
    mark = width * 100 // CHART_MAX_PERCENT
    if percent is None:
        return " " * width, mark
    eighths = min(percent, CHART_MAX_PERCENT) * width * 8 // CHART_MAX_PERCENT
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part and full < width else "")
    return text + " " * (width - cell_width(text)), mark


def percent_text(line: ReviewLine) -> str:
    if not line.has_plan:
        return _("no plan")
    percent = line.percent_ytd
    return "-" if percent is None else f"{percent}%"


def behind_rule(review: Review) -> str:
    return _("behind: more than {percent} short of the expected to date").format(percent=f"{review.behind_percent}%")


def chart_lines(review: Review, width: int = 72) -> list[str]:
    """The chart as plain text lines: name, bar (with │ at 100%), percentage, ⚠ if behind."""
    name_width = max(8, min(20, width // 4))
    bar_width = max(10, width - name_width - 12)
    lines = []
    for line in review.lines:
        cells, mark = bar(line.percent_ytd if line.has_plan else None, bar_width)
        if mark < bar_width and cells[mark] == " ":
            cells = cells[:mark] + "│" + cells[mark + 1 :]
        flag = " ⚠" if line.behind else ""
        lines.append(f"{fit(display_text(line.name), name_width)} {cells} {percent_text(line):>7}{flag}")
    return lines


def render_markdown(review: Review, today: dt.date) -> str:
    """The review as one Markdown page: table, totals per currency, behind, chart."""
    title = month_title(review.year, review.month)
    if review.owner is not None:
        title += " · " + labelled(_("Owner"), md(review.owner) or _("nobody"))
    lines = [
        "# " + labelled(_("Monthly review of the 15"), title),
        "",
        "*"
        + _("Expected from each account's plan, actual from its orders; {rule}. Prepared {date}.").format(
            rule=behind_rule(review), date=today.isoformat()
        )
        + "*",
        "",
    ]
    if not review.lines:
        lines += [_("No account is on the 5+5+5 list yet: give accounts a tier (Top 5, Middle 5, New 5)."), ""]
        return "\n".join(lines)
    headers = (
        _("Account"),
        _("Tier"),
        _("Owner"),
        _("Expected {month}").format(month=month_abbr(review.month)),
        _("Actual {month}").format(month=month_abbr(review.month)),
        _("Expected to date"),
        _("Actual to date"),
        _("Gap"),
        _("Achieved"),
    )
    lines += ["| " + " | ".join(headers) + " |", "|---|---|---|" + "---:|" * 6]
    for line in review.lines:
        name = ("⚠ **" + md(line.name) + "**") if line.behind else md(line.name)
        c = line.currency
        lines.append(
            "| "
            + " | ".join(
                (
                    name,
                    tier_label(line.tier),
                    md(line.owner),
                    money.format_money(line.expected_month, c) if line.has_plan else "",
                    money.format_money(line.actual_month, c),
                    money.format_money(line.expected_ytd, c) if line.has_plan else "",
                    money.format_money(line.actual_ytd, c),
                    money.format_money(line.gap_ytd, c) if line.has_plan else "",
                    percent_text(line),
                )
            )
            + " |"
        )
    for total in review.totals():
        c = total.currency
        percent = f"{total.actual_ytd * 100 // total.expected_ytd}%" if total.expected_ytd else "-"
        lines.append(
            "| "
            + " | ".join(
                (
                    ("⚠ " if total.behind else "") + "**" + _("Total {currency}").format(currency=c) + "**",
                    "",
                    "",
                    money.format_money(total.expected_month, c),
                    money.format_money(total.actual_month, c),
                    money.format_money(total.expected_ytd, c),
                    money.format_money(total.actual_ytd, c),
                    money.format_money(total.actual_ytd - total.expected_ytd, c),
                    percent,
                )
            )
            + " |"
        )
    lines.append("")
    behind = review.behind
    lines += ["## " + ngettext("{n} account behind", "{n} accounts behind", len(behind)).format(n=len(behind)), ""]
    for line in behind:
        c = line.currency
        detail = _("{actual} of {expected} expected to date ({percent}), {gap} short").format(
            actual=money.format_money(line.actual_ytd, c),
            expected=money.format_money(line.expected_ytd, c),
            percent=percent_text(line),
            gap=money.format_money(-line.gap_ytd, c),
        )
        if line.open_actions:
            detail += "; " + ngettext("{n} open action", "{n} open actions", line.open_actions).format(
                n=line.open_actions
            )
        lines.append("- " + labelled("**" + md(line.name) + "**", detail))
    if not behind:
        lines.append("- " + _("Nobody is behind plan."))
    without = [line for line in review.lines if not line.has_plan]
    if without:
        names = _(", ").join(md(line.name) for line in without)
        lines += ["", labelled(_("No plan for {year}").format(year=review.year), names)]
    lines += [
        "",
        "## " + _("Year to date against expected (│ = 100%)"),
        "",
        "```",
        *chart_lines(review),
        "```",
        "",
    ]
    return "\n".join(lines)

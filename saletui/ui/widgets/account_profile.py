"""The account's profile: class and the strategy it calls for, tier, capacity, terms, notes."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from saletui import money
from saletui.account_listing import tier_labels
from saletui.i18n import _
from saletui.method.attention import days_ago_text
from saletui.method.classes import strategy_for, target_capacity
from saletui.method.derivation import ClassRules
from saletui.method.prospect_score import FACTORS, factor_labels
from saletui.store.accounts import AccountRow
from saletui.store.derived import ClassInfo, source_text
from saletui.store.models import Account
from saletui.text import display_block


def _relationship_label(value: str) -> str:
    return {"customer": _("Existing customer"), "prospect": _("Prospect"), "future": _("Future customer")}.get(
        value, value
    )


class AccountProfile(Static):
    """Read-only profile of one account; every user value rendered as plain text."""

    def show(
        self, account: Account, row: AccountRow | None, today: dt.date, info: ClassInfo, rules: ClassRules
    ) -> None:
        code = info.code
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)

        def add(label: str, value: str) -> None:
            if value:
                grid.add_row(Text(label), Text(display_block(value)))

        add(_("Relationship"), _relationship_label(account.relationship))
        add(_("Class"), f"{code} · {strategy_for(code)}" if code else _("not rated"))
        if code or info.derived or info.score is not None:
            add(_("Class from"), source_text(info, rules))
        if account.relationship == "prospect" and info.rated:
            labels = factor_labels()
            add(
                _("Ratings (1-5)"),
                " · ".join(
                    f"{labels[f]} {getattr(account, f'rating_{f}')}"
                    for f in FACTORS
                    if getattr(account, f"rating_{f}") is not None
                ),
            )
        add(_("Tier"), tier_labels().get(account.tier, ""))
        add(_("Owner"), account.owner)
        add(_("Industry"), account.industry)
        add(_("Region"), account.region)
        if row is not None:
            add(_("Last contact"), days_ago_text(row.last_contact, today))
        if account.next_step or account.next_step_date:
            when = account.next_step_date.isoformat() if account.next_step_date else ""
            add(_("Next step"), f"{account.next_step}  {when}".strip())
        if account.market_capacity is not None:
            target = target_capacity(account.market_capacity, account.excluded_capacity)
            currency = account.currency
            add(_("Market capacity"), money.format_money(account.market_capacity, currency))
            add(
                _("Not served"),
                f"{money.format_money(account.excluded_capacity, currency)} {account.excluded_channels}".strip(),
            )
            add(_("Target capacity"), money.format_money(target, currency))
        add(_("Credit terms"), account.credit_terms)
        add(_("Payment terms"), account.payment_terms)
        add(_("Rules of engagement"), account.rules_of_engagement)
        add(_("Profile"), account.profile_notes)
        self.update(grid)

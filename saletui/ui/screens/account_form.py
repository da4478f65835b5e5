"""Add or edit an account: every field of the profile, checked before anything is saved."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select

from saletui import money
from saletui.i18n import N_, Translated, _, labelled
from saletui.method import prospect_score
from saletui.method.classes import Relationship, classify, strategy_for
from saletui.method.prospect_score import FACTORS, RATINGS, factor_labels
from saletui.money import DEFAULT_CURRENCY
from saletui.store import accounts, parse
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.widgets.form_field import DraftFields, control_text


def _levels() -> list[tuple[str, str]]:
    return [(_("high"), "high"), (_("low"), "low")]


def _relationships() -> list[tuple[str, str]]:
    return [(_("Existing customer"), "customer"), (_("Prospect"), "prospect"), (_("Future customer"), "future")]


def _class_sources(relationship: str) -> list[tuple[str, str]]:
    # "its orders" applies once the customer has any, "its score" once a prospect is rated
    # on enough factors; until then the hand-set axes count.
    derived = _("its score") if relationship == Relationship.PROSPECT else _("its orders")
    return [(derived, "derived"), (_("set by hand"), "hand")]


def _ratings() -> list[tuple[str, str]]:
    return [(str(n), str(n)) for n in RATINGS]


def _tiers() -> list[tuple[str, str]]:
    return [
        (_("Top 5: much business, below potential"), "top5"),
        (_("Middle 5: some business, below potential"), "middle5"),
        (_("New 5: no business yet, large potential"), "new5"),
    ]


class AccountForm(StaleEditForm[int | None]):
    """Returns the saved account's id, or None when cancelled (nothing written)."""

    HELP = Translated(
        N_("""
## Account form
Fill in what you know; only the name is required. **Ctrl+S** saves, **Esc** cancels
without writing anything. Amounts accept `1,200,000`, `1.2M` or `120万`; dates are
`YYYY-MM-DD`. The class is derived from the two axes of the relationship. A customer's
class comes from its orders once it has any; choose **Class from: set by hand** to keep
the contribution and stability typed here instead (the account then says so).
A prospect rated 1-5 on enough of the seven factors (size to our relative advantage) gets
a score that sets its expected contribution, unless **Class from: set by hand**.
The currency is a three-letter code (CNY, USD, EUR); amounts and the account's deals
are in it, with as many decimals as it has (two for CNY).
""")
    )

    def __init__(self, account_id: int | None = None, currency: str = DEFAULT_CURRENCY) -> None:
        """`currency` is a new account's (the `currency:` setting); an existing one keeps its own."""
        super().__init__()
        self.account_id = account_id
        self.draft = (
            AccountDraft.from_account(self.opened(accounts.get(account_id)))
            if account_id
            else AccountDraft(currency=currency)
        )

    def compose(self) -> ComposeResult:
        d = self.draft
        title = _("Edit account") if self.account_id else _("New account")

        f = DraftFields(d)
        not_rated = _("(not rated)")

        with Vertical(id="form-dialog", classes="account-form"):
            yield Label(Content(title), classes="form-title")
            with VerticalScroll(id="form-body"):
                yield f.text("name", _("Name *"))
                # Completion from values already used keeps owners and regions spelt one way.
                with Horizontal(classes="form-row"):
                    yield f.text("industry", _("Industry"), suggestions=accounts.distinct_values("industry"))
                    yield f.text("region", _("Region"), suggestions=accounts.distinct_values("region"))
                    yield f.text("owner", _("Owner (our rep)"), suggestions=accounts.distinct_values("owner"))
                yield f.select("relationship", _("Relationship"), _relationships(), not_rated, allow_blank=False)
                # A customer's axes or a prospect's, and where the class comes from.
                with Horizontal(classes="form-row", id="class-axes"):
                    yield f.select("contribution", _("Contribution"), _levels(), not_rated)
                    yield f.select("stability", _("Stability"), _levels(), not_rated)
                    yield f.select("expected_value", _("Expected contribution"), _levels(), not_rated)
                    yield f.select("intent", _("Intent"), _levels(), not_rated)
                    yield f.select(
                        "class_source",
                        _("Class from"),
                        _class_sources(self.draft.relationship),
                        not_rated,
                        allow_blank=False,
                    )
                with Vertical(id="prospect-ratings"):
                    yield Label(
                        Content(
                            _("Ratings, 1 (poor) to 5 (excellent): enough of them score the expected contribution")
                        ),
                        classes="form-note",
                    )
                    labels = factor_labels()
                    for row in (FACTORS[:4], FACTORS[4:]):
                        with Horizontal(classes="form-row"):
                            for factor in row:
                                yield f.select(f"rating_{factor}", labels[factor], _ratings(), "-")
                yield Label("", id="derived-class")
                yield f.select("tier", _("5+5+5 tier"), _tiers(), not_rated)
                with Horizontal(classes="form-row"):
                    yield f.text("currency", _("Currency"), "CNY")
                    yield f.text("market_capacity", _("Total market capacity"), "1,200,000 / 1.2M / 120万")
                    yield f.text("excluded_capacity", _("Channels we don't serve"), "300,000")
                yield Label("", id="derived-target")
                yield f.text("excluded_channels", _("Which channels we don't take part in"))
                with Horizontal(classes="form-row"):
                    yield f.text("credit_terms", _("Credit terms"))
                    yield f.text("payment_terms", _("Payment terms"))
                with Horizontal(classes="form-row"):
                    yield f.text("next_step", _("Next step"))
                    yield f.text("next_step_date", _("Next step date"), "YYYY-MM-DD")
                yield f.area("rules_of_engagement", _("Rules of engagement"))
                yield f.area("profile_notes", _("Profile notes (ownership, markets, cycles, credit...)"))
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    _sources_for = ""
    """The relationship the "Class from" choices were worded for."""

    def on_mount(self) -> None:
        self._sources_for = self.draft.relationship
        self._update_derived()
        self.query_one("#name", Input).focus()

    def _value(self, field: str) -> str:
        return control_text(self.query_one(f"#{field}"))

    def _collect(self) -> AccountDraft:
        return AccountDraft(**{name: self._value(name) for name in AccountDraft.__dataclass_fields__})

    @on(Select.Changed)
    @on(Input.Changed, "#market_capacity, #excluded_capacity, #currency")
    def _update_derived(self) -> None:
        relationship = self._value("relationship")
        customer, prospect = relationship == Relationship.CUSTOMER, relationship == Relationship.PROSPECT
        for field, shown in (
            ("contribution", customer),
            ("stability", customer),
            ("expected_value", prospect),
            ("intent", prospect),
            ("class_source", customer or prospect),
        ):
            self.query_one(f"#field-{field}").display = shown
        self.query_one("#prospect-ratings").display = prospect
        if relationship != self._sources_for:
            self._sources_for = relationship
            source = self.query_one("#class_source", Select)
            chosen_source = source.value
            source.set_options(_class_sources(relationship))
            source.value = chosen_source
        expected = self._value("expected_value") or None
        scored = ""
        if prospect:
            rules = self.app.settings.classes
            assessed = prospect_score.assess(
                {f: int(v) if (v := self._value(f"rating_{f}")).isdigit() else None for f in FACTORS},
                dict(rules.prospect_weights),
                rules.prospect_min_rated,
                rules.prospect_high_from,
            )
            if assessed is not None:
                value, level = assessed
                scored = _("score {score} of 5: {level}").format(
                    score=f"{value:.1f}", level=_("high") if level == "high" else _("low")
                )
                if self._value("class_source") != "hand":
                    expected = level
        code = classify(
            relationship,
            self._value("contribution") or None,
            self._value("stability") or None,
            expected,
            self._value("intent") or None,
        )
        text = labelled(_("Class"), code or _("not rated"))
        if code:
            text += f" · {strategy_for(code)}"
        if scored:
            text += f" ({scored})"
        self.query_one("#derived-class", Label).update(Content(text))
        try:
            currency = parse.currency(self._value("currency"))
            total = parse.amount(self._value("market_capacity"), currency)
            excluded = parse.amount(self._value("excluded_capacity"), currency)
        except parse.FieldError:
            target = ""
        else:
            target = money.format_money(total - (excluded or 0), currency) if total is not None else ""
        self.query_one("#derived-target", Label).update(Content(labelled(_("Target market capacity"), target or "-")))

    def show_stored(self, current: Account) -> None:
        self.draft = AccountDraft.from_account(current)

    def check(self) -> None:
        accounts.clean(self._collect(), self.account_id)

    def action_save(self) -> None:
        account = self.attempt_versioned(lambda v: accounts.save(self._collect(), self.account_id, expected_version=v))
        if account is not None:
            self.dismiss(account.id)

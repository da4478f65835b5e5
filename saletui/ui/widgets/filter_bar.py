"""Search box and quick filters above the account list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox, Input, Select

from saletui.account_listing import Filters, tier_labels
from saletui.i18n import _
from saletui.method.classes import CLASS_CODES
from saletui.method.stages import STAGES, stage_label
from saletui.text import display_text
from saletui.ui.language import relabel_select


class FilterBar(Horizontal):
    """Instant text filter plus class, tier, stage, owner and needs-attention filters.

    Select and checkbox changes arrive as `Changed` messages. The text box is watched
    directly by whoever shows the list (`watch(bar.text_input, "value", ...)`): a message
    would arrive a frame later, and typing must repaint the list in the same frame.
    """

    @dataclass
    class Changed(Message):
        filters: Filters

    def __init__(self, owners: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owners = owners
        # The needs-attention filter; its checkbox (mounted after the first frame) mirrors it,
        # so `!` typed before the checkbox arrives still counts.
        self._attention = False
        self._attention_box: Checkbox | None = None
        self._disagree = False  # `d`: derived and hand-set classes differ (no widget of its own)

    def compose(self) -> ComposeResult:
        yield Input(placeholder=_("/ filter: name, industry, region, owner"), id="filter-text", compact=True)

    def on_mount(self) -> None:
        # The quick filters (four selects, each with its own overlay, and the checkbox) cost
        # ~30 ms of styling: they arrive right after the first frame, so that the account
        # list is on screen first.
        self.call_after_refresh(self._mount_selects)

    def _mount_selects(self) -> None:
        self._attention_box = Checkbox(_("Needs attention"), self._attention, id="filter-attention", compact=True)
        self.mount_all(
            [
                Select(options, prompt=prompt, id=select_id, compact=True)
                for select_id, prompt, options in self._select_choices()
            ]
            + [self._attention_box]
        )

    def _select_choices(self) -> list[tuple[str, str, list]]:
        """Id, prompt and options of each quick filter, in the current language."""
        return [
            ("filter-class", _("Class"), [(code, code) for code in CLASS_CODES] + [(_("Future"), "F")]),
            ("filter-tier", _("Tier"), [(label, key) for key, label in tier_labels().items() if key]),
            ("filter-stage", _("Stage"), [(stage_label(s.number), s.number) for s in STAGES]),
            ("filter-owner", _("Owner"), [(Content(display_text(o)), o) for o in self._owners]),
        ]

    def relabel(self) -> None:
        """Labels and choices in the current language; the chosen filters stay as they are."""
        self.text_input.placeholder = _("/ filter: name, industry, region, owner")
        if self._attention_box:
            self._attention_box.label = _("Needs attention")
        for select_id, prompt, options in self._select_choices():
            for select in self.query(f"#{select_id}").results(Select):
                relabel_select(select, prompt, options)

    def set_owners(self, owners: list[str]) -> None:
        if owners != self._owners:
            self._owners = owners
            for select in self.query("#filter-owner").results(Select):
                select.set_options([(Content(display_text(o)), o) for o in owners])

    @property
    def filters(self) -> Filters:
        def value(selector: str):
            for select in self.query(selector).results(Select):
                return None if select.value is Select.NULL else select.value
            return None  # not mounted yet

        return Filters(
            text=self.query_one("#filter-text", Input).value,
            class_code=value("#filter-class") or "",
            tier=value("#filter-tier") or "",
            stage=value("#filter-stage"),
            owner=value("#filter-owner") or "",
            attention_only=self._attention,
            disagree_only=self._disagree,
        )

    def _set_attention(self, on: bool) -> None:
        self._attention = on
        if self._attention_box is not None:
            with self.prevent(Checkbox.Changed):
                self._attention_box.value = on

    def toggle_attention(self) -> None:
        self._set_attention(not self._attention)
        self.post_message(self.Changed(self.filters))

    def toggle_disagree(self) -> None:
        self._disagree = not self._disagree
        self.post_message(self.Changed(self.filters))

    def clear(self) -> None:
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#filter-text", Input).value = ""
            for select in self.query(Select):
                select.clear()
        self._set_attention(False)
        self._disagree = False
        self.post_message(self.Changed(self.filters))

    @property
    def text_input(self) -> Input:
        return self.query_one("#filter-text", Input)

    @on(Input.Changed, "#filter-text")
    def _text_changed(self, event: Input.Changed) -> None:
        event.stop()  # handled through the watcher, see the class docstring

    @on(Checkbox.Changed, "#filter-attention")
    def _attention_clicked(self, event: Checkbox.Changed) -> None:
        self._attention = event.value
        self._changed(event)

    @on(Select.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed(self.filters))

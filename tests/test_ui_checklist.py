"""Recording a visit on a laptop: a long milestone question on the checklist is shown in
full, and its Note field sits below it instead of running into it."""

from __future__ import annotations

import datetime as dt

from saletui.store import milestones
from saletui.store.models import Visit, VisitItem
from saletui.ui.screens.debrief_form import DebriefForm
from saletui.ui.widgets.wrapping_checkbox import WrappingCheckbox
from tests.conftest import TODAY, until
from tests.test_ui_visits import open_tab, setup_account

LONG = "Is there a real project, with a name, an owner, a budget the board approved and a date for the decision?"


async def test_a_long_checklist_question_wraps_and_its_note_label_sits_below_it(make_app):
    app = make_app()
    account, deal, _boss = setup_account(app.process)
    first = milestones.for_deal(deal.id)[0]
    milestones.edit(first.id, LONG)
    visit = Visit.create(
        account=account,
        deal=deal,
        planned_at=dt.datetime.combine(TODAY, dt.time(9)),
        status="planned",
        purposes="progress",
    )
    VisitItem.create(visit=visit, milestone=first.id, position=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(app, pilot, 3)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, DebriefForm), "the record form")
        await pilot.pause()
        box = app.screen.query_one(f"#reached-{first.id}", WrappingCheckbox)
        note_label = app.screen.query_one(f"#field-note-{first.id} > .form-field--label")
        assert box.region.height > 1, "the question wraps"
        shown = " ".join(box.render().wrap(box.content_region.width)[i].plain.strip() for i in range(box.region.height))
        assert LONG in shown and "…" not in shown
        assert note_label.region.y >= box.region.bottom, "the Note label is below the question, not over it"
        await pilot.press("space")  # still a checkbox: Space ticks it
        assert box.value is True

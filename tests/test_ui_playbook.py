"""A rep searches the playbook mid-preparation; a team lead edits and shares it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from textual.widgets import TextArea

from saletui.i18n import set_language
from saletui.settings import load_settings
from saletui.store import accounts
from saletui.store.accounts import AccountDraft
from saletui.store.models import Visit, VisitObjection
from saletui.ui.delays import Delays
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.choice_picker import ChoicePicker
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.debrief_form import DebriefForm
from saletui.ui.screens.playbook import PlaybookScreen
from saletui.ui.screens.playbook_editor import PlaybookEditor
from saletui.ui.widgets.technique_list import TechniqueList
from tests.conftest import FRAME, TEST_DELAYS, TODAY, shown_text, switch_tabs, until

SIZE = (140, 45)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


def result_titles(app) -> list[str]:
    return [o.title for o in app.screen.results]


def techniques_of(app, objection_id: str):
    """A condition: the techniques pane shows the objection (it follows once typing pauses)."""
    techniques = app.screen.query_one(TechniqueList)
    return lambda: techniques.objection is not None and techniques.objection.id == objection_id


def with_settings(tmp_path: Path, text: str):
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


async def test_search_while_typing_then_copy_a_script(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, PlaybookScreen), "the playbook opens")
        await until(pilot, lambda: len(result_titles(app)) == 8, "every objection of the method listed")
        await type_text(pilot, "expensive")
        await until(pilot, lambda: result_titles(app)[0] == "Too expensive", "the search narrows the list")
        await pilot.press("enter")  # to the techniques
        await until(pilot, lambda: isinstance(app.focused, TechniqueList), "the techniques focused")
        technique = app.focused.selected_technique
        await pilot.press("y")
        await until(pilot, lambda: app.clipboard == technique.script, "the script copied")
        assert "Compare like with like" in shown_text(app.focused.get_option_at_index(0).prompt)


async def test_chinese_interface_searches_the_chinese_playbook(make_app):
    set_language("zh_CN")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "太贵")
        assert result_titles(app)[0] == "太贵了"


async def test_layers_show_where_each_objection_and_technique_comes_from(make_app, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    (team / "pricing.yaml").write_text(
        "name: Team pricing\nobjections:\n"
        "  - id: too-expensive\n    techniques:\n"
        "      - id: total-cost\n        name: Show the total cost of ownership\n"
        "        script: Over five years the energy saving pays for the difference.\n"
        "  - id: procurement-rules\n    title: Procurement says three quotes\n    aliases: [we need three quotes]\n",
        encoding="utf-8",
    )
    app = make_app(settings=with_settings(tmp_path, f"playbooks:\n  team_dirs: [{team}]\n"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "three quotes")
        assert result_titles(app) == ["Procurement says three quotes"]
        await until(pilot, techniques_of(app, "procurement-rules"), "the detail follows once typing pauses")
        assert "pricing.yaml" in shown_text(app.screen.query_one("#pb-detail"))
        await pilot.press("ctrl+u")  # clear the search box
        await type_text(pilot, "too expensive")
        await until(pilot, techniques_of(app, "too-expensive"))
        techniques = app.screen.query_one(TechniqueList).objection.techniques
        added = [t for t in techniques if t.id == "total-cost"]
        assert added and added[0].source.name == "pricing.yaml"
        assert techniques[0].source.name == "en.yaml"


async def test_a_broken_team_file_is_reported_and_the_rest_still_loads(make_app, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    (team / "bad.yaml").write_text("objections:\n  - id: x\n    titel: Oops\n", encoding="utf-8")
    app = make_app(settings=with_settings(tmp_path, f"playbooks:\n  team_dirs: [{team}]\n"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        errors = str(app.screen.query_one("#pb-errors").render())
        assert "bad.yaml:3:5" in errors and "did you mean `title`" in errors
        assert len(result_titles(app)) == 8


async def test_a_colleagues_edit_on_disk_is_picked_up_without_restarting(make_app, tmp_path):
    personal = tmp_path / "mine.yaml"
    personal.write_text("objections: []\n", encoding="utf-8")
    settings = with_settings(tmp_path, f"playbooks:\n  personal_file: {personal}\n")
    # The screen looks at the files every two seconds; here every few frames.
    app = make_app(settings=settings, delays=replace(TEST_DELAYS, playbook_poll=3 * FRAME))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        assert len(result_titles(app)) == 8
        await pilot.press("down", "down", "down")  # into the results, then further down
        reading = app.screen.current
        assert reading is not None and reading is not app.screen.results[0]
        await until(pilot, techniques_of(app, reading.id))
        await pilot.press("enter", "down")  # into its techniques, on the second one
        techniques = app.screen.query_one(TechniqueList)
        using = techniques.selected_technique
        assert app.focused is techniques and using is reading.techniques[1]
        personal.write_text("objections:\n  - id: new-one\n    title: We already have a supplier\n", encoding="utf-8")
        await until(pilot, lambda: "We already have a supplier" in result_titles(app), "the edit picked up")
        # The techniques pane shows the objection as read again, once typing would have paused.
        await until(pilot, lambda: techniques.objection is app.screen.current is not reading)
        # The reload did not move the rep's place: same objection, same technique.
        assert app.screen.current.id == reading.id
        assert reading.title in shown_text(app.screen.query_one("#pb-detail"))
        assert app.focused is techniques and techniques.selected_technique.id == using.id


async def test_editing_checks_while_typing_asks_before_saving_a_broken_file_and_keeps_a_backup(make_app, tmp_path):
    personal = tmp_path / "mine.yaml"
    original = "objections:\n  - id: mine\n    title: Not now\n"
    personal.write_text(original, encoding="utf-8")
    app = make_app(settings=with_settings(tmp_path, f"playbooks:\n  personal_file: {personal}\n"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "not now")
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, PlaybookEditor)
        editor = app.screen
        area = editor.query_one(TextArea)
        area.text = original.replace("title:", "titel:")
        problems_label = editor.query_one("#editor-problems")
        await until(pilot, lambda: "problem" in str(problems_label.render()), "checked while typing")
        problems = str(editor.query_one("#editor-problems").render())
        assert "3:5" in problems and "did you mean `title`" in problems
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # do not save the broken file
        await pilot.pause()
        assert personal.read_text(encoding="utf-8") == original
        area.text = original.replace("Not now", "Not now, maybe in spring")
        await until(pilot, lambda: "valid" in str(problems_label.render()), "checked again")
        assert "problem" not in str(problems_label.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlaybookScreen)
        assert "Not now, maybe in spring" in result_titles(app)
    assert "maybe in spring" in personal.read_text(encoding="utf-8")
    assert (tmp_path / "mine.yaml.bak").read_text(encoding="utf-8") == original


async def test_the_built_in_playbook_is_read_only_so_edits_go_to_the_personal_file(make_app, private_home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, PlaybookEditor)
        assert app.screen.path == private_home / "config" / "playbook.yaml"
        assert app.screen.path.exists()


async def test_objections_recorded_on_a_visit_become_the_techniques_evidence(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    Visit.create(
        account=account, planned_at=dt.datetime.combine(TODAY, dt.time(9)), status="planned", purposes="progress"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account opened")
        await switch_tabs(pilot, app, 3)  # Visits tab
        await pilot.press("r")
        assert isinstance(app.screen, DebriefForm)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ChoicePicker)
        await type_text(pilot, "expensive")
        await pilot.press("enter")
        await pilot.press("down", "down", "enter")  # into the list, past "(no technique)": the first technique
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert "Too expensive" in str(app.screen.query_one("#raised-list").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        record = VisitObjection.get()
        assert (record.objection_id, record.worked) == ("too-expensive", True)
        await pilot.press("ctrl+o")
        await type_text(pilot, "expensive")
        await until(pilot, techniques_of(app, "too-expensive"))
        techniques = app.screen.query_one(TechniqueList)
        prompt = shown_text(techniques.get_option_at_index(0).prompt)
        assert record.technique_id == techniques.objection.techniques[0].id
        assert "used 1× · worked 1× (100%)" in prompt
        assert "not used on a visit yet" in shown_text(techniques.get_option_at_index(1).prompt)


async def test_arrow_keys_move_from_the_search_box_through_the_results(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "price")
        await pilot.press("down")
        results = app.screen.query_one("#pb-results")
        assert app.focused is results and results.highlighted == 1
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.focused, TechniqueList)
        assert app.focused.objection.id == app.screen.results[0].id


async def test_the_results_scrollbar_follows_the_number_of_results(make_app):
    from saletui.ui.widgets.objection_list import ObjectionList

    app = make_app()
    async with app.run_test(size=(100, 10)) as pilot:  # fewer lines than the 8 objections
        await pilot.press("ctrl+o")
        await pilot.pause()
        results = app.screen.query_one(ObjectionList)
        assert results.option_count == 8 and results.show_vertical_scrollbar
        await type_text(pilot, "expensive")
        await until(pilot, techniques_of(app, "too-expensive"), "the techniques pane follows after typing pauses")
        await until(pilot, lambda: not results.show_vertical_scrollbar, "the scrollbar goes")
        assert results.option_count == 1
        for _ in "expensive":
            await pilot.press("backspace")
        await until(pilot, lambda: results.show_vertical_scrollbar, "the scrollbar comes back")
        assert results.option_count == 8
        assert results.vertical_scrollbar.window_virtual_size == results.virtual_size.height


async def test_the_techniques_scrollbar_is_repainted_only_when_the_techniques_change(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:  # the techniques are longer than their pane
        await pilot.press("ctrl+o")
        techniques = app.screen.query_one(TechniqueList)
        await until(pilot, lambda: techniques.objection is not None and techniques.show_vertical_scrollbar)
        scrollbar = techniques.vertical_scrollbar
        repaints = []
        original = scrollbar.refresh
        scrollbar.refresh = lambda *args, **kwargs: (repaints.append(1), original(*args, **kwargs))[1]
        app.screen.refresh(layout=True)  # a layout that leaves the techniques as they are
        await pilot.pause()
        assert repaints == []  # a repaint here would cost one more frame
        await type_text(pilot, "expensive")
        await until(pilot, techniques_of(app, "too-expensive"))
        await until(pilot, lambda: repaints, "the scrollbar repainted for the new techniques")
        assert techniques.objection is app.screen.results[0]
        assert scrollbar.window_virtual_size == techniques.virtual_size.height
        techniques.focus()
        await pilot.press("end")
        await pilot.pause()
        assert techniques.scroll_y == techniques.max_scroll_y > 0


async def test_a_reload_just_after_moving_does_not_carry_a_technique_to_another_objection(make_app, tmp_path):
    """Team playbooks reuse technique ids; the technique kept on a reload is the one of the
    objection it belongs to, even when the cursor has just moved on."""
    personal = tmp_path / "mine.yaml"
    personal.write_text(
        "objections:\n"
        "  - id: alpha\n    title: Zqx alpha\n    techniques:\n"
        "      - {id: ack, name: Acknowledge A}\n      - {id: close, name: Close A}\n"
        "  - id: beta\n    title: Zqx beta\n    techniques:\n"
        "      - {id: ack, name: Acknowledge B}\n      - {id: close, name: Close B}\n",
        encoding="utf-8",
    )
    settings = with_settings(tmp_path, f"playbooks:\n  personal_file: {personal}\n")
    app = make_app(settings=settings, delays=Delays())  # the users' debounce: the reload comes within it
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "zqx")
        await until(pilot, techniques_of(app, "alpha"))
        await pilot.press("enter", "down")  # alpha's second technique
        techniques = app.screen.query_one(TechniqueList)
        assert techniques.selected_technique.name == "Close A"
        await pilot.press("slash", "down")  # back to the search, down to the results: beta
        await pilot.press("ctrl+r")  # reloaded before beta's techniques were shown
        await until(pilot, techniques_of(app, "beta"))
        assert app.screen.current.id == "beta"
        assert techniques.selected_technique.name == "Acknowledge B"


async def test_the_english_playbook_finds_what_the_customer_said_in_chinese(make_app):
    """A rep with the English interface types the customer's Chinese words: the built-in
    Chinese playbook is searched too, and its match is shown as the English objection."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "价格太高")
        assert result_titles(app)[0] == "Too expensive"
        await pilot.press("ctrl+u")
        await type_text(pilot, "expensive")
        titles = result_titles(app)
        assert titles[0] == "Too expensive" and len(titles) == len(set(titles)), "English first, each once"


async def test_the_chinese_playbook_finds_english_phrases_after_its_own_matches(make_app):
    set_language("zh_CN")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "price is too high")
        assert result_titles(app)[0] == "太贵了"
        await pilot.press("ctrl+u")
        await type_text(pilot, "价格")
        chinese_only = result_titles(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "太贵")
        assert result_titles(app)[0] == "太贵了"
    assert all(not any("a" <= ch.lower() <= "z" for ch in title) for title in chinese_only)


async def test_ctrl_r_reads_the_playbook_paths_of_the_settings_file_again(make_app, tmp_path):
    """The team lead sends a new team folder: the rep adds it to settings.yaml and presses
    Ctrl+R in the playbook; no restart. A broken settings file keeps the last good paths."""
    from saletui.ui.compat import notifications

    team = tmp_path / "team"
    team.mkdir()
    (team / "rules.yaml").write_text(
        "objections:\n  - id: three-quotes\n    title: Procurement says three quotes\n", encoding="utf-8"
    )
    settings_file = tmp_path / "settings.yaml"
    settings_file.write_text("theme: textual-dark\n", encoding="utf-8")
    app = make_app(settings=load_settings(settings_file), settings_file=settings_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "three quotes")
        assert result_titles(app) == []
        settings_file.write_text(f"playbooks:\n  team_dirs: [{team}]\n", encoding="utf-8")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: result_titles(app) == ["Procurement says three quotes"], "the team folder read")
        assert app.settings.playbooks.team_dirs == [str(team)]
        settings_file.write_text("playbooks:\n  tema_dirs: []\n", encoding="utf-8")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert result_titles(app) == ["Procurement says three quotes"], "the last good paths are kept"
        assert any("tema_dirs" in str(n.message) for n in notifications(app))


async def test_ctrl_e_on_a_built_in_objection_opens_the_personal_file_on_a_stub_for_its_id(make_app, private_home):
    from saletui.playbook.load import load_file

    app = make_app()
    personal = private_home / "config" / "playbook.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "expensive")
        await until(pilot, techniques_of(app, "too-expensive"))
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, PlaybookEditor)
        area = app.screen.query_one(TextArea)
        assert "  - id: too-expensive" in area.text
        assert area.document.get_line(area.cursor_location[0]) == "  - id: too-expensive", "the cursor is on it"
        await pilot.press("escape")  # unchanged: leaves without asking
        await until(pilot, lambda: isinstance(app.screen, PlaybookScreen), "back in the playbook")
        await pilot.press("ctrl+e")  # again: the entry is found, not added twice
        assert app.screen.query_one(TextArea).text.count("- id: too-expensive") == 1
    playbook, problems = load_file(personal)
    assert not problems and [o.id for o in playbook.objections] == ["too-expensive"]


async def test_the_stub_is_appended_to_a_personal_file_that_has_objections(make_app, tmp_path):
    personal = tmp_path / "mine.yaml"
    personal.write_text(
        "name: Mine\nobjections:\n    - id: mine\n      title: Not now\n      aliases: [maybe later]\n",
        encoding="utf-8",
    )
    app = make_app(settings=with_settings(tmp_path, f"playbooks:\n  personal_file: {personal}\n"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await type_text(pilot, "think about it")
        await until(pilot, techniques_of(app, "think-about-it"))
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, PlaybookEditor)
        assert "\n    - id: think-about-it\n" in app.screen.query_one(TextArea).text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PlaybookScreen), "back in the playbook")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.playbook.errors == []
    assert personal.read_text(encoding="utf-8").startswith("name: Mine\nobjections:\n    - id: mine\n")

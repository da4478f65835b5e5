"""Opening the account with the most people (500, six levels), in-process, headless.

    python tests/perf/open_account.py DBPATH [--runs N] [--breakdown] [--profile OUT.txt|OUT.json]

The app is the real SaletuiApp, built like `saletui.cli` builds it (keystrokes.build_app),
under `App.run_test(headless=True, size=(130, 40))`, on the large database. Once the whole
list has loaded, `/` focuses the filter, the account's name is typed (so the list shows
only it), Enter submits the filter and focuses the list, with the cursor on the account.
Then, per run:

  open        `enter` on the list opens the account. End: the end of the first frame of the
              AccountScreen on which its org chart (a Tree) holds all the account's people
              and the coverage warnings have been computed (the "#org-warnings" line is
              filled in), both checked when the frame is rendered. The screen opens on the
              Overview tab, so this frame shows the deals and profile; the chart's nodes are
              built when the People tab is first shown, and the Power map and Visits panes
              and the person card are composed when first shown.
  people tab  `]` switches to the People tab. End: the end of the first frame after the org
              chart itself was rendered (its render_lines, which builds the tree's lines on
              demand, wrapped on the instance).
  collapse    shift+space on the focused chart (Tree's toggle_expand_all: the cursor is on
  expand      the single top person, so the whole chart folds to one line), then shift+space
              again, which unfolds all 500 lines. End of each: the end of the first frame
              after the chart was rendered again.
  back        `escape` back to the list (not a target; the list re-reads its 10,000
              accounts on resume). End: the first frame of the list screen.

Every figure starts just before `pilot.press(key)` hands the key to the app. Frames are
timed the way keystrokes.py times them: `App._display` is wrapped on the instance (Screen
calls `self.app._display(screen, update)` after its compositor update), and since the
headless driver writes nothing, the wrapper also turns the update into terminal output
(`render_segments`, what the Linux driver writes) so that cost is in. The end therefore
includes Textual's frame pacing (the screen's update timer, up to 1/60 s after the screen
goes idle). The pilot's own waiting after the key is not counted. The app settles
(`pilot.pause()`) between steps.

The first round in the process is a warm-up, reported on its own (`first`): its open also
imports the account screen and its widgets, which saletui defers until the first open.
Then `--runs` rounds are measured: escape back to the list, enter again, and so on.
Per round and step: `<step>_ms` (the figure), `<step>_frames` (frames up to its end),
`<step>_gc_ms` and `<step>_gc_full` (time in garbage collections inside the figure, and
how many were full ones; from gc.callbacks); `tab_render_ms`, `collapse_render_ms` and
`expand_render_ms` (key -> the chart rendered) with `<step>_lines` (the tree's lines then);
`open_to_mount_ms` and `open_mount_ms` (key -> AccountScreen.on_mount starts, and on_mount
itself: account, profile, people, warnings (the power map is drawn when its tab is
first shown); a wrapper set on the class after the warm-up).

With --breakdown, a few functions (CSS, layout, paint, the chart's nodes and lines, the
warnings...) get timing wrappers after the warm-up, and each measured step reports the
time spent in their outermost calls within the step (`<phase>_spans_ms`; a call that
outlasts the step's frame counts up to it); nested ones overlap.

With --profile, pyinstrument records the open, the People tab and the expand of the
measured rounds, each from just before the key to the end of the frame that ends the
figure (the wrapper stops it there), one profile per phase, and writes them to OUT.

Prints one JSON object on the last line of stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from keystrokes import SIZE, build_app  # noqa: E402

STEP_TIMEOUT = 60.0  # seconds for one step before giving up
PROFILED = ("open", "tab", "expand")


def largest_account(db: str) -> dict:
    """The active account with the most people, and the depth of its chart."""
    conn = sqlite3.connect(db)  # not read-only: that would leave -wal/-shm behind
    try:
        account_id, name, n = conn.execute(
            "SELECT a.id, a.name, count(p.id) FROM account a JOIN person p ON p.account_id = a.id "
            "WHERE a.archived_at IS NULL GROUP BY a.id ORDER BY count(p.id) DESC, a.id LIMIT 1"
        ).fetchone()
        depth = conn.execute(
            "WITH RECURSIVE t(id, d) AS (SELECT id, 1 FROM person WHERE account_id = ? AND reports_to_id IS NULL "
            "UNION ALL SELECT p.id, t.d + 1 FROM person p JOIN t ON p.reports_to_id = t.id) SELECT max(d) FROM t",
            (account_id,),
        ).fetchone()[0]
    finally:
        conn.close()
    return {"id": account_id, "name": name, "people": n, "depth": depth}


def filter_keys(name: str) -> list[str]:
    """The whole name (the filter ignores case)."""
    text = " ".join(name.split()).casefold()
    return ["space" if ch == " " else ch for ch in text]


async def measure(db: str, runs: int, profile: bool = False, breakdown: bool = False) -> dict:
    target = largest_account(db)
    app = build_app("saletui", db)
    frames: list[tuple[float, str]] = []  # (end time, screen class name) of every frame
    chart_renders: list[tuple[float, int]] = []  # (time, tree lines) after each render of the chart
    mounts: list[tuple[float, float]] = []  # AccountScreen.on_mount (start, end)
    collections: list[tuple[float, float, int]] = []  # garbage collections (start, end, generation)
    spans: dict[str, list[tuple[float, float]]] = {}  # --breakdown: outermost calls of a few functions
    gc_started: list[float] = [0.0]

    def gc_callback(phase: str, info: dict) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            collections.append((gc_started[0], time.perf_counter(), info["generation"]))

    gc.callbacks.append(gc_callback)
    profilers = {}
    if profile:
        from pyinstrument import Profiler

        profilers = {p: Profiler(interval=0.0005, async_mode="disabled") for p in PROFILED}
    result: dict = {"account": target, "first": None, "runs": []}

    def account_ready(screen) -> bool:
        """The coverage warnings of all the account's people are computed and shown. (The
        tree itself is built when the People tab is first shown: measured as that step.)"""
        try:
            warnings = screen.query_one("#org-warnings")
        except Exception:
            return False
        return bool(str(warnings.content))

    async with app.run_test(headless=True, size=SIZE) as pilot:
        deadline = time.monotonic() + 60
        while not _list_loaded(app):
            if time.monotonic() > deadline:
                raise TimeoutError("the account list did not load within 60 s")
            await pilot.pause(0.05)
        await pilot.pause()
        accounts_screen = app.screen
        waiting: dict = {}  # the step in progress: its frame test, and its end once met
        hook_display(app, frames, waiting)
        table = await put_cursor_on(pilot, accounts_screen, target)
        result["rows_shown"] = len(table.listing.view)

        async def step(key: str, phase: str, test) -> tuple[float, float]:
            """Press `key`; return its start and the end of the first frame that passes `test`."""
            profiler = profilers.get(phase) if timing_round else None
            waiting.clear()
            waiting.update(test=test, end=None, profiler=profiler, renders=len(chart_renders))
            n_frames = len(frames)
            if profiler is not None:
                profiler.start()
            start = waiting["start"] = time.perf_counter()
            await pilot.press(key)
            deadline = time.perf_counter() + STEP_TIMEOUT
            while waiting["end"] is None:
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{phase}: no matching frame within {STEP_TIMEOUT} s of {key!r}")
                await asyncio.sleep(0.001)
            end = waiting["end"]
            waiting.clear()
            record[f"{phase}_frames"] = sum(1 for t, _name in frames[n_frames:] if t <= end)
            spent = [(g, c1 - c0) for c0, c1, g in collections if start <= c0 and c1 <= end]
            record[f"{phase}_gc_ms"] = round(sum(d for _g, d in spent) * 1000, 3)
            record[f"{phase}_gc_full"] = sum(1 for g, _d in spent if g == 2)
            if spans:
                record[f"{phase}_spans_ms"] = {
                    name: round(sum(max(0.0, min(t1, end) - max(t0, start)) for t0, t1 in calls) * 1000, 3)
                    for name, calls in spans.items()
                }
            return start, end

        # Frame tests, evaluated on each frame while a step waits.
        def account_frame(name: str, screen) -> bool:
            return name == "AccountScreen" and account_ready(screen)

        def after_chart_render(name: str, _screen) -> bool:
            return name == "AccountScreen" and len(chart_renders) > waiting["renders"]

        def list_frame(name: str, _screen) -> bool:
            return name == "AccountsScreen"

        timing_round = False
        record: dict = {}
        for round_no in range(runs + 1):
            timing_round = round_no > 0
            record = {}
            if not table.has_focus or table.selected is None or table.selected.id != target["id"]:
                raise RuntimeError("the list's cursor is not on the account (or the list has no focus)")
            n_mounts = len(mounts)
            start, end = await step("enter", "open", account_frame)
            record["open_ms"] = round((end - start) * 1000, 3)
            if len(mounts) > n_mounts:
                m0, m1 = mounts[n_mounts]
                record["open_mount_ms"] = round((m1 - m0) * 1000, 3)
                record["open_to_mount_ms"] = round((m0 - start) * 1000, 3)
            await pilot.pause()
            screen = app.screen
            chart = screen.query_one("#org-chart")
            original_render_lines = chart.render_lines

            def render_lines(crop, _original=original_render_lines, _chart=chart):
                try:
                    return _original(crop)
                finally:
                    chart_renders.append((time.perf_counter(), len(_chart._tree_lines_cached or ())))

            chart.render_lines = render_lines  # the compositor calls widget.render_lines(...)

            for key, phase in (("right_square_bracket", "tab"), ("shift+space", "collapse"), ("shift+space", "expand")):
                n_renders = len(chart_renders)
                start, end = await step(key, phase, after_chart_render)
                assert chart_renders[n_renders][0] < end
                record[f"{phase}_ms"] = round((end - start) * 1000, 3)
                record[f"{phase}_lines"] = chart_renders[n_renders][1]
                record[f"{phase}_render_ms"] = round((chart_renders[n_renders][0] - start) * 1000, 3)
                await pilot.pause()
                if phase == "tab" and not chart.has_focus:
                    raise RuntimeError("the org chart has no focus on the People tab")
                expected = {"collapse": 1, "expand": target["people"]}.get(phase)
                if expected is not None and record[f"{phase}_lines"] != expected:
                    raise RuntimeError(f"{phase}: the chart shows {record[f'{phase}_lines']} lines, not {expected}")
            start, end = await step("escape", "back", list_frame)
            record["back_ms"] = round((end - start) * 1000, 3)
            await pilot.pause()
            if app.screen is not accounts_screen:
                raise RuntimeError("escape did not lead back to the list")
            if round_no == 0:
                result["first"] = record
                _install_mount_timer(mounts)  # the module is imported now
                if breakdown:
                    _install_span_timers(spans)
            else:
                result["runs"].append(record)

    gc.callbacks.remove(gc_callback)
    if profilers:
        result["profiles"] = {phase: profiler.last_session for phase, profiler in profilers.items()}
    return result


def _install_mount_timer(mounts: list) -> None:
    from saletui.ui.screens.account import AccountScreen

    original = AccountScreen.on_mount

    def on_mount(self) -> None:
        started = time.perf_counter()
        try:
            original(self)
        finally:
            mounts.append((started, time.perf_counter()))

    AccountScreen.on_mount = on_mount  # Textual dispatches handlers found in the class __dict__


def _span_targets() -> list[tuple[str, object, str]]:
    """(label, owner, attribute) of the functions --breakdown times; all synchronous."""
    from textual._compositor import Compositor
    from textual.app import App
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen
    from textual.widgets._tree import Tree, TreeNode

    from saletui.store import people
    from saletui.ui.screens import account
    from saletui.ui.widgets import org_chart

    return [
        ("AccountScreen.compose (generator body)", account.AccountScreen, "compose"),
        ("App._register (mounting widgets, with their CSS)", App, "_register"),
        ("Stylesheet.apply (CSS for new and resumed widgets)", Stylesheet, "apply"),
        ("Stylesheet.update_nodes (restyle: screen resume, focus)", Stylesheet, "update_nodes"),
        ("AccountScreen.on_mount", account.AccountScreen, "on_mount"),
        ("AccountScreen.reload (title, profile)", account.AccountScreen, "reload"),
        ("OrgChart.reload (people -> tree nodes)", org_chart.OrgChart, "reload"),
        ("people.for_account (SQL)", people, "for_account"),
        ("person_label", org_chart, "person_label"),
        ("TreeNode.add", TreeNode, "add"),
        ("AccountScreen._people_changed (warnings, power map)", account.AccountScreen, "_people_changed"),
        ("Screen._refresh_layout (layout + paint + frame)", Screen, "_refresh_layout"),
        ("Compositor.reflow (layout)", Compositor, "reflow"),
        ("Compositor.render_update (paint)", Compositor, "render_update"),
        ("Tree._build (tree lines, label widths)", Tree, "_build"),
        ("Tree.render_lines (the chart's visible lines)", Tree, "render_lines"),
    ]


def _install_span_timers(spans: dict, targets: list[tuple[str, object, str]] | None = None) -> None:
    """Wrap each target (default: _span_targets()) so its outermost calls are noted
    (start, end) in spans[label]; nested calls are inside. Also used by playbook_search.py."""
    import functools
    import inspect

    for label, owner, name in _span_targets() if targets is None else targets:
        original = getattr(owner, name, None)
        if original is None:
            continue
        calls = spans.setdefault(label, [])
        depth = [0]
        if inspect.isgeneratorfunction(original):

            def wrapper(*args, _original=original, _calls=calls, **kwargs):
                gen = _original(*args, **kwargs)
                while True:
                    t0 = time.perf_counter()
                    try:
                        item = next(gen)
                    except StopIteration:
                        _calls.append((t0, time.perf_counter()))
                        return
                    _calls.append((t0, time.perf_counter()))
                    yield item
        else:

            def wrapper(*args, _original=original, _calls=calls, _depth=depth, **kwargs):
                _depth[0] += 1
                t0 = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    _depth[0] -= 1
                    if not _depth[0]:
                        _calls.append((t0, time.perf_counter()))

        setattr(owner, name, functools.wraps(original)(wrapper))


def hook_display(app, frames: list, waiting: dict) -> None:
    """Time every frame: turn it into terminal output as a real driver would, note it in
    `frames`, and end the step in `waiting` on the first frame that passes its test."""
    original_display = app._display

    def display(screen, renderable) -> None:
        original_display(screen, renderable)
        if renderable is not None:
            renderable.render_segments(app.console)  # what a real driver would write
            now = time.perf_counter()
            name = type(screen).__name__
            frames.append((now, name))
            test = waiting.get("test")
            if test is not None and waiting.get("end") is None and test(name, screen):
                waiting["end"] = now
                if waiting.get("profiler") is not None:
                    waiting["profiler"].stop()  # the profile ends with this frame

    app._display = display  # Screen calls self.app._display(...): the instance attribute wins


async def put_cursor_on(pilot, accounts_screen, target: dict):
    """Filter the list by the account's name and focus it with the cursor on the account."""
    await pilot.press("slash")
    for key in filter_keys(target["name"]):
        await pilot.press(key)
    await pilot.press("enter")
    await pilot.pause()
    table = accounts_screen.table
    if table.selected is None or table.selected.id != target["id"]:
        index = table.listing.index_of(target["id"])
        if index is None:
            raise RuntimeError(f"{target['name']!r} is not in the filtered list")
        table.cursor = index
        await pilot.pause()
    return table


def _list_loaded(app) -> bool:
    from saletui.ui.widgets.account_table import AccountTable

    try:
        screen = app.screen
        table = screen.query_one(AccountTable)
    except Exception:
        return False
    return table.is_mounted and table.size.height > 0 and not getattr(screen, "_loading", True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time opening the account with the most people.")
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5, help="measured rounds after the warm-up (default 5)")
    parser.add_argument(
        "--profile",
        metavar="OUT",
        help="write pyinstrument profiles of the measured open, People tab and expand to OUT "
        "(text; with OUT.json one loadable session per phase, OUT-open.json ...)",
    )
    parser.add_argument("--show-all", action="store_true", help="profile text: show library frames too")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time a few functions (outermost calls) in each measured step: "
        "<phase>_spans_ms (adds a little overhead; bench.py does not use it)",
    )
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.db, max(1, args.runs), profile=bool(args.profile), breakdown=args.breakdown))
    sessions = result.pop("profiles", None)
    if sessions:
        out = Path(args.profile)
        if out.suffix == ".json":  # loadable sessions: `pyinstrument --load OUT-open.json -r html`
            for phase, session in sessions.items():
                session.save(str(out.with_name(f"{out.stem}-{phase}.json")))
        else:
            from pyinstrument.renderers import ConsoleRenderer

            renderer = ConsoleRenderer(unicode=True, color=False, show_all=args.show_all)
            out.write_text(
                "\n\n".join(
                    f"===== {phase}: {len(result['runs'])} measured rounds, key -> frame =====\n{renderer.render(session)}"
                    for phase, session in sessions.items()
                ),
                encoding="utf-8",
            )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

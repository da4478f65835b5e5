"""Search keystrokes over a 1,000-objection playbook, in-process, headless.

    python tests/perf/playbook_search.py DBPATH [--playbook PATH] [--keys N] [--breakdown]
                                         [--profile OUT.txt|OUT.json]

The app is the real SaletuiApp (keystrokes.build_app, English) on the large database,
under `App.run_test(headless=True, size=(130, 40))`, with settings read by
`saletui.settings.load_settings` from a settings.yaml written into a temporary
SALETUI_HOME: `playbooks.personal_file` is the generated playbook (generate.py,
`DBPATH.playbook.yaml` by default; written if missing), so the app's playbook is the
built-in English one (8 objections) plus those 1,000. Once the account list has loaded:

  open      `ctrl+o` opens the playbook screen; the first open in the process also
            imports the screen, reads and checks the playbook files (app.playbook,
            load_layers) and builds the search index. End: the end of the first frame of
            the PlaybookScreen whose results list holds the results (`screen.results`,
            the first 100 of all the objections, as options).
  keys      then KEYS (40: Latin and Chinese words typed and deleted, e.g. "price mes", "太贵",
            "compet"; every key changes the search text) are pressed one at a time with
            `pilot.press` into the focused search box. Per key:
              results  key -> the end of the first frame after the screen's search for the
                       new text (PlaybookScreen._search, run by the search box's value
                       watcher: SearchIndex.search, the results list rebuilt) that shows
                       the list with those results. THE figure (5).
              detail   key -> the end of the first frame on which the TechniqueList (and
                       the detail pane) shows the top result of the new text. saletui
                       deliberately renders it Delays.playbook_detail (0.12 s) after typing pauses
                       (a timer restarted by each search), so this is at least 120 ms by
                       design; `detail_render_ms` is the part after the timer fired
                       (PlaybookScreen._show -> frame).
            The app settles after each key (the detail shown, then `pilot.pause()`), so each
            key starts from a quiet screen, as in keystrokes.py.
  reopen    `escape` back to the list, then `ctrl+o` again (everything loaded and imported):
            to the first frame with the results, as for open.

Frames are timed as in keystrokes.py (keystrokes.hook_frames: `App._display` wrapped on
the instance, the update turned into terminal output as the real driver would, so the end
includes Textual's frame pacing of up to 1/60 s). The pilot's own waiting is not counted.
Timing wrappers are set on this process's objects only (the screen's `_search` and
`_show`, the index's `search`, `load_layers`, `SearchIndex.__init__`); no saletui file is
changed.

With --breakdown, a few functions (the search, the results list, layout, paint, output)
get timing wrappers after the first open, and each key reports the time spent in their
outermost calls within its figure (`spans_ms`; nested ones overlap) and `split_ms`: key ->
the screen's search starts (dispatch), the search, -> the frame starts (wait), the frame.

With --profile, pyinstrument records each key from just before the key to the results
frame (phase "results"), each detail from the timer firing (`_show`) to its frame
("detail"), and the first open ("open"); text, or one loadable session per phase with
OUT.json (OUT-results.json ...).

Prints one JSON object on the last line of stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from keystrokes import SIZE, build_app, hook_frames  # noqa: E402
from open_account import _install_span_timers, _list_loaded  # noqa: E402

STEP_TIMEOUT = 60.0  # seconds for one step before giving up
PHASES = ("results", "detail", "open")


def key_sequence() -> list[str]:
    """40 keys: words typed and deleted as a rep looks things up, Latin and Chinese."""
    keys: list[str] = []

    def type_(text: str) -> None:
        keys.extend("space" if ch == " " else ch for ch in text)

    type_("price mes")  # 9: narrows to "The MES upgrade is too expensive"
    keys.extend(["backspace"] * 4)  # back to "price"
    keys.extend(["backspace"] * 5)  # empty: everything
    type_("太贵")
    keys.extend(["backspace"] * 2)
    type_("交期")
    keys.extend(["backspace"] * 2)
    type_("compet")
    keys.extend(["backspace"] * 6)
    type_("预算")
    return keys


KEYS = key_sequence()


def apply_key(text: str, key: str) -> str:
    if key == "backspace":
        return text[:-1]
    return text + (" " if key == "space" else key)


def settings_for(playbook: Path, home: Path):
    """settings.yaml in the SALETUI_HOME `home` pointing playbooks.personal_file at
    `playbook`, read the way saletui reads it."""
    from saletui.settings import Paths, load_settings

    paths = Paths.from_environment({"SALETUI_HOME": str(home)})
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(f"playbooks:\n  personal_file: {json.dumps(str(playbook))}\n", encoding="utf-8")
    settings = load_settings(paths.settings_file)
    if Path(settings.playbooks.personal_file) != playbook:
        raise RuntimeError(f"settings: personal_file is {settings.playbooks.personal_file!r}, not {playbook}")
    return settings


def _wrap(owner, name: str, calls: list, with_args: bool = False) -> None:
    """Wrap owner.name (a sync function or bound method) so each call appends
    (start, end[, first argument]) to `calls`."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            calls.append((t0, time.perf_counter(), args[0] if with_args and args else None))

    setattr(owner, name, wrapper)


def _breakdown_targets() -> list[tuple[str, object, str]]:
    """(label, owner, attribute) of the functions --breakdown times; all synchronous."""
    import textual.widgets._option_list as option_list_module
    from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen
    from textual.widgets import Label, OptionList

    from saletui.playbook.search import SearchIndex
    from saletui.ui.screens.playbook import PlaybookScreen

    return [
        ("PlaybookScreen._search (search, results list, status)", PlaybookScreen, "_search"),
        ("SearchIndex.search", SearchIndex, "search"),
        ("OptionList.clear_options", OptionList, "clear_options"),
        ("OptionList.add_options", OptionList, "add_options"),
        ("OptionList._update_lines (every option's height)", OptionList, "_update_lines"),
        ("visualize (option prompt -> Visual)", option_list_module, "visualize"),
        ("Label.update (status line)", Label, "update"),
        ("Screen._refresh_layout (layout, then the frame)", Screen, "_refresh_layout"),
        ("Compositor.reflow (layout)", Compositor, "reflow"),
        ("Screen._compositor_refresh (paint + output)", Screen, "_compositor_refresh"),
        ("Compositor.render_update (paint)", Compositor, "render_update"),
        ("OptionList.render_lines (visible options drawn)", OptionList, "render_lines"),
        ("Stylesheet.update_nodes (restyle)", Stylesheet, "update_nodes"),
        ("ChopsUpdate.render_segments (terminal output)", ChopsUpdate, "render_segments"),
        ("LayoutUpdate.render_segments (terminal output)", LayoutUpdate, "render_segments"),
    ]


def _frame_start(spans: dict, end: float) -> float | None:
    """Start of the frame (layout + paint + output) that ended at `end`."""
    starts = [
        t0
        for label in ("Screen._refresh_layout (layout, then the frame)", "Screen._compositor_refresh (paint + output)")
        for t0, t1 in spans.get(label, ())
        if t0 <= end <= t1
    ]
    return min(starts) if starts else None


async def measure(db: str, playbook: Path, n_keys: int, profile: bool = False, breakdown: bool = False) -> dict:
    import saletui.playbook.load as load_module
    import saletui.playbook.search as search_module

    home = Path(os.environ["SALETUI_HOME"])
    settings = settings_for(playbook, home)
    app = build_app("saletui", db, settings)
    keys = KEYS[:n_keys]
    result: dict = {
        "playbook": str(playbook),
        "keys": keys,
        "latency_ms": [],
        "handler_ms": [],
        "search_ms": [],
        "index_ms": [],
        "detail_ms": [],
        "detail_render_ms": [],
        "show_ms": [],
        "results": [],
        "frames": [],
        "gc_ms": [],
        "gc_full": 0,
    }

    loads: list = []  # load_layers calls
    indexes: list = []  # SearchIndex.__init__ calls
    _wrap(load_module, "load_layers", loads)  # app.playbook imports it from the module when called
    _wrap(search_module.SearchIndex, "__init__", indexes)
    searches: list = []  # (start, end, query) of PlaybookScreen._search
    index_calls: list = []  # (start, end, query) of SearchIndex.search
    shows: list = []  # (start, end, objection) of PlaybookScreen._show (the detail timer firing)
    collections: list = []  # (start, end, generation)
    gc_started = [0.0]

    def gc_callback(phase: str, info: dict) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            collections.append((gc_started[0], time.perf_counter(), info["generation"]))

    profilers = {}
    if profile:
        from pyinstrument import Profiler

        profilers = {p: Profiler(interval=0.0002, async_mode="disabled") for p in PHASES}

    waiting: dict = {}  # the step in progress: its frame tests and their ends once met

    def on_frame(now: float, screen) -> None:
        for name in ("test", "detail_test"):
            test = waiting.get(name)
            end = name.replace("test", "end")
            if test is not None and waiting.get(end) is None and test(screen):
                waiting[end] = now
                profiler = waiting.pop(f"{name}_profiler", None)
                if profiler is not None:
                    profiler.stop()

    async def wait_for(*ends: str, what: str) -> None:
        deadline = time.perf_counter() + STEP_TIMEOUT
        while any(waiting.get(end) is None for end in ends):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{what}: no matching frame within {STEP_TIMEOUT} s")
            await asyncio.sleep(0.001)

    from saletui.ui.widgets.technique_list import TechniqueList

    def results_shown(screen) -> bool:
        """A playbook screen whose results list holds its current results."""
        if type(screen).__name__ != "PlaybookScreen" or getattr(screen, "results", None) is None:
            return False
        return screen.query_one("#pb-results").option_count == len(screen.results)

    async with app.run_test(headless=True, size=SIZE) as pilot:
        deadline = time.monotonic() + 60
        while not _list_loaded(app):
            if time.monotonic() > deadline:
                raise TimeoutError("the account list did not load within 60 s")
            await pilot.pause(0.05)
        await pilot.pause()
        accounts_screen = app.screen
        frames = hook_frames(app, on_frame)
        gc.callbacks.append(gc_callback)

        async def open_playbook(phase: str) -> tuple[float, float, object]:
            profiler = profilers.get(phase)
            waiting.clear()
            waiting.update(
                test=lambda screen: screen is not accounts_screen and results_shown(screen),
                end=None,
                test_profiler=profiler,
            )
            if profiler is not None:
                profiler.start()
            start = time.perf_counter()
            await pilot.press("ctrl+o")
            await wait_for("end", what=phase)
            end = waiting["end"]
            waiting.clear()
            await pilot.pause()
            return start, end, app.screen

        # -- the first open ----------------------------------------------------------------
        start, end, screen = await open_playbook("open")
        pb = app.playbook
        if pb.errors:
            raise RuntimeError(f"the playbook has {len(pb.errors)} error(s), first: {pb.errors[0]}")
        result.update(
            objections=len(pb.objections),
            files=[str(f) for f in pb.files],
            open_ms=round((end - start) * 1000, 3),
            open_results=len(screen.results),
        )
        result["open_load_ms"] = round(sum(t1 - t0 for t0, t1, _a in loads if start <= t0 <= end) * 1000, 3)
        result["open_index_ms"] = round(sum(t1 - t0 for t0, t1, _a in indexes if start <= t0 <= end) * 1000, 3)
        result["open_gc_ms"] = round(sum(c1 - c0 for c0, c1, _g in collections if start <= c0 and c1 <= end) * 1000, 3)
        search_box = screen.query_one("#pb-search")
        techniques = screen.query_one(TechniqueList)
        deadline = time.monotonic() + 5
        while getattr(techniques, "objection", None) is None:  # the first detail, then quiet
            if time.monotonic() > deadline:
                raise TimeoutError("the first objection's techniques were not shown")
            await pilot.pause(0.05)
        await pilot.pause()
        if not search_box.has_focus:
            raise RuntimeError("the search box has no focus on the playbook screen")

        spans: dict[str, list[tuple[float, float]]] = {}
        if breakdown:
            _install_span_timers(spans, _breakdown_targets())
            result["spans_ms"] = []
            result["split_ms"] = []
        _wrap(screen, "_search", searches)  # the value watcher calls self._search()
        shows_wrapped = screen._show

        def show(objection, _original=shows_wrapped):
            profiler = profilers.get("detail")
            if profiler is not None and waiting.get("detail_end") is None and "detail_test" in waiting:
                profiler.start()
                waiting["detail_test_profiler"] = profiler
            t0 = time.perf_counter()
            try:
                return _original(objection)
            finally:
                shows.append((t0, time.perf_counter(), objection))

        screen._show = show  # the detail timer calls self._show(objection)
        index = pb.index
        _wrap(index, "search", index_calls, with_args=True)

        # -- the keys ------------------------------------------------------------------------
        text = search_box.value
        for key in keys:
            text = apply_key(text, key)
            n_search, n_show, n_index, n_frames = len(searches), len(shows), len(index_calls), len(frames)

            def searched(_screen, _n=n_search, _text=text) -> bool:
                return len(searches) > _n and search_box.value == _text

            def detail_shown(_screen, _n=n_show) -> bool:
                if waiting.get("end") is None or len(shows) <= _n:
                    return False
                top = screen.results[0] if screen.results else None
                return shows[-1][2] is top and getattr(techniques, "objection", None) is top

            def results_test(s) -> bool:
                return s is screen and searched(s) and results_shown(s)

            waiting.clear()
            waiting.update(
                test=results_test,
                end=None,
                detail_test=detail_shown,
                detail_end=None,
                test_profiler=profilers.get("results"),
            )
            if waiting["test_profiler"] is not None:
                waiting["test_profiler"].start()
            start = time.perf_counter()
            await pilot.press(key)
            await wait_for("end", "detail_end", what=f"key {key!r}")
            end, detail_end = waiting["end"], waiting["detail_end"]
            waiting.clear()
            mine = [s for s in searches[n_search:] if s[0] >= start]
            if not mine or search_box.value != text:
                raise RuntimeError(f"key {key!r}: the search text is {search_box.value!r}, not {text!r}")
            expected = [o.id for o in pb.search(text)[: len(screen.results)]]  # (not timed: after the figure)
            if [o.id for o in screen.results] != expected:
                raise RuntimeError(f"key {key!r}: the results do not match a search for {text!r}")
            show_call = next(s for s in shows[n_show:] if s[0] >= mine[-1][1])
            result["latency_ms"].append(round((end - start) * 1000, 3))
            result["handler_ms"].append(round((mine[0][1] - start) * 1000, 3))
            result["search_ms"].append(round(sum(s1 - s0 for s0, s1, _a in mine) * 1000, 3))
            result["index_ms"].append(round(sum(c1 - c0 for c0, c1, q in index_calls[n_index:] if c1 <= end) * 1000, 3))
            result["detail_ms"].append(round((detail_end - start) * 1000, 3))
            result["detail_render_ms"].append(round((detail_end - show_call[0]) * 1000, 3))
            result["show_ms"].append(round((show_call[1] - show_call[0]) * 1000, 3))
            result["results"].append(len(screen.results))
            result["frames"].append(sum(1 for f in frames[n_frames:] if f <= end))
            spent = [(g, c1 - c0) for c0, c1, g in collections if start <= c0 and c1 <= end]
            result["gc_ms"].append(round(sum(d for _g, d in spent) * 1000, 3))
            result["gc_full"] += sum(1 for g, _d in spent if g == 2)
            if breakdown:
                result["spans_ms"].append(
                    {
                        name: round(sum(max(0.0, min(t1, end) - max(t0, start)) for t0, t1 in calls) * 1000, 3)
                        for name, calls in spans.items()
                    }
                )
                frame_start = _frame_start(spans, end) or end
                result["split_ms"].append(
                    {  # key -> _search -> frame starts -> frame ends
                        "dispatch": round((mine[0][0] - start) * 1000, 3),
                        "search": round((mine[-1][1] - mine[0][0]) * 1000, 3),
                        "wait": round((frame_start - mine[-1][1]) * 1000, 3),
                        "frame": round((end - frame_start) * 1000, 3),
                    }
                )
            await pilot.pause()
        result["final_text"] = text

        # -- back to the list, open again ---------------------------------------------------------
        await pilot.press("escape")
        deadline = time.monotonic() + STEP_TIMEOUT
        while app.screen is not accounts_screen or not _list_loaded(app):
            if time.monotonic() > deadline:
                raise TimeoutError("escape did not lead back to the loaded list")
            await pilot.pause(0.05)
        await pilot.pause()
        n_loads = len(loads)
        start, end, screen = await open_playbook("reopen")
        result["reopen_ms"] = round((end - start) * 1000, 3)
        result["reopen_results"] = len(screen.results)
        if len(loads) != n_loads:
            raise RuntimeError("the playbook was read again on the second open")
    gc.callbacks.remove(gc_callback)
    if profilers:
        result["profiles"] = {phase: p.last_session for phase, p in profilers.items() if p.last_session}
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time search keystrokes on a 1,000-objection playbook.")
    parser.add_argument("db")
    parser.add_argument(
        "--playbook", type=Path, help="the playbook file (default: DB.playbook.yaml, written by generate.py if missing)"
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed when the playbook is written (default 1)")
    parser.add_argument("--keys", type=int, default=len(KEYS), help=f"keys to press (at most {len(KEYS)})")
    parser.add_argument(
        "--profile",
        metavar="OUT",
        help="write pyinstrument profiles (results, detail, open) to OUT (.json: loadable sessions)",
    )
    parser.add_argument("--show-all", action="store_true", help="profile text: show library frames too")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time a few functions (outermost calls) within each key's figure: spans_ms, and "
        "split_ms (key -> search starts, the search, -> the frame starts, the frame); adds "
        "a little overhead, bench.py does not use it",
    )
    args = parser.parse_args(argv)
    playbook = (args.playbook or generate.playbook_path(args.db)).resolve()
    if not playbook.exists():
        generate.build_playbook(playbook, args.seed)
    n = max(1, min(args.keys, len(KEYS)))
    with tempfile.TemporaryDirectory(prefix="saletui-playbook-") as home:
        os.environ["SALETUI_HOME"] = home  # SaletuiApp's paths: no user settings or data are touched
        try:
            result = asyncio.run(measure(args.db, playbook, n, profile=bool(args.profile), breakdown=args.breakdown))
        finally:
            from saletui.store.db import close_database

            close_database()
    sessions = result.pop("profiles", None)
    if sessions:
        out = Path(args.profile)
        if out.suffix == ".json":  # `pyinstrument --load OUT-results.json -r html`
            for phase, session in sessions.items():
                session.save(str(out.with_name(f"{out.stem}-{phase}.json")))
        else:
            from pyinstrument.renderers import ConsoleRenderer

            renderer = ConsoleRenderer(unicode=True, color=False, show_all=args.show_all)
            out.write_text(
                "\n\n".join(f"===== {phase} =====\n{renderer.render(session)}" for phase, session in sessions.items()),
                encoding="utf-8",
            )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Opening the pre-call brief of the account with the most people, in-process, headless.

    python tests/perf/open_brief.py DBPATH [--runs N] [--profile OUT.txt|OUT.json]

Set up exactly like open_account.py (its helpers are reused): the real SaletuiApp built
like `saletui.cli` builds it (keystrokes.build_app: English, the built-in settings, so
the built-in playbook), under `App.run_test(headless=True, size=(130, 40))`, on the large
database. Once the whole list has loaded, `/` focuses the filter, the account's name is
typed (so the list shows only it), Enter submits the filter and focuses the list, with the
cursor on the account. Then, per round:

  brief   `b` on the list opens BriefScreen for the highlighted account. Its on_mount
          builds the brief (services.brief.build), renders it as Markdown text
          (`screen.text`) and puts it in one MarkdownPage, drawn once by Rich's Markdown renderer.
          End: the end of the first frame of the BriefScreen on which that page, holding
          the screen's `text`, is visible. Checked when the frame is rendered.
  back    `escape` back to the list (not a target; the list re-reads its accounts on
          resume). End: the first frame of the list screen.

Frames are timed as in open_account.py / keystrokes.py: `App._display` is wrapped on the
instance and the wrapper also turns the update into terminal output (`render_segments`),
so the end includes Textual's frame pacing (up to 1/60 s after the screen goes idle). Every
figure starts just before `pilot.press(key)`; the app settles between steps.

The first round is a warm-up, reported on its own (`first`: it also imports the brief
screen and services.brief). Then `--runs` rounds are measured.
Per round: `brief_ms` (the figure), `brief_frames` (frames up to its end), `brief_gc_ms`
and `brief_gc_full` (garbage collections inside the figure), `brief_to_mount_ms` (key ->
BriefScreen.on_mount starts), `brief_mount_ms` (on_mount itself), of which
`brief_build_ms` (services.brief.build) and `brief_render_ms` (render_markdown);
`brief_widgets` (all the widgets of the brief screen) and `brief_chars` (length of the
text); `back_ms`.

With --profile, pyinstrument records each measured brief from just before the key to the
end of the frame that ends the figure, and writes the profile to OUT.

Prints one JSON object on the last line of stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from keystrokes import SIZE, build_app  # noqa: E402
from open_account import _list_loaded, hook_display, largest_account, put_cursor_on  # noqa: E402

STEP_TIMEOUT = 60.0  # seconds for one step before giving up


def _install_timers(marks: dict[str, list]) -> None:
    """Time BriefScreen.on_mount and services.brief.build / render_markdown (wrappers on
    the class and the module: the brief screen calls `brief.build(...)` through the
    module, so the module attribute wins). Set after the warm-up, which imports them."""
    from saletui.services import brief as brief_service
    from saletui.ui.screens.brief import BriefScreen

    original_mount = BriefScreen.on_mount

    def on_mount(self) -> None:
        t0 = time.perf_counter()
        try:
            original_mount(self)
        finally:
            marks["mount"].append((t0, time.perf_counter()))

    BriefScreen.on_mount = on_mount  # Textual dispatches handlers found in the class __dict__

    for name in ("build", "render_markdown"):
        original = getattr(brief_service, name)

        def timed(*args, _original=original, _name=name, **kwargs):
            t0 = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                marks[_name].append((t0, time.perf_counter()))

        setattr(brief_service, name, timed)


async def measure(db: str, runs: int, profile: bool = False) -> dict:
    target = largest_account(db)
    app = build_app("saletui", db)
    frames: list[tuple[float, str]] = []  # (end time, screen class name) of every frame
    collections: list[tuple[float, float, int]] = []  # garbage collections (start, end, generation)
    marks: dict[str, list] = {"mount": [], "build": [], "render_markdown": []}
    gc_started: list[float] = [0.0]

    def gc_callback(phase: str, info: dict) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            collections.append((gc_started[0], time.perf_counter(), info["generation"]))

    gc.callbacks.append(gc_callback)
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="disabled")
    result: dict = {"account": target, "first": None, "runs": []}

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

        async def step(key: str, phase: str, test, use_profiler=None) -> tuple[float, float]:
            """Press `key`; return its start and the end of the first frame that passes `test`."""
            waiting.clear()
            waiting.update(test=test, end=None, profiler=use_profiler)
            n_frames = len(frames)
            if use_profiler is not None:
                use_profiler.start()
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
            return start, end

        def brief_frame(name: str, screen) -> bool:
            """The brief's page (one MarkdownPage holding `screen.text`, drawn for its
            width) is on this frame."""
            if name != "BriefScreen" or not getattr(screen, "text", None):
                return False
            try:
                page = screen.query_one("#brief")
            except Exception:
                return False
            if getattr(page, "text", None) != screen.text or not page.rendered:
                return False
            return page in screen._compositor.visible_widgets

        def list_frame(name: str, _screen) -> bool:
            return name == "AccountsScreen"

        record: dict = {}
        for round_no in range(runs + 1):
            record = {}
            if not table.has_focus or table.selected is None or table.selected.id != target["id"]:
                raise RuntimeError("the list's cursor is not on the account (or the list has no focus)")
            n = {k: len(v) for k, v in marks.items()}
            start, end = await step("b", "brief", brief_frame, profiler if round_no > 0 else None)
            record["brief_ms"] = round((end - start) * 1000, 3)
            if len(marks["mount"]) > n["mount"]:
                m0, m1 = marks["mount"][n["mount"]]
                record["brief_to_mount_ms"] = round((m0 - start) * 1000, 3)
                record["brief_mount_ms"] = round((m1 - m0) * 1000, 3)
            for name, key in (("build", "brief_build_ms"), ("render_markdown", "brief_render_ms")):
                if len(marks[name]) > n[name]:
                    t0, t1 = marks[name][n[name]]
                    record[key] = round((t1 - t0) * 1000, 3)
            await pilot.pause()
            screen = app.screen
            if type(screen).__name__ != "BriefScreen":
                raise RuntimeError("b did not open the brief")
            record["brief_widgets"] = sum(1 for _w in screen.walk_children())
            record["brief_chars"] = len(screen.text)
            start, end = await step("escape", "back", list_frame)
            record["back_ms"] = round((end - start) * 1000, 3)
            await pilot.pause()
            if app.screen is not accounts_screen:
                raise RuntimeError("escape did not lead back to the list")
            if round_no == 0:
                result["first"] = record
                _install_timers(marks)  # the modules are imported now
            else:
                result["runs"].append(record)

    gc.callbacks.remove(gc_callback)
    if profiler is not None:
        result["profile"] = profiler.last_session
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time opening the pre-call brief of the account with the most people.")
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5, help="measured rounds after the warm-up (default 5)")
    parser.add_argument(
        "--profile",
        metavar="OUT",
        help="write a pyinstrument profile of the measured briefs to OUT (text; OUT.json: a loadable session)",
    )
    parser.add_argument("--show-all", action="store_true", help="profile text: show library frames too")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.db, max(1, args.runs), profile=bool(args.profile)))
    session = result.pop("profile", None)
    if session is not None:
        out = Path(args.profile)
        if out.suffix == ".json":  # `pyinstrument --load OUT.json -r html`
            session.save(str(out))
        else:
            from pyinstrument.renderers import ConsoleRenderer

            renderer = ConsoleRenderer(unicode=True, color=False, show_all=args.show_all)
            out.write_text(
                f"===== brief: {len(result['runs'])} measured rounds, key -> frame =====\n{renderer.render(session)}",
                encoding="utf-8",
            )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

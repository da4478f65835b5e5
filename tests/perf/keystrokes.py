"""Filter-keystroke latency on the large database, in-process, headless.

    python tests/perf/keystrokes.py MODE DBPATH [--keys N] [--profile OUT.txt]

MODE is `saletui` (the real SaletuiApp, built like the CLI builds it) or `naive` (the
stock-DataTable reference in naive_app.py). The app runs under `App.run_test(headless=True,
size=(130, 40))`; `/` focuses the filter, then the keys of KEYS are pressed one at a time
with `pilot.press` (letters, Chinese characters, a space and backspaces; every key changes
the filter text).

What one figure measures, per key:

  start  just before `pilot.press(key)` hands the key event to the driver;
  end    the end of the first frame the screen renders after the list has been
         re-filtered: for saletui after AccountTable.refresh_view() returned (called by
         the screen's FilterBar.Changed handler); for naive after DataTable has measured
         the new rows (its `_update_dimensions`, run on idle after clear() + add_rows()).

A frame is the screen's compositor update (Screen._compositor_refresh -> App._display).
The headless driver does not turn it into terminal output, so the timing hook does that
step itself (`render_segments`, what the Linux driver writes) to keep its cost in. The
end therefore includes Textual's frame pacing (the screen's update timer, at most 1/60 s
after the screen goes idle), the Input's own repaint and the status line. The pilot's
own waiting after the key is not counted.

Prints one JSON object: per-key latencies in ms, the handler part (start -> re-filtered)
and the rows shown after each key.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (130, 40)
KEY_TIMEOUT = 30.0  # seconds for one key before giving up


def key_sequence() -> list[str]:
    """50 keys: type, then delete, several filters. Every key changes the filter text."""
    keys: list[str] = []
    for text in ("tech", "华东", "sarah chen", "gmbh", "精密", "pre"):
        keys.extend(text)
        keys.extend(["backspace"] * len(text))
    return keys


KEYS = key_sequence()


def build_app(mode: str, db: str, settings=None):
    """The app under test; saletui like the CLI builds it (English), with `settings`
    (default: the built-in ones, no settings file read)."""
    if mode == "naive":
        sys.path.insert(0, str(HERE))
        from naive_app import NaiveApp

        return NaiveApp(db)
    from saletui.i18n import set_language
    from saletui.settings import load_settings
    from saletui.store.db import open_database

    set_language("en")
    open_database(Path(db))
    from saletui.ui.app import SaletuiApp

    return SaletuiApp(settings if settings is not None else load_settings(None), Path(db))


def hook_frames(app, on_frame=None) -> list[float]:
    """Time every frame the app paints; returns the list their end times are appended to.

    A frame is the screen's compositor update (Screen._compositor_refresh calls
    `self.app._display(screen, update)`); the wrapper is set on the app instance, so it
    wins over the class method. The headless driver writes nothing, so the wrapper turns
    the update into terminal output itself (`render_segments`, what the Linux driver
    writes) to keep that cost in. `on_frame(end_time, screen)`, if given, is called after
    each frame (to test what the frame showed).
    """
    frames: list[float] = []
    original_display = app._display

    def display(screen, renderable) -> None:
        original_display(screen, renderable)
        if renderable is not None:
            renderable.render_segments(app.console)  # what a real driver would write
            now = time.perf_counter()
            frames.append(now)
            if on_frame is not None:
                on_frame(now, screen)

    app._display = display  # Screen calls self.app._display(...): the instance attribute wins
    return frames


async def measure(mode: str, db: str, n_keys: int, profiler=None) -> dict:
    app = build_app(mode, db)
    ready: list[float] = []  # times the list finished re-filtering
    keys = KEYS[:n_keys]
    result: dict = {"mode": mode, "keys": keys, "latency_ms": [], "handler_ms": [], "rows": []}

    async with app.run_test(headless=True, size=SIZE) as pilot:
        # Wait for the list screen.
        deadline = time.monotonic() + 60
        while not _list_ready(app, mode):
            if time.monotonic() > deadline:
                raise TimeoutError("the account list did not appear within 60 s")
            await pilot.pause(0.05)
        await pilot.pause()

        frames = hook_frames(app)  # end times of rendered frames

        table = _table(app, mode)
        hook_name = "_update_dimensions" if mode == "naive" else "refresh_view"
        original_hook = getattr(table, hook_name)

        def hooked(*args, **kwargs):
            try:
                return original_hook(*args, **kwargs)
            finally:
                ready.append(time.perf_counter())

        setattr(table, hook_name, hooked)

        await pilot.press("slash")
        await pilot.pause()
        if profiler is not None:
            profiler.start()
        for key in keys:
            n_ready = len(ready)
            start = time.perf_counter()
            await pilot.press(key)
            deadline = time.perf_counter() + KEY_TIMEOUT
            while True:
                # For naive, refresh_view's equivalent is the measuring of the new rows,
                # which can only follow the key; for saletui one refresh_view per key.
                if len(ready) > n_ready:
                    done = ready[-1]
                    after = [f for f in frames if f > done]
                    if after:
                        break
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"no frame after key {key!r} within {KEY_TIMEOUT} s")
                await asyncio.sleep(0.001)
            frame = min(f for f in frames if f > done)
            result["latency_ms"].append(round((frame - start) * 1000, 3))
            result["handler_ms"].append(round((ready[n_ready] - start) * 1000, 3))
            await pilot.pause()  # settle before the next key (this forces a frame; not counted)
            result["rows"].append(_rows_shown(app, mode))
        if profiler is not None:
            profiler.stop()
    return result


def _list_ready(app, mode: str) -> bool:
    try:
        table = _table(app, mode)
    except Exception:
        return False
    return table.is_mounted and table.size.height > 0


def _table(app, mode: str):
    if mode == "naive":
        from textual.widgets import DataTable

        return app.query_one(DataTable)
    from saletui.ui.widgets.account_table import AccountTable

    return app.screen.query_one(AccountTable)


def _rows_shown(app, mode: str) -> int:
    table = _table(app, mode)
    return table.row_count if mode == "naive" else len(table.listing.view)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time filter keystrokes on the account list.")
    parser.add_argument("mode", choices=("saletui", "naive"))
    parser.add_argument("db")
    parser.add_argument("--keys", type=int, default=len(KEYS), help=f"keys to press (at most {len(KEYS)})")
    parser.add_argument("--profile", metavar="OUT", help="write a pyinstrument profile of the keys to OUT")
    args = parser.parse_args(argv)
    n = max(1, min(args.keys, len(KEYS)))
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002, async_mode="disabled")  # the keys only
    result = asyncio.run(measure(args.mode, args.db, n, profiler))
    if profiler is not None:
        Path(args.profile).write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

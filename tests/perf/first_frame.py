"""Launch one app in this process, note where its start-up time goes, exit at the first frame.

    python tests/perf/first_frame.py MODE DBPATH [--profile OUT.txt|OUT.json] [--result OUT.json]

MODE is `hello`, `naive` or `saletui`. For saletui the app is built exactly like
`saletui.cli.main` builds it (language, settings, open_database, then the UI import and
SaletuiApp(settings, path)). Run it in a terminal (bench.py runs it on a pseudo-terminal):
it uses Textual's normal driver, and the first frame is the first write to the terminal
that contains the marker text (the first account's name; the label for hello). The app
then exits.

Phases are reported in milliseconds since the process was spawned (bench.py passes its
spawn time in SALETUI_PERF_SPAWN; without it, since this script started) as JSON on stdout
after the app has left the terminal, or into --result. The spans (time inside a few
saletui functions) count the calls begun before the first frame; a worker thread's calls
are listed apart ("[worker thread]", wall time that overlaps the UI thread's). With --profile, pyinstrument
(`pip install pyinstrument`) records everything from the first import to the first frame.

Nothing in saletui is changed: the few timing wrappers are installed on this process's
own objects.
"""

import time

T_START = time.monotonic()  # before any other import: what is left is interpreter start-up

import functools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
SPAWN_ENV = "SALETUI_PERF_SPAWN"
MODES = ("hello", "naive", "saletui")


def marker_for(mode: str, db_path: str | Path | None) -> str:
    """Text that is on the terminal once the app shows its list (or its label).

    saletui sorts by name ignoring case and puts the cursor on the first row; the naive
    reference orders by name in SQL (binary). Ten characters are never truncated.
    """
    if mode == "hello":
        sys.path.insert(0, str(HERE))
        from hello_app import MARKER

        return MARKER
    conn = sqlite3.connect(Path(db_path))  # not read-only: that would leave -wal/-shm behind
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM account WHERE archived_at IS NULL")]
    finally:
        conn.close()
    first = min(names, key=str.casefold) if mode == "saletui" else min(names)
    return first[:10]


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Time one app's start-up up to its first frame.")
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("db", nargs="?", help="database (naive, saletui)")
    parser.add_argument(
        "--profile",
        metavar="OUT",
        help="write a pyinstrument profile to OUT (text; a loadable session if OUT ends in .json)",
    )
    parser.add_argument("--result", metavar="OUT", help="write the JSON result to OUT instead of stdout")
    parser.add_argument("--marker", help="text that shows the list is painted (default: from the database)")
    args = parser.parse_args(argv)
    if args.mode != "hello" and not args.db:
        parser.error("naive and saletui need DBPATH")

    origin = float(os.environ.get(SPAWN_ENV, T_START))
    marks: dict[str, float] = {"python_started": T_START}
    spans: dict[str, float] = {}

    def mark(name: str) -> None:
        marks[name] = time.monotonic()

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()

    marker = args.marker or marker_for(args.mode, args.db)
    app = _build(args.mode, args.db, mark, spans, marks)
    mark("app_built")

    # A driver that notes the first write showing the marker, then asks the app to exit.
    from textual.app import App

    sys.path.insert(0, str(HERE))
    from ptyrun import visible_text

    base = app.driver_class
    seen: list[str] = []

    class FirstFrameDriver(base):  # type: ignore[misc, valid-type]
        def write(self, data: str) -> None:
            super().write(data)
            if "first_frame" in marks:
                return
            seen.append(data)
            if marker in visible_text("".join(seen)):
                mark("first_frame")
                if profiler is not None:
                    profiler.stop()
                app.exit()

    assert isinstance(app, App)
    app.driver_class = FirstFrameDriver
    try:
        app.run()
    finally:
        if args.mode == "saletui":
            from saletui.store.db import close_database

            close_database()
    mark("exited")

    result = {
        "mode": args.mode,
        "marker": marker,
        "ms_since_spawn": {k: round((v - origin) * 1000, 2) for k, v in marks.items()},
        "spans_ms": {k: round(v * 1000, 2) for k, v in spans.items()},
    }
    if profiler is not None:
        if args.profile.endswith(".json"):  # a session: `pyinstrument --load OUT.json -r html`
            profiler.last_session.save(args.profile)
        else:
            Path(args.profile).write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    text = json.dumps(result, ensure_ascii=False)
    if args.result:
        Path(args.result).write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0 if "first_frame" in marks else 1


def _timed(owner, name: str, spans: dict[str, float], key: str, marks: dict[str, float]) -> None:
    """Wrap owner.name so that the run time of its calls begun before the first frame
    accumulates in spans[key]."""
    original = getattr(owner, name)

    @functools.wraps(original)  # Textual passes handlers as many arguments as they declare
    def wrapper(*args, **kwargs):
        start = time.monotonic()
        try:
            return original(*args, **kwargs)
        finally:
            if "first_frame" not in marks or start < marks["first_frame"]:  # the way to the first frame
                # A worker thread's calls (e.g. the full read after the first page) are kept
                # apart: wall time, overlapping the UI thread, possibly ending after the frame.
                main = threading.current_thread() is threading.main_thread()
                label = key if main else f"{key} [worker thread]"
                spans[label] = spans.get(label, 0.0) + time.monotonic() - start

    setattr(owner, name, wrapper)


def _build(mode: str, db: str | None, mark, spans: dict[str, float], marks: dict[str, float]):
    if mode == "hello":
        from hello_app import HelloApp

        mark("imported")
        return HelloApp()
    if mode == "naive":
        from naive_app import NaiveApp

        mark("imported")
        return NaiveApp(db)

    # saletui: the steps of saletui.cli.main, in its order.
    from saletui.i18n import language_from_environment, set_language

    set_language(language_from_environment())
    from saletui.settings import Paths, load_settings
    from saletui.store.db import open_database

    mark("store_imported")
    paths = Paths.from_environment()
    settings = load_settings(paths.settings_file)
    set_language(settings.language or language_from_environment())
    open_database(Path(db))
    mark("database_opened")
    from saletui.ui.app import SaletuiApp

    mark("ui_imported")
    import saletui.account_listing as listing_module
    import saletui.store.accounts as accounts_module
    import saletui.ui.screens.accounts as screen_module

    _timed(accounts_module, "list_rows", spans, "list_rows (SQL + AccountRow)", marks)
    _timed(listing_module.AccountListing, "set_rows", spans, "AccountListing.set_rows (cells, sort)", marks)
    _timed(accounts_module, "owners", spans, "owners()", marks)
    _timed(screen_module.AccountsScreen, "on_mount", spans, "AccountsScreen.on_mount", marks)
    return SaletuiApp(settings, Path(db))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""saletui performance benchmark on a large database, with two references.

    .venv/bin/python tests/perf/bench.py [--runs N] [--db PATH] [--seed N] [--rebuild] [--json OUT]

Without --db the large database (generate.py) is built once into the temp directory
(saletui-perf-v<generator>-s<seed>-<schema>.sqlite3) and reused by later runs; it is
rebuilt when the generator or saletui's schema changes, or with --rebuild. The
1,000-objection playbook of (5) lies beside the database (DB.playbook.yaml, generate.py);
it is written when missing or when its generator version differs (also beside --db).

Figures (each the median over N runs, with the min-max spread):

(1) Cold start to the first painted account list. Each app is started as a new process
    on a pseudo-terminal of 130 x 40 (so Textual uses its real driver and writes real
    escape sequences); the time runs from just before the spawn until the first row of
    the list (the label, for hello) has arrived on the terminal. saletui is started
    exactly as a user starts it: `python -m saletui --db PATH`. References: hello_app.py
    (a bare App with a Label: Textual's floor) and naive_app.py (a stock DataTable with
    the same 10,000 accounts). One warm-up round runs first and is not counted, so the
    OS file cache and the .pyc files are warm for every app alike. Runs are interleaved:
    hello, naive, saletui, hello, ...
(2) One filter keystroke on 10,000 accounts: key event -> end of the first frame after
    the list was re-filtered, p50 and p95 over 50 keys (typing and deleting), measured
    in-process under run_test(headless=True, size=(130, 40)); see keystrokes.py for
    exactly what is measured. The naive reference does clear() + add_rows().
(3) Opening the account with the most people (500, six levels deep): from the Enter on
    the account list to the end of the first frame of the account screen with its org
    chart built and its coverage warnings computed; then `]` to the People tab until the
    first frame with the chart painted; then shift+space on the chart (all collapsed to
    the top person; the figure is the second press, expanding all 500 lines again) to
    the next frame with the chart repainted. In-process under run_test(headless=True,
    size=(130, 40)), frames timed like (2); one process, one warm-up round (reported on
    its own: it also imports the account screen), then N rounds, each re-opening the
    account from the list. See open_account.py.
(4) Opening the pre-call brief of the account with the most people: set up like (3)
    (the list filtered to the account, Enter to focus it), then `b` on the list opens
    BriefScreen; from the key to the end of the first frame of the brief screen, after
    its Markdown.update of the brief text (`screen.text`) has completed, on which the
    Markdown's first block is visible. One process, one warm-up round (reported apart:
    it imports the brief screen), then N rounds, Esc back to the list between them.
    See open_brief.py.
(5) One search keystroke on the objection playbook with 1,000 objections (plus the 8
    built-in ones): key -> end of the first frame showing the results list of the new
    search text, p50 and p95 over 40 keys (Latin and Chinese words typed and deleted),
    in-process like (2), with settings whose playbooks.personal_file is the generated
    playbook. Secondary: the same keys to the frame on which the techniques of the top
    result are shown (saletui renders them 0.12 s after typing pauses, by design), and
    ctrl+o to the first frame of the playbook screen with its results (the first open in
    the process reads the playbook files; then an open with everything loaded). One
    process per run. See playbook_search.py.
(7) Opening the Reports over the generator's 5 million order lines: `r` on the list to the
    end of the first frame of the Reports screen with its table (sales by quarter and
    company, last 24 months) and bar chart, then `d` to the rows by region; in-process like
    (3). Reference, same process: a bare Textual app whose key pushes a stock DataTable
    holding the same rows; the ratio is printed beside the figure. See report_frame.py.
(8) The monthly review of the 15 (5+5+5): the store's review of every tiered account for
    this month (plans and their months against the `sales_month` summary), on a copy of
    the database in which each tiered account was given a plan. See review.py.
(10) Deal risks after an edit (deal_risks.py, in-process on a copy): a contact's roles
    changed on the account with the most open deals, then the deals table's risks worked
    out and the account's stored ones stored again; against the same account's deals read
    alone (the deals table's query before risks), the ratio printed beside. Also the
    daily re-storing of every open deal's risks (the list's worker).
(11) Opening the Pipeline (pipeline_frame.py, on a copy): `p` on the list to the first
    frame holding the open deals by stage in its table and chart, against the stock
    DataTable pushed by a bare app with the same rows; `g` (by close month) beside.
(12) The one search (one_search.py, on a copy): Ctrl+F on the list, then 50 keys typed and
    deleted (part of a phone number, a two-character Chinese name, Latin names, words from
    visit notes) over 10,000 accounts, 100,000 people, 2,000 deals and 50,000 visits: key ->
    the first frame with the results of the new text, p50 and p95 over three rounds; against
    a bare Input with the same keys and the same Input above a stock OptionList given the
    same lines (ratios beside).
(13) Opening the agenda (agenda_frame.py, on a copy, today = the generator's reference day):
    `w` on the list to the first frame holding the week in its table, against the stock
    DataTable pushed by a bare app with the same rows.
(6) Peak memory of each process of (1) (started, list painted, for saletui also the
    whole list loaded, i.e. the status line shows "N of N accounts", then quit with
    Ctrl+Q): its VmHWM, sampled until it exits. Not ru_maxrss from os.wait4, which on Linux includes
    the spawning parent's own peak (see ptyrun.py).
(9) Imports (import_rows.py): a million accounts, a million people and a million order
    lines through the CLI, each in a new process, against Python's csv module into
    sqlite3 executemany (no validation) on the same file: rows/s and peak memory,
    absolute and as a ratio to that reference. --import-rows N scales all three
    (0 skips the figure; it takes minutes).

Also printed: where saletui's cold start goes (first_frame.py, same pseudo-terminal) and
the keystroke's handler part.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import first_frame  # noqa: E402
import generate  # noqa: E402
import import_rows  # noqa: E402
import keystrokes  # noqa: E402
import ptyrun  # noqa: E402

PY = sys.executable
COLS, ROWS = keystrokes.SIZE
FIRST_FRAME_TIMEOUT = 60.0  # seconds for one app to paint
KEYS_TIMEOUT = 600.0  # seconds for one keystroke run
OPEN_TIMEOUT = 600.0  # seconds for all the open-account rounds
BRIEF_TIMEOUT = 600.0  # seconds for all the brief rounds
PLAYBOOK_TIMEOUT = 600.0  # seconds for one playbook-search run
REPORT_TIMEOUT = 900.0  # seconds for all the report rounds and their reference
TARGET_START_RATIO = 1.5  # (1) saletui within 1.5 x hello's first frame
TARGET_KEY_P95_MS = 35.0  # (2)
TARGET_MEMORY_MB = 80.0  # (6), MB = 10^6 bytes
TARGET_OPEN_MS = 50.0  # (3), each of its three figures
TARGET_BRIEF_MS = 100.0  # (4)
TARGET_REVIEW_MS = 100.0  # (8)
TARGET_RISK_MS = 10.0  # (10): deal risks worked out again after an edit
TARGET_PIPELINE_MS = 100.0  # (11): p -> the Pipeline frame over the open deals
TARGET_ONE_SEARCH_P95_MS = 50.0  # (12): key -> the frame with the one search's results
TARGET_AGENDA_MS = 100.0  # (13): w -> the agenda's frame
TARGET_SEARCH_P95_MS = 20.0  # (5): key -> next frame with the results, judged on p95
TARGET_REPORT_MS = 300.0  # (7): r -> the Reports frame over 5M order lines


# --- the database ----------------------------------------------------------------------
def schema_tag() -> str:
    from saletui.store.db import known_migrations

    return known_migrations()[-1].split("_", 1)[0]


def cached_db(seed: int) -> Path:
    return Path(tempfile.gettempdir()) / f"saletui-perf-v{generate.GENERATOR_VERSION}-s{seed}-{schema_tag()}.sqlite3"


def ensure_db(path: Path | None, seed: int, rebuild: bool = False) -> Path:
    if path is not None:
        if not path.exists():
            sys.exit(f"bench.py: {path} does not exist (create it with tests/perf/generate.py)")
        return path
    from saletui.store.db import StoreError, inspect, known_migrations

    path = cached_db(seed)
    if path.exists() and not rebuild:
        try:
            if sorted(inspect(path)) == known_migrations():
                print(f"database: {path} (cached)")
                return path
        except StoreError:
            pass
        print(f"database: {path} is out of date; rebuilding")
    elif not rebuild and upgrade_older(path, seed):
        return path
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        result = generate.build(tmp, seed, force=True, playbook=False)  # ensure_playbook writes it
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    print(f"database: {path} (built in {result['seconds']:.1f} s)")
    return path


def upgrade_older(path: Path, seed: int) -> bool:
    """The newest cached database of the same generator and seed but an older schema,
    upgraded by saletui's own migrations into `path` (as a rep's file would be: minutes
    saved, and the upgrade of a large book timed); False when there is none."""
    from saletui.store.db import close_database, open_database

    older = sorted(path.parent.glob(f"saletui-perf-v{generate.GENERATOR_VERSION}-s{seed}-[0-9][0-9][0-9][0-9].sqlite3"))
    older = [p for p in older if p.name < path.name]
    if not older:
        return False
    source = older[-1]
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(source, tmp)  # the old one stays until the upgrade has worked
        started = time.perf_counter()
        backup = open_database(tmp)
        close_database()
        seconds = time.perf_counter() - started
        if backup is not None:
            backup.unlink(missing_ok=True)  # the file was a cache: no need to keep the old one
        os.replace(tmp, path)
        source.unlink()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    old_playbook = generate.playbook_path(source)
    if old_playbook.exists():
        os.replace(old_playbook, generate.playbook_path(path))
    print(f"database: {path} (upgraded from {source.name} by the migrations in {seconds:.1f} s)")
    return True


def ensure_playbook(db: Path, seed: int) -> Path:
    """The 1,000-objection playbook beside `db`; written (and checked) when missing or made
    by another version of the generator or another seed."""
    path = generate.playbook_path(db)
    wanted = f'version: "{generate.playbook_version(seed)}"'
    if path.exists():
        with path.open(encoding="utf-8") as f:
            head = [f.readline().strip() for _ in range(10)]
        if wanted in head:
            print(f"playbook: {path} (cached)")
            return path
    result = generate.build_playbook(path, seed)
    print(f"playbook: {path} ({result['objections']:,} objections, written and checked in {result['seconds']:.1f} s)")
    return path


def settle_db(path: Path) -> None:
    """Close the database cleanly once so no -wal/-shm files are left beside it."""
    try:
        conn = sqlite3.connect(path)
        conn.execute("SELECT count(*) FROM account").fetchone()
        conn.close()
    except sqlite3.Error:
        pass


def db_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("account", "person", "deal", "visit", "visitattendee", "milestone", "visititem", "visitobjection")
        }
        counts["checklists"] = conn.execute("SELECT count(DISTINCT visit_id) FROM visititem").fetchone()[0]
        return counts
    finally:
        conn.close()


# --- measuring -------------------------------------------------------------------------
def child_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "SALETUI_", "LC_", "PYTHON")) and k not in ("LANG", "COLUMNS", "LINES")
    }
    env.update(
        {
            "LANG": "en_US.UTF-8",
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "SALETUI_HOME": str(home),  # no user settings or data are read or written
        }
    )
    return env


def loaded_status(db: Path) -> str:
    """saletui's status line once the whole list is loaded (in English, see child_env).

    Its first frame shows the first page of accounts; the rest arrive from a worker after
    it. Quitting only once this is on screen makes (6) the memory of the loaded app.
    """
    conn = sqlite3.connect(db)
    try:
        n = conn.execute("SELECT count(*) FROM account WHERE archived_at IS NULL").fetchone()[0]
    finally:
        conn.close()
    return f"{n} of {n} accounts"


def cold_start(mode: str, db: Path, env: dict[str, str], marker: str, quit_after: str | None = None) -> ptyrun.PtyRun:
    argv = {
        "hello": [PY, str(HERE / "hello_app.py")],
        "naive": [PY, str(HERE / "naive_app.py"), str(db)],
        "saletui": [PY, "-m", "saletui", "--db", str(db)],
    }[mode]
    run = ptyrun.run(argv, env, marker, cols=COLS, rows=ROWS, timeout=FIRST_FRAME_TIMEOUT, quit_after=quit_after)
    if not run.ok:
        raise RuntimeError(
            f"{mode}: {marker!r} did not appear within {FIRST_FRAME_TIMEOUT:.0f} s "
            f"(exit status {run.status}); last output:\n{run.tail}"
        )
    if not run.quit_cleanly:
        print(
            f"  warning: {mode} did not quit cleanly on Ctrl+Q (status {run.status}, killed {run.killed})",
            file=sys.stderr,
        )
    return run


def breakdown_run(db: Path, env: dict[str, str], marker: str, result: Path) -> dict:
    result.unlink(missing_ok=True)
    argv = [PY, str(HERE / "first_frame.py"), "saletui", str(db), "--marker", marker, "--result", str(result)]
    run = ptyrun.run(
        argv, env, marker, cols=COLS, rows=ROWS, timeout=FIRST_FRAME_TIMEOUT, spawn_stamp_env=first_frame.SPAWN_ENV
    )
    if not run.ok or not result.exists():
        raise RuntimeError(f"first_frame.py failed (exit status {run.status}); last output:\n{run.tail}")
    return json.loads(result.read_text(encoding="utf-8"))


def keystroke_run(mode: str, db: Path, env: dict[str, str], n_keys: int) -> dict:
    argv = [PY, str(HERE / "keystrokes.py"), mode, str(db), "--keys", str(n_keys)]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=KEYS_TIMEOUT, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"keystrokes.py {mode} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def open_run(db: Path, env: dict[str, str], runs: int) -> dict:
    argv = [PY, str(HERE / "open_account.py"), str(db), "--runs", str(runs)]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=OPEN_TIMEOUT, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"open_account.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def brief_run(db: Path, env: dict[str, str], runs: int) -> dict:
    argv = [PY, str(HERE / "open_brief.py"), str(db), "--runs", str(runs)]
    proc = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=BRIEF_TIMEOUT, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        raise RuntimeError(f"open_brief.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report_run(db: Path, env: dict[str, str], runs: int) -> dict:
    argv = [PY, str(HERE / "report_frame.py"), str(db), "--runs", str(runs)]
    proc = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=REPORT_TIMEOUT, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        raise RuntimeError(f"report_frame.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pipeline_run(db: Path, env: dict[str, str], runs: int) -> dict:
    argv = [PY, str(HERE / "pipeline_frame.py"), str(db), "--runs", str(runs)]
    proc = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=REPORT_TIMEOUT, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        raise RuntimeError(f"pipeline_frame.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def script_run(script: str, db: Path, env: dict[str, str], runs: int) -> dict:
    """One of the in-process figure scripts on `db`; its last line of output, parsed."""
    argv = [PY, str(HERE / script), str(db), "--runs", str(runs)]
    proc = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=REPORT_TIMEOUT, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{script} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def playbook_run(db: Path, playbook: Path, env: dict[str, str]) -> dict:
    argv = [PY, str(HERE / "playbook_search.py"), str(db), "--playbook", str(playbook)]
    proc = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=PLAYBOOK_TIMEOUT, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        raise RuntimeError(f"playbook_search.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def review_run(db: Path, env: dict[str, str], runs: int) -> dict:
    argv = [PY, str(HERE / "review.py"), str(db), "--runs", str(max(runs, 10))]
    proc = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=BRIEF_TIMEOUT, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        raise RuntimeError(f"review.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def risks_run(db: Path, env: dict[str, str], runs: int) -> dict:
    argv = [PY, str(HERE / "deal_risks.py"), str(db), "--runs", str(max(runs, 10) * 3)]
    proc = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=BRIEF_TIMEOUT, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        raise RuntimeError(f"deal_risks.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def import_run(rows: int, env: dict[str, str]) -> dict:
    argv = [PY, str(HERE / "import_rows.py"), "--rows", str(rows), "--people", str(rows), "--orders", str(rows)]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=7200, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"import_rows.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpus} CPUs, {model}, Python {platform.python_version()}, "
        f"Textual {metadata.version('textual')}, {platform.system()} {platform.release()}"
    )


# --- main ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="saletui performance benchmark (see the module docstring).")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--db", type=Path, help="an existing large database (default: generate and cache one)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed for the cached database (default 1)")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild the cached database (it is rebuilt by itself only when the generator or "
        "the schema changes; values saletui derives on opening follow its code of that day)",
    )
    parser.add_argument(
        "--keys",
        type=int,
        default=len(keystrokes.KEYS),
        help=f"filter keystrokes per run (default {len(keystrokes.KEYS)})",
    )
    parser.add_argument(
        "--naive-keys",
        type=int,
        default=len(keystrokes.KEYS),
        help="keystrokes per run for the naive reference (default: the same 50)",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=1_000_000,
        help="rows of each file of (9), the imports (default 1,000,000; 0 skips it)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write every raw measurement to OUT")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    db = ensure_db(args.db, args.seed, args.rebuild)
    playbook = ensure_playbook(db, args.seed)
    counts = db_counts(db)
    started = dt.datetime.now().astimezone()
    raw: dict = {
        "db": str(db),
        "counts": counts,
        "machine": machine(),
        "date": started.isoformat(timespec="seconds"),
        "runs": runs,
        "cold": {m: [] for m in ("hello", "naive", "saletui")},
        "breakdown": [],
        "keys": {},
    }
    load_before = os.getloadavg()[0]
    modes = ("hello", "naive", "saletui")
    markers = {m: first_frame.marker_for(m, db) for m in modes}
    quit_after = {"saletui": loaded_status(db)}

    with tempfile.TemporaryDirectory(prefix="saletui-bench-") as tmp:
        tmp_path = Path(tmp)
        env = child_env(tmp_path / "home")
        try:
            # (1) + (6): cold starts, interleaved, after one warm-up round.
            for round_no in range(runs + 1):
                label = "warm-up" if round_no == 0 else f"run {round_no}/{runs}"
                print(f"cold start {label} ...", flush=True)
                for mode in modes:
                    run = cold_start(mode, db, env, markers[mode], quit_after.get(mode))
                    if round_no:
                        raw["cold"][mode].append(
                            {
                                "first_frame_ms": run.first_frame * 1000,
                                "total_ms": run.total * 1000,
                                "peak_rss_kb": run.peak_rss_kb,
                                "ru_maxrss_kb": run.ru_maxrss_kb,
                            }
                        )
                breakdown = breakdown_run(db, env, markers["saletui"], tmp_path / "first_frame.json")
                if round_no:
                    raw["breakdown"].append(breakdown)

            # (2): keystrokes, one process per run, interleaved.
            raw["keys"] = {"saletui": [], "naive": []}
            for round_no in range(1, runs + 1):
                print(f"keystrokes run {round_no}/{runs} ...", flush=True)
                raw["keys"]["saletui"].append(keystroke_run("saletui", db, env, args.keys))
                if args.naive_keys > 0:
                    raw["keys"]["naive"].append(keystroke_run("naive", db, env, args.naive_keys))

            # (3): opening the largest account, one process: a warm-up round, then N rounds.
            print(f"open the largest account, {runs} rounds ...", flush=True)
            raw["open"] = open_run(db, env, runs)

            # (4): the pre-call brief of the largest account, one process: a warm-up round, then N.
            print(f"open the pre-call brief, {runs} rounds ...", flush=True)
            raw["brief"] = brief_run(db, env, runs)

            # (5): playbook search, one process per run.
            raw["playbook"] = []
            for round_no in range(1, runs + 1):
                print(f"playbook search run {round_no}/{runs} ...", flush=True)
                raw["playbook"].append(playbook_run(db, playbook, env))

            # (7): the Reports over the 5M order lines, one process: warm-up, N rounds, the reference.
            print(f"open the reports, {runs} rounds and the reference ...", flush=True)
            raw["report"] = report_run(db, env, runs)
            # (8): the monthly review of the tiered accounts, in-process on a copy.
            print("monthly review of the 15 ...", flush=True)
            raw["review"] = review_run(db, env, runs)
            # (10): deal risks after an edit, in-process on a copy.
            print("deal risks after an edit ...", flush=True)
            raw["risks"] = risks_run(db, env, runs)
            # (11): the Pipeline over the open deals, one process: warm-up, N rounds, the reference.
            print(f"open the pipeline, {runs} rounds and the reference ...", flush=True)
            raw["pipeline"] = pipeline_run(db, env, runs)
            # (12): the one search, one process: a warm-up round, three rounds, the references.
            print("the one search, 3 rounds and the references ...", flush=True)
            raw["one_search"] = script_run("one_search.py", db, env, 3)
            # (13): the agenda, one process: warm-up, N rounds, the reference.
            print(f"open the agenda, {runs} rounds and the reference ...", flush=True)
            raw["agenda"] = script_run("agenda_frame.py", db, env, runs)
            # (9): imports, each kind once (a million rows take minutes), in its own folder.
            if args.import_rows > 0:
                print(f"imports of {args.import_rows:,} rows ...", flush=True)
                raw["imports"] = import_run(args.import_rows, env)
        finally:
            settle_db(db)
    raw["load"] = [load_before, os.getloadavg()[0]]

    if args.json:
        args.json.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    print()
    print(report(raw))
    if raw.get("imports"):
        print()
        print(import_rows.report(raw["imports"]))
    return 0


def report(raw: dict) -> str:
    c = raw["counts"]
    cold = raw["cold"]
    first = {m: [r["first_frame_ms"] for r in cold[m]] for m in cold}
    mem = {m: [r["peak_rss_kb"] * 1024 / 1e6 for r in cold[m]] for m in cold}
    keys = raw["keys"]
    p50 = {m: [percentile(r["latency_ms"], 50) for r in keys.get(m, [])] for m in ("saletui", "naive")}
    p95 = {m: [percentile(r["latency_ms"], 95) for r in keys.get(m, [])] for m in ("saletui", "naive")}
    handler = {m: [percentile(r["handler_ms"], 50) for r in keys.get(m, [])] for m in ("saletui", "naive")}
    n_keys = {m: len(keys[m][0]["latency_ms"]) if keys.get(m) else 0 for m in ("saletui", "naive")}

    hello_med = statistics.median(first["hello"])
    start_limit = TARGET_START_RATIO * hello_med
    start_ok = statistics.median(first["saletui"]) <= start_limit
    key_ok = bool(p95["saletui"]) and statistics.median(p95["saletui"]) <= TARGET_KEY_P95_MS
    mem_ok = statistics.median(mem["saletui"]) <= TARGET_MEMORY_MB
    opened = raw.get("open") or {}
    open_runs = opened.get("runs", [])

    def open_row(label: str, key: str) -> tuple:
        values = [r[key] for r in open_runs]
        if not values:
            return (label, "", "", "not measured", f"<= {TARGET_OPEN_MS:.0f}", "")
        return (
            label,
            "",
            "",
            spread(values),
            f"<= {TARGET_OPEN_MS:.0f}",
            verdict(statistics.median(values) <= TARGET_OPEN_MS),
        )

    people = (opened.get("account") or {}).get("people", 500)
    brief = raw.get("brief") or {}
    brief_runs = brief.get("runs", [])

    def brief_row() -> tuple:
        label = f"(4) open the pre-call brief ({(brief.get('account') or {}).get('people', people)} people), ms"
        values = [r["brief_ms"] for r in brief_runs]
        if not values:
            return (label, "", "", "not measured", f"<= {TARGET_BRIEF_MS:.0f}", "")
        return (
            label,
            "",
            "",
            spread(values),
            f"<= {TARGET_BRIEF_MS:.0f}",
            verdict(statistics.median(values) <= TARGET_BRIEF_MS),
        )

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    def report_rows(rep: dict) -> list[tuple]:
        runs_ = rep.get("saletui", {}).get("runs", [])
        if not runs_:
            return [("(7) open the Reports over 5M order lines, ms", "", "", "not measured", "", "")]
        opened = [r["open_ms"] for r in runs_]
        reference = rep["reference"]["runs"]
        lines_ = rep.get("order_lines", 0)
        return [
            (
                f"(7) r -> Reports frame, {lines_:,} order lines, ms",
                "",
                spread(reference),
                f"{spread(opened)} = {rep['ratio']:.2f} x",
                f"<= {TARGET_REPORT_MS:.0f}",
                verdict(statistics.median(opened) <= TARGET_REPORT_MS),
            ),
            ("(7) ... d: rows by region, ms", "", "", spread([r["rows_ms"] for r in runs_]), "", ""),
        ]

    def pipeline_rows(rep: dict) -> list[tuple]:
        runs_ = rep.get("saletui", {}).get("runs", [])
        if not runs_:
            return [("(11) open the Pipeline, ms", "", "", "not measured", f"<= {TARGET_PIPELINE_MS:.0f}", "")]
        opened = [r["open_ms"] for r in runs_]
        return [
            (
                f"(11) p -> Pipeline frame, {runs_[0]['deals']:,} open deals, ms",
                "",
                spread(rep["reference"]["runs"]),
                f"{spread(opened)} = {rep['ratio']:.2f} x",
                f"<= {TARGET_PIPELINE_MS:.0f}",
                verdict(statistics.median(opened) <= TARGET_PIPELINE_MS),
            ),
            ("(11) ... g: by close month, ms", "", "", spread([r["month_ms"] for r in runs_]), "", ""),
        ]

    def one_search_rows(rep: dict) -> list[tuple]:
        summary = rep.get("summary")
        if not summary:
            return [("(12) one search keystroke p95, ms", "", "", "not measured", "", "")]
        n = len(rep["saletui"]["key_ms"])
        return [
            (
                f"(12) one search keystroke p50, ms ({n} keys; 100k people, 50k visits)",
                "",
                f"Input {summary['reference_p50_ms']:.1f}, + OptionList {summary['list_p50_ms']:.1f}",
                f"{summary['p50_ms']:.1f}",
                "",
                "",
            ),
            (
                "(12) one search keystroke p95, ms",
                "",
                f"Input {summary['reference_p95_ms']:.1f}, + OptionList {summary['list_p95_ms']:.1f}",
                f"{summary['p95_ms']:.1f} = {summary['ratio_p95']:.1f} x Input, {summary['list_ratio_p95']:.2f} x list",
                f"<= {TARGET_ONE_SEARCH_P95_MS:.0f}",
                verdict(summary["p95_ms"] <= TARGET_ONE_SEARCH_P95_MS),
            ),
            ("(12) ... ctrl+f to the search screen, ms", "", "", f"{summary['open_ms']:.0f}", "", ""),
        ]

    def agenda_rows(rep: dict) -> list[tuple]:
        runs_ = rep.get("saletui", {}).get("runs", [])
        if not runs_:
            return [("(13) open the agenda, ms", "", "", "not measured", f"<= {TARGET_AGENDA_MS:.0f}", "")]
        opened = [r["open_ms"] for r in runs_]
        return [
            (
                f"(13) w -> agenda frame, {runs_[0]['items']:,} lines, ms",
                "",
                spread(rep["reference"]["runs"]),
                f"{spread(opened)} = {rep['ratio']:.2f} x",
                f"<= {TARGET_AGENDA_MS:.0f}",
                verdict(statistics.median(opened) <= TARGET_AGENDA_MS),
            )
        ]

    def review_row(review: dict) -> tuple:
        label = f"(8) monthly review of the {review.get('tiered_accounts', 15)} tiered accounts, ms"
        if not review:
            return (label, "", "", "not measured", f"<= {TARGET_REVIEW_MS:.0f}", "")
        figure = review["review_ms"]
        return (
            label,
            "",
            "",
            f"{figure['median']:.0f} ({figure['min']:.0f}-{figure['max']:.0f})",
            f"<= {TARGET_REVIEW_MS:.0f}",
            verdict(figure["median"] <= TARGET_REVIEW_MS),
        )

    def risk_rows(risks: dict) -> list[tuple]:
        label = "(10) deal risks after an edit, ms"
        if not risks:
            return [(label, "", "", "not measured", f"<= {TARGET_RISK_MS:.0f}", "")]
        edit, ref = risks["edit_ms"], risks["reference_ms"]
        ratio = edit["median"] / ref["median"] if ref["median"] else 0.0
        return [
            (
                label + f" ({risks['account_open_deals']} open deals on the account)",
                "",
                f"{ref['median']:.2f} (deals read alone)",
                f"{edit['median']:.1f} ({edit['min']:.1f}-{edit['max']:.1f}) = {ratio:.1f} x",
                f"<= {TARGET_RISK_MS:.0f}",
                verdict(edit["median"] <= TARGET_RISK_MS),
            ),
            (
                f"(10) ... every open deal's risks stored again ({risks['open_deals']:,}), ms",
                "",
                "",
                f"{risks['refresh_all_ms']:.0f}",
                "",
                "",
            ),
        ]

    def playbook_rows(pb_runs: list[dict]) -> list[tuple]:
        if not pb_runs:
            return [("(5) search keystroke, 1,000-objection playbook", "", "", "not measured", "", "")]
        p50s = [percentile(r["latency_ms"], 50) for r in pb_runs]
        p95s = [percentile(r["latency_ms"], 95) for r in pb_runs]
        n = len(pb_runs[0]["latency_ms"])
        objections = pb_runs[0]["objections"]
        return [
            (f"(5) search keystroke p50, ms ({n} keys, {objections:,} objections)", "", "", spread(p50s), "", ""),
            (
                "(5) search keystroke p95, ms",
                "",
                "",
                spread(p95s),
                f"<= {TARGET_SEARCH_P95_MS:.0f}",
                verdict(statistics.median(p95s) <= TARGET_SEARCH_P95_MS),
            ),
            (
                "(5) ... techniques shown after the pause (0.12 s by design), p50, ms",
                "",
                "",
                spread([percentile(r["detail_ms"], 50) for r in pb_runs]),
                "",
                "",
            ),
            (
                "(5) ... open the playbook (ctrl+o), first in the process, ms",
                "",
                "",
                spread([r["open_ms"] for r in pb_runs]),
                "",
                "",
            ),
            ("(5) ... open the playbook again, ms", "", "", spread([r["reopen_ms"] for r in pb_runs]), "", ""),
        ]

    rows = [
        (
            "(1) cold start -> first painted list, ms",
            spread(first["hello"]),
            spread(first["naive"]),
            spread(first["saletui"]),
            f"<= 1.5 x hello = {start_limit:.0f}",
            verdict(start_ok),
        ),
        (
            f"(2) filter keystroke p50, ms ({n_keys['saletui']} keys; naive {n_keys['naive']})",
            "",
            spread(p50["naive"]),
            spread(p50["saletui"]),
            "",
            "",
        ),
        (
            "(2) filter keystroke p95, ms",
            "",
            spread(p95["naive"]),
            spread(p95["saletui"]),
            f"<= {TARGET_KEY_P95_MS:.0f}",
            verdict(key_ok),
        ),
        open_row(f"(3) open an account with {people} people, ms", "open_ms"),
        open_row("(3) ... its People tab (org chart painted), ms", "tab_ms"),
        open_row("(3) ... expand all on the chart (shift+space), ms", "expand_ms"),
        brief_row(),
        *playbook_rows(raw.get("playbook") or []),
        *report_rows(raw.get("report") or {}),
        review_row(raw.get("review") or {}),
        *risk_rows(raw.get("risks") or {}),
        *pipeline_rows(raw.get("pipeline") or {}),
        *one_search_rows(raw.get("one_search") or {}),
        *agenda_rows(raw.get("agenda") or {}),
        (
            "(6) peak memory (VmHWM), MB",
            spread(mem["hello"]),
            spread(mem["naive"]),
            spread(mem["saletui"]),
            f"<= {TARGET_MEMORY_MB:.0f}",
            verdict(mem_ok),
        ),
    ]
    header = ("figure", "hello", "naive DataTable", "saletui", "target (saletui)", "result")
    widths = [max(len(str(r[i])) for r in [*rows, header]) for i in range(len(header))]
    lines = [
        f"saletui performance, {raw['date']}",
        f"machine: {raw['machine']}",
        f"database: {c['account']:,} accounts, {c['person']:,} people, {c['deal']:,} deals, {c['visit']:,} visits, "
        f"{c['visitattendee']:,} attendees, {c['milestone']:,} milestones, {c.get('checklists', 0):,} visits with a "
        f"checklist of {c.get('visititem', 0):,} items, {c.get('visitobjection', 0):,} objections on visits ({raw['db']})",
        f"each figure: median (min-max) over {raw['runs']} runs; terminal {COLS} x {ROWS}; MB = 10^6 bytes",
        f"load average (1 min) before / after: {raw['load'][0]:.2f} / {raw['load'][1]:.2f}",
        "",
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for r in rows:
        lines.append("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=False)).rstrip())

    # Where saletui's cold start goes.
    if raw["breakdown"]:
        marks = raw["breakdown"][0]["ms_since_spawn"].keys()
        lines += ["", "saletui cold start, in-process marks (first_frame.py; ms since spawn, median):"]
        previous = 0.0
        for name in marks:
            if name == "exited":
                continue
            value = statistics.median(b["ms_since_spawn"][name] for b in raw["breakdown"])
            lines.append(f"  {name:<18} {value:7.1f}   (+{value - previous:6.1f})")
            previous = value
        spans = list(dict.fromkeys(name for b in raw["breakdown"] for name in b["spans_ms"]))
        for name in spans:
            value = statistics.median(b["spans_ms"].get(name, 0.0) for b in raw["breakdown"])
            lines.append(f"    within: {name:<48} {value:6.1f}")
    if handler["saletui"]:
        lines += [
            "",
            "filter keystroke, key -> list re-filtered (before any frame), p50 ms: "
            f"saletui {spread(handler['saletui'], '{:.1f}')}, naive {spread(handler['naive'], '{:.0f}')}",
        ]
    if open_runs:
        a = opened["account"]
        first = opened.get("first") or {}

        def med(key: str) -> str:
            return spread([r[key] for r in open_runs if key in r], "{:.1f}")

        to_frame = [
            r["open_ms"] - r["open_to_mount_ms"] - r["open_mount_ms"] for r in open_runs if "open_mount_ms" in r
        ]
        lines += [
            "",
            f"(3) account {a['name']!r}: {a['people']} people, {a['depth']} levels; "
            f"{len(open_runs)} rounds after a warm-up (ms, median (min-max)):",
            f"  open: Enter -> AccountScreen.on_mount starts {med('open_to_mount_ms')}; on_mount (account, profile, "
            f"people, warnings) {med('open_mount_ms')}; on_mount done -> frame "
            f"{spread(to_frame, '{:.1f}')}",
            f"  People tab: key -> chart rendered {med('tab_render_ms')}; collapse all {med('collapse_ms')} "
            f"(expand all: {med('expand_ms')})",
            f"  garbage collection inside the figures: open {med('open_gc_ms')}, People tab {med('tab_gc_ms')}, "
            f"expand {med('expand_gc_ms')}; full collections in the rounds: "
            f"{sum(r[k] for r in open_runs for k in r if k.endswith('_gc_full'))}",
            f"  first open in the process (also imports the account screen): {first.get('open_ms', 0):.0f}; "
            f"its People tab {first.get('tab_ms', 0):.0f}; Esc back to the list (re-reads it): {med('back_ms')}",
        ]
    if brief_runs:

        def bmed(key: str) -> str:
            return spread([r[key] for r in brief_runs if key in r], "{:.1f}")

        b0 = brief_runs[0]
        lines += [
            "",
            f"(4) brief of {brief['account']['name']!r}: {b0['brief_chars']:,} characters drawn by one widget, "
            f"{b0['brief_widgets']:,} widgets on the screen; {len(brief_runs)} rounds after a warm-up "
            "(ms, median (min-max)):",
            f"  b -> BriefScreen.on_mount starts {bmed('brief_to_mount_ms')}; on_mount {bmed('brief_mount_ms')} "
            f"(services.brief.build {bmed('brief_build_ms')}, render_markdown {bmed('brief_render_ms')})",
            f"  garbage collection inside the figure {bmed('brief_gc_ms')}; frames {bmed('brief_frames')}; "
            f"first in the process {(brief.get('first') or {}).get('brief_ms', 0):.0f}; "
            f"Esc back to the list {bmed('back_ms')}",
        ]
    pb_runs = raw.get("playbook") or []
    if pb_runs:

        def pct(key: str, p: float, fmt: str = "{:.1f}") -> str:
            return spread([percentile(r[key], p) for r in pb_runs], fmt)

        def one(key: str, fmt: str = "{:.0f}") -> str:
            return spread([r[key] for r in pb_runs], fmt)

        all_keys = [v for r in pb_runs for v in r["latency_ms"]]
        lines += [
            "",
            f"(5) playbook search, {len(pb_runs)} runs of {len(pb_runs[0]['latency_ms'])} keys "
            f"({pb_runs[0]['objections']:,} objections; ms, median (min-max) over the runs):",
            f"  key -> results frame: p50 {pct('latency_ms', 50)}, p95 {pct('latency_ms', 95)}, max "
            f"{spread([max(r['latency_ms']) for r in pb_runs], '{:.1f}')}; over all {len(all_keys)} keys "
            f"{min(all_keys):.1f}-{max(all_keys):.1f}, {sum(v > TARGET_SEARCH_P95_MS for v in all_keys)} above "
            f"{TARGET_SEARCH_P95_MS:.0f}",
            f"  within it, p50: key -> search done {pct('handler_ms', 50)} (the screen's _search "
            f"{pct('search_ms', 50)}, of which SearchIndex.search {pct('index_ms', 50, '{:.2f}')}); "
            f"garbage collection in the figures: {sum(sum(r['gc_ms']) for r in pb_runs):.0f} ms in all, "
            f"{sum(r['gc_full'] for r in pb_runs)} full",
            f"  techniques shown: key -> frame p50 {pct('detail_ms', 50)}, p95 {pct('detail_ms', 95)}; "
            f"timer fired -> frame p50 {pct('detail_render_ms', 50)}, p95 {pct('detail_render_ms', 95)} "
            f"(PlaybookScreen._show {pct('show_ms', 50)})",
            f"  open (ctrl+o, first): {one('open_ms')}, of which reading the playbook files {one('open_load_ms')}, "
            f"search index {one('open_index_ms', '{:.1f}')}; again: {one('reopen_ms')}; results listed "
            f"{pb_runs[0]['open_results']}",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

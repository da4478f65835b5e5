"""The one search (Ctrl+F) over the large database's 10,000 accounts, 100,000 people, 2,000
deals and 50,000 visits, in-process, headless, against a bare Input measured in the same run.

    python tests/perf/one_search.py DBPATH [--runs N]

saletui: the real app (keystrokes.build_app) on a copy of DBPATH; once the account list has
loaded:

  open   `ctrl+f` on the list pushes SearchScreen. End: its first frame.
  keys   then KEYS (typed and deleted: part of a phone number, a two-character Chinese
         name, pinyin-less Latin names, words from visit notes, a company suffix) one at a
         time into its search box. Per key: from just before the key to the end of the
         first frame on which the screen shows the results of the new text (its `found`
         is the text typed and the results list was rebuilt from it). THE figure, p50
         and p95 over all keys of all rounds; target p95 <= 50 ms.
  back   `escape` to the list, then `ctrl+f` again for the next round (not a figure).

References, each a bare Textual app with the same keys pressed, each to the end of the
first frame on which its Input shows the new value: (a) the Input alone, Textual's floor for
a key that changes a text box; (b) the Input above a stock OptionList that each key fills
with the lines saletui showed for that text (as plain strings): Textual's floor for this
screen. The ratios of the p95s are printed beside the figure.

Frames are timed as in keystrokes.py (open_account.hook_display: the frame turned into
terminal output as a real driver would). Prints a summary and one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from keystrokes import SIZE, build_app  # noqa: E402
from open_account import hook_display  # noqa: E402
from report_frame import _step, list_loaded, on_copy  # noqa: E402


def key_sequence() -> list[str]:
    """Every key changes the search text."""
    keys: list[str] = []
    for text in ("1234", "张伟", "sato", "预算", "gmbh", "price mes"):
        keys.extend("space" if ch == " " else ch for ch in text)
        keys.extend(["backspace"] * len(text))
    return keys


KEYS = key_sequence()


def apply_key(text: str, key: str) -> str:
    if key == "backspace":
        return text[:-1]
    return text + (" " if key == "space" else key)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure_saletui(db: str, runs: int) -> dict:
    app = build_app("saletui", db)
    frames: list = []
    waiting: dict = {}
    result: dict = {"open_ms": [], "key_ms": [], "found": []}
    async with app.run_test(headless=True, size=SIZE) as pilot:
        await list_loaded(app, pilot)
        accounts_screen = app.screen
        hook_display(app, frames, waiting)
        for round_no in range(runs + 1):
            opened = await _step(pilot, frames, waiting, "ctrl+f", lambda name, _s: name == "SearchScreen")
            text = ""
            keys: list[float] = []
            for key in KEYS:
                text = apply_key(text, key)

                def shows(name: str, screen, wanted: str = text) -> bool:
                    return name == "SearchScreen" and screen.found.text == wanted

                keys.append(await _step(pilot, frames, waiting, key, shows))
                if round_no == 0:
                    options = app.screen.query_one("#search-results")._options
                    prompts = [getattr(o.prompt, "plain", str(o.prompt)) for o in options]
                    result["found"].append([text, app.screen.found.count(), prompts])
            await _step(pilot, frames, waiting, "escape", lambda _n, s: s is accounts_screen)
            if round_no:  # the first round also imports the screen: a warm-up
                result["open_ms"].append(opened)
                result["key_ms"] += keys
            else:
                result["first_open_ms"] = opened
    return result


async def measure_reference(runs: int, lists: dict[str, list[str]] | None = None) -> dict:
    """A bare Input; with `lists` (text -> the option prompts saletui showed for it), also a
    stock OptionList below it that each key fills with those prompts."""
    from textual.app import App
    from textual.widgets import Input, OptionList

    class Reference(App):
        CSS = "OptionList { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }"

        def compose(self):
            yield Input(id="box")
            if lists is not None:
                yield OptionList()

        def on_input_changed(self, event: Input.Changed) -> None:
            if lists is not None:
                self.query_one(OptionList).set_options(lists.get(event.value, []))

    app = Reference()
    frames: list = []
    waiting: dict = {}
    out: dict = {"key_ms": []}
    async with app.run_test(headless=True, size=SIZE) as pilot:
        await pilot.pause()
        box = app.query_one(Input)
        box.focus()
        await pilot.pause()
        hook_display(app, frames, waiting)
        for round_no in range(runs + 1):
            text = ""
            for key in KEYS:
                text = apply_key(text, key)
                ms = await _step(pilot, frames, waiting, key, lambda _n, _s, wanted=text: box.value == wanted)
                if round_no:
                    out["key_ms"].append(ms)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time the one search over the large database.")
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=3, help="measured rounds after the warm-up (default 3)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    saletui = on_copy(args.db, "search.sqlite3", lambda path: measure_saletui(path, runs))
    reference = asyncio.run(measure_reference(runs))
    lists = {text: prompts for text, _n, prompts in saletui["found"]}
    stock = asyncio.run(measure_reference(runs, lists))
    keys, ref, ref_list = saletui["key_ms"], reference["key_ms"], stock["key_ms"]
    p95, ref95, list95 = percentile(keys, 95), percentile(ref, 95), percentile(ref_list, 95)
    summary = {
        "p50_ms": statistics.median(keys),
        "p95_ms": p95,
        "reference_p50_ms": statistics.median(ref),
        "reference_p95_ms": ref95,
        "ratio_p95": p95 / ref95,
        "list_p50_ms": statistics.median(ref_list),
        "list_p95_ms": list95,
        "list_ratio_p95": p95 / list95,
        "open_ms": statistics.median(saletui["open_ms"]),
    }
    shown = [(text, n) for text, n, _p in saletui["found"]]
    print(f"{len(keys)} keys over {runs} rounds; results per text: {shown[:8]} ...")
    print(f"reference, a bare Input:             p50 {summary['reference_p50_ms']:.1f} ms, p95 {ref95:.1f} ms")
    print(f"reference, + a stock OptionList:     p50 {summary['list_p50_ms']:.1f} ms, p95 {list95:.1f} ms")
    print(
        f"saletui search keystroke:            p50 {summary['p50_ms']:.1f} ms, p95 {p95:.1f} ms = "
        f"{summary['ratio_p95']:.2f} x the bare Input, {summary['list_ratio_p95']:.2f} x the stock OptionList"
    )
    print(f"ctrl+f to the screen {summary['open_ms']:.0f} ms (first {saletui['first_open_ms']:.0f} ms)")
    print(json.dumps({"saletui": saletui, "reference": reference, "stock_list": stock, "summary": summary}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

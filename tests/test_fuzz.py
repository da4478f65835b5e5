"""Generated hostile files through the real command line: playbooks and settings (YAML),
imports (CSV) and backups (JSON). Whatever the bytes, saletui answers with a message and
an exit code 0, 1 or 2, never a traceback (an internal error would be exit 70).

Seeded, so a failure repeats: the case's seed is in the test id. Each case runs
`saletui.cli.main` in this process (the same code as the command, without paying for a
Python start per case); the whole file takes well under a minute.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from saletui.cli import main
from saletui.store.db import close_database

CASES = 60  # per kind

NASTY = [
    "",
    "~",
    "0x_",
    "0b2",
    "1e",
    "2001-13-45",
    ".inf",
    "-.nan",
    "1:_",
    "&a",
    "*a",
    "!!binary",
    "!!python/object:os.system",
    "[",
    "{",
    "]",
    "? ",
    ": ",
    "- ",
    "|",
    ">",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\ufeff",
    "\ud7ff",
    "🦊",
    "华东精密",
    "[red]x[/]",
    "=HYPERLINK(1)",
    '"',
    "'",
    "\\",
    ",",
    ";",
    "\r\n",
    "9" * 30,
    "a" * 5000,
]

PLAYBOOK = """\
name: Team answers
version: 3
objections:
  - id: too-expensive
    title: Too expensive
    aliases: [太贵, price]
    stages: [negotiation]
    techniques:
      - id: tco
        name: Total cost
        script: Over eight years the price is a third of the cost.
"""

SETTINGS = """\
language: en
currency: EUR
attention:
  contact_days: {EI: 14, PI: 30}
playbooks:
  team_dirs: []
"""


def mutate(rng: random.Random, text: str) -> str:
    """A few random edits: insert, delete, duplicate a line, or nest a line deeper."""
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        at = rng.randrange(len(lines)) if lines else 0
        if choice < 0.45 and lines:
            line = lines[at]
            pos = rng.randrange(len(line) + 1)
            lines[at] = line[:pos] + rng.choice(NASTY) + line[pos:]
        elif choice < 0.6 and lines:
            del lines[at]
        elif choice < 0.75 and lines:
            lines.insert(at, lines[at])
        elif choice < 0.9 and lines:
            lines[at] = "  " * rng.randint(1, 40) + lines[at]
        else:
            depth = rng.randint(1, 400)
            lines.insert(at, "x: " + "[" * depth + "]" * rng.choice([depth, depth - 1, 0]) + "\n")
    return "".join(lines)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse's own usage errors
        code = stop.code if isinstance(stop.code, int) else 2
    finally:
        close_database()
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_handled(code: int, output: str, seed: int) -> None:
    assert "Traceback" not in output, f"seed {seed}: {output[-2000:]}"
    assert code in (0, 1, 2), f"seed {seed}: exit {code}: {output[-2000:]}"


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALETUI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("SALETUI_DB", raising=False)


@pytest.mark.parametrize("seed", range(CASES))
def test_hostile_playbooks_and_settings_get_a_message(tmp_path, capsys, seed):
    rng = random.Random(seed)
    playbook = tmp_path / "team.yaml"
    playbook.write_text(mutate(rng, PLAYBOOK), encoding="utf-8", errors="surrogatepass")
    assert_handled(*run(capsys, "playbook", "check", str(playbook)), seed)
    settings = tmp_path / "settings.yaml"
    settings.write_text(mutate(rng, SETTINGS), encoding="utf-8", errors="surrogatepass")
    assert_handled(*run(capsys, "--config", str(settings), "paths"), seed)


HEADERS = {
    "accounts": ["name", "industry", "region", "owner", "relationship", "tier", "market capacity", "currency"],
    "people": ["account", "name", "title", "reports to", "influence", "coach", "email", "phone"],
}


def hostile_csv(rng: random.Random, kind: str) -> bytes:
    header = rng.sample(HEADERS[kind], rng.randint(1, len(HEADERS[kind]))) + rng.choice([[], ["bogus"], ["名称"]])
    delimiter = rng.choice([",", ";", "\t", "|"])
    rows = [delimiter.join(header)]
    for _ in range(rng.randint(0, 12)):
        cells = [rng.choice([*NASTY, "Acme", "prospect", "top5", "1.2M", "yes", "L2"]) for _ in header]
        if rng.random() < 0.2:
            cells = cells[: rng.randint(0, len(cells))]  # a short row
        rows.append(delimiter.join(f'"{c}"' if rng.random() < 0.3 else c for c in cells))
    text = "\r\n".join(rows)
    encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"])
    data = text.encode(encoding, errors="replace")
    if rng.random() < 0.2:  # a few random bytes: a damaged file
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.randbytes(rng.randint(1, 20)) + data[at:]
    return data


@pytest.mark.parametrize("seed", range(CASES))
def test_hostile_csv_imports_get_a_message(tmp_path, capsys, seed):
    rng = random.Random(seed)
    db = tmp_path / "book.sqlite3"
    for kind in ("accounts", "people"):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(hostile_csv(rng, kind))
        flags = rng.choice([[], ["--dry-run"], ["--skip-bad-rows"]])
        assert_handled(*run(capsys, "--db", str(db), "import", kind, str(path), *flags), seed)


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A real backup of the demo book, made once."""
    import os

    home = tmp_path_factory.mktemp("fuzz-backup")
    os.environ["SALETUI_HOME"] = str(home)
    try:
        assert main(["--demo", "export", "backup", "-o", str(home / "book.json")]) == 0
    finally:
        close_database()
        del os.environ["SALETUI_HOME"]
    return json.loads((home / "book.json").read_text(encoding="utf-8"))


def mutate_json(rng: random.Random, value: object, depth: int = 0) -> object:
    """A copy with a few values replaced by values of the wrong kind, size or shape."""
    wrong = [None, True, -1, 2**63, 1e308, "", "x" * 300, "2026-02-30", [], {}, [[1]], {"a": None}, "\ud800"]
    if isinstance(value, dict):
        out = {k: mutate_json(rng, v, depth + 1) for k, v in value.items()}
        if out and rng.random() < 0.15:
            del out[rng.choice(list(out))]
        return out
    if isinstance(value, list):
        items = [mutate_json(rng, v, depth + 1) for v in value]
        if items and rng.random() < 0.1:
            items.pop(rng.randrange(len(items)))
        return items
    return rng.choice(wrong) if rng.random() < 0.02 else value


@pytest.mark.parametrize("seed", range(CASES // 2))
def test_hostile_backups_get_a_message_and_leave_no_database(tmp_path, capsys, seed, good_backup):
    rng = random.Random(seed)
    data = mutate_json(rng, good_backup)
    path = tmp_path / "book.json"
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.2:
        text = text[: rng.randrange(len(text))]  # a backup cut short
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    target = tmp_path / "restored.sqlite3"
    code, output = run(capsys, "--db", str(target), "restore", str(path))
    assert_handled(code, output, seed)
    if code != 0:
        assert not target.exists(), f"seed {seed}: a failed restore left {target}"

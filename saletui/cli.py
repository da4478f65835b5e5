"""The `saletui` command: launches the UI, or runs a sub-command.

Expected failures (bad settings, a database we must not open) print one line to stderr
and exit non-zero; they never show a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from saletui import __version__
from saletui.config_error import ConfigError
from saletui.i18n import _, language_from_environment, set_language

EXIT_STORE = 1
EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="saletui",
        description=_("Keyboard-driven workbench for key-account selling: accounts, org charts, "
                      "visits and objection playbooks."),
    )
    parser.add_argument("--version", action="version", version=f"saletui {__version__}")
    parser.add_argument("--db", metavar="PATH", help=_("database file (default: $SALETUI_DB, then the "
                                                       "user data directory)"))
    parser.add_argument("--demo", action="store_true",
                        help=_("open a fresh demo database with realistic data (your own data is not touched)"))
    parser.add_argument("--config", metavar="FILE", help=_("settings file (default: settings.yaml in the "
                                                           "user config directory)"))
    parser.add_argument("--lang", choices=["en", "zh_CN"], help=_("interface language"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("paths", help=_("print where saletui keeps its database and settings"))
    return parser


def _fail(message: str, code: int) -> int:
    print(f"saletui: {message}", file=sys.stderr)
    return code


def resolve_db(args: argparse.Namespace, settings_db: str, paths) -> Path:
    """--db > $SALETUI_DB > settings `database` > the user data directory."""
    for candidate in (args.db, os.environ.get("SALETUI_DB"), settings_db):
        if candidate:
            return Path(candidate).expanduser()
    return paths.default_db


def main(argv: list[str] | None = None) -> int:
    # Early: argparse's own messages and help should already speak the user's language.
    set_language(language_from_environment())
    parser = build_parser()
    args = parser.parse_args(argv)

    from saletui.settings import Paths, load_settings
    from saletui.store.db import StoreError, close_database, open_database

    paths = Paths.from_environment()
    try:
        settings = load_settings(Path(args.config) if args.config else paths.settings_file)
    except ConfigError as exc:
        return _fail(str(exc), EXIT_CONFIG)
    if args.config and not Path(args.config).exists():
        return _fail(_("settings file not found: {path}").format(path=args.config), EXIT_CONFIG)
    set_language(args.lang or settings.language or language_from_environment())

    if args.command == "paths":
        print(f"database:  {resolve_db(args, settings.database, paths)}")
        print(f"demo:      {paths.demo_db}")
        print(f"settings:  {paths.settings_file}")
        return 0

    if args.demo:
        if args.db:
            return _fail(_("--demo and --db cannot be used together"), EXIT_CONFIG)
        db_path = paths.demo_db
    else:
        db_path = resolve_db(args, settings.database, paths)

    try:
        if args.demo:
            _fresh_demo(db_path)
        backup = open_database(db_path)
    except StoreError as exc:
        return _fail(str(exc), EXIT_STORE)
    if backup is not None:
        print(_("Upgraded the database; the previous version is kept at {path}").format(path=backup),
              file=sys.stderr)

    from saletui.ui.app import SaletuiApp  # the UI is imported only when it is needed

    try:
        SaletuiApp(settings, db_path, demo=args.demo).run()
    finally:
        close_database()
    return 0


def _fresh_demo(path: Path) -> None:
    """Rebuild the demo database from scratch, dated around today."""
    from saletui.store.db import open_database
    from saletui.store.demo import build_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(path)
    build_demo()

"""The `saletui` command: launches the UI, or runs a sub-command.

Expected failures (bad settings, a database we must not open) print one line to stderr
and exit non-zero; they never show a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from saletui import __version__
from saletui.config_check import all_problems
from saletui.config_error import ConfigError
from saletui.i18n import _, language_from_environment, set_language

if TYPE_CHECKING:
    from saletui.services.csv_import import ImportReport
    from saletui.settings import Paths, Settings
    from saletui.store.models import Account

EXIT_STORE = 1
EXIT_CONFIG = 2
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in saletui, reported in the log file
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="saletui",
        description=_(
            "Keyboard-driven workbench for key-account selling: accounts, org charts, visits and objection playbooks."
        ),
    )
    parser.add_argument("--version", action="version", version=f"saletui {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help=_("database file (default: $SALETUI_DB, then the user data directory)")
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_(
            "open a fresh demo database with realistic data (your own data is not touched); "
            "with a command, use the demo database as it is (built if missing)"
        ),
    )
    parser.add_argument(
        "--config", metavar="FILE", help=_("settings file (default: settings.yaml in the user config directory)")
    )
    parser.add_argument("--lang", choices=["en", "zh_CN"], help=_("interface language"))
    parser.add_argument(
        "--process",
        metavar="FILE",
        help=_("sales process file: stages and milestones (default: the built-in one; meddpicc: the MEDDPICC one)"),
    )
    parser.set_defaults(func=_run_app)  # no command: the UI
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("paths", help=_("print where saletui keeps its database and settings")).set_defaults(func=_cmd_paths)
    agenda = sub.add_parser(
        "agenda", help=_("print or save today's and this week's agenda: visits, next steps, reminders, deals at risk")
    )
    agenda.set_defaults(func=_cmd_agenda)
    agenda.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of printing"))
    brief = sub.add_parser("brief", help=_("print or save an account's pre-call brief (Markdown)"))
    brief.set_defaults(func=_cmd_brief)
    brief.add_argument("account", metavar="ACCOUNT", help=_("the account's name or part of it"))
    brief.add_argument("--deal", metavar="PART", help=_("focus on the deal whose title contains PART"))
    brief.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of printing"))
    reviewer = sub.add_parser(
        "review", help=_("print or save the monthly review of the 15 (5+5+5): expected against actual (Markdown)")
    )
    reviewer.set_defaults(func=_cmd_review)
    reviewer.add_argument("--month", metavar="YYYY-MM", help=_("the month to review (default: this month)"))
    reviewer.add_argument(
        "--behind",
        metavar="PERCENT",
        type=int,
        help=_(
            "behind means more than PERCENT%% short of the expected to date (default: the plan.behind_percent setting, 10)"
        ),
    )
    reviewer.add_argument("--owner", metavar="NAME", help=_("only the accounts of this rep (the account's owner)"))
    reviewer.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE instead of printing"))
    orgchart = sub.add_parser(
        "orgchart",
        help=_("print or save an account's org chart (text, Mermaid or Graphviz DOT)"),
        description=_(
            "Print the stakeholder org chart of one account, or save it to FILE. ACCOUNT is "
            "any part of the account's name; an exact name wins over partial matches."
        ),
    )
    orgchart.set_defaults(func=_cmd_orgchart)
    orgchart.add_argument("account", metavar="ACCOUNT", help=_("the account's name or part of it"))
    orgchart.add_argument(
        "--format",
        "-f",
        choices=["text", "mermaid", "dot"],
        help=_("output format (default: from the FILE extension .txt/.mmd/.dot, else text)"),
    )
    orgchart.add_argument(
        "-o", "--output", metavar="FILE", help=_("write to FILE (replaced atomically) instead of standard output")
    )
    playbook = sub.add_parser(
        "playbook",
        help=_("work with objection playbook files"),
        description=_("Work with objection playbook files (YAML). Needs no database."),
    )
    playbook_sub = playbook.add_subparsers(dest="playbook_command", metavar="ACTION", required=True)
    check = playbook_sub.add_parser(
        "check",
        help=_("check playbook files or folders; exit 1 if any has a problem"),
        description=_(
            "Check playbook files, and the *.yaml/*.yml files of folders, as the app reads them: "
            "in the order given, on top of the built-in playbook. Prints each problem as "
            "file:line:column: key: problem, then a summary. Exit 0 when all are valid, 1 when "
            "any has a problem, 2 when a path does not exist."
        ),
    )
    check.set_defaults(func=_cmd_playbook_check)
    check.add_argument("paths", nargs="+", metavar="PATH", help=_("a playbook file or a folder of them"))
    importer = sub.add_parser(
        "import",
        help=_("import accounts, people, deals or order lines from a CSV file (Excel, WPS, an ERP)"),
        description=_(
            "Import accounts or people from a CSV file: UTF-8 (with or without BOM) or GB18030/GBK "
            "as Chinese Excel saves it; comma, semicolon or tab separated; column names in English or "
            "Chinese. Rows are matched by name (people: by account and name) and updated, so "
            "importing a file again creates no duplicates. All or nothing: any bad row and nothing "
            "is written, unless --skip-bad-rows. Bad rows are printed as FILE:ROW: column: reason "
            "(the header is row 1). Exit 0 when imported (or a clean dry run), 1 when bad rows "
            "stopped the import or a dry run found some, 2 for a usage error."
        ),
        epilog=_(
            "Deals: Salesforce opportunities (Data Loader or report export), HubSpot deals, or a sheet "
            "with account, title, stage, amount and close date; each deal links to its account by the "
            "CRM's id or by name, and its stage is mapped to 1-6, won or lost by the built-in table "
            "and the settings' deal_stages. People from a vCard file: one person per card, its ORG "
            "the account; a re-import updates by UID. Orders: an ERP export of order lines (order date, "
            "account, product, category, quantity, amount, currency, order and line number, sales rep), "
            "the account matched by name or id; a re-import updates by order and line number."
        ),
    )
    importer.set_defaults(func=_cmd_import)
    importer.add_argument(
        "kind",
        choices=["accounts", "people", "deals", "orders"],
        metavar="accounts|people|deals|orders",
        help=_("what the file holds"),
    )
    importer.add_argument(
        "file",
        metavar="FILE",
        help=_(
            "the CSV file; for people also a vCard file (.vcf, or any file starting with BEGIN:VCARD); "
            "deals: a Salesforce or HubSpot export or a sheet with account, title and stage"
        ),
    )
    importer.add_argument(
        "--create-accounts",
        action="store_true",
        help=_("vCard: create the account of a card's ORG when there is none (default: refuse the card)"),
    )
    importer.add_argument(
        "--dry-run", action="store_true", help=_("report what would be created, updated and skipped; write nothing")
    )
    importer.add_argument(
        "--skip-bad-rows", action="store_true", help=_("import the good rows and report the bad ones")
    )
    importer.add_argument(
        "--encoding", metavar="NAME", help=_("read FILE in this encoding (default: UTF-8, else GB18030)")
    )
    importer.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help=_("send a column to another field (e.g. 'Rating=note'; an empty FIELD ignores the column)"),
    )
    exporter = sub.add_parser(
        "export",
        help=_("export accounts, people or visits as CSV, or back up everything as JSON"),
        description=_(
            "Export active accounts, their people or their visits as CSV for Excel (UTF-8 with BOM, "
            "CRLF; a cell starting with = + - @ gets a leading ' so it is not run as a formula), or "
            "write a full backup of the database as one JSON file (saletui restore reads it). "
            "FILE is replaced atomically."
        ),
    )
    exporter.set_defaults(func=_cmd_export)
    exporter.add_argument(
        "kind",
        choices=["accounts", "people", "visits", "backup"],
        metavar="accounts|people|visits|backup",
        help=_("what to export"),
    )
    exporter.add_argument(
        "--format",
        choices=["csv", "vcf", "ics"],
        help=_(
            "people: csv or vcf (vCard 3.0); visits: csv or ics (a calendar: planned visits, and the last "
            "30 days' to update them); default: from the FILE extension, else csv"
        ),
    )
    exporter.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("where to write (default: saletui-KIND-YYYY-MM-DD.csv, or .json for a backup, in the current folder)"),
    )
    restorer = sub.add_parser(
        "restore",
        help=_("restore a JSON backup into a new, empty database"),
        description=_(
            "Restore a backup written by `saletui export backup` into the database chosen by "
            "--db, $SALETUI_DB or the settings: a new file is created; an existing database must be "
            "empty. Same ids, same values, in one transaction. A backup from a newer saletui is "
            "refused."
        ),
    )
    restorer.set_defaults(func=_cmd_restore)
    restorer.add_argument("file", metavar="FILE.json", help=_("the backup file"))
    _add_report_parser(sub)
    return parser


def _add_report_parser(sub: Any) -> None:
    """`saletui report sales|winloss`: the Reports screen's tables as text, CSV or Markdown."""
    report = sub.add_parser(
        "report",
        help=_("sales by period and company, region, rep, product, class or tier; the win/loss review"),
        description=_(
            "Print or save a report. Amounts are totals per currency, never added across currencies. "
            "CSV is for Excel (UTF-8 with BOM, the formula guard of the exports); Markdown for a meeting."
        ),
    )
    report_sub = report.add_subparsers(dest="report_kind", metavar="sales|winloss|pipeline", required=True)
    sales = report_sub.add_parser(
        "sales",
        help=_("sales by year, quarter or month, optionally by one dimension"),
        description=_(
            "Sales from the order lines, by period (year, quarter or month) and optionally by one of "
            "company, region, rep (owner), product, category, class or tier."
        ),
    )
    sales.set_defaults(func=_cmd_report)
    sales.add_argument(
        "--by",
        default="month",
        metavar="PERIOD[,DIMENSION]",
        help=_("e.g. month,owner or quarter,region or year (default: month)"),
    )
    sales.add_argument("--from", dest="start", metavar="MONTH", help=_("first month, e.g. 2025-01 (or 2025, 2025-Q1)"))
    sales.add_argument("--to", dest="end", metavar="MONTH", help=_("last month, included, e.g. 2026-12"))
    sales.add_argument(
        "--format", "-f", choices=["table", "csv", "md"], help=_("default: from the FILE extension, else table")
    )
    sales.add_argument(
        "-o", "--output", metavar="FILE", help=_("write to FILE (replaced atomically) instead of printing")
    )
    winloss = report_sub.add_parser(
        "winloss",
        help=_("won and lost deals by reason, stage reached, value and technique"),
        description=_(
            "The win/loss review: won and lost deals by reason, by stage reached and by value, and the "
            "objection techniques used on the visits of each side (used, worked, did not work)."
        ),
    )
    winloss.set_defaults(func=_cmd_report)
    winloss.add_argument("--from", dest="start", metavar="MONTH", help=_("deals closed from this month on"))
    winloss.add_argument("--to", dest="end", metavar="MONTH", help=_("deals closed up to this month, included"))
    winloss.add_argument("--format", "-f", choices=["md", "csv"], help=_("default: from the FILE extension, else md"))
    winloss.add_argument(
        "-o", "--output", metavar="FILE", help=_("write to FILE (replaced atomically) instead of printing")
    )
    pipeline = report_sub.add_parser(
        "pipeline",
        help=_("open deals across accounts by stage or expected close month, value and weighted value"),
        description=_(
            "The pipeline: open deals of the active accounts by stage or by expected close month, with their "
            "count, value, value weighted by the chance of winning at their stage (the process file's "
            "probability, else the default) and how many are at risk; per currency."
        ),
    )
    pipeline.set_defaults(func=_cmd_report)
    pipeline.add_argument("--by", choices=["stage", "month"], default="stage", help=_("default: stage"))
    pipeline.add_argument("--owner", default="", help=_("only this rep's deals"))
    pipeline.add_argument(
        "--class", dest="class_code", default="", metavar="CLASS", help=_("only accounts of this class, e.g. EI")
    )
    pipeline.add_argument("--tier", default="", choices=["", "top5", "middle5", "new5"], help=_("only this 5+5+5 tier"))
    pipeline.add_argument("--region", default="", help=_("only this region"))
    pipeline.add_argument(
        "--format", "-f", choices=["table", "csv", "md"], help=_("default: from the FILE extension, else table")
    )
    pipeline.add_argument(
        "-o", "--output", metavar="FILE", help=_("write to FILE (replaced atomically) instead of printing")
    )


def _fail(message: str, code: int) -> int:
    from saletui.text import display_block

    print(display_block(f"saletui: {message}"), file=sys.stderr)  # values quoted come from files
    return code


def resolve_db(args: argparse.Namespace, settings_db: str, paths: Paths) -> Path:
    """--db > $SALETUI_DB > settings `database` > the user data directory."""
    for candidate in (args.db, os.environ.get("SALETUI_DB"), settings_db):
        if candidate:
            return Path(candidate).expanduser()
    return paths.default_db


@dataclass(frozen=True)
class Command:
    """What every handler gets: the parsed arguments and the settings they were read with."""

    args: argparse.Namespace
    settings: Settings
    paths: Paths


class _Stop(Exception):
    """An expected failure already printed to stderr; `main` exits with `code`."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _stop(message: str, code: int) -> NoReturn:
    _fail(message, code)
    raise _Stop(code)


def main(argv: list[str] | None = None) -> int:
    # Early: argparse's own messages and help should already speak the user's language.
    set_language(language_from_environment())
    parser = build_parser()
    args = parser.parse_args(argv)

    from saletui.settings import Paths, load_settings

    paths = Paths.from_environment()
    try:
        settings = load_settings(_settings_file(args, paths))
    except ConfigError as exc:
        for problem in all_problems(exc):  # every problem of the file, one line each
            _fail(str(problem), EXIT_CONFIG)
        return EXIT_CONFIG
    if args.config and not Path(args.config).exists():
        return _fail(_("settings file not found: {path}").format(path=args.config), EXIT_CONFIG)
    for problem in settings.problems:  # sections that fall back on their defaults: say so, go on
        print(
            _("saletui: warning: {problem} (using the defaults of that section)").format(problem=problem),
            file=sys.stderr,
        )
    set_language(args.lang or settings.language or language_from_environment())

    from saletui import crash_log

    crash_log.configure(paths.log_file)
    handler: Callable[[Command], int] = args.func
    try:
        code = handler(Command(args, settings, paths))
    except _Stop as stop:
        code = stop.code
    except KeyboardInterrupt:
        print(_("saletui: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line here, the traceback in the log file
        print(crash_log.one_line(exc), file=sys.stderr)
        return EXIT_INTERNAL
    _warn_undecodable()
    return code


def _warn_undecodable() -> None:
    """Say so when text that is not UTF-8 was read (and shown as �): the command still ran."""
    if "saletui.store.models" not in sys.modules:
        return  # no database was opened
    from saletui.store.models import TolerantSqliteDatabase

    if TolerantSqliteDatabase.undecodable:
        print(
            _(
                "saletui: warning: the database holds text that is not valid UTF-8; it was read with � in place "
                "of the bad bytes (`saletui export backup` names the rows)"
            ),
            file=sys.stderr,
        )


# -- the database a command works on ----------------------------------------------------------


def _database_path(cmd: Command, *, restore: bool = False) -> Path:
    """The database file: the demo one with --demo, else as `resolve_db` says."""
    args = cmd.args
    if not args.demo:
        return resolve_db(args, cmd.settings.database, cmd.paths)
    if args.db:
        _stop(_("--demo and --db cannot be used together"), EXIT_CONFIG)
    if restore:
        _stop(_("--demo cannot be used with restore: choose the target with --db"), EXIT_USAGE)
    return cmd.paths.demo_db


def _explicit_db(cmd: Command) -> bool:
    """Whether the user named the database (--db, $SALETUI_DB, the settings), so that a typo in
    the name is possible; the default file and the demo are never a typo."""
    return not cmd.args.demo and bool(cmd.args.db or os.environ.get("SALETUI_DB") or cmd.settings.database)


def _open_database(cmd: Command, db_path: Path, *, for_ui: bool = False, may_create: bool = False) -> bool:
    """Open (and upgrade) the database; True when it did not exist and `may_create` let it be
    created. The UI gets a fresh demo; a command reuses the last one (built if missing).

    A command that writes (`may_create`) creates a missing database and says so on stderr; a
    file named by the user in a folder that does not exist is refused (most likely a typo,
    and a new folder tree would hide it). A command that only reads never creates one."""
    from saletui.store.db import StoreError, open_database

    created = False
    try:
        if cmd.args.demo and (for_ui or not _exists(db_path)):
            _fresh_demo(db_path)
        elif may_create and not _exists(db_path):
            if _explicit_db(cmd) and not db_path.parent.is_dir():
                _stop(
                    _("no folder {folder} for the database {path}: check the name, or create the folder first").format(
                        folder=db_path.parent, path=db_path
                    ),
                    EXIT_STORE,
                )
            created = True
        elif not for_ui and (not _exists(db_path) or (not may_create and _is_empty_file(db_path))):
            # Reading commands never leave an empty database behind a typo, nor make one of
            # an empty file (a zero-byte --db is as good as missing for them).
            _stop(
                _("no database at {path}: start saletui, or import or restore into it first").format(path=db_path),
                EXIT_STORE,
            )
        backup = open_database(db_path, currency=cmd.settings.currency)
    except StoreError as exc:
        _stop(str(exc), EXIT_STORE)
    if backup is not None:
        print(_("Upgraded the database; the previous version is kept at {path}").format(path=backup), file=sys.stderr)
    return created


def _reading(run: Callable[[], int]) -> int:
    """Run a command that reads the open database, closing it afterwards."""
    from saletui.store.db import close_database

    try:
        return run()
    finally:
        close_database()


def _writing(db_path: Path, run: Callable[[], int], *, reading: bool = False) -> int:
    """Run a command on the open database; a database error (e.g. locked by another writer
    for longer than the busy timeout) is one line, not a traceback."""
    from peewee import DatabaseError

    from saletui.store.db import close_database, describe

    try:
        return run()
    except DatabaseError as exc:
        message = _("cannot read {path}: {reason}") if reading else _("cannot write {path}: {reason}")
        return _fail(message.format(path=db_path, reason=describe(exc)), EXIT_STORE)
    finally:
        close_database()


# -- the handlers, one per command (set by build_parser) ---------------------------------------


def _cmd_paths(cmd: Command) -> int:
    args, settings, paths = cmd.args, cmd.settings, cmd.paths
    print(f"database:  {resolve_db(args, settings.database, paths)}")
    print(f"demo:      {paths.demo_db}")
    print(f"settings:  {_settings_file(args, paths)}")
    print(f"playbook:  {settings.playbooks.personal_path(paths)}")
    builtin = _("(built-in)")
    print(f"process:   {args.process or settings.process_file or builtin}")
    return 0


def _settings_file(args: argparse.Namespace, paths: Paths) -> Path:
    """The settings file in use: --config FILE, else the one in the user config folder."""
    return Path(args.config).expanduser() if args.config else paths.settings_file


def _cmd_playbook_check(cmd: Command) -> int:
    return _playbook_check(cmd.args.paths)  # reads YAML only: no database is opened or needed


def _cmd_brief(cmd: Command) -> int:
    _open_database(cmd, _database_path(cmd))
    return _reading(lambda: _brief(cmd.args, cmd.settings, cmd.paths))


def _cmd_review(cmd: Command) -> int:
    import datetime as dt

    today = dt.date.today()
    year, month = today.year, today.month
    if cmd.args.month:
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?\s*", cmd.args.month)
        if not match or not 1 <= int(match.group(2)) <= 12:
            return _fail(
                _("not a month: {value!r} (use YYYY-MM, e.g. 2026-11)").format(value=cmd.args.month), EXIT_USAGE
            )
        year, month = int(match.group(1)), int(match.group(2))
    behind = cmd.args.behind
    if behind is not None and not 0 <= behind < 100:
        return _fail(_("--behind must be a percentage from 0 to 99, not {value}").format(value=behind), EXIT_USAGE)
    _open_database(cmd, _database_path(cmd))

    def run() -> int:
        from saletui.services.review import render_markdown
        from saletui.store import plans

        percent = cmd.settings.plan.behind_percent if behind is None else behind
        content = render_markdown(plans.review(year, month, percent, cmd.args.owner), today)
        return _print_or_write(content, Path(cmd.args.output) if cmd.args.output else None)

    return _reading(run)


def _cmd_orgchart(cmd: Command) -> int:
    _open_database(cmd, _database_path(cmd))
    return _reading(lambda: _orgchart(cmd.args))


def _cmd_import(cmd: Command) -> int:
    db_path = _database_path(cmd)
    if not Path(cmd.args.file).expanduser().is_file():  # checked before any database is opened
        return _fail(_("no such file: {path}").format(path=cmd.args.file), EXIT_USAGE)
    if cmd.args.dry_run and not cmd.args.demo and not _exists(db_path):
        return _dry_run_without_database(cmd, db_path)
    if _open_database(cmd, db_path, may_create=True):
        print(_("Created a new database at {path}").format(path=db_path), file=sys.stderr)
    return _writing(db_path, lambda: _import_any(cmd))


def _import_any(cmd: Command) -> int:
    """The import the file asks for: deals, vCards, or accounts/people from a CSV file."""
    if cmd.args.kind == "deals":
        return _import_deals(cmd)
    if cmd.args.kind == "orders":
        return _import_orders(cmd.args)
    from saletui.services.vcard import looks_like_vcard

    if cmd.args.kind == "people" and looks_like_vcard(Path(cmd.args.file).expanduser()):
        return _import_vcards(cmd.args, cmd.settings.currency)
    return _import(cmd.args, cmd.settings.currency)


def _dry_run_without_database(cmd: Command, db_path: Path) -> int:
    """`import --dry-run` before the database exists: checked against an empty database in a
    temporary folder, so the rep sees what the real import would create and nothing is left."""
    import tempfile

    from saletui.store.db import StoreError, close_database, open_database

    print(_("no database at {path} yet: checking against an empty one").format(path=db_path), file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="saletui-dry-run-") as folder:
        try:
            open_database(Path(folder) / "dry-run.sqlite3", currency=cmd.settings.currency)
        except StoreError as exc:
            return _fail(str(exc), EXIT_STORE)
        try:
            return _import_any(cmd)
        finally:
            close_database()


def _cmd_export(cmd: Command) -> int:
    db_path = _database_path(cmd)
    _open_database(cmd, db_path)
    return _writing(db_path, lambda: _export(cmd.args), reading=True)


def _cmd_restore(cmd: Command) -> int:
    from saletui.services.backup import RestoreError, read_backup

    db_path = _database_path(cmd, restore=True)
    file = Path(cmd.args.file).expanduser()
    if not file.is_file():  # checked before the database is created
        return _fail(_("no such file: {path}").format(path=cmd.args.file), EXIT_USAGE)
    try:
        data = read_backup(file)
    except RestoreError as exc:
        return _fail(str(exc), EXIT_STORE)
    created = _open_database(cmd, db_path, may_create=True)
    return _writing(db_path, lambda: _restore(cmd.args, data, db_path, created, cmd.settings.currency))


def _cmd_report(cmd: Command) -> int:
    """`saletui report sales|winloss`: the arguments checked before the database is opened."""
    from saletui.store import reports

    args = cmd.args
    if args.report_kind == "pipeline":
        _open_database(cmd, _database_path(cmd))
        return _reading(lambda: _pipeline_report(cmd))
    try:
        start = reports.parse_month(args.start) if args.start else None
        end = reports.parse_month(args.end, end=True) if args.end else None
    except reports.RangeError as exc:
        return _fail(f"--from/--to: {exc}", EXIT_USAGE)
    if start is not None and end is not None and start > end:
        return _fail(_("--from {start} is after --to {end}").format(start=args.start, end=args.end), EXIT_USAGE)
    grain, dimension = "month", None
    if args.report_kind == "sales":
        parsed = _report_by(args.by)
        if parsed is None:
            return EXIT_USAGE
        grain, dimension = parsed
    _open_database(cmd, _database_path(cmd))
    return _reading(lambda: _report(args, grain, dimension, start, end))


def _report_by(text: str) -> tuple[str, str | None] | None:
    """`--by month,owner` as (grain, dimension); None after saying what is wrong."""
    from saletui.store import reports

    grain, dimension = None, None
    for part in (p.strip().lower() for p in text.split(",")):
        if part in reports.GRAINS and grain is None:
            grain = part
            continue
        try:
            found = reports.normalise_dimension(part)
        except ValueError:
            found = None
        if found is None or dimension is not None:
            _fail(
                _("--by {value!r}: give a period ({grains}) and at most one of: {dimensions}").format(
                    value=text,
                    grains=", ".join(reports.GRAINS),
                    dimensions="company, region, rep, owner, product, category, class, tier",
                ),
                EXIT_USAGE,
            )
            return None
        dimension = found
    return grain or "month", dimension


def _report(args: argparse.Namespace, grain: str, dimension: str | None, start: int | None, end: int | None) -> int:
    import datetime as dt

    from saletui.services import report_export
    from saletui.store import reports

    output = Path(args.output).expanduser() if args.output else None
    if args.report_kind == "sales":
        fmt = args.format or (report_export.file_format(str(output), "table") if output else "table")
        report = reports.sales(grain, dimension, start, end)  # type: ignore[arg-type]
        text = report_export.sales_text(report, fmt)
    else:
        fmt = args.format or (report_export.file_format(str(output), "md") if output else "md")
        first = dt.date(start // 100, start % 100, 1) if start else None
        last = None
        if end:
            following = reports.shift_month(end, 1)
            last = dt.date(following // 100, following % 100, 1) - dt.timedelta(days=1)
        review = reports.winloss(first, last)
        text = report_export.winloss_csv(review) if fmt == "csv" else report_export.winloss_markdown(review, start, end)
    if output is None and fmt == "csv":
        text = text.removeprefix("\ufeff")  # the BOM is for Excel opening a file, not for a pipe
    return _print_or_write(text, output)


def _pipeline_report(cmd: Command) -> int:
    """`saletui report pipeline`: the risks worked out as of today, without writing."""
    import datetime as dt

    from saletui.i18n import current_language
    from saletui.method.pipeline import buckets
    from saletui.process.load import load_with_fallback, resolve
    from saletui.services import report_export
    from saletui.store import pipeline

    args, settings = cmd.args, cmd.settings
    chosen = args.process or settings.process_file
    process, _problem = load_with_fallback(resolve(chosen) if chosen else None, current_language())
    keep = pipeline.PipelineFilter(args.owner, args.class_code, args.tier, args.region)
    deals = pipeline.open_deals(keep, risks=(settings.deal_risks, dt.date.today()))
    rows = buckets(deals, args.by, process.probabilities())
    output = Path(args.output).expanduser() if args.output else None
    fmt = args.format or (report_export.file_format(str(output), "table") if output else "table")
    text = report_export.pipeline_text(rows, args.by, keep, fmt)
    if output is None and fmt == "csv":
        text = text.removeprefix("\ufeff")
    return _print_or_write(text, output)


def _run_app(cmd: Command) -> int:
    """No command: the UI."""
    from saletui.i18n import current_language
    from saletui.process.load import load_with_fallback, resolve
    from saletui.store.db import close_database
    from saletui.ui.app import SaletuiApp  # the UI is imported only when it is needed

    args, settings = cmd.args, cmd.settings
    db_path = _database_path(cmd)
    _open_database(cmd, db_path, for_ui=True)
    chosen = args.process or settings.process_file
    process, process_error = None, None  # the built-in process is read when first needed
    if chosen:  # the user's own file is checked now, so that a mistake shows at start
        process, process_error = load_with_fallback(resolve(chosen), current_language())
    try:
        app = SaletuiApp(
            settings,
            db_path,
            demo=args.demo,
            process=process,
            process_chosen=bool(chosen),
            process_error=str(process_error) if process_error else None,
            paths=cmd.paths,
            settings_file=_settings_file(args, cmd.paths),
        )
        app.run()
    finally:
        close_database()
    return app.return_code or 0  # 1 after an unhandled error (reported by the app itself)


def _is_empty_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name too long: let open_database explain it
        return True


MAX_CANDIDATES = 20


def _one_account(query_text: str) -> Account | None:
    """The one account a command names by part of its name; None (after saying why) if
    no account or several match."""
    from saletui.store.accounts import find
    from saletui.text import display_text

    matches = find(query_text)
    query = display_text(query_text)
    if not matches:
        _fail(_("no account matches '{query}'").format(query=query), EXIT_STORE)
        return None
    if len(matches) > 1:
        print(
            "saletui: " + _("{n} accounts match '{query}'; give more of the name:").format(n=len(matches), query=query),
            file=sys.stderr,
        )
        for account in matches[:MAX_CANDIDATES]:
            print(f"  {display_text(account.name)}", file=sys.stderr)
        if len(matches) > MAX_CANDIDATES:
            print("  " + _("... and {n} more").format(n=len(matches) - MAX_CANDIDATES), file=sys.stderr)
        return None
    return matches[0]


def _brief(args: argparse.Namespace, settings: Settings, paths: Paths) -> int:
    """`saletui brief ACCOUNT [--deal PART] [-o FILE]`: the pre-call brief as Markdown."""
    import datetime as dt

    from saletui.i18n import current_language
    from saletui.playbook.load import load_layers
    from saletui.services import brief
    from saletui.store import deals
    from saletui.text import display_text

    account = _one_account(args.account)
    if account is None:
        return EXIT_STORE
    deal_id = None
    if args.deal:
        wanted = args.deal.casefold()
        found = [d for d in deals.for_account(account.id) if wanted in d.title.casefold()]
        if len(found) != 1:
            _fail(
                _("{n} deals of {account} match '{query}'").format(
                    n=len(found), account=display_text(account.name), query=display_text(args.deal)
                ),
                EXIT_STORE,
            )
            for d in found[:MAX_CANDIDATES]:
                print(f"  {display_text(d.title)}", file=sys.stderr)
            return EXIT_STORE
        deal_id = found[0].id
    playbook = load_layers(
        None, settings.playbooks.team_paths(), settings.playbooks.personal_path(paths), current_language()
    )
    from saletui.process.load import load_with_fallback, resolve

    chosen = args.process or settings.process_file
    process, _problem = load_with_fallback(resolve(chosen) if chosen else None, current_language())
    data = brief.build(
        account.id,
        dt.date.today(),
        playbook.objections,
        deal_id,
        settings.plan.action_notice_days,
        rules=settings.classes,
        purchase_rules=settings.purchases,
        cadence=settings.after_signing,
        risk_rules=settings.deal_risks,
        process=process,
    )
    content = brief.render_markdown(data)
    return _print_or_write(content + "\n", Path(args.output) if args.output else None)


def _print_or_write(content: str, output: Path | None) -> int:
    """A command's result: to stdout, or written atomically to FILE."""
    from saletui.services.orgchart import write_export

    if output is None:
        return _emit(content)
    try:
        write_export(output, content)
    except OSError as exc:
        return _fail(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc), EXIT_STORE)
    print(_("Wrote {path}").format(path=output), file=sys.stderr)
    return 0


def _orgchart(args: argparse.Namespace) -> int:
    from saletui.services.orgchart import FORMATS, format_for_path

    account = _one_account(args.account)
    if account is None:
        return EXIT_STORE
    output = Path(args.output) if args.output else None
    fmt = args.format or (format_for_path(output) if output else None) or "text"
    return _print_or_write(FORMATS[fmt](account.id), output)


def _import(args: argparse.Namespace, currency: str) -> int:
    """Import a CSV file; new accounts without a currency column take `currency`."""
    from saletui.services import order_import  # noqa: F401 (its kind takes part in looks_like)
    from saletui.services.csv_import import ImportFileError, import_csv
    from saletui.services.import_columns import fields, source_label
    from saletui.text import display_text

    path = Path(args.file).expanduser()
    mapping: dict[str, str] = {}
    for item in args.map:
        column, sep, field_name = item.partition("=")
        allowed = fields(args.kind)
        if not sep or field_name.strip() not in allowed:
            return _fail(
                _("--map {item!r}: give COLUMN=FIELD, FIELD one of: {fields}").format(
                    item=item, fields=", ".join(f for f in allowed if f)
                ),
                EXIT_USAGE,
            )
        mapping[column.strip()] = field_name.strip()
    progress = _ImportProgress()
    try:
        report = import_csv(
            args.kind,
            path,
            dry_run=args.dry_run,
            skip_bad_rows=args.skip_bad_rows,
            encoding=args.encoding,
            currency=currency,
            mapping=mapping,
            progress=progress,
        )
    except ImportFileError as exc:
        progress.end()
        return _fail(str(exc), EXIT_STORE)
    progress.end()
    shown = display_text(args.file)
    after = []
    if report.looks_like and not report.written:
        after.append(
            f"{shown}:1: "
            + _("the columns look like a {kind} file: try `saletui import {kind} {file}`").format(
                kind=report.looks_like, file=shown
            )
        )
    if report.source != "csv":
        after.append(_("Read as a {source} export.").format(source=source_label(report.source)))
    if report.accounts_created:
        after.append(
            _("Accounts created from the company column: {names}.").format(
                names=", ".join(display_text(n) for n in report.accounts_created)
            )
        )
    return _import_report(args, report, after=after)


def _import_report(
    args: argparse.Namespace, report: ImportReport, notes: list[str] | None = None, after: list[str] | None = None
) -> int:
    """Print an import's report as FILE:ROW: column: reason lines (`notes` about the file
    first, `after` below the rows) and a summary; the exit code."""
    from saletui.text import display_text

    shown = display_text(args.file)
    lines = []
    for column in report.unknown_columns:
        hint = (" " + _("(did you mean {name!r}?)").format(name=column.suggestion)) if column.suggestion else ""
        label = display_text(column.column) or _("column {n}").format(n=column.position)
        lines.append(f"{shown}:1: " + _("{column}: unknown column, ignored").format(column=label) + hint)
    lines += [f"{shown}:1: {display_text(note)}" for note in notes or []]
    for error in report.errors:
        lines.append(f"{shown}:{display_text(str(error))}")  # ROW: column: reason
    lines += after or []
    lines.append(report.summary())
    _emit("\n".join(lines) + "\n")
    if report.dry_run:
        return 1 if report.errors else 0
    return 0 if report.written else 1


def _import_deals(cmd: Command) -> int:
    """`saletui import deals FILE`: opportunities from Salesforce, HubSpot or a plain sheet."""
    from saletui.i18n import current_language
    from saletui.process.load import load_with_fallback, resolve
    from saletui.services.csv_import import ImportFileError
    from saletui.services.deal_import import SOURCES, import_deals

    args, settings = cmd.args, cmd.settings
    chosen = args.process or settings.process_file
    process, problem = load_with_fallback(resolve(chosen) if chosen else None, current_language())
    if problem is not None:
        print(
            "saletui: " + _("The process file has an error; using the built-in one.\n{error}").format(error=problem),
            file=sys.stderr,
        )
    settings_file = args.config or str(cmd.paths.settings_file)
    progress = _ImportProgress()
    try:
        report = import_deals(
            Path(args.file).expanduser(),
            process=process,
            stages=settings.deal_stages,
            settings_file=settings_file,
            dry_run=args.dry_run,
            skip_bad_rows=args.skip_bad_rows,
            encoding=args.encoding,
            progress=progress,
        )
    except ImportFileError as exc:
        progress.end()
        return _fail(str(exc), EXIT_STORE)
    progress.end()
    notes = []
    if report.source:
        notes.append(_("read as a {source} export").format(source=SOURCES[report.source]))
    if report.not_kept:
        notes.append(_("{columns}: no place for these in saletui, not kept").format(columns=", ".join(report.not_kept)))
    return _import_report(args, report, notes)


def _import_orders(args: argparse.Namespace) -> int:
    """`saletui import orders FILE`: order lines (the trading history) from an ERP export."""
    from saletui.services.csv_import import ImportFileError
    from saletui.services.order_import import ORDER_COLUMNS, import_orders

    mapping: dict[str, str] = {}
    for item in args.map:
        column, sep, field_name = item.partition("=")
        if not sep or (field_name.strip() and field_name.strip() not in ORDER_COLUMNS):
            return _fail(
                _("--map {item!r}: give COLUMN=FIELD, FIELD one of: {fields}").format(
                    item=item, fields=", ".join(ORDER_COLUMNS)
                ),
                EXIT_USAGE,
            )
        mapping[column.strip()] = field_name.strip()
    progress = _ImportProgress()
    try:
        report = import_orders(
            Path(args.file).expanduser(),
            dry_run=args.dry_run,
            skip_bad_rows=args.skip_bad_rows,
            encoding=args.encoding,
            mapping=mapping,
            progress=progress,
        )
    except ImportFileError as exc:
        progress.end()
        return _fail(str(exc), EXIT_STORE)
    progress.end()
    return _import_report(args, report)


def _import_vcards(args: argparse.Namespace, currency: str) -> int:
    """`saletui import people FILE.vcf`: people from vCards; new accounts take `currency`."""
    from saletui.services.csv_import import ImportFileError
    from saletui.services.vcard import import_vcards

    try:
        report = import_vcards(
            Path(args.file).expanduser(),
            dry_run=args.dry_run,
            skip_bad_rows=args.skip_bad_rows,
            create_accounts=args.create_accounts,
            currency=currency,
        )
    except ImportFileError as exc:
        return _fail(str(exc), EXIT_STORE)
    return _import_report(args, report)


def _export(args: argparse.Namespace) -> int:
    from saletui.services.backup import write_backup
    from saletui.services.csv_export import default_file_name, export_csv

    lowered = (args.output or "").lower()
    fmt = args.format or (
        "vcf" if lowered.endswith((".vcf", ".vcard")) else "ics" if lowered.endswith(".ics") else "csv"
    )
    if fmt == "ics":
        if args.kind != "visits":
            return _fail(_("--format ics is for visits only"), EXIT_USAGE)
        return _export_calendar(args)
    if fmt == "vcf":
        if args.kind != "people":
            return _fail(_("--format vcf is for people only"), EXIT_USAGE)
        return _export_vcards(args)
    output = Path(args.output).expanduser() if args.output else Path(default_file_name(args.kind))
    progress = _Progress()
    try:
        if args.kind == "backup":
            summary = write_backup(output, progress=progress)
            total = sum(summary.counts.values())
            message = _("Wrote {path}: backup of {n} rows in {tables} tables").format(
                path=output, n=total, tables=len(summary.counts)
            )
            for cell in summary.damaged:
                print(
                    _("saletui: warning: {cell}: not valid UTF-8, backed up with �").format(cell=cell), file=sys.stderr
                )
        else:
            count = export_csv(args.kind, output, progress=progress)
            message = _("Wrote {path}: {n} {kind}").format(path=output, n=count, kind=args.kind)
    except OSError as exc:
        progress.end()
        return _fail(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc), EXIT_STORE)
    from saletui.text import display_text

    progress.end()
    print(display_text(message), file=sys.stderr)
    return 0


def _export_calendar(args: argparse.Namespace) -> int:
    import datetime as dt

    from saletui.services.calendar import write_visits

    output = Path(args.output).expanduser() if args.output else Path("saletui-visits.ics")
    try:
        planned = write_visits(output, dt.date.today())
    except OSError as exc:
        return _fail(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc), EXIT_STORE)
    print(_("Wrote {path}: {n} planned visits (and the last 30 days')").format(path=output, n=planned), file=sys.stderr)
    return 0


def _cmd_agenda(cmd: Command) -> int:
    """`saletui agenda`: today and this week, as Markdown (the deals' risks worked out now)."""
    import datetime as dt

    from saletui.services import agenda
    from saletui.store import deal_health

    _open_database(cmd, _database_path(cmd))

    def run() -> int:
        settings, today = cmd.settings, dt.date.today()
        open_ids = deal_health.open_deal_ids()
        risks = deal_health.worked_out(open_ids, settings.deal_risks, today)
        data = agenda.build(today, settings.thresholds(), settings.after_signing, risks=risks)
        output = Path(cmd.args.output).expanduser() if cmd.args.output else None
        return _print_or_write(agenda.render_markdown(data), output)

    return _reading(run)


def _export_vcards(args: argparse.Namespace) -> int:
    import datetime as dt

    from saletui.services.vcard import export_vcards

    output = Path(args.output).expanduser() if args.output else Path(f"saletui-people-{dt.date.today():%Y-%m-%d}.vcf")
    try:
        count = export_vcards(output)
    except OSError as exc:
        return _fail(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc), EXIT_STORE)
    print(_("Wrote {path}: {n} {kind}").format(path=output, n=count, kind="people"), file=sys.stderr)
    return 0


def _restore(args: argparse.Namespace, data: dict[str, Any], db_path: Path, created: bool, currency: str) -> int:
    """Restore a backup into an empty database; an old backup's amounts are taken in `currency`."""
    from peewee import DatabaseError

    from saletui.services.backup import RestoreError, remove_database_files, restore_json
    from saletui.store.db import close_database

    try:
        counts = restore_json(data, currency=currency)
    except BaseException as exc:  # even a bug or Ctrl+C: leave no half-restored file behind
        close_database()
        if created:  # the file did not exist before
            remove_database_files(db_path)
        if isinstance(exc, DatabaseError):
            return _fail(_("cannot write {path}: {reason}").format(path=db_path, reason=exc), EXIT_STORE)
        if isinstance(exc, RestoreError):
            return _fail(str(exc), EXIT_STORE)
        raise
    close_database()
    print(_("Restored {n} rows into {path}").format(n=sum(counts.values()), path=db_path), file=sys.stderr)
    return 0


def _playbook_check(raw_paths: list[str]) -> int:
    from saletui.i18n import ngettext
    from saletui.playbook.load import check_paths

    paths = [Path(p).expanduser() for p in raw_paths]
    missing = [p for p in paths if not _exists(p)]
    for path in missing:
        _fail(_("no such file or folder: {path}").format(path=path), EXIT_CONFIG)
    if missing:
        return EXIT_CONFIG
    files, errors, warnings = check_paths(paths)
    lines = [str(error) for error in errors]
    lines += [_("{where} (warning)").format(where=warning) for warning in warnings]
    lines.append(
        ngettext("{n} file checked", "{n} files checked", len(files)).format(n=len(files))
        + ", "
        + ngettext("{n} error", "{n} errors", len(errors)).format(n=len(errors))
        + (", " + ngettext("{n} warning", "{n} warnings", len(warnings)).format(n=len(warnings)) if warnings else "")
    )
    _emit("\n".join(lines) + "\n")
    return 1 if errors else 0


class _Progress:
    """A running count of rows on stderr during a long export, when a person is watching;
    the line is ended before the result is printed below it."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, rows: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write("\r" + _("{n} rows…").format(n=f"{rows:,}"))
            sys.stderr.flush()
            self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


class _ImportProgress:
    """An import's progress on stderr when a person is watching (never into a pipe or a
    file, where scripts read the output): rows read, rows per second and how much of the
    file, by bytes. The line is ended before the report is printed below it."""

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.started = self.clock()
        self.shown = False
        self.tty = sys.stderr.isatty()

    def __call__(self, rows: int, done: int, size: int) -> None:
        if not self.tty:
            return
        elapsed = max(self.clock() - self.started, 1e-6)
        percent = min(100, done * 100 // size) if size else 100
        sys.stderr.write(
            "\r"
            + _("{n} rows, {rate} rows/s, {percent}%").format(
                n=f"{rows:,}", rate=f"{rows / elapsed:,.0f}", percent=percent
            )
            + "\x1b[K"
        )
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False


def _emit(text: str) -> int:
    """Print a result (brief, chart, report): UTF-8 into a pipe or file, the terminal's own
    encoding on a terminal; never a control character from the data (escapes that would
    clear the screen or retitle the terminal)."""
    from saletui.text import display_block

    text = display_block(text) + ("\n" if text.endswith("\n") else "")
    try:
        if not sys.stdout.isatty() and hasattr(sys.stdout, "buffer"):
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
        else:
            encoding = sys.stdout.encoding or "utf-8"
            sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
        sys.stdout.flush()
    except BrokenPipeError:  # `saletui orgchart X | head`: the reader has gone, that is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return 0


def _fresh_demo(path: Path) -> None:
    """Rebuild the demo database from scratch, dated around today."""
    from saletui.store.db import open_database
    from saletui.store.demo import build_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(path)
    build_demo()  # each account's milestone questions in its own language

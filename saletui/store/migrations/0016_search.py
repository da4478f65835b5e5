"""One search over accounts, people, deals and visit notes (saletui.store.search): an FTS5
table per kind with the trigram tokenizer, so Chinese text matches inside words (there are
no spaces between them) and a phone number by any part of it. Each table holds a row's name
and the rest of its searchable text ("details"), under the row's own id, and a second the
name alone (so the names are searched first without reading the details); triggers keep them
current on every insert, update and delete, cascades included, and this migration fills them
for an existing database."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator


def _digits(column: str) -> str:
    """The column with the usual separators of a phone number taken out, so "138 1234 5678"
    is found by 13812345678 too."""
    expr = f"ifnull(new.{column}, '')"
    for ch in (" ", "-", "(", ")", "+", ".", "/"):
        expr = f"replace({expr}, '{ch}', '')"
    return expr


def _joined(*parts: str) -> str:
    return " || char(10) || ".join(parts)


def _cols(*columns: str) -> list[str]:
    return [f"ifnull(new.{c}, '')" for c in columns]


# A visit's notes besides its objective (its name in the results).
VISIT_NOTES = (
    "objective_who",
    "objective_how",
    "objective_when",
    "objective_why",
    "give",
    "learn",
    "ask_best",
    "ask_minimum",
    "commitment",
    "outcome",
    "debrief",
    "next_step",
)

# kind: (source table, columns whose change re-indexes the row, name expression, details expression)
KINDS = {
    "account": (
        "account",
        ("name", "industry", "region", "phone", "website"),
        "new.name",
        _joined(*_cols("industry", "region", "phone", "website"), _digits("phone")),
    ),
    "person": (
        "person",
        ("name", "title", "department", "phone", "email"),
        "new.name",
        _joined(*_cols("title", "department", "phone", "email"), _digits("phone")),
    ),
    "deal": ("deal", ("title", "close_reason"), "new.title", _joined(*_cols("close_reason"))),
    "visit": ("visit", ("objective", *VISIT_NOTES), "ifnull(new.objective, '')", _joined(*_cols(*VISIT_NOTES))),
}


def statements() -> list[str]:
    out = []
    for kind, (table, watched, name, details) in KINDS.items():
        # Two newlines end each value: every one- or two-character word then starts a
        # trigram, which the search finds through the vocabulary (saletui.store.search).
        name, details = f"{name} || char(10, 10)", f"{details} || char(10, 10)"
        full, names = f"search_{kind}", f"search_{kind}_name"
        out += [
            f"CREATE VIRTUAL TABLE {full} USING fts5(name, details, tokenize = 'trigram')",
            f"CREATE VIRTUAL TABLE {names} USING fts5(name, tokenize = 'trigram')",
            # Merge the index's segments less eagerly: an import of 100,000 people spends
            # half as long in the index, and a search reads a few more segments (still ~1 ms).
            f"INSERT INTO {full} ({full}, rank) VALUES ('automerge', 16)",
            f"INSERT INTO {names} ({names}, rank) VALUES ('automerge', 16)",
            f"CREATE VIRTUAL TABLE {full}_vocab USING fts5vocab({full}, 'row')",
            f"CREATE VIRTUAL TABLE {names}_vocab USING fts5vocab({names}, 'row')",
            f"CREATE TRIGGER {full}_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {full} (rowid, name, details) VALUES (new.id, {name}, {details}); "
            f"INSERT INTO {names} (rowid, name) VALUES (new.id, {name}); END",
            f"CREATE TRIGGER {full}_update AFTER UPDATE OF {', '.join(watched)} ON {table} BEGIN "
            f"UPDATE {full} SET name = {name}, details = {details} WHERE rowid = new.id; "
            f"UPDATE {names} SET name = {name} WHERE rowid = new.id; END",
            f"CREATE TRIGGER {full}_delete AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM {full} WHERE rowid = old.id; DELETE FROM {names} WHERE rowid = old.id; END",
            # The rows already there: `new.` read as the table's own columns.
            f"INSERT INTO {full} (rowid, name, details) SELECT id, "
            f"{name.replace('new.', '')}, {details.replace('new.', '')} FROM {table}",
            f"INSERT INTO {names} (rowid, name) SELECT id, {name.replace('new.', '')} FROM {table}",
        ]
    return out


def up(migrator: SchemaMigrator, db: Database) -> None:
    for statement in statements():
        db.execute_sql(statement)


def down(migrator: SchemaMigrator, db: Database) -> None:
    for kind in KINDS:
        for suffix in ("insert", "update", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS search_{kind}_{suffix}")
        for name in (f"search_{kind}_vocab", f"search_{kind}_name_vocab", f"search_{kind}", f"search_{kind}_name"):
            db.execute_sql(f"DROP TABLE IF EXISTS {name}")

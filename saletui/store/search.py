"""One search over accounts, people, deals and visit notes (the FTS5 tables of migration
0016, kept current by triggers).

Each word typed must be found in the row's name or details, in any order, inside words
too (Chinese has no spaces). Every lookup goes through an index, whatever the length of
the word (see _condition). Within a kind, rows whose name holds the search come first:
the name equal to it, then starting with it, then shorter names."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from saletui.store.models import database

LIMIT = 12  # rows shown per kind; typing more narrows them
NAME_FIRST = 200  # name matches read per kind before the best LIMIT are kept


class Kind(enum.StrEnum):
    ACCOUNT = "account"
    PERSON = "person"
    DEAL = "deal"
    VISIT = "visit"


@dataclass(frozen=True)
class Hit:
    """One row found. `detail` is the line under the name: a person's title and contacts,
    a deal's account, a visit's date and the words around the match."""

    kind: Kind
    id: int
    account_id: int
    name: str
    account: str
    detail: str
    when: str = ""  # a visit's planned date, a deal's expected close (ISO)


@dataclass
class Found:
    text: str
    hits: dict[Kind, list[Hit]] = field(default_factory=dict)
    more: dict[Kind, bool] = field(default_factory=dict)  # more rows than shown

    def count(self) -> int:
        return sum(len(v) for v in self.hits.values())


# kind: (what is read after the row id: its name, account id, account name, date, details;
# the joins from the index `s`).
_SOURCES = {
    Kind.ACCOUNT: (
        "a.name, a.id, a.name, '', a.industry || char(10) || a.region || char(10) || a.phone || char(10) || a.website",
        "JOIN account a ON a.id = s.rowid",
    ),
    Kind.PERSON: (
        "p.name, p.account_id, a.name, '', "
        "p.title || char(10) || p.department || char(10) || p.phone || char(10) || p.email",
        "JOIN person p ON p.id = s.rowid JOIN account a ON a.id = p.account_id",
    ),
    Kind.DEAL: (
        "d.title, d.account_id, a.name, ifnull(d.expected_close, ''), d.close_reason",
        "JOIN deal d ON d.id = s.rowid JOIN account a ON a.id = d.account_id",
    ),
    Kind.VISIT: (
        "v.objective, v.account_id, a.name, substr(v.planned_at, 1, 10), "
        + " || char(10) || ".join(
            f"v.{c}"
            for c in (
                "commitment",
                "outcome",
                "debrief",
                "next_step",
                "give",
                "learn",
                "ask_best",
                "ask_minimum",
                "objective_who",
                "objective_how",
                "objective_when",
                "objective_why",
            )
        ),
        "JOIN visit v ON v.id = s.rowid JOIN account a ON a.id = v.account_id",
    ),
}
MAX_EXPANSION = 100  # trigrams a short word alone stands for, the most frequent first


_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_PHONE_LIKE = re.compile(r"[\d()+./-]*\d[\d()+./-]*")


def words(text: str) -> list[str]:
    """The words of `text`; control characters (a pasted NUL) separate words."""
    return _CONTROLS.sub(" ", text).split()


def _fold(word: str) -> str:
    """Lower case as the trigram tokenizer folds it: one character for one (Python turns
    İ into two, which no indexed text holds)."""
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in word)


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _long_word(word: str) -> str:
    """A word of three characters or more as a MATCH phrase; a phone number typed with
    separators (21-5555) also as its digits, which the index holds without them."""
    if _PHONE_LIKE.fullmatch(word) and not word.isdigit():
        digits = re.sub(r"\D", "", word)
        if len(digits) >= 3:
            return f"({_phrase(word)} OR {_phrase(digits)})"
    return _phrase(word)


def _condition(table: str, terms: list[str], *, name_only: bool) -> tuple[str, list[str]] | None:
    """The WHERE condition finding every word of `terms` in the FTS table `table` (alias s)
    and its parameters, or None when one word is in no row.

    A word of three characters or more is a phrase of its trigrams. A shorter one is
    looked for (case folded) in the rows the longer words found; alone, it stands for every trigram
    of the table that starts with it (each value ends in two newlines, so a short word at
    the end starts one too): the MAX_EXPANSION most frequent, since a word with more
    trigrams than that is in more rows than are shown."""
    long_ = [w for w in terms if len(w) >= 3]
    short = [w for w in terms if len(w) < 3]
    parts = [_long_word(w) for w in long_]
    conditions, params = [], []
    for word in short if not long_ else ():
        low = _fold(word)
        grams = [
            r[0]
            for r in database.execute_sql(
                f"SELECT term FROM {table}_vocab WHERE term >= ? AND term < ? ORDER BY cnt DESC LIMIT ?",
                (low, low + "\U0010ffff", MAX_EXPANSION),
            )
        ]
        if not grams:
            return None
        parts.append("(" + " OR ".join(_phrase(g) for g in grams) + ")")
    if parts:
        conditions.append(f"{table} MATCH ?")
        params.append(" AND ".join(parts))
    for word in short if long_ else ():
        # Folded in Python: LIKE ignores the case of ASCII letters only.
        columns = ("s.name",) if name_only else ("s.name", "s.details")
        conditions.append("(" + " OR ".join(f"instr(saletui_fold({c}), ?)" for c in columns) + ")")
        params += [word.casefold()] * len(columns)
    return " AND ".join(conditions), params


def _order(text: str, name: str) -> tuple[bool, bool, bool, int, str]:
    folded, name_f = text.casefold(), name.casefold()
    return (name_f != folded, not name_f.startswith(folded), folded not in name_f, len(name), name_f)


def _rows(kind: Kind, table: str, condition: tuple[str, list[str]], n: int, exclude: set[int]) -> list[tuple[Any, ...]]:
    select, joins = _SOURCES[kind]
    where, params = condition
    skip = f" AND s.rowid NOT IN ({','.join('?' * len(exclude))})" if exclude else ""
    sql = f"SELECT s.rowid, {select} FROM {table} s {joins} WHERE {where} AND a.archived_at IS NULL{skip} LIMIT ?"
    rows: list[tuple[Any, ...]] = database.execute_sql(sql, [*params, *exclude, n]).fetchall()
    return rows


def find(text: str, kinds: tuple[Kind, ...] = tuple(Kind), limit: int = LIMIT) -> Found:
    """The rows of active accounts that `text` finds, per kind (read only): those whose
    name holds every word first, best first, then those with the words anywhere."""
    terms = words(text)
    found = Found(text)
    if not terms:
        return found
    whole = " ".join(terms)
    for kind in kinds:
        names = f"search_{kind.value}_name"
        # The name that is the text, then names starting with it: found whatever the
        # number of names holding it (which the next pass reads only NAME_FIRST of).
        rows = _rows(kind, names, (f"{names} MATCH ?", [f"^{_phrase(whole + chr(10) * 2)}"]), limit + 1, set())
        if len(whole) >= 3 and len(rows) <= limit:
            rows += _rows(kind, names, (f"{names} MATCH ?", [f"^{_phrase(whole)}"]), limit + 1, {r[0] for r in rows})
        condition = _condition(names, terms, name_only=True)
        if condition is not None and len(rows) <= limit:
            rows += _rows(kind, names, condition, NAME_FIRST, {r[0] for r in rows})
            rows.sort(key=lambda r: _order(whole, r[1] or ""))
            rows = rows[: limit + 1]
        if len(rows) <= limit:
            full = f"search_{kind.value}"
            condition = _condition(full, terms, name_only=False)
            if condition is not None:
                rows += _rows(kind, full, condition, limit + 1 - len(rows), {r[0] for r in rows})
        found.more[kind] = len(rows) > limit
        found.hits[kind] = [
            Hit(kind, r[0], r[2], r[1] or "", r[3], _detail(kind, r[5] or "", terms), r[4] or "") for r in rows[:limit]
        ]
    return found


def _detail(kind: Kind, details: str, terms: list[str]) -> str:
    parts = [p.strip() for p in details.split("\n") if p.strip()]
    if kind is Kind.PERSON or kind is Kind.ACCOUNT:
        return " · ".join(parts)
    return excerpt(" ".join(parts), terms)


def excerpt(text: str, terms: list[str], width: int = 80) -> str:
    """About `width` characters of `text` around the first of `terms` found in it."""
    folded = text.casefold()
    at = min((i for i in (folded.find(t.casefold()) for t in terms) if i >= 0), default=0)
    start = max(0, at - width // 3)
    cut = text[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")

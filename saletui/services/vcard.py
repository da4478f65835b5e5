"""People from and to vCard (.vcf) files, as phones, Outlook and Google write them.

A careful parser of our own rather than a library (vobject): what matters here is the
mess of real files, which vobject leaves to the caller: vCard 2.1's QUOTED-PRINTABLE with
soft line breaks and CHARSET=GB2312 from older Chinese phones, bare 2.1 parameters
(`TEL;WORK;VOICE:`), 8-bit values that are not UTF-8, and PHOTO lines of megabytes that
must be skipped, not decoded. The whole format we need fits in this module.

Import (`import_vcards`):
- Many cards per file; 2.1, 3.0 and 4.0; folded lines; UTF-8, UTF-16 or GB18030 files.
- FN is the name (else N: a Chinese family and given name are joined without a space,
  others as "given family"). ORG's first component is the account, its second the
  department; a card without ORG is refused, naming the card. An ORG that is no active
  account is refused too (a phone book holds more than customers), unless
  `create_accounts`: then the account is created as a prospect.
- TITLE, ROLE (-> responsibility), TEL (the preferred or first work number -> phone, a
  fax -> fax), EMAIL (preferred or first), NOTE; further numbers and addresses are kept
  as lines of the notes. The manager: Outlook's X-MS-MANAGER, Apple's X-ABRELATEDNAMES
  labelled Manager, or X-MANAGER, matched by name at the same account.
- UID -> source "vcard" and source_id, so a re-import updates the same person (then the
  same name at the same account). A card updates the fields it has and leaves the others.
- PHOTO, ADR, BDAY and every other property are skipped without being decoded.
- All or nothing, as the CSV imports; errors name the card's first line.

Export (`export_vcards`): vCard 3.0, CRLF, lines folded at 75 octets, `, ; \\` and newlines
escaped; N, FN, ORG, TITLE, ROLE, TEL, EMAIL, NOTE, UID, and the manager both as Outlook
(X-MS-MANAGER) and Apple (X-ABRELATEDNAMES + X-ABLabel) read it.
"""

from __future__ import annotations

import codecs
import difflib
import quopri
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.org import would_create_cycle
from saletui.money import DEFAULT_CURRENCY
from saletui.services.csv_import import ImportFileError, ImportReport, RowError, RowOutcome
from saletui.store import accounts, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person, database, now
from saletui.store.people import PersonDraft

SOURCE = "vcard"
_WANTED = {
    "BEGIN",
    "END",
    "VERSION",
    "FN",
    "N",
    "ORG",
    "TITLE",
    "ROLE",
    "TEL",
    "EMAIL",
    "NOTE",
    "UID",
    "X-MS-MANAGER",
    "X-MANAGER",
    "X-ABRELATEDNAMES",
    "X-ABLABEL",
    "RELATED",
}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "司徒", "夏侯", "长孙")


def looks_like_vcard(path: Path) -> bool:
    """A .vcf/.vcard file, or one whose first non-blank text is BEGIN:VCARD."""
    if path.suffix.lower() in (".vcf", ".vcard"):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(256)
    except OSError:
        return False
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(codec, "ignore").encode("ascii", "ignore")
    return head.removeprefix(codecs.BOM_UTF8).lstrip().upper().startswith(b"BEGIN:VCARD")


# -- reading --------------------------------------------------------------------------------


@dataclass
class Property:
    name: str
    params: dict[str, list[str]]
    value: str
    group: str = ""

    def types(self) -> set[str]:
        return {t.casefold() for t in self.params.get("TYPE", [])}


@dataclass
class Card:
    line: int  # where BEGIN:VCARD stands, 1-based
    version: str = ""
    props: list[Property] = field(default_factory=list)

    def first(self, name: str) -> Property | None:
        return next((p for p in self.props if p.name == name), None)

    def all(self, name: str) -> list[Property]:
        return [p for p in self.props if p.name == name]

    def label(self) -> str:
        """How messages name the card: its name, else its line."""
        fn = _text(self.first("FN"))
        if fn:
            return fn
        n = self.first("N")
        if n:
            joined = join_name(_components(n.value))
            if joined:
                return joined
        return _("the card at line {line}").format(line=self.line)


def _logical_lines(data: bytes) -> list[tuple[int, bytes]]:
    """Unfold: (first physical line number, bytes). A line starting with a space or tab
    continues the previous one; a QUOTED-PRINTABLE value ending in "=" continues on the
    next line (2.1's soft line break). Chunks are joined once, so a 5 MB PHOTO stays linear."""
    out: list[tuple[int, list[bytes]]] = []
    qp_open = False
    for number, line in enumerate(re.split(rb"\r\n|\n|\r", data), start=1):
        if qp_open and out:
            chunks = out[-1][1]
            chunks[-1] = chunks[-1][:-1]  # drop the soft break's "="
            chunks.append(line)
        elif out and line[:1] in (b" ", b"\t"):
            out[-1][1].append(line[1:])
        else:
            out.append((number, [line]))
        head = out[-1][1][0]
        qp_open = line.endswith(b"=") and b"QUOTED-PRINTABLE" in head.split(b":", 1)[0].upper()
    return [(number, b"".join(chunks)) for number, chunks in out]


def _split_params(head: str) -> tuple[str, str, dict[str, list[str]]]:
    """ "item1.TEL;TYPE=work,voice;PREF=1" -> ("item1", "TEL", {"TYPE": [...], "PREF": [...]})."""
    parts = re.findall(r'(?:[^;"]|"[^"]*")+', head)
    name = parts[0] if parts else ""
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        if "=" in part:
            key, value = part.split("=", 1)
            key = key.strip().upper()
            value = value.strip()
            if len(value) > 1 and value[0] == value[-1] == '"':
                value = value[1:-1]  # 4.0: TYPE="work,voice"
            values = [v.strip() for v in value.split(",") if v.strip()]
        else:  # 2.1's bare parameters: TEL;WORK;VOICE, or ENCODING/CHARSET values alone
            bare = part.strip().upper()
            key, values = ("ENCODING", [bare]) if bare in ("QUOTED-PRINTABLE", "BASE64", "8BIT") else ("TYPE", [bare])
        params.setdefault(key, []).extend(values)
    return group, name.strip().upper(), params


def _decode_value(raw: bytes, params: dict[str, list[str]]) -> str:
    encodings = {e.upper() for e in params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" in encodings:
        raw = quopri.decodestring(raw)
    charset = (params.get("CHARSET") or [""])[0]
    if charset:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            codec = "utf-8"
        if codec in ("gb2312", "gbk"):
            codec = "gb18030"  # a superset: phones label GBK text GB2312
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


def read_cards(path: Path) -> list[Card]:
    """Every card of the file; ImportFileError when it cannot be read or holds none."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFileError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(_("{path} starts like UTF-16 text but is not").format(path=path)) from None
    data = data.removeprefix(codecs.BOM_UTF8)
    cards: list[Card] = []
    current: Card | None = None
    for number, line in _logical_lines(data):
        if not line.strip():
            continue
        head, sep, raw = line.partition(b":")
        if not sep:
            continue  # not a property (e.g. the tail of a broken photo): skipped
        name_part = head.split(b";", 1)[0]
        name = name_part.rsplit(b".", 1)[-1].strip().upper().decode("ascii", "replace")
        if name not in _WANTED:
            continue  # PHOTO, ADR, BDAY, X-...: never decoded
        group, name, params = _split_params(head.decode("ascii", "replace"))
        if name == "BEGIN" and raw.strip().upper() == b"VCARD":
            current = Card(number)
            continue
        if current is None:
            continue
        if name == "END" and raw.strip().upper() == b"VCARD":
            cards.append(current)
            current = None
            continue
        value = _decode_value(raw, params)
        if name == "VERSION":
            current.version = value.strip()
            continue
        current.props.append(Property(name, params, value, group))
    if current is not None:
        cards.append(current)  # a last card without END:VCARD is still read
    if not cards:
        raise ImportFileError(_("{path} holds no vCard (no BEGIN:VCARD line)").format(path=path))
    return cards


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _components(value: str) -> list[str]:
    """A structured value (N, ORG) split at unescaped semicolons, each unescaped."""
    return [_unescape(p).strip() for p in re.split(r"(?<!\\);", value)]


def _text(prop: Property | None) -> str:
    """A text value unescaped, its newlines as the forms store them (\\n, not CRLF)."""
    if prop is None:
        return ""
    return _unescape(prop.value).replace("\r\n", "\n").replace("\r", "\n").strip()


def join_name(parts: list[str]) -> str:
    """N's family;given;additional;prefix;suffix as one name: 张;伟 -> 张伟, Smith;Jane -> Jane Smith."""
    family, given, additional = [*parts, "", "", ""][:3]
    if _CJK.search(family + given):
        return f"{family}{given}".strip()
    return " ".join(p for p in (given, additional, family) if p)


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for N: a Chinese name by its surname (one character, or a compound
    one such as 欧阳), others at the last space."""
    name = name.strip()
    if _CJK.match(name) and " " not in name:
        size = 2 if name.startswith(_COMPOUND_SURNAMES) and len(name) > 2 else 1
        return name[:size], name[size:]
    if " " in name:
        given, family = name.rsplit(" ", 1)
        return family, given
    return name, ""


# -- the import -------------------------------------------------------------------------------


@dataclass
class _Fields:
    values: dict[str, str]
    manager: str


def _preferred(props: list[Property]) -> list[Property]:
    def rank(p: Property) -> tuple[int, int]:
        types = p.types()
        pref = "pref" in types or "PREF" in p.params
        return (0 if pref else 1, 0 if "work" in types else 1)

    return sorted(props, key=rank)


def _tel(value: str) -> str:
    value = value.strip()
    value = re.sub(r"^tel:", "", value, flags=re.I)
    return re.split(r";(?:ext|phone-context)=", value, flags=re.I)[0]


def card_fields(card: Card) -> _Fields:
    """The person fields a card gives (only those it has), and its manager's name."""
    values: dict[str, str] = {}
    name = _text(card.first("FN"))
    n = card.first("N")
    if not name and n:
        name = join_name(_components(n.value))
    values["name"] = name
    org = card.first("ORG")
    if org:
        parts = _components(org.value)
        values["account"] = parts[0] if parts else ""
        if len(parts) > 1 and parts[1]:
            values["department"] = parts[1]
    for prop_name, field_name in (("TITLE", "title"), ("ROLE", "responsibility"), ("NOTE", "notes")):
        if card.first(prop_name):
            values[field_name] = _text(card.first(prop_name))
    extra: list[str] = []
    tels = card.all("TEL")
    faxes = [t for t in tels if "fax" in t.types()]
    phones = _preferred([t for t in tels if "fax" not in t.types()])
    if phones:
        values["phone"] = _tel(phones[0].value)
        extra += [_("Phone: {number}").format(number=_tel(t.value)) for t in phones[1:] if _tel(t.value)]
    if faxes:
        values["fax"] = _tel(faxes[0].value)
    emails = _preferred(card.all("EMAIL"))
    if emails:
        values["email"] = _text(emails[0])
        extra += [_("E-mail: {address}").format(address=_text(e)) for e in emails[1:] if _text(e)]
    if extra:
        values["notes"] = "\n".join(x for x in (values.get("notes", ""), *extra) if x)
    manager = _text(card.first("X-MS-MANAGER")) or _text(card.first("X-MANAGER"))
    if not manager:
        labels = {p.group: _text(p) for p in card.all("X-ABLABEL") if p.group}
        for related in card.all("X-ABRELATEDNAMES"):
            if "manager" in labels.get(related.group, "").casefold():
                manager = _text(related)
                break
    return _Fields(values, manager)


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


class _Rollback(Exception):
    pass


def import_vcards(
    path: Path,
    *,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    create_accounts: bool = False,
    currency: str = DEFAULT_CURRENCY,
) -> ImportReport:
    """Import the people of a .vcf file into the open database (see the module's notes).
    Row numbers in the report are the line of each card's BEGIN:VCARD."""
    cards = read_cards(Path(path))
    report = ImportReport("people", Path(path), encoding="vcard", dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    report.columns = {"name": "FN", "account": "ORG"}
    try:
        with database.atomic("IMMEDIATE"):
            _VCardImport(report, create_accounts, currency).run(cards)
            if dry_run or (report.errors and not skip_bad_rows):
                raise _Rollback
            report.written = True
    except _Rollback:
        pass
    report.errors.sort(key=lambda e: e.row)
    return report


class _VCardImport:
    def __init__(self, report: ImportReport, create_accounts: bool, currency: str) -> None:
        self.report = report
        self.create_accounts = create_accounts
        self.currency = currency
        self.accounts: dict[str, list[tuple[int, str]]] = {}
        self.archived: set[str] = set()
        for account_id, name, archived in database.execute_sql(
            "SELECT id, name, archived_at IS NOT NULL FROM account"
        ).fetchall():
            if archived:
                self.archived.add(_fold(name))
            else:
                self.accounts.setdefault(_fold(name), []).append((account_id, name))
        self.in_file: dict[tuple[int, str], tuple[int, int]] = {}  # (account, name) -> (line, person)
        self.seen_uids: dict[str, int] = {}
        self.people: dict[int, dict[str, list[int]]] = {}
        self.trees: dict[int, dict[int, int | None]] = {}
        self.by_uid: dict[str, int] = dict(
            database.execute_sql(
                "SELECT source_id, id FROM person WHERE source = ? AND source_id <> ''", (SOURCE,)
            ).fetchall()
        )
        self.touched: set[int] = set()

    def staff(self, account_id: int) -> dict[str, list[int]]:
        """The account's people by folded name, read once per account."""
        if account_id not in self.people:
            index: dict[str, list[int]] = {}
            for person_id, name in database.execute_sql(
                "SELECT id, name FROM person WHERE account_id = ? ORDER BY id", (account_id,)
            ).fetchall():
                index.setdefault(_fold(name), []).append(person_id)
            self.people[account_id] = index
        return self.people[account_id]

    def fail(self, card: Card, column: str, message: str) -> None:
        self.report.errors.append(RowError(card.line, column, message))
        self.report.outcome(RowOutcome(card.line, "error", card.label()))

    def account(self, card: Card, name: str) -> int | None:
        matches = self.accounts.get(_fold(name), [])
        if len(matches) > 1:
            matches = [m for m in matches if m[1] == name] or matches
        if len(matches) == 1:
            return matches[0][0]
        label = card.label()
        if matches:
            self.fail(
                card,
                "ORG",
                _("{card}: {n} active accounts are called {name!r}.").format(card=label, n=len(matches), name=name),
            )
            return None
        if _fold(name) in self.archived:
            self.fail(
                card,
                "ORG",
                _("{card}: the account {name!r} is archived; restore it first.").format(card=label, name=name),
            )
            return None
        if self.create_accounts:
            try:
                created = accounts.save(AccountDraft(name=name, currency=self.currency))
            except ValidationError as exc:
                self.fail(card, "ORG", f"{label}: " + "; ".join(exc.errors.values()))
                return None
            self.accounts[_fold(name)] = [(created.id, name)]
            return created.id
        message = _(
            "{card}: no active account called {name!r}; import or add it first (or use --create-accounts)."
        ).format(card=label, name=name)
        close = difflib.get_close_matches(_fold(name), list(self.accounts), n=1, cutoff=0.8)
        if close:
            message += " " + _("Did you mean {name!r}?").format(name=self.accounts[close[0]][0][1])
        self.fail(card, "ORG", message)
        return None

    def run(self, cards: list[Card]) -> None:
        managers: list[tuple[Card, int, int, str, int, str]] = []
        for card in cards:
            kept = len(self.report.rows)
            counts = (self.report.created, self.report.updated)
            outcome = self.card(card)
            if outcome is not None:
                person_id, account_id, manager = outcome
                if manager:
                    index = kept if len(self.report.rows) > kept else -1
                    was = "unchanged" if counts == (self.report.created, self.report.updated) else "changed"
                    managers.append((card, person_id, account_id, manager, index, was))
        for card, person_id, account_id, manager, row, was in managers:
            self.link(card, person_id, account_id, manager, row, was)
        for account_id in sorted(self.touched):
            people.refresh_warning_count(account_id)

    def card(self, card: Card) -> tuple[int, int, str] | None:
        fields = card_fields(card)
        values = fields.values
        label = card.label()
        if not values["name"]:
            self.fail(card, "FN", _("{card}: the card has no name (FN or N).").format(card=label))
            return None
        org = values.pop("account", "")
        uid = _text(card.first("UID"))
        if uid and uid in self.seen_uids:
            self.fail(
                card,
                "UID",
                _("{card}: same UID as the card at line {line}.").format(card=label, line=self.seen_uids[uid]),
            )
            return None
        # The UID is the person: found by it, they stay at their account whatever the ORG says.
        person = Person.get_by_id(self.by_uid[uid]) if uid in self.by_uid else None
        if person is not None:
            account_id = person.account_id
        else:
            if not org:
                self.fail(
                    card,
                    "ORG",
                    _("{card}: the card has no ORG (company); saletui keeps people under their account.").format(
                        card=label
                    ),
                )
                return None
            found = self.account(card, org)
            if found is None:
                return None
            account_id = found
        key = (account_id, _fold(values["name"]))
        if key in self.in_file:
            self.fail(
                card,
                "FN",
                _("{card}: same person as the card at line {line}.").format(card=label, line=self.in_file[key][0]),
            )
            return None
        if person is None:
            named = self.staff(account_id).get(key[1], [])
            if len(named) > 1:
                self.fail(
                    card,
                    "FN",
                    _("{card}: {n} people at this account have this name; rename one in the app first.").format(
                        card=label, n=len(named)
                    ),
                )
                return None
            person = Person.get_by_id(named[0]) if named else None
        draft = PersonDraft.from_person(person) if person else PersonDraft()
        for name, value in values.items():
            setattr(draft, name, value)
        try:
            cleaned = people.clean(account_id, draft, person.id if person else None)
        except ValidationError as exc:
            column = {"name": "FN", "title": "TITLE", "phone": "TEL", "fax": "TEL", "email": "EMAIL", "notes": "NOTE"}
            for field_name, message in exc.errors.items():
                self.report.errors.append(
                    RowError(card.line, column.get(field_name, field_name), f"{label}: {message}")
                )
            self.report.outcome(RowOutcome(card.line, "error", label))
            return None
        source: dict[str, object] = {}
        if uid and (person is None or not person.source or person.source == SOURCE):
            source = {"source": SOURCE, "source_id": uid}
        if person is None:
            person_id: int = Person.insert(account=account_id, **cleaned, **source).execute()
            self.staff(account_id).setdefault(key[1], []).append(person_id)
            self.touched.add(account_id)
            action = "create"
        else:
            person_id = person.id
            wanted = {**cleaned, **source}
            if any(getattr(person, k if k != "reports_to" else "reports_to_id") != v for k, v in wanted.items()):
                Person.update(**wanted, updated_at=now()).where(Person.id == person_id).execute()
                self.touched.add(account_id)
                action = "update"
            else:
                action = "unchanged"
        if uid:
            self.seen_uids[uid] = card.line
        self.in_file[key] = (card.line, person_id)
        self.count(card.line, action, label)
        return person_id, account_id, fields.manager

    def count(self, line: int, action: str, label: str) -> None:
        self.report.count(line, action, label)

    def link(self, card: Card, person_id: int, account_id: int, manager: str, row: int, was: str) -> None:
        """The reporting line, once every card is in: a manager may come later in the file."""
        in_file = self.in_file.get((account_id, _fold(manager)))
        if in_file:
            candidates = [in_file[1]]
        else:
            candidates = self.staff(account_id).get(_fold(manager), [])
        if len(candidates) != 1:
            message = (
                _("{card}: {n} people at this account are called {name!r}.").format(
                    card=card.label(), n=len(candidates), name=manager
                )
                if candidates
                else _("{card}: the manager {name!r} is not at this account (in this file or already saved).").format(
                    card=card.label(), name=manager
                )
            )
            self.report.errors.append(RowError(card.line, "X-MS-MANAGER", message))
            return
        manager_id = candidates[0]
        if account_id not in self.trees:
            self.trees[account_id] = people.parents(account_id)
        tree = self.trees[account_id]
        if tree.get(person_id) == manager_id:
            return
        if manager_id == person_id or would_create_cycle(tree, person_id, manager_id):
            self.report.errors.append(
                RowError(
                    card.line,
                    "X-MS-MANAGER",
                    _("{card}: cannot report to someone who reports to them.").format(card=card.label()),
                )
            )
            return
        Person.update(reports_to=manager_id, updated_at=now()).where(Person.id == person_id).execute()
        tree[person_id] = manager_id
        self.touched.add(account_id)
        self.report.promote(row, card.line, was)


# -- writing --------------------------------------------------------------------------------


def escape(text: str) -> str:
    """A text value as vCard 3.0 writes it: backslash, comma, semicolon and newlines escaped."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended."""
    out: list[str] = []
    chunk: list[str] = []
    size, limit = 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(chunk))
            chunk, size, limit = [], 0, 74  # a continuation starts with a space: 74 octets remain
        chunk.append(ch)
        size += width
    out.append("".join(chunk))
    return "\r\n ".join(out) + "\r\n"


def uid_for(person: Person) -> str:
    """The card's UID: the one it came with, else a stable one made from the person's id."""
    if person.source == SOURCE and person.source_id:
        return str(person.source_id)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'saletui:person:{person.id}')}"


def card_text(person: Person, account_name: str, manager: str) -> str:
    family, given = split_name(person.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{escape(uid_for(person))}",
        f"FN:{escape(person.name)}",
        f"N:{escape(family)};{escape(given)};;;",
        f"ORG:{escape(account_name)}" + (f";{escape(person.department)}" if person.department else ""),
    ]
    if person.title:
        lines.append(f"TITLE:{escape(person.title)}")
    if person.responsibility:
        lines.append(f"ROLE:{escape(person.responsibility)}")
    if person.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(person.phone)}")
    if person.fax:
        lines.append(f"TEL;TYPE=WORK,FAX:{escape(person.fax)}")
    if person.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(person.email)}")
    if person.notes:
        lines.append(f"NOTE:{escape(person.notes)}")
    if manager:
        lines.append(f"X-MS-MANAGER;N:{escape(manager)}")  # Outlook ([MS-OXVCARD] 2.1.3.9.8)
        lines.append(f"item1.X-ABRELATEDNAMES:{escape(manager)}")  # Apple Contacts
        lines.append("item1.X-ABLabel:_$!<Manager>!$_")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def vcards_text() -> tuple[str, int]:
    """Every person of the active accounts as vCard 3.0, by account and name."""
    rows = (
        Person.select(Person, Account)
        .join(Account)
        .where(Account.archived_at.is_null())
        .order_by(Account.name, Account.id, Person.name, Person.id)
    )
    names: dict[int, str] = dict(database.execute_sql("SELECT id, name FROM person").fetchall())
    parts = []
    for person in rows:
        manager = names.get(person.reports_to_id, "") if person.reports_to_id else ""
        parts.append(card_text(person, person.account.name, manager))
    return "".join(parts), len(parts)


def export_vcards(path: Path) -> int:
    """Write every person of the active accounts to `path` (atomically); how many."""
    from saletui.atomic_file import write_text_atomic

    content, count = vcards_text()
    write_text_atomic(Path(path), content)
    return count

"""The translation catalogue: complete, compiled, and faithful to the source strings.

The messages are extracted from the source in-process with Babel (a test dependency
only: the app reads the committed .mo with the standard library's gettext). When one of
these tests fails after adding or changing a `_()` / `ngettext()` string, follow
saletui/locale/README.md: extract, update, translate, compile.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import saletui
from saletui.i18n import DOMAIN, LOCALE_DIR, _, ngettext, set_language

PACKAGE_DIR = Path(saletui.__file__).parent
PO_PATH = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_PATH = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo"

# The same keywords as the extraction command in saletui/locale/README.md.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHOD_MAP = [("**.py", "python")]

README_HINT = "see saletui/locale/README.md (extract, update, translate, compile)"


def _source_messages() -> dict[str | tuple[str, str], list[str]]:
    """Every msgid the source passes to `_` / `ngettext`, with where it is used."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE_DIR), METHOD_MAP, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            # ngettext: Babel yields (singular, plural); a non-literal argument is None.
            message = tuple(message)
            if None in message:
                continue
        found.setdefault(message, []).append(f"saletui/{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def source_messages() -> dict[str | tuple[str, str], list[str]]:
    messages = _source_messages()
    assert len(messages) > 100, "extraction found almost nothing: is the mapping right?"
    return messages


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO_PATH.open("rb") as f:
        return read_po(f, locale="zh_CN", domain=DOMAIN)


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _forms(message: Message) -> list[str]:
    if isinstance(message.string, (tuple, list)):
        return list(message.string)
    return [message.string]


# --- (a) completeness -------------------------------------------------------------------


def test_every_source_string_has_a_chinese_translation(source_messages, catalog):
    problems = []
    for msgid, where in sorted(source_messages.items(), key=lambda kv: str(kv[0])):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalog.get(key)
        if message is None:
            problems.append(f"missing from the .po: {msgid!r} ({where[0]})")
            continue
        if isinstance(msgid, tuple) and message.id != msgid:
            problems.append(f"plural form changed: {msgid!r}, .po has {message.id!r} ({where[0]})")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy (check and remove the flag): {msgid!r} ({where[0]})")
        elif not all(form.strip() for form in _forms(message)):
            problems.append(f"untranslated: {msgid!r} ({where[0]})")
    assert not problems, f"{len(problems)} catalogue problem(s), {README_HINT}:\n" + "\n".join(problems)


def test_translation_functions_only_get_literals():
    """`_(f"...")` or `_(variable)` cannot be extracted, so it would never be translated."""
    problems = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            literal_args = {"_": 1, "N_": 1, "ngettext": 2}.get(node.func.id)
            if literal_args is None:
                continue
            args = node.args[:literal_args]
            if len(args) < literal_args or not all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
            ):
                rel = path.relative_to(PACKAGE_DIR.parent)
                problems.append(f"{rel}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not problems, "translate string literals only:\n" + "\n".join(problems)


def test_no_translation_inside_f_strings():
    """Extraction does not look inside f-strings: `f"## {_('Account')}"` was never
    translated. Translate first, then join or format."""
    problems = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "N_", "ngettext")
                ):
                    problems.append(f"{path.relative_to(PACKAGE_DIR.parent)}:{inner.lineno}: {ast.unparse(inner)[:70]}")
    assert not problems, "translation calls inside f-strings:\n" + "\n".join(problems)


def test_nothing_is_translated_at_import():
    """A `_()` run while a module or class is defined freezes the language it was imported
    in; the interface could not switch language while it runs. Such text is marked with
    `N_` and translated where it is shown."""
    problems = []

    def visit(node: ast.AST, path: Path, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if (
                not in_function
                and isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in ("_", "ngettext")
            ):
                problems.append(f"{path.relative_to(PACKAGE_DIR.parent)}:{child.lineno}: {ast.unparse(child)[:70]}")
            visit(child, path, inside)

    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), path, False)
    assert not problems, "translated at import (use N_ and translate where shown):\n" + "\n".join(problems)


def test_catalogue_header_declares_chinese_plural_forms(catalog):
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    assert catalog.num_plurals == 1
    for message in _messages(catalog):
        if message.pluralizable:
            assert len(_forms(message)) == 1, message.id


# --- (b) the committed .mo is the compiled .po ------------------------------------------

# Header fields that change what the app shows. The rest are stamps of the tools and of
# the translator (Generated-By carries the Babel version that compiled the file, so a
# new Babel release changed it and turned a correct catalogue red).
HEADER_FIELDS_THAT_MATTER = ("content-type", "plural-forms", "language")


def _compiled(mo: io.BufferedIOBase) -> tuple[dict[object, str], dict[str, str]]:
    """The messages of a compiled catalogue, and the header fields that matter."""
    translations = gettext.GNUTranslations(mo)
    messages = {k: v for k, v in translations._catalog.items() if k != ""}
    info = translations.info()
    return messages, {field: info.get(field, "") for field in HEADER_FIELDS_THAT_MATTER}


def test_mo_is_compiled_from_the_current_po(catalog):
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # like `pybabel compile`: fuzzy entries left out
    buffer.seek(0)
    expected, expected_header = _compiled(buffer)
    with MO_PATH.open("rb") as f:
        committed, committed_header = _compiled(f)
    missing = sorted(str(k) for k in expected.keys() - committed.keys())
    stale = sorted(str(k) for k in committed.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & committed.keys() if expected[k] != committed[k])
    assert not (missing or stale or changed), (
        f"saletui.mo is out of date with saletui.po, recompile ({README_HINT}): "
        f"missing {missing[:5]}, stale {stale[:5]}, changed {changed[:5]}"
    )
    assert committed_header == expected_header, f"the .mo header differs from the .po's ({README_HINT})"
    assert committed_header["plural-forms"] and "charset=utf-8" in committed_header["content-type"].lower()


def test_the_mo_check_ignores_tool_stamps_but_not_plural_forms(catalog):
    """A recompile by another Babel release passes; a catalogue with other plural rules does not."""
    stamped = io.BytesIO()
    write_mo(stamped, catalog)
    # Same-length edits, so the offsets inside the file stay valid.
    restamped = re.sub(rb"Generated-By: Babel [0-9.]+", lambda m: m[0][:-1] + b"7", stamped.getvalue())
    assert restamped != stamped.getvalue()
    assert _compiled(io.BytesIO(restamped))[1] == _compiled(io.BytesIO(stamped.getvalue()))[1]
    other_rules = stamped.getvalue().replace(b"nplurals=1; plural=0;", b"nplurals=2; plural=1;")
    assert _compiled(io.BytesIO(other_rules))[1] != _compiled(io.BytesIO(stamped.getvalue()))[1]


def test_the_app_reads_the_chinese_catalogue():
    set_language("zh_CN")
    try:
        assert _("Accounts") == "客户"
        assert ngettext("{n} error", "{n} errors", 3).format(n=3) == "3 个错误"
    finally:
        set_language("en")
    assert _("Accounts") == "Accounts"


# --- (c) placeholders and markup survive translation ------------------------------------

_FIELD = re.compile(r"\{[^{}]*\}")
_CODE_SPAN = re.compile(r"`[^`]+`")


def _fields(text: str) -> Counter[str]:
    """The replacement fields of a str.format template, e.g. {name!r}, with their spec."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return Counter(_FIELD.findall(text))
    fields = Counter()
    for _literal, name, spec, conversion in parsed:
        if name is not None:
            fields["{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"] += 1
    return fields


def _check_pair(original: str, translated: str) -> list[str]:
    problems = []
    if _fields(original) != _fields(translated):
        problems.append(f"placeholders {sorted(_fields(original))} != {sorted(_fields(translated))}")
    if Counter(_CODE_SPAN.findall(original)) != Counter(_CODE_SPAN.findall(translated)):
        problems.append("`code` spans differ")
    for edge, test in (("leading", str.startswith), ("trailing", str.endswith)):
        if test(original, "\n") != test(translated, "\n"):
            problems.append(f"{edge} newline differs")
    if original.count("## ") != translated.count("## "):
        problems.append("Markdown headings differ")
    return problems


def test_placeholders_and_markup_match(catalog):
    problems = []
    for message in _messages(catalog):
        forms = _forms(message)
        originals = list(message.id) if isinstance(message.id, tuple) else [message.id]
        for i, form in enumerate(forms):
            if not form:
                continue
            # A single plural form stands for every n: compare it with the plural msgid.
            original = originals[-1] if len(forms) == 1 else originals[min(i, len(originals) - 1)]
            for problem in _check_pair(original, form):
                problems.append(f"{message.id!r} -> {form!r}: {problem}")
    assert not problems, "\n".join(problems)


def test_translations_format_with_the_fields_of_the_source(catalog):
    for message in _messages(catalog):
        original = message.id[-1] if isinstance(message.id, tuple) else message.id
        try:
            fields = {name for _l, name, _s, _c in string.Formatter().parse(original) if name}
        except ValueError:  # literal braces: not a format template
            continue
        if not fields:
            continue
        values = dict.fromkeys(fields, "X")
        for form in _forms(message):
            form.format(**values)  # raises on a stray brace or an unknown field


# --- (d) the established vocabulary of key-account selling -------------------------------


def test_stage_labels_use_the_established_chinese_terms():
    from saletui.method.stages import STAGES

    set_language("zh_CN")
    try:
        assert [s.label for s in STAGES] == ["客户开发", "立项", "提案", "招投标", "商务谈判", "工程实施"]
    finally:
        set_language("en")
    assert [s.label for s in STAGES] == ["Development", "Entry", "Proposal", "Bidding", "Negotiation", "Implementation"]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Coach", "教练"),
        ("Influence", "影响力"),
        ("Milestones", "里程碑"),
        ("Objection playbook", "异议处理手册"),
        ("Coverage", "覆盖"),
        ("Next step", "下一步"),
        ("Needs attention", "需关注"),
        ("Archive", "归档"),
        ("Deal", "项目"),
        ("Top 5", "重点5家"),
        ("Middle 5", "中间5家"),
        ("New 5", "新开发5家"),
    ],
)
def test_domain_terms(catalog, english, chinese):
    assert catalog.get(english) is not None, english
    assert catalog.get(english).string == chinese


def test_markdown_emphasis_survives_in_help_texts(catalog):
    """CommonMark does not open or close ** next to some CJK punctuation: count what renders."""
    from markdown_it import MarkdownIt

    md = MarkdownIt()

    def strong_spans(text: str) -> int:
        return sum(1 for block in md.parse(text) for token in block.children or [] if token.type == "strong_open")

    problems = []
    for message in _messages(catalog):
        if (
            isinstance(message.id, str)
            and "**" in message.id
            and message.string
            and strong_spans(message.id) != strong_spans(message.string)
        ):
            problems.append(
                f"{message.id[:40]!r}: {strong_spans(message.id)} bold spans in English, "
                f"{strong_spans(message.string)} in Chinese"
            )
    assert not problems, "\n".join(problems)

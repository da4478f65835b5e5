"""The org chart out of the app: a rep reads it as indented text (also in the pre-call
brief) or hands a Mermaid / Graphviz file to a colleague. Whatever people are called, in
whatever script and with whatever punctuation, the tree holds and the files stay valid."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys

import pytest

from saletui.services import orgchart
from saletui.services.orgchart import FORMATS, default_filename, render_dot, render_mermaid, render_text, write_export
from saletui.store import accounts, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Person
from saletui.store.people import PersonDraft

AWKWARD = 'Zhao "quotes" [brackets] <tags> back\\slash'
MET = dt.date(2026, 11, 2)


@pytest.fixture
def org(store) -> dict[str, int]:
    """王伟 (GM) ─┬─ Li Na (coach) ── Zhao (awkward name)
              ├─ 陈杰 (opponent) ── 刘洋 ── Tian
              └─ Sun (unrated)
    Guo: at the top level of their own (no manager)."""
    acme = accounts.save(AccountDraft(name="Acme 精密")).id
    wang = people.save(
        acme,
        PersonDraft(
            name="王伟",
            title="General Manager",
            department="Management",
            influence="1",
            attitude="supporter",
            coverage="multiple",
            buying_role="decision-maker",
            owner="Julia",
        ),
    ).id
    li = people.save(
        acme,
        PersonDraft(
            name="Li Na",
            title="Purchasing Manager",
            department="Purchasing",
            reports_to=wang,
            influence="L2",
            is_coach=True,
            attitude="mentor",
            coverage="in-depth",
            buying_role="economic-buyer",
            owner="Sarah",
        ),
    ).id
    zhao = people.save(
        acme, PersonDraft(name=AWKWARD, title="Buyer", department="Purchasing", reports_to=li, influence="4")
    ).id
    sun = people.save(acme, PersonDraft(name="Sun", reports_to=wang)).id
    chen = people.save(
        acme,
        PersonDraft(
            name="陈杰",
            title="Chief Engineer",
            department="Engineering",
            reports_to=wang,
            influence="2",
            attitude="opponent",
            buying_role="technical-evaluator",
        ),
    ).id
    liu = people.save(
        acme, PersonDraft(name="刘洋", title="Engineer", reports_to=chen, influence="3", attitude="neutral")
    ).id
    tian = people.save(acme, PersonDraft(name="Tian", title="Technician", reports_to=liu, influence="5")).id
    guo = people.save(acme, PersonDraft(name="Guo", title="Consultant", influence="3", attitude="neutral")).id
    Person.update(last_contacted=MET).where(Person.id.in_([wang, li])).execute()  # as visits would
    people.refresh_warning_count(acme)
    people.add_link(chen, wang, note="同学")
    people.add_link(zhao, li)
    return {
        "account": acme,
        "wang": wang,
        "li": li,
        "zhao": zhao,
        "sun": sun,
        "chen": chen,
        "liu": liu,
        "tian": tian,
        "guo": guo,
    }


# -- text -------------------------------------------------------------------------------------


def test_the_text_chart_reads_as_a_tree_with_the_most_influential_first(org):
    assert (
        render_text(org["account"])
        == """\
Acme 精密
L1 = highest influence … L5 = lowest; ★ = coach; ++ mentor, + supporter, = neutral, - non-supporter, -- opponent, ? unknown

王伟 — General Manager, Management [L1] + supporter · decision maker · owner: Julia
├─ Li Na — Purchasing Manager, Purchasing [L2] ★ ++ mentor · economic buyer · owner: Sarah
│  └─ Zhao "quotes" [brackets] <tags> back\\slash — Buyer, Purchasing [L4] ? unknown
├─ 陈杰 — Chief Engineer, Engineering [L2] -- opponent · technical evaluator
│  └─ 刘洋 — Engineer [L3] = neutral
│     └─ Tian — Technician [L5] ? unknown
└─ Sun ? unknown
Guo — Consultant [L3] = neutral

Informal influence
  Zhao "quotes" [brackets] <tags> back\\slash → Li Na
  陈杰 → 王伟 (同学)

Coverage warnings
  ! 陈杰 (L2) has no owner on our side.
  ! 陈杰 (L2) has never been contacted or has no coverage.
  ! 陈杰 (L2) opposes us.
"""
    )


def test_an_account_with_nobody_mapped_says_so(store):
    empty = accounts.save(AccountDraft(name="Globex")).id
    text = render_text(empty)
    assert text.splitlines()[3] == "Nobody mapped yet."
    assert "  none recorded" in text
    assert text.endswith("Coverage warnings\n  ! Nobody at this account is mapped yet.\n")


def test_imported_names_with_line_breaks_and_control_characters_keep_one_line_each(org):
    """The forms refuse such text; an import or another tool might not."""
    Person.update(name="Tab\tbed\nname\x1b[31m").where(Person.id == org["sun"]).execute()
    lines = render_text(org["account"]).splitlines()
    assert "└─ Tab bed name\ufffd[31m ? unknown" in lines
    assert not any("\x1b" in line for line in lines)


def test_a_corrupt_reporting_cycle_still_shows_everyone_exactly_once(org):
    # Written behind the store's back: Wang under Tian, who is (indirectly) under Wang.
    Person.update(reports_to=org["tian"]).where(Person.id == org["wang"]).execute()
    text = render_text(org["account"])
    tree = text.split("\n\n")[1]
    for name in ("王伟", "Li Na", "陈杰", "刘洋", "Tian", "Sun", "Guo"):
        assert sum(1 for line in tree.splitlines() if re.search(rf"(^|─ ){re.escape(name)}( |$)", line)) == 1, name


def test_the_text_export_works_in_every_interface_language(org):
    from saletui.i18n import set_language

    set_language("zh_CN")  # fixed strings go through the catalogue; user text is untouched
    assert render_text(org["account"]).startswith("Acme 精密\n")


# -- Mermaid ----------------------------------------------------------------------------------

_NODE = re.compile(r'^    (p\d+)\["(.*)"\]$')


def mermaid_nodes(text: str) -> dict[str, str]:
    return {m[1]: m[2] for line in text.splitlines() if (m := _NODE.match(line))}


def test_mermaid_has_one_node_per_person_and_the_reporting_lines(org):
    text = render_mermaid(org["account"])
    lines = text.splitlines()
    assert lines[:4] == ["---", 'title: "Acme 精密"', "---", "flowchart TD"]
    assert set(mermaid_nodes(text)) == {
        f"p{org[k]}" for k in ("wang", "li", "zhao", "sun", "chen", "liu", "tian", "guo")
    }
    edges = {tuple(line.strip().split(" --> ")) for line in lines if " --> " in line}
    assert edges == {
        (f"p{org[a]}", f"p{org[b]}")
        for a, b in (
            ("wang", "li"),
            ("li", "zhao"),
            ("wang", "chen"),
            ("chen", "liu"),
            ("liu", "tian"),
            ("wang", "sun"),
        )
    }


def test_mermaid_influence_links_are_dotted_and_labelled(org):
    lines = render_mermaid(org["account"]).splitlines()
    assert f'    p{org["chen"]} -.->|"influences: 同学"| p{org["wang"]}' in lines
    assert f'    p{org["zhao"]} -.->|"influences"| p{org["li"]}' in lines


def test_mermaid_labels_escape_quotes_brackets_and_tags(org):
    nodes = mermaid_nodes(render_mermaid(org["account"]))
    for label in nodes.values():
        without_breaks = label.replace("<br/>", "")
        assert not set('"[]<>\\') & set(without_breaks), label
    zhao = nodes[f"p{org['zhao']}"]
    assert zhao.startswith("Zhao #quot;quotes#quot; #91;brackets#93; #lt;tags#gt; back#92;slash<br/>")
    assert nodes[f"p{org['wang']}"].startswith("王伟<br/>General Manager, Management<br/>")


def test_a_name_that_looks_like_an_entity_stays_literal(org):
    Person.update(name="#quot; & Co").where(Person.id == org["sun"]).execute()
    assert mermaid_nodes(render_mermaid(org["account"]))[f"p{org['sun']}"].startswith("#35;quot#59; #amp; Co")


def test_mermaid_styles_the_coach_the_key_people_and_opponents(org):
    text = render_mermaid(org["account"])
    for name in ("coach", "l1", "l2", "opponent"):
        assert f"    classDef {name} " in text
    assert f"    class p{org['li']} coach" in text
    assert f"    class p{org['wang']} l1" in text
    assert f"    class {','.join(sorted((f'p{org[k]}' for k in ('li', 'chen')), key=lambda s: int(s[1:])))} l2" in text
    assert f"    class p{org['chen']} opponent" in text


def test_mermaid_account_titles_with_quotes_stay_valid_yaml(store):
    import yaml

    weird = accounts.save(AccountDraft(name='Acme "Best" \\ Co: #1')).id
    text = render_mermaid(weird)
    front = text.split("---\n")[1]
    assert yaml.safe_load(front) == {"title": 'Acme "Best" \\ Co: #1'}


# -- Graphviz DOT -----------------------------------------------------------------------------


def dot_structure(text: str) -> tuple[set[str], list[tuple[str, str]], list[str]]:
    """A small DOT reader: checks strings close and braces balance; returns node ids,
    edges and the string literals (still escaped)."""
    depth, strings, outside = 0, [], []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            j, buf = i + 1, []
            while text[j] != '"':
                if text[j] == "\\":
                    buf.append(text[j : j + 2])
                    j += 2
                    continue
                assert text[j] != "\n", "a raw line break inside a string"
                buf.append(text[j])
                j += 1
            strings.append("".join(buf))
            outside.append('""')
            i = j + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            assert depth >= 0
        outside.append(ch)
        i += 1
    assert depth == 0
    skeleton = "".join(outside)
    nodes = set(re.findall(r"^\s*(p\d+) \[", skeleton, re.M))
    edges = re.findall(r"^\s*(p\d+) -> (p\d+)", skeleton, re.M)
    return nodes, edges, strings


def test_dot_is_a_well_formed_digraph_whose_edges_join_declared_people(org):
    text = render_dot(org["account"])
    assert text.startswith("digraph orgchart {\n")
    assert '    charset="UTF-8";' in text and "    rankdir=TB;" in text
    nodes, edges, _strings = dot_structure(text)
    assert len(nodes) == 8
    assert all(a in nodes and b in nodes for a, b in edges)
    assert (f"p{org['liu']}", f"p{org['tian']}") in edges


def test_dot_labels_escape_quotes_and_backslashes_and_keep_cjk(org):
    text = render_dot(org["account"])
    _nodes, _edges, strings = dot_structure(text)
    assert r"Zhao \"quotes\" [brackets] <tags> back\\slash\nBuyer, Purchasing\n[L4] ? unknown" in strings
    assert any(s.startswith(r"王伟\nGeneral Manager, Management\n[L1] + supporter") for s in strings)
    assert "Acme 精密" in strings


def test_dot_influence_is_dashed_and_labelled_and_the_coach_stands_out(org):
    lines = render_dot(org["account"]).splitlines()
    assert f'    p{org["chen"]} -> p{org["wang"]} [style=dashed, constraint=false, label="influences: 同学"];' in lines
    li = next(line for line in lines if line.startswith(f"    p{org['li']} ["))
    assert "shape=octagon" in li and "fillcolor=" in li
    sun = next(line for line in lines if line.startswith(f"    p{org['sun']} ["))
    assert "shape" not in sun and "fillcolor" not in sun


def test_dot_line_breaks_in_imported_text_become_escapes(org):
    Person.update(title='Head of "R&D"\nand\\QA').where(Person.id == org["sun"]).execute()
    _nodes, _edges, strings = dot_structure(render_dot(org["account"]))
    assert r"Sun\nHead of \"R&D\" and\\QA\n? unknown" in strings


@pytest.mark.skipif(
    shutil.which("dot") is None and not os.environ.get("CI"), reason="Graphviz is not installed (CI installs it)"
)
def test_graphviz_itself_accepts_the_file(org, tmp_path):
    assert shutil.which("dot"), "Graphviz's dot is missing: .ci/run installs it so that this check runs in CI"
    result = subprocess.run(
        ["dot", "-Tsvg"], input=render_dot(org["account"]).encode("utf-8"), capture_output=True, timeout=30
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "陈杰".encode() in result.stdout


def test_every_format_renders_an_empty_account(store):
    empty = accounts.save(AccountDraft(name="Globex")).id
    for fmt, render in FORMATS.items():
        assert render(empty).endswith("\n"), fmt
    dot_structure(render_dot(empty))


# -- files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("华东精密机械有限公司", "dot", "华东精密机械有限公司-orgchart.dot"),
        ("Acme Steel", "text", "Acme-Steel-orgchart.txt"),
        ("Fabrikam Industries Inc.", "mermaid", "Fabrikam-Industries-Inc-orgchart.mmd"),
        ("Acme/Steel\\Co: <A|B>?*", "dot", "Acme-Steel-Co-A-B-orgchart.dot"),
        ("../../etc/passwd", "text", "etc-passwd-orgchart.txt"),
        ("   ", "text", "account-orgchart.txt"),
        ("[red]Li[/]", "text", "red-Li-orgchart.txt"),
    ],
)
def test_default_file_names_are_safe_and_keep_cjk(name, fmt, expected):
    assert default_filename(name, fmt) == expected


def test_a_very_long_account_name_gives_a_file_name_of_reasonable_length():
    name = default_filename("长" * 300, "dot")
    assert len(name) <= 100 and name.endswith("-orgchart.dot")


def test_an_export_is_written_as_utf8(tmp_path):
    target = tmp_path / "chart.txt"
    write_export(target, "王伟 → Li Na\n")
    assert target.read_bytes() == "王伟 → Li Na\n".encode()


def test_an_export_replaces_an_older_one_completely(tmp_path):
    target = tmp_path / "chart.txt"
    target.write_text("an older and much longer chart\n" * 50, encoding="utf-8")
    write_export(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.txt"]


def test_a_failed_export_leaves_the_old_file_intact_and_no_temporary_file(tmp_path):
    target = tmp_path / "chart.dot"
    target.write_text("old chart\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_export(target, "digraph {\n" * 1000 + "\ud800")  # a lone surrogate cannot be encoded
    assert target.read_text(encoding="utf-8") == "old chart\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.dot"]


def test_an_export_into_a_missing_folder_fails_without_creating_anything(tmp_path):
    with pytest.raises(OSError):
        write_export(tmp_path / "missing" / "chart.txt", "x\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_new_export_is_private_and_a_replaced_one_keeps_its_permissions(tmp_path):
    new = tmp_path / "new.txt"
    write_export(new, "x\n")
    assert new.stat().st_mode & 0o777 == 0o600
    shared = tmp_path / "shared.txt"
    shared.write_text("old\n")
    os.chmod(shared, 0o644)
    write_export(shared, "new\n")
    assert shared.stat().st_mode & 0o777 == 0o644


def test_formats_and_extensions_match():
    assert set(FORMATS) == set(orgchart.EXTENSIONS) == {"text", "mermaid", "dot"}

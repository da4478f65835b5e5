"""A rep's contacts come in from the .vcf files their phone and Outlook write (2.1 with
quoted-printable and GB2312, 3.0 from an iPhone, 4.0 from Android), land under their
account with title, phone, e-mail, notes and manager, and go back out as vCard 3.0 that
Outlook and Apple Contacts read and that re-imports without losing anything."""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

import pytest

from saletui.services.csv_import import ImportFileError
from saletui.services.vcard import (
    escape,
    export_vcards,
    fold,
    import_vcards,
    join_name,
    looks_like_vcard,
    read_cards,
    split_name,
)
from saletui.store import accounts
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person

DATA = Path(__file__).parent / "data" / "vcard"


def account(name: str) -> int:
    return accounts.save(AccountDraft(name=name)).id


def person(name: str) -> Person:
    return Person.get(Person.name == name)


def test_outlook_21_quoted_printable_cards_with_a_photo_come_in_with_their_manager(store):
    acme = account("Acme Steel")
    report = import_vcards(DATA / "outlook-2.1-qp.vcf")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    jurgen = person("Jürgen Müller")
    assert (jurgen.account_id, jurgen.department, jurgen.title) == (acme, "Purchasing", "Head of Purchasing")
    assert jurgen.phone == "+49 30 1234567" and jurgen.fax == "+49 30 1234568"
    assert jurgen.email == "j.mueller@acme-steel.example"
    assert jurgen.notes == (
        "Met at the Hannover fair.\nPrefers calls before 10:00; speaks German and English, not French.\n"
        "Phone: +49 171 7654321"
    )
    assert jurgen.reports_to_id == person("Anna Schmidt").id  # the manager comes later in the file


def test_an_old_chinese_phones_gb2312_card_and_a_utf8_one_join_the_chinese_name(store):
    huadong = account("华东精密机械有限公司")
    report = import_vcards(DATA / "chinese-phone.vcf")
    assert report.ok, report.errors
    zhang = person("张伟")
    assert (zhang.account_id, zhang.department, zhang.title, zhang.phone) == (
        huadong,
        "采购部",
        "采购经理",
        "13912345678",
    )
    ouyang = person("欧阳娜娜")
    assert (ouyang.notes, ouyang.source, ouyang.source_id) == ("喜欢喝茶\n周五下午有空", "vcard", "cn-0002")


def test_an_iphone_card_keeps_the_apple_manager_and_skips_the_photo(store):
    account("Northwind Traders")
    report = import_vcards(DATA / "iphone-3.0.vcf")
    assert report.ok, report.errors
    chidi = person("Chidi Okafor")
    assert chidi.email == "chidi@northwind.example" and chidi.phone == "+44 7700 900123"
    assert (
        chidi.notes
        == "Owns the fleet budget, decides with Grace.\nAsk about the Q3 review.\nE-mail: chidi.okafor@mail.example"
    )
    assert chidi.reports_to_id == person("Grace Hill").id
    assert chidi.source_id == "9F3C2A1B-7E44-4D7A-9C1F-2B8E6D5A0C11"


def test_an_android_40_card_with_emoji_and_markup_and_a_card_without_org_is_refused_by_name(store):
    account("Initech")
    report = import_vcards(DATA / "android-4.0.vcf")
    assert not report.written and Person.select().count() == 0  # all or nothing
    (error,) = report.errors
    assert error.column == "ORG" and error.row == 16  # the refused card's BEGIN:VCARD line
    assert error.message.startswith("Card Without Company: the card has no ORG")
    kept = import_vcards(DATA / "android-4.0.vcf", skip_bad_rows=True)
    assert kept.written and kept.created == 1
    priya = person("[bold]Priya[/bold] Sharma 🚀")
    assert priya.phone == "+91-80-4000-1234" and priya.responsibility == "Technical evaluation of suppliers"
    assert priya.notes == "Loves 🏏 cricket\nPhone: +91-98450-12345"


def test_an_org_that_is_no_account_is_refused_with_a_close_match_or_created_when_asked(store):
    account("Acme Steel Ltd")
    report = import_vcards(DATA / "outlook-2.1-qp.vcf")
    assert report.errors[0].message == (
        "Jürgen Müller: no active account called 'Acme Steel'; import or add it first (or use --create-accounts). "
        "Did you mean 'Acme Steel Ltd'?"
    )
    created = import_vcards(DATA / "outlook-2.1-qp.vcf", create_accounts=True, currency="EUR")
    assert created.ok
    assert Account.get(Account.name == "Acme Steel").currency == "EUR"


def test_a_second_import_finds_people_by_uid_even_after_a_rename(store, tmp_path):
    account("华东精密机械有限公司")
    import_vcards(DATA / "chinese-phone.vcf")
    again = import_vcards(DATA / "chinese-phone.vcf")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    renamed = tmp_path / "renamed.vcf"
    renamed.write_bytes((DATA / "chinese-phone.vcf").read_bytes().replace("FN:欧阳娜娜".encode(), "FN:欧阳娜".encode()))
    report = import_vcards(renamed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Person.select().count() == 2 and Person.get(Person.source_id == "cn-0002").name == "欧阳娜"


def test_export_writes_vcard_30_that_re_imports_losslessly(store, tmp_path):
    account("Acme Steel")
    account("Northwind Traders")
    account("华东精密机械有限公司")
    account("Initech")
    for name in ("outlook-2.1-qp.vcf", "iphone-3.0.vcf", "chinese-phone.vcf", "android-4.0.vcf"):
        import_vcards(DATA / name, skip_bad_rows=True)
    Person.update(notes="Line one, with; all \\ the\nspecials").where(Person.name == "Grace Hill").execute()
    before = {p.name: _facts(p) for p in Person.select()}
    out = tmp_path / "people.vcf"
    assert export_vcards(out) == 7
    data = out.read_bytes()
    assert data.count(b"BEGIN:VCARD\r\nVERSION:3.0\r\n") == 7
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    text = data.decode("utf-8")
    assert "NOTE:Line one\\, with\\; all \\\\ the\\nspecials\r\n" in text
    assert "X-MS-MANAGER;N:Grace Hill\r\n" in text and "item1.X-ABLabel:_$!<Manager>!$_\r\n" in text
    assert "N:欧阳;娜娜;;;\r\n" in text and "N:Müller;Jürgen;;;\r\n" in text
    same = import_vcards(out)
    assert (same.created, same.errors) == (0, [])
    for p in Person.select():
        Person.delete().where(Person.id == p.id).execute()
    fresh = import_vcards(out)
    assert fresh.ok and fresh.created == 7
    assert {p.name: _facts(p) for p in Person.select()} == before


def _facts(p: Person) -> tuple[object, ...]:
    manager = Person.get_by_id(p.reports_to_id).name if p.reports_to_id else ""
    return (p.account.name, p.title, p.department, p.phone, p.fax, p.email, p.notes, p.responsibility, manager)


def test_a_multi_megabyte_photo_is_skipped_quickly(tmp_path):
    photo = base64.b64encode(os.urandom(4_000_000)).decode()
    line = "PHOTO;ENCODING=b;TYPE=JPEG:" + photo
    folded = "\r\n ".join(line[i : i + 74] for i in range(0, len(line), 74))
    path = tmp_path / "big.vcf"
    path.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\n{folded}\r\nORG:X\r\nEND:VCARD\r\n", newline="")
    started = time.perf_counter()
    (card,) = read_cards(path)
    assert time.perf_counter() - started < 3  # about 0.1 s here; a quadratic unfold takes minutes
    assert [p.name for p in card.props] == ["FN", "ORG"]


def test_vcards_are_recognised_by_extension_and_by_content(tmp_path):
    plain = tmp_path / "contacts.txt"
    plain.write_bytes(b"\xef\xbb\xbf\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n")
    csv = tmp_path / "people.csv"
    csv.write_text("name,account\n", encoding="utf-8")
    assert looks_like_vcard(plain) and looks_like_vcard(DATA / "iphone-3.0.vcf") and not looks_like_vcard(csv)


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (["张", "伟"], "张伟"),
        (["Smith", "Jane", "Q"], "Jane Q Smith"),
        (["", "Cher"], "Cher"),
        (["欧阳", "娜娜"], "欧阳娜娜"),
    ],
)
def test_names_are_joined_as_each_language_writes_them(parts, name):
    assert join_name(parts) == name


def test_names_are_split_for_n_by_surname_or_last_space():
    assert split_name("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_name("张伟") == ("张", "伟")
    assert split_name("Jane Q Smith") == ("Smith", "Jane Q")


def test_folding_never_cuts_a_utf8_character_and_escaping_covers_the_specials():
    line = "NOTE:" + "汉" * 60
    folded = fold(line).encode("utf-8")
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.decode("utf-8").replace("\r\n ", "").removesuffix("\r\n") == line
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_a_card_found_by_uid_stays_at_its_account_when_the_phone_has_another_org(store, tmp_path):
    huadong = account("华东精密机械有限公司")
    import_vcards(DATA / "chinese-phone.vcf")
    moved = tmp_path / "moved.vcf"
    moved.write_bytes(
        (DATA / "chinese-phone.vcf")
        .read_bytes()
        .replace("ORG:华东精密机械有限公司;总经办".encode(), b"ORG:New Employer")
    )
    report = import_vcards(moved)
    assert report.ok, report.errors
    assert Person.get(Person.source_id == "cn-0002").account_id == huadong


def test_a_thousand_cards_with_managers_import_in_one_go(store, tmp_path):
    account("Big Corp")
    cards = ["BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Boss\r\nORG:Big Corp\r\nUID:u0\r\nEND:VCARD\r\n"]
    for i in range(1, 1000):
        cards.append(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nORG:Big Corp\r\nUID:u{i}\r\n"
            f"X-MS-MANAGER;N:{'Boss' if i < 10 else f'Person {i // 10}'}\r\nEND:VCARD\r\n"
        )
    path = tmp_path / "big.vcf"
    path.write_text("".join(cards), encoding="utf-8", newline="")
    started = time.perf_counter()
    report = import_vcards(path)
    assert report.ok and report.created == 1000
    assert time.perf_counter() - started < 20  # 1-3 s on a loaded 2-core machine
    assert person("Person 123").reports_to_id == person("Person 12").id


def test_a_utf16_file_from_windows_is_read_and_a_file_without_cards_is_refused(store, tmp_path):
    account("Acme Steel")
    utf16 = tmp_path / "outlook-unicode.vcf"
    utf16.write_bytes((DATA / "outlook-2.1-qp.vcf").read_text(encoding="utf-8").encode("utf-16"))
    assert import_vcards(utf16).created == 2
    empty = tmp_path / "notes.vcf"
    empty.write_text("just some notes\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="holds no vCard"):
        read_cards(empty)
